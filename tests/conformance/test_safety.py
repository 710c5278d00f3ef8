"""Safety: only the run's own resources are touched, AWS needs opt-in, bad targets fail cleanly."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from ecr_public_conformance.conformance.harness.config import run_config
from ecr_public_conformance.conformance.harness.env import CheckEnv
from ecr_public_conformance.conformance.harness.ledger import Ledger
from ecr_public_conformance.conformance.harness.registry import BudgetSpent, Skip
from ecr_public_conformance.conformance.pytest_plugin.session import _sandbox_guard
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.strategies import boundary_requests
from ecr_public_conformance.strategies.semantic_values import Blob, manifest_for
from ecr_public_conformance.wire import Credentials, WireClient

CLI = [sys.executable, "-m", "ecr_public_conformance"]


def _client(url: str) -> Any:
    return boto3.client(
        "ecr-public",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _names(url: str) -> list[str]:
    pages = _client(url).get_paginator("describe_repositories").paginate()
    return [r["repositoryName"] for p in pages for r in p["repositories"]]


@pytest.fixture()
def server() -> Iterator[Any]:
    with start_server() as srv:
        yield srv


def _generated_names() -> list[str]:
    """The repository names the run's boundary requests use: the names most at risk."""
    names = set()
    for op in load_service().operations.values():
        for case in boundary_requests(op, include_large=False):
            value = case.params.get("repositoryName") if isinstance(case.params, dict) else None
            if case.valid and isinstance(value, str):
                names.add(value)
    return sorted(names)


USER_REPOS = ["team/app", *_generated_names()]


def _user_data(url: str) -> None:
    c = _client(url)
    for name in USER_REPOS:
        c.create_repository(repositoryName=name, tags=[{"Key": "owner", "Value": "user"}])
        c.set_repository_policy(repositoryName=name, policyText='{"Statement": []}')
    layer = Blob(b"user layer")
    manifest, config, _ = manifest_for([layer])
    for name in USER_REPOS:
        for blob in (layer, config):
            upload = c.initiate_layer_upload(repositoryName=name)["uploadId"]
            c.upload_layer_part(
                repositoryName=name,
                uploadId=upload,
                partFirstByte=0,
                partLastByte=blob.size - 1,
                layerPartBlob=blob.data,
            )
            c.complete_layer_upload(
                repositoryName=name, uploadId=upload, layerDigests=[blob.digest]
            )
        c.put_image(repositoryName=name, imageManifest=manifest, imageTag="prod")
    c.put_registry_catalog_data(displayName="Users Registry")


def _snapshot(url: str) -> dict[str, Any]:
    c = _client(url)
    out: dict[str, Any] = {"registry": c.get_registry_catalog_data()["registryCatalogData"]}
    for name in _names(url):
        arn = f"arn:aws:ecr-public::123456789012:repository/{name}"
        images = c.describe_images(repositoryName=name)["imageDetails"]
        out[name] = (
            c.list_tags_for_resource(resourceArn=arn)["tags"],
            c.get_repository_policy(repositoryName=name)["policyText"],
            sorted((i["imageDigest"], tuple(i.get("imageTags", []))) for i in images),
        )
    return out


