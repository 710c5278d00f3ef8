"""``ecr-public-conformance record``: record a parity corpus from one endpoint.

Exit codes: 0 the corpus was written, 1 the recording could not finish (the target stopped
answering; nothing is written), 2 bad input or a target that cannot be used (one line on
stderr, before anything is sent), 130 interrupted (what the recording created is removed).
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ...records.options import add_arguments
from ...specs.editions import select_edition
from ...wire import TargetUnreachable, is_aws_endpoint, resolve_endpoint
from ..harness.config import (
    EXIT_INTERRUPTED,
    OptionError,
    RunConfig,
    check_edition,
    check_endpoint_url,
    check_reference_faults,
    check_reference_variants,
    draw_seed,
    run_config,
)
from .corpus import MANIFEST, RECORDS


def add_parser(sub: Any) -> None:
    """Register ``record`` on the main parser."""
    p = sub.add_parser(
        "record",
        help="record a parity corpus from an endpoint (for run --oracle)",
        description="Play the deterministic scenario set (documented behaviours, a seeded "
        "sample of requests per operation, pagination walks) on an endpoint (default: the "
        "embedded reference) and write a corpus of its answers, run-specific values replaced "
        "by placeholders, for run --oracle.",
    )
    add_arguments(p, "record", {"seed": _seed})
    p.set_defaults(handler=main)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a non-negative integer")
    return value


def describe_target(args: argparse.Namespace) -> dict[str, Any]:
    """The recorded target as the manifest keeps it (never a credential in a URL)."""
    url = args.endpoint_url
    out: dict[str, Any] = {"region": args.region}
    if not url:
        faults, variants = sorted(args.reference_fault), sorted(args.reference_variant)
        extra = [f"faults: {', '.join(faults)}"] if faults else []
        extra += [f"variants: {', '.join(variants)}"] if variants else []
        description = "embedded reference" + (f" ({'; '.join(extra)})" if extra else "")
        out.update(kind="reference", endpoint_url="", faults=faults, variants=variants)
    else:
        parts = urlsplit(resolve_endpoint(url, args.region))
        host = parts.hostname or ""
        netloc = host + (f":{parts.port}" if parts.port else "")
        clean = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
        aws = is_aws_endpoint(url)
        description = f"AWS ({args.region})" if aws else clean
        out.update(kind="aws" if aws else "url", endpoint_url=clean)
    out["description"] = args.label or description
    return out


def _writable(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise OptionError(f"--out {folder}: not a folder")
    if folder.is_dir():
        others = {p.name for p in folder.iterdir()} - {MANIFEST, RECORDS, ".gitattributes"}
        if others and not (folder / MANIFEST).exists():
            raise OptionError(
                f"--out {folder}: not empty and not a corpus ({len(others)} other files); "
                "choose an empty folder"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".ecr-public-conformance-write-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OptionError(f"--out {folder}: cannot write there ({exc.strerror or exc})") from None


def check_options(args: argparse.Namespace) -> RunConfig:
    """Check every option of ``record``; return the run configuration they make."""
    if args.endpoint_url is not None:
        check_endpoint_url(args.endpoint_url)
        if args.reference_fault or args.reference_variant:
            which = "--reference-fault" if args.reference_fault else "--reference-variant"
            raise OptionError(
                f"{which}: fault switches and variants apply to the embedded reference only; "
                "drop --endpoint-url to use them"
            )
    edition = check_edition(args.edition)
    check_reference_faults(args.reference_fault)
    check_reference_variants(args.reference_variant)
    if args.timeout <= 0:
        raise OptionError(f"--timeout {args.timeout:g}: expected a positive number of seconds")
    if args.max_requests is not None and args.max_requests < 1:
        raise OptionError(f"--max-requests {args.max_requests}: expected a positive integer")
    accounts = tuple(a.strip() for a in (args.sandbox_accounts or "").split(",") if a.strip())
    config = run_config(
        endpoint_url=args.endpoint_url,
        region=args.region,
        profile=args.profile,
        seed=draw_seed() if args.seed is None else args.seed,
        timeout_s=args.timeout,
        allow_aws_mutations=args.allow_aws_mutations,
        sandbox_accounts=accounts,
        max_requests=args.max_requests,
        reference_fault=tuple(args.reference_fault),
        reference_variant=tuple(args.reference_variant),
        edition=edition,
    )
    aws = config.endpoint_url == "aws" or config.targets_aws
    if aws and not config.aws.mutations:
        raise OptionError(
            "recording AWS creates public repositories in the account: pass "
            "--allow-aws-mutations --sandbox-accounts ID (a sandbox account only)"
        )
    if aws and not accounts:
        raise OptionError(
            "--allow-aws-mutations needs --sandbox-accounts: ECR Public repositories are "
            "public, so recording runs only in accounts you list as sandboxes"
        )
    _writable(args.out)
    return config


def _error(message: str, code: int = 2) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def main(args: argparse.Namespace) -> int:
    """Record the corpus; return the exit code."""
    try:
        config = check_options(args)
    except OptionError as exc:
        return _error(str(exc))
    # deferred: usage errors and --help answer before the suite loads (as run's do)
    from ..harness.probe import target_problem

    problem = target_problem(args.endpoint_url, args.region, args.wait_for_endpoint)
    if problem:
        return _error(problem)
    import pytest

    # deferred: usage errors and --help answer before the suite loads (as run's do)
    from ..pytest_plugin.hypothesis_storage import private_storage
    from ..pytest_plugin.session import open_session

    select_edition(config.edition)  # the scenarios, and the reference, of the edition recorded
    try:
        try:
            session = open_session(config)
        except pytest.UsageError as exc:
            return _error(str(exc))
        target = describe_target(args)
        try:
            with private_storage():
                return _record(args, config, session, target)
        finally:
            session.close()
    finally:
        select_edition(None)


def _record(
    args: argparse.Namespace, config: RunConfig, session: Any, target: dict[str, Any]
) -> int:
    # deferred: usage errors and --help answer before the suite loads (as run's do)
    from .play import parity_prefix, player_for
    from .record import record_corpus
    from .scenario_set import scenario_set

    assert config.seed is not None
    run_id = os.environ.get("ECR_CONFORMANCE_RUN_ID") or uuid.uuid4().hex[:8]
    player = player_for(session.env, config.profile, config.seed, parity_prefix(run_id))
    player.cut_at_budget = True
    total = len(scenario_set(config.profile))
    if not args.quiet:
        print(
            f"recording {target['description']}: profile {config.profile}, seed {config.seed}, "
            f"{total} scenarios, prefix {player.prefix}",
            file=sys.stderr,
        )
    step = max(total // 10, 1)

    def progress(done: int, count: int, scenario: str) -> None:
        if not args.quiet and (done % step == 0 or done == count):
            print(f"[{done:>4}/{count}] {scenario}", file=sys.stderr)

    try:
        manifest = record_corpus(player, args.out, target, progress)
    except TargetUnreachable as exc:
        return _error(f"the target stopped answering: {exc}; no corpus written", 1)
    except KeyboardInterrupt:
        left = player.cleanup_report
        hint = "" if left is None or left.clean else f"; to finish cleaning up: {left.command}"
        print(f"interrupted: no corpus written{hint}", file=sys.stderr)
        return EXIT_INTERRUPTED
    report = player.cleanup_report
    if report is not None and report.left:
        print(
            f"warning: {len(report.left)} "
            f"{'repository' if len(report.left) == 1 else 'repositories'} could not be deleted; "
            f"remove them with: {report.command}",
            file=sys.stderr,
        )
    stopped = [s for s in manifest.scenarios if s.outcome != "complete"]
    print(
        f"corpus: {args.out} ({manifest.records} records, {len(manifest.scenarios)} scenarios"
        + (f", {len(stopped)} ended early" if stopped else "")
        + f"; seed {manifest.seed}, profile {manifest.profile})"
    )
    for s in stopped:
        print(f"  {s.id}: {s.outcome}", file=sys.stderr)
    return 0
