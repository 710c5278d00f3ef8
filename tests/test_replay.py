"""Reproducers that reproduce: replay, curl, the AWS CLI only where it would send, baselines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecr_public_conformance.conformance.harness.explain import Where, cli_refusal, curl_command
from ecr_public_conformance.records import Reported, Target
from ecr_public_conformance.reference import start_server
from ecr_public_conformance.wire import Exchange, WireClient

CLI = [sys.executable, "-m", "ecr_public_conformance"]
OPS = "DescribeRepositories,DescribeRegistries"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results.json with failures recorded against the reference with two faults."""
    tmp = tmp_path_factory.mktemp("replay")
    done = _cli(
        "run", "--quiet", "--seed", "5", "--operations", OPS,
        "--reference-fault", "wrong-content-type", "--reference-fault", "page-size-ignored",
        "--report-dir", str(tmp / "out"), cwd=tmp,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    return tmp / "out" / "results.json"


def test_replay_with_the_fault_is_still_failing(recorded: Path) -> None:
    done = _cli("replay", str(recorded), cwd=recorded.parent)
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stdout.splitlines() if "::" in line]
    assert lines and all(line.startswith("STILL FAILING") for line in lines), done.stdout


def test_replay_without_the_fault_is_fixed(recorded: Path) -> None:
    with start_server() as clean:
        done = _cli("replay", str(recorded), "--endpoint-url", clean.url, cwd=recorded.parent)
        listed = WireClient(clean.url).call("DescribeRepositories", {}).json["repositories"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FIXED          DescribeRepositories::page_size_respected" in done.stdout
    assert listed == []  # the replay cleaned up what it created


def test_replay_of_one_id_and_of_a_cause(recorded: Path) -> None:
    doc = json.loads(recorded.read_text())
    cause = next(c for c in doc["causes"] if c["check"] == "page_size_respected")
    for selector in ("DescribeRepositories::page_size_respected", cause["id"]):
        done = _cli("replay", str(recorded), "--id", selector, cwd=recorded.parent)
        assert done.stdout.count("STILL FAILING") == 1, done.stdout


@pytest.mark.parametrize(
    ("situation", "args", "message"),
    [
        ("no such file", ["replay", "nope.json"], "error: nope.json: cannot read"),
        ("unreachable target", ["replay", "RESULTS", "--endpoint-url", "http://127.0.0.1:9"],
         "error: target unreachable:"),
    ],
)  # fmt: skip
def test_replay_bad_input_is_one_line(
    situation: str, args: list[str], message: str, recorded: Path
) -> None:
    done = _cli(*[str(recorded) if a == "RESULTS" else a for a in args], cwd=recorded.parent)
    assert done.returncode == 2 and done.stderr.startswith(message), (situation, done.stderr)
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_the_curl_reproducer_shows_the_deviation(recorded: Path) -> None:
    doc = json.loads(recorded.read_text())
    failure = next(
        r["failures"][0] for r in doc["results"] if r["check"] == "content_type_is_amz_json"
    )
    command = failure["reproduce"]["curl"]
    assert "--aws-sigv4" in command and "$AWS_SECRET_ACCESS_KEY" in command
    with start_server(faults=["wrong-content-type"]) as server:
        # the reproducer names the port it tells you to serve on; point it at this server
        command = command.replace("http://127.0.0.1:5000", server.url)
        env = {**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
        env.pop("AWS_SESSION_TOKEN", None)
        shown = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env)
    assert "Content-Type: application/json" in shown.stdout, shown.stdout + shown.stderr
    assert (
        "serve --port 5000 --fault page-size-ignored --fault wrong-content-type"
        in (failure["reproduce"]["curl"])
        or "--fault wrong-content-type" in failure["reproduce"]["curl"]
    )


def _exchange(body: object, headers: dict[str, str] | None = None) -> Exchange:
    base = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "SpencerFrontendService.CreateRepository",
        "Authorization": "<redacted>",
    }
    return Exchange("CreateRepository", body, {**base, **(headers or {})}, 400, {}, "", None, 0.0)


@pytest.mark.parametrize(
    ("situation", "body", "headers", "says"),
    [
        ("valid", {"repositoryName": "a" * 300}, {}, None),  # too long: only the server knows
        ("missing required", {}, {}, "Missing required parameter"),
        ("below a minimum", {"repositoryName": "a"}, {}, "Invalid length"),
        ("unknown member", {"repositoryName": "ab", "extra": 1}, {}, "Unknown parameter"),
        ("not an object", "[1, 2]", {}, "the body is not a JSON object"),
        ("unsigned", {"repositoryName": "ab"}, {"Authorization": ""}, "unsigned"),
        ("another target", {"repositoryName": "ab"},
         {"X-Amz-Target": "SpencerFrontendService.Nope"}, "another X-Amz-Target"),
    ],
)  # fmt: skip
def test_the_aws_cli_command_only_where_the_cli_would_send_it(
    situation: str, body: object, headers: dict[str, str], says: str | None
) -> None:
    ex = _exchange(body, {k: v for k, v in headers.items() if v})
    if headers.get("Authorization") == "":
        ex = Exchange(ex.operation, body, {"X-Amz-Target": ex.request_headers["X-Amz-Target"]},
                      400, {}, "", None, 0.0)  # fmt: skip
    refusal = cli_refusal(ex)
    if says is None:
        assert refusal is None, situation
    else:
        assert refusal is not None and says in refusal, (situation, refusal)


def test_reproducers_for_the_embedded_reference_say_how_to_start_it() -> None:
    target = Target(
        "http://127.0.0.1:41234/",
        kind="reference",
        reported=Reported(faults=("wrong-content-type",)),
    )
    where = Where.of("http://127.0.0.1:41234/", "us-east-1", target)
    command = curl_command(_exchange({"repositoryName": "ab"}), where)
    assert command.startswith(
        "# first start the reference as the run had it: ecr-public-conformance serve "
        "--port 5000 --edition botocore-1.43.11 --fault wrong-content-type"
    )
    assert "41234" not in command and command.endswith("http://127.0.0.1:5000")


def test_a_baseline_is_written_then_refreshed_keeping_reasons(tmp_path: Path) -> None:
    gaps = tmp_path / "gaps.toml"
    args = [
        "run",
        "--quiet",
        "--seed",
        "5",
        "--operations",
        OPS,
        "--report-dir",
        str(tmp_path / "o"),
    ]
    args += ["--reference-fault", "page-size-ignored"]
    first = _cli(*args, "--update-expected-failures", str(gaps), cwd=tmp_path)
    assert first.returncode == 1 and "known gaps: 1 cause written" in first.stdout
    text = gaps.read_text()
    assert 'check = "page_size_respected"' in text and 'operation = "DescribeRepositories"' in text
    gaps.write_text(
        text.replace(
            'reason = "expected', 'link = "https://example.org/1"\nreason = "ours; expected'
        )
    )
    second = _cli(
        *args,
        "--expected-failures",
        str(gaps),
        "--update-expected-failures",
        str(gaps),
        cwd=tmp_path,
    )
    assert second.returncode == 0, second.stdout + second.stderr  # the gap is known: xfailed
    refreshed = gaps.read_text()
    assert 'reason = "ours; expected' in refreshed and 'link = "https://example.org/1"' in refreshed