def test_pre_existing_resources_are_untouched_and_the_run_cleans_up(
    server: Any, tmp_path: Any
) -> None:
    _user_data(server.url)
    before = _snapshot(server.url)
    result = subprocess.run(
        [*CLI, "run", "--endpoint-url", server.url, "--quiet", "--report-dir", str(tmp_path / "r")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert _snapshot(server.url) == before  # no ecrconf-* left, nothing of the user's changed


def test_ctrl_c_still_cleans_up(server: Any, tmp_path: Any) -> None:
    proc = subprocess.Popen(
        [
            *CLI,
            "run",
            "--endpoint-url",
            server.url,
            "--profile",
            "ci",
            "--quiet",
            "--report-dir",
            str(tmp_path / "r"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        n.startswith("ecrconf-") for n in _names(server.url)
    ):
        time.sleep(0.1)
    assert any(n.startswith("ecrconf-") for n in _names(server.url)), "the run created nothing"
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=120)
    assert [n for n in _names(server.url) if n.startswith("ecrconf-")] == []


def _env(url: str, **config: Any) -> CheckEnv:
    cfg = run_config(endpoint_url=url, **config)
    return CheckEnv(
        client=WireClient("http://127.0.0.1:9/"),
        config=cfg,
        prefix="ecrconf-t",
        ledger=Ledger(None),
    )


def test_aws_targets_refuse_mutations_without_opt_in() -> None:
    env = _env("https://api.ecr-public.us-east-1.amazonaws.com")
    assert env.config.targets_aws and env.config.request_cap == 3000
    with pytest.raises(Skip, match="refusing to modify an AWS account.*ecrconf-t"):
        env.guard_mutation("create repositories")
    assert not env.may_mutate()
    opted = _env("https://api.ecr-public.us-east-1.amazonaws.com", allow_aws_mutations=True)
    opted.guard_mutation("create repositories")
    assert opted.may_mutate()


def test_read_only_refuses_mutations_everywhere() -> None:
    env = _env("http://localhost:4566", read_only=True)
    assert not env.config.targets_aws
    with pytest.raises(Skip, match="read-only"):
        env.guard_mutation("create repositories")


def test_request_cap_stops_sending() -> None:
    env = _env("http://localhost:4566", max_requests=0)
    with pytest.raises(BudgetSpent, match=r"request budget was reached \(0 requests"):
        env.send("DescribeRegistries", {})


class _FakeSts:
    def __init__(self, account: str) -> None:
        self.account = account

    def get_caller_identity(self) -> dict[str, str]:
        return {"Account": self.account}


def test_mutations_need_a_listed_sandbox_account(monkeypatch: pytest.MonkeyPatch) -> None:
    creds = Credentials("AKID", "secret")
    aws = "https://api.ecr-public.us-east-1.amazonaws.com"
    with pytest.raises(pytest.UsageError, match="needs --ecr-sandbox-accounts"):
        _sandbox_guard(run_config(endpoint_url=aws, allow_aws_mutations=True), creds)
    monkeypatch.setattr(boto3, "client", lambda *a, **k: _FakeSts("999999999999"))
    cfg = run_config(endpoint_url=aws, allow_aws_mutations=True, sandbox_accounts=("111122223333",))
    with pytest.raises(pytest.UsageError, match="999999999999 is not in"):
        _sandbox_guard(cfg, creds)
    monkeypatch.setattr(boto3, "client", lambda *a, **k: _FakeSts("111122223333"))
    _sandbox_guard(cfg, creds)


class _Garbage(http.server.BaseHTTPRequestHandler):
    """Answers the probe (DescribeRegistries) in AWS JSON 1.1, everything else with garbage:
    a target that misbehaves after the run has accepted it (one that answers the probe with
    garbage is refused before the run; see tests/test_run_usage_errors.py)."""

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("X-Amz-Target", "").endswith(".DescribeRegistries"):
            self._send(b'{"registries": []}', "application/x-amz-json-1.1")
            return
        self.garbage()

    def garbage(self) -> None:
        self._send(b"<html>definitely not json</html>", None)

    def _send(self, body: bytes, content_type: str | None) -> None:
        self.send_response(200)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _Hanging(_Garbage):
    """Never answers the operations under test while the test runs (no timer decides); the
    cleanup sweep's listing gets garbage at once, so the run does not spend its cleanup window."""

    def garbage(self) -> None:
        if not self.headers.get("X-Amz-Target", "").endswith(".DescribeRepositories"):
            released: threading.Event = self.server.released  # type: ignore[attr-defined]
            released.wait()
        super().garbage()


@pytest.fixture()
def bad_server(request: pytest.FixtureRequest) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), request.param)
    httpd.released = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.released.set()  # type: ignore[attr-defined]
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("bad_server", [_Garbage], indirect=True)
def test_a_200_with_garbage_gives_clear_failures(bad_server: str, tmp_path: Any) -> None:
    result = subprocess.run(
        [
            *CLI,
            "run",
            "--endpoint-url",
            bad_server,
            "--quiet",
            "--operations",
            "DescribeRepositories",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "content_type_is_amz_json (MUST): expected Content-Type" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("bad_server", [_Hanging], indirect=True)
def test_a_hanging_target_times_out_with_a_clear_reason(bad_server: str, tmp_path: Any) -> None:
    result = subprocess.run(
        [
            *CLI,
            "run",
            "--endpoint-url",
            bad_server,
            "--quiet",
            "--operations",
            "DescribeRegistries",
            "--report-dir",
            str(tmp_path),
            "--",
            "--ecr-timeout",
            "0.3",
            "--ecr-checks",
            "unknown_operation_rejected",
        ],
        capture_output=True,
        text=True,
        timeout=300,  # the target never answers: the run must end on its own
    )
    assert result.returncode in (1, 2), result.stdout + result.stderr
    assert "did not answer" in result.stdout + result.stderr


def test_an_unreachable_target_exits_2_with_one_line() -> None:
    result = subprocess.run(
        [*CLI, "run", "--endpoint-url", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: target unreachable")
    assert len(result.stderr.strip().splitlines()) == 1


def test_cleanup_command_deletes_only_the_ledger_and_prefix(server: Any, tmp_path: Any) -> None:
    c = _client(server.url)
    for name in ("ecrconf-abc-main-r1", "ecrconf-abc-main-r2", "mine"):
        c.create_repository(repositoryName=name)
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text('{"kind": "repository", "name": "ecrconf-abc-main-r1"}\n')
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
    base = [*CLI, "cleanup", "--endpoint-url", server.url]
    assert subprocess.run([*base, "--ledger", str(ledger)], env=env, timeout=60).returncode == 0
    assert sorted(_names(server.url)) == ["ecrconf-abc-main-r2", "mine"]
    assert subprocess.run([*base, "--prefix", "mine"], env=env, timeout=60).returncode == 2
    assert subprocess.run([*base, "--prefix", "ecrconf-abc"], env=env, timeout=60).returncode == 0
    assert _names(server.url) == ["mine"]


PREMIUM_WRITE = ("CreatePremiumRepository", {"repositoryName": "ecrconf-t-p", "products": []})
PUBLISHING = ("SetRepositoryState", {"repositoryName": "ecrconf-t-p", "state": "AVAILABLE"})


@pytest.mark.parametrize(
    ("opt_ins", "request_", "refused"),
    [
        ({"allow_aws_mutations": True}, PREMIUM_WRITE, "refusing to change paid content"),
        ({"allow_aws_mutations": True, "allow_aws_premium": True}, PREMIUM_WRITE, None),
        ({"allow_aws_mutations": True, "allow_aws_premium": True}, PUBLISHING, "public gallery"),
        (
            {"allow_aws_mutations": True},
            ("CreateRepository", {"repositoryName": "ecrconf-t-x"}),
            None,
        ),
    ],
)
def test_premium_writes_to_aws_need_their_own_opt_in_and_nothing_is_published(
    opt_ins: dict[str, bool], request_: tuple[str, dict[str, Any]], refused: str | None
) -> None:
    env = _env("https://api.ecr-public.us-east-1.amazonaws.com", **opt_ins)
    operation, params = request_
    if refused is None:
        env.sender.guard.paid_content(operation, params)
    else:
        with pytest.raises(Skip, match=refused):
            env.sender.guard.paid_content(operation, params)
    # an endpoint that is not AWS is never held back by these rules
    _env("http://localhost:4566").sender.guard.refuse_unsafe(operation, params, None)
