"""The plug-in's session: probe before cases, one seed for all workers, stops recorded in the
run facts, the suite's groups kept together under xdist, no Hypothesis files left behind."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pytest

pytest_plugins = ["pytester"]
SUITE = ["--pyargs", "ecr_public_conformance.conformance", "-p", "no:cacheprovider"]
SPY = """
def pytest_sessionfinish(session):
    worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
    with open(f"seed-{worker}.txt", "w") as fh:
        fh.write(str(session.config.getoption("ecr_seed")))
"""
STOP_AFTER_THREE = """
finished = []

def pytest_runtest_logfinish(nodeid, location):
    finished.append(nodeid)
    if len(finished) == 3:
        raise KeyboardInterrupt
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*SUITE, *args, timeout=300)


def records(pytester: pytest.Pytester) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((pytester.path / "records.json").read_text())
    return doc


@pytest.mark.parametrize("workers", [[], ["-n", "2"]])
def test_an_unusable_endpoint_stops_the_session_in_one_line(
    pytester: pytest.Pytester, http_server: str, workers: list[str]
) -> None:
    result = run(pytester, "--ecr-endpoint-url", http_server, *workers)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.strip()]
    assert errors == [
        f"ERROR: {http_server} is not an AWS JSON 1.1 endpoint: DescribeRegistries answered "
        "HTTP 501 text/html with a body that is not a JSON object"
    ]
    assert "failed" not in result.stdout.str() and "passed" not in result.stdout.str()


def test_an_unreachable_endpoint_from_the_environment_stops_the_session(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECR_PUBLIC_ENDPOINT_URL", "http://127.0.0.1:9")
    result = run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0].startswith("ERROR: target unreachable: http://127.0.0.1:9: ")


def test_other_sessions_are_not_probed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECR_PUBLIC_ENDPOINT_URL", "http://127.0.0.1:9")
    pytester.makepyfile(test_mine="def test_ok():\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "test_mine.py")
    result.assert_outcomes(passed=1)


def test_without_a_seed_every_worker_uses_the_one_recorded(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(seedspy=SPY)
    result = run(
        pytester,
        "-p",
        "seedspy",
        "-n",
        "2",
        "--ecr-operations",
        "GetAuthorizationToken,DescribeRegistries",
        "--ecr-records",
        "records.json",
    )
    assert result.ret == 0, result.stdout.str()
    seed = records(pytester)["seed"]
    assert isinstance(seed, int)
    seen = {p.name: p.read_text() for p in pytester.path.glob("seed-*.txt")}
    assert set(seen) == {"seed-main.txt", "seed-gw0.txt", "seed-gw1.txt"}
    assert set(seen.values()) == {str(seed)}


def test_an_interrupted_session_records_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(stopper=STOP_AFTER_THREE)
    result = run(
        pytester,
        "-p",
        "stopper",
        "--ecr-operations",
        "GetAuthorizationToken",
        "--ecr-records",
        "records.json",
    )
    assert result.ret == pytest.ExitCode.INTERRUPTED
    meta = records(pytester)
    assert meta["interrupted"] is True and meta["stop_reason"] == "interrupted"
    assert meta["cases_total"] > 3 and len(records(pytester)["results"]) == 3


def test_max_failures_is_recorded_as_the_stop_reason(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        "--maxfail",
        "1",
        "--ecr-checks",
        "pagination",
        "--ecr-reference-fault",
        "page-size-ignored",
        "--ecr-records",
        "records.json",
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    meta = records(pytester)
    assert meta["stop_reason"] == "max-failures" and meta["interrupted"] is False
    assert meta["cases_total"] > len(records(pytester)["results"])


def test_a_complete_session_has_no_stop_reason(pytester: pytest.Pytester) -> None:
    assert run(pytester, "--ecr-operations", "DescribeRegistries", "--ecr-records", "records.json")
    meta = records(pytester)
    assert meta["stop_reason"] is None and meta["interrupted"] is False
    assert meta["cases_total"] == len(records(pytester)["results"])


def test_xdist_default_distribution_keeps_the_groups_on_one_worker(
    pytester: pytest.Pytester,
) -> None:
    result = run(pytester, "-n", "2", "-v", "-m", "stateful or pagination")
    assert result.ret == 0, result.stdout.str()
    workers: dict[str, set[str]] = defaultdict(set)
    for line in result.stdout.lines:
        m = re.match(r"\[(gw\d+)\].*test_conformance\[\w+-(\w+)\]", line)
        if m:
            group = "stateful" if m.group(2).startswith("registry_model") else "pagination"
            workers[group].add(m.group(1))
    assert set(workers) == {"stateful", "pagination"}
    assert all(len(w) == 1 for w in workers.values()), dict(workers)


def test_no_hypothesis_folder_in_the_working_folder(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--ecr-operations", "CreateRepository", "-n", "2")
    assert result.ret == 0, result.stdout.str()
    assert not (pytester.path / ".hypothesis").exists()


def test_an_explicit_example_database_runs_unseeded(pytester: pytest.Pytester) -> None:
    # Hypothesis refuses a seeded (derandomized) run with a database: no seed is drawn then
    result = run(
        pytester,
        "--ecr-operations",
        "CreateRepository",
        "--ecr-hypothesis-db",
        "examples",
        "--ecr-records",
        "records.json",
    )
    assert result.ret == 0, result.stdout.str()
    assert records(pytester)["seed"] is None
