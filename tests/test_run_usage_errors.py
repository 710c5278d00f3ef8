"""``run`` refuses bad input before it sends anything: one line on stderr, exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ecr_public_conformance.cli import main

from .ports import free_port, reference_command

CLI = [sys.executable, "-m", "ecr_public_conformance"]
GOOD_KNOWN = """
[[expected]]
operation = "CreateRepository"
check = "invalid_request_rejected"
reason = "known"
"""

#: situation -> (arguments, files to create, expected stderr line)
TABLE = {
    "unknown edition": (
        ["--edition", "botocore-9"],
        {},
        "error: --edition: unknown edition 'botocore-9'; known: botocore-1.43.11, "
        "botocore-1.44.18, newest, oldest, seed",
    ),
    "an operation of another edition": (
        ["--edition", "seed", "--operations", "SetImageStatus"],
        {},
        "error: --operations: SetImageStatus is not an operation of edition botocore-1.43.11 "
        "(it is in botocore-1.44.18; choose it with --edition)",
    ),
    "premium opt-in without the mutation one": (
        ["--allow-aws-premium"],
        {},
        "error: --allow-aws-premium needs --allow-aws-mutations (and --sandbox-accounts)",
    ),
    "unknown profile": (
        ["--profile", "fast"],
        {},
        "error: ecr-public-conformance run: argument --profile: invalid choice: 'fast' "
        "(choose from 'quick', 'ci', 'nightly')",
    ),
    "unknown strictness": (
        ["--strictness", "loose"],
        {},
        "error: ecr-public-conformance run: argument --strictness: invalid choice: 'loose' "
        "(choose from 'spec', 'aws')",
    ),
    "workers not a number": (
        ["--workers", "many"],
        {},
        "error: ecr-public-conformance run: argument --workers: 'many': expected a positive "
        "integer or 'auto'",
    ),
    "zero workers": (
        ["--workers", "0"],
        {},
        "error: ecr-public-conformance run: argument --workers: '0': expected a positive "
        "integer or 'auto'",
    ),
    "seed not an integer": (
        ["--seed", "abc"],
        {},
        "error: ecr-public-conformance run: argument --seed: 'abc': expected a non-negative "
        "integer",
    ),
    "max failures zero": (
        ["--max-failures", "0"],
        {},
        "error: ecr-public-conformance run: argument --max-failures: '0': expected a positive "
        "integer",
    ),
    "wait not a number": (
        ["--wait-for-endpoint", "soon"],
        {},
        "error: ecr-public-conformance run: argument --wait-for-endpoint: 'soon': expected a "
        "number of seconds",
    ),
    "bad shard": (["--shard", "3/2"], {}, "error: --shard '3/2': I must be between 1 and N"),
    "shard not I/N": (["--shard", "x"], {}, "error: --shard 'x': expected I/N, e.g. 1/2"),
    "unknown operation, close to a known one": (
        ["--operations", "CreateRepo"],
        {},
        "error: --operations: unknown operation 'CreateRepo' (did you mean CreateRepository?)",
    ),
    "unknown operation": (
        ["--operations", "DescribeRepositories,NoSuchOp"],
        {},
        "error: --operations: unknown operation 'NoSuchOp' (known: AssociateRepositories, ",
    ),
    "no operation": (["--operations", ","], {}, "error: --operations: no operation named"),
    "unknown fault": (
        ["--reference-fault", "no-such-fault"],
        {},
        "error: --reference-fault: unknown fault 'no-such-fault'; known faults: ",
    ),
    "unknown variant": (
        ["--reference-variant", "no-such-variant"],
        {},
        "error: --reference-variant: unknown variant(s) no-such-variant; known variants: ",
    ),
    "variant with an endpoint": (
        ["--endpoint-url", "http://127.0.0.1:9", "--reference-variant", "catalog-merge"],
        {},
        "error: --reference-variant: fault switches and variants apply to the embedded "
        "reference only; drop --endpoint-url to use them",
    ),
    "fault with an endpoint": (
        ["--endpoint-url", "http://127.0.0.1:9", "--reference-fault", "server-error"],
        {},
        "error: --reference-fault: fault switches and variants apply to the embedded "
        "reference only; drop --endpoint-url to use them",
    ),
    "endpoint not a URL": (
        ["--endpoint-url", "foo"],
        {},
        "error: --endpoint-url 'foo': not a URL; expected http://HOST[:PORT] or "
        "https://HOST[:PORT], or 'aws'",
    ),
    "endpoint without a host": (
        ["--endpoint-url", "http://:4566"],
        {},
        "error: --endpoint-url 'http://:4566': not a URL; expected http://HOST[:PORT] or "
        "https://HOST[:PORT], or 'aws'",
    ),
    "endpoint with a bad port": (
        ["--endpoint-url", "http://localhost:port"],
        {},
        "error: --endpoint-url 'http://localhost:port': not a URL; expected http://HOST[:PORT] "
        "or https://HOST[:PORT], or 'aws'",
    ),
    "missing expected-failures file": (
        ["--expected-failures", "gaps.toml"],
        {},
        "error: --expected-failures gaps.toml: no such file",
    ),
    "expected-failures not TOML": (
        ["--expected-failures", "gaps.toml"],
        {"gaps.toml": "[[expected]\noperation = \n"},
        "error: --expected-failures: gaps.toml: ",
    ),
    "expected-failures of another shape": (
        ["--expected-failures", "gaps.toml"],
        {"gaps.toml": '[expected]\noperation = "CreateRepository"\n'},
        "error: --expected-failures: gaps.toml: not an expected-failures file (expected "
        "[[expected]] tables with operation, check and reason)",
    ),
    "expected-failures naming an unknown operation": (
        ["--expected-failures", "gaps.toml"],
        {"gaps.toml": GOOD_KNOWN.replace("CreateRepository", "CreateRepo")},
        "error: --expected-failures: gaps.toml: entry 1: unknown operation 'CreateRepo'",
    ),
    "expected-failures naming an unknown check": (
        ["--expected-failures", "gaps.toml"],
        {"gaps.toml": GOOD_KNOWN.replace("invalid_request_rejected", "no_such_check")},
        "error: --expected-failures: gaps.toml: entry 1: unknown check 'no_such_check'",
    ),
    "report dir under a file": (
        ["--report-dir", "afile/out"],
        {"afile": "x"},
        "error: --report-dir afile/out: cannot write there (Not a directory)",
    ),
    "report dir is a file": (
        ["--report-dir", "afile"],
        {"afile": "x"},
        "error: --report-dir afile: not a folder",
    ),
    "history dir under a file": (
        ["--report-dir", "out", "--history-dir", "afile/h"],
        {"afile": "x"},
        "error: --history-dir afile/h: cannot write there (Not a directory)",
    ),
    "endpoint refusing connections": (
        ["--endpoint-url", "http://127.0.0.1:9"],
        {},
        "error: target unreachable: http://127.0.0.1:9: Failed to establish a new connection: "
        "[Errno 111] Connection refused",
    ),
}


def run_inline(args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        try:
            code = main(["run", *args])
        except SystemExit as exc:  # argparse errors
            code = int(exc.code or 0)
    finally:
        os.chdir(old)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("situation", list(TABLE))
def test_usage_error(situation: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args, files, expected = TABLE[situation]
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code, err = run_inline(args, tmp_path, capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(expected), err
    # nothing was created: no report folder, no probe file, no Hypothesis folder
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_writable_check_leaves_no_folder_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("x")
    code, err = run_inline(
        ["--report-dir", "deep/er/out", "--history-dir", "afile/h"], tmp_path, capsys
    )
    assert code == 2 and "--history-dir afile/h" in err
    assert not (tmp_path / "deep").exists()


def test_a_plain_http_server_is_refused_in_one_line(http_server: str, tmp_path: Path) -> None:
    start = time.monotonic()
    done = subprocess.run(
        [*CLI, "run", "--endpoint-url", http_server],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - start  # loosely: printed for the record, not asserted
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"error: {http_server} is not an AWS JSON 1.1 endpoint: DescribeRegistries answered "
        "HTTP 501 text/html with a body that is not a JSON object\n"
    ), elapsed
    assert done.stdout == "" and not (tmp_path / "ecr-conformance").exists()


def test_bad_input_never_shows_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "gaps.toml").write_text("[expected]\noperation = 1\n")
    for args in (
        ["--expected-failures", "gaps.toml"],
        ["--report-dir", "gaps.toml/x"],
        ["--endpoint-url", "foo"],
        ["--seed", "x"],
    ):
        done = subprocess.run(
            [*CLI, "run", *args], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2 and done.stderr.count("\n") == 1, (args, done.stderr)
        assert "Traceback" not in done.stderr


def test_wait_for_endpoint_waits_for_a_late_server(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [*CLI, "run", "--endpoint-url", url, "--operations", "GetAuthorizationToken"]
    early = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    waiting = subprocess.Popen(
        [*args, "--wait-for-endpoint", "300"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    later = None
    try:
        assert waiting.stderr is not None
        said = waiting.stderr.readline()  # said before its first attempt
        later = subprocess.Popen(reference_command(port))  # the server starts once it waits
        _, err = waiting.communicate(timeout=600)
    finally:
        waiting.kill()
        if later is not None:
            later.terminate()
            later.wait(timeout=10)
    assert early.returncode == 2 and early.stderr.startswith("error: target unreachable: ")
    assert said == f"waiting up to 300 s for {url} to answer\n"
    assert waiting.returncode == 0, said + err
