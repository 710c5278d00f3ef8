"""Open the run's target: the embedded reference, an endpoint URL, or an in-process app.

Also enforces the AWS safety rules before anything is sent: mutations need an explicit opt-in
and an allow-listed (sandbox) account, and then every created resource goes to a ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from ...records import Reported, Target
from ...records.sections import Kind
from ...reference import start_server
from ...reference.market import DEFAULT_PRODUCTS
from ...reference.variants import check_variants
from ...specs import Service
from ...wire import (
    DUMMY_CREDENTIALS,
    Credentials,
    Exchange,
    TargetUnreachable,
    WireClient,
    resolve_endpoint,
)
from ..harness.config import RunConfig, target_name
from ..harness.credentials import usual_credentials
from ..harness.env import CheckEnv, run_prefix
from ..harness.ledger import Ledger
from ..harness.once import prime
from ..harness.registry_identity import described_registry_of
from ..harness.worker import worker_id

#: The display name of the embedded reference's registry (restored byte for byte by cleanup).
EMBEDDED_DISPLAY_NAME = "ecr-public-conformance reference"


@dataclass
class Session:
    """An open target and its check environment; ``close()`` cleans up and stops it."""

    env: CheckEnv
    stop: Any = None
    closed: bool = field(default=False)

    def close(self) -> None:
        """Clean up everything the run created, then stop an embedded endpoint (idempotent)."""
        if self.closed:
            return
        self.closed = True
        try:
            if self.env.ledger.entries or not self.env.config.read_only:
                self.env.cleanup()
        except TargetUnreachable:
            pass
        finally:
            self.env.sender.client.close()
            if self.stop is not None:
                self.stop()


def _sandbox_guard(config: RunConfig, creds: Credentials) -> None:
    if not config.aws.sandbox_accounts:
        raise pytest.UsageError(
            "--ecr-allow-aws-mutations needs --ecr-sandbox-accounts: ECR Public repositories are "
            "public, so mutations run only in accounts you list as sandboxes"
        )
    import boto3

    sts = boto3.client(
        "sts",
        region_name=config.region,
        aws_access_key_id=creds.access_key,
        aws_secret_access_key=creds.secret_key,
        aws_session_token=creds.token,
    )
    account = sts.get_caller_identity()["Account"]
    if account not in config.aws.sandbox_accounts:
        raise pytest.UsageError(
            f"the caller's account {account} is not in --ecr-sandbox-accounts; refusing to run"
        )


def _client(config: RunConfig, wsgi_app: Any, boto3_client: Any) -> tuple[WireClient, Kind, Any]:
    creds = usual_credentials()
    if wsgi_app is not None:
        return (
            WireClient(
                "http://in-process.invalid",
                config.region,
                DUMMY_CREDENTIALS,
                config.timeout_s,
                wsgi_app=wsgi_app,
            ),
            "in-process",
            None,
        )
    if boto3_client is not None:
        url = boto3_client.meta.endpoint_url
        region = boto3_client.meta.region_name or config.region
        return WireClient(url, region, creds or DUMMY_CREDENTIALS, config.timeout_s), "url", None
    if config.endpoint_url is None:
        server = start_server(
            faults=config.reference.faults,
            variants=config.reference.variants,
            edition=config.edition,
            display_name=EMBEDDED_DISPLAY_NAME,  # a registry as a user's: it has a name
        )
        return (
            WireClient(server.url, config.region, DUMMY_CREDENTIALS, config.timeout_s),
            "reference",
            server.stop,
        )
    url = resolve_endpoint(config.endpoint_url, config.region)
    aws = config.targets_aws
    if aws and creds is None:
        raise pytest.UsageError("no AWS credentials found in the usual sources")
    if aws and config.aws.mutations and creds is not None:
        _sandbox_guard(config, creds)
    return WireClient(url, config.region, creds or DUMMY_CREDENTIALS, config.timeout_s), "url", None


def open_session(
    config: RunConfig,
    wsgi_app: Any = None,
    boto3_client: Any = None,
    service: Service | None = None,
) -> Session:
    """Open the target described by ``config`` (or the overridden fixtures); ``service``: the
    spec checks judge by (default: the run's edition)."""
    if config.endpoint_url == "aws":  # resolved once, for everything the session hands on
        url = resolve_endpoint(config.endpoint_url, config.region)
        config = replace(config, endpoint_url=url)
    client, kind, stop = _client(config, wsgi_app, boto3_client)
    ledger_path = config.ledger
    prefix = run_prefix()
    if ledger_path is None and config.targets_aws:
        ledger_path = Path(".ecr-public-conformance") / f"ledger-{prefix}.jsonl"
    target, described = _describe_target(client, kind, config)
    env = CheckEnv(client, config, prefix, Ledger(ledger_path), service, target=target)
    if described is not None and described.ok:  # asked already: the registry job starts from it
        env.sender.keep(described)
        prime(env, "registry", described_registry_of(described))
    if kind == "reference":
        env.marketplace_products = DEFAULT_PRODUCTS
    return Session(env, stop)


def _describe_target(
    client: WireClient, kind: Kind, config: RunConfig
) -> tuple[Target, Exchange | None]:
    """The target as the run reports it, and the DescribeRegistries exchange that described it
    (None when the target could not be reached)."""
    faults: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    if kind == "reference":
        faults = tuple(sorted(config.reference.faults))
        variants = tuple(sorted(check_variants(config.reference.variants)))
    reported = Reported(faults=faults, variants=variants, worker=worker_id())
    name = target_name(config, kind)
    try:
        ex = client.call("DescribeRegistries", {})
    except TargetUnreachable as exc:
        reported = replace(reported, unreachable=str(exc), worker=None)
        return Target(client.endpoint_url, config.region, kind, reported, name), None
    first = described_registry_of(ex)
    reported = replace(
        reported, server=ex.headers.get("server") or None, registry_id=first.get("registryId")
    )
    target = Target(client.endpoint_url, config.region, kind, reported, name)
    return target, ex
