"""``ecr-public-conformance run``: reports, history across runs, shards, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.conformance.harness.config import RunConfig
from ecr_public_conformance.conformance.pytest_plugin.cases import build_cases
from ecr_public_conformance.run import parse_shard

CLI = [sys.executable, "-m", "ecr_public_conformance"]
OPS = "DescribeRepositories,GetAuthorizationToken"

#: How many cases a full run of the seed edition has (the suite's own count, not a number to
#: keep in step): these tests are about the command, which works alike on every edition.
TOTAL = len(build_cases(RunConfig()))


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "run", "--quiet", "--seed", "7", "--edition", "seed", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def results(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_default_run_writes_five_reports(tmp_path: Path) -> None:
    done = run("--operations", OPS, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    latest = tmp_path / "ecr-conformance" / "latest"
    names = {"results.json", "junit.xml", "summary.md", "badge.svg", "report.html"}
    assert names <= {p.name for p in latest.iterdir()}
    doc = results(latest / "results.json")
    assert doc["target"]["kind"] == "reference" and doc["summary"]["failed"] == 0
    assert doc["profile"] == "quick" and doc["seed"] == 7


def test_second_run_with_a_fault_is_another_target_in_the_history(tmp_path: Path) -> None:
    assert run("--operations", OPS, cwd=tmp_path).returncode == 0
    second = run("--operations", OPS, "--reference-fault", "page-size-ignored", cwd=tmp_path)
    assert second.returncode == 1
    assert "page_size_respected (MUST): expected at most maxResults items per page" in second.stdout
    latest = tmp_path / "ecr-conformance" / "latest"
    history = tmp_path / "ecr-conformance" / "history"
    # A reference with a fault switch is another target: its runs form their own series.
    targets = sorted(p.parent.parent.name for p in history.rglob("*.json"))
    assert targets == ["reference", "reference-page-size-ignored"]
    html = (latest / "report.html").read_text()
    assert 'data-points="1"' in html and "No previous run" in html
    assert "page_size_respected" in (latest / "summary.md").read_text()


def test_two_shards_merge_to_the_unsharded_content(tmp_path: Path) -> None:
    assert run("--operations", OPS, "--report-dir", "full", cwd=tmp_path).returncode == 0
    for i in (1, 2):
        done = run("--operations", OPS, "--shard", f"{i}/2", "--report-dir", f"s{i}", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    build = subprocess.run(
        [*CLI, "report", "build", "s1/results.json", "s2/results.json", "--out", "merged"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    full = results(tmp_path / "full" / "results.json")["results"]
    merged = results(tmp_path / "merged" / "results.json")["results"]
    shard = results(tmp_path / "s1" / "results.json")["results"]
    assert 0 < len(shard) < len(full)
    assert sorted((r["id"], r["status"]) for r in merged) == sorted(
        (r["id"], r["status"]) for r in full
    )


@pytest.mark.parametrize("bad", ["0/2", "3/2", "x", "1-2"])
def test_bad_shard_is_a_usage_error(bad: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        parse_shard(bad)
    done = run("--shard", bad, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("error: --shard")


def test_unknown_operation_is_a_usage_error(tmp_path: Path) -> None:
    done = run("--operations", "NoSuchOperation", cwd=tmp_path)
    assert done.returncode == 2


def test_list_checks_names_every_registered_check(tmp_path: Path) -> None:
    from ecr_public_conformance.conformance.checks import all_checks

    done = subprocess.run(
        [*CLI, "run", "--list-checks"], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0
    assert {line.split()[2] for line in done.stdout.splitlines()} == set(all_checks())


def test_a_run_without_seed_draws_one_prints_it_and_records_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [*CLI, "run", "--quiet", "--operations", "GetAuthorizationToken"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    seed = results(tmp_path / "ecr-conformance" / "latest" / "results.json")["seed"]
    assert isinstance(seed, int) and seed >= 0
    header = done.stderr.splitlines()[0]
    assert header.startswith("ecr-public-conformance ") and header.endswith(f"seed {seed}")


def test_the_recorded_seed_replays_the_run(tmp_path: Path) -> None:
    first = subprocess.run(
        [*CLI, "run", "--quiet", "--operations", "CreateRepository", "--report-dir", "a"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert first.returncode == 0, first.stderr
    a = results(tmp_path / "a" / "results.json")
    replay = subprocess.run(
        [*CLI, "run", "--quiet", "--operations", "CreateRepository", "--report-dir", "c"]
        + ["--seed", str(a["seed"])],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert replay.returncode == 0, replay.stderr
    c = results(tmp_path / "c" / "results.json")

    def examples(doc: dict[str, Any]) -> list[tuple[str, int]]:
        # the stateful model's step counts vary run to run; the sampled requests must not
        return sorted(
            (r["id"], r["examples"]) for r in doc["results"] if r["category"] != "stateful"
        )

    assert c["seed"] == a["seed"] and examples(c) == examples(a)


def test_max_failures_stops_the_run_and_says_so(tmp_path: Path) -> None:
    done = run("-x", "--reference-fault", "page-size-ignored", cwd=tmp_path)
    assert done.returncode == 1
    doc = results(tmp_path / "ecr-conformance" / "latest" / "results.json")
    assert doc["stop_reason"] == "max-failures" and doc["interrupted"] is False
    assert doc["cases_total"] == TOTAL and len(doc["results"]) < TOTAL
    assert doc["summary"]["failed"] == 1
    assert f"stopped after 1 failure (--max-failures 1): {len(doc['results'])} of {TOTAL}" in (
        done.stdout
    )


def test_max_failures_with_two_workers(tmp_path: Path) -> None:
    done = run(
        "--max-failures",
        "2",
        "--workers",
        "2",
        "--reference-fault",
        "page-size-ignored",
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    doc = results(tmp_path / "ecr-conformance" / "latest" / "results.json")
    assert doc["stop_reason"] == "max-failures" and doc["interrupted"] is False
    assert "stopped after" in done.stdout and "interrupted" not in done.stdout


@pytest.mark.parametrize(
    ("embedded", "cores", "expected"),
    [(True, 16, 1), (False, 1, 1), (False, 2, 1), (False, 3, 3), (False, 4, 4), (False, 64, 4)],
)
def test_auto_workers(embedded: bool, cores: int, expected: int) -> None:
    from ecr_public_conformance.preflight import auto_workers

    assert auto_workers(embedded, cores) == expected


def test_workers_auto_runs_serially_against_the_embedded_reference(tmp_path: Path) -> None:
    done = subprocess.run(
        [*CLI, "run", "--workers", "auto", "--operations", "GetAuthorizationToken", "--seed", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "workers" not in done.stderr.splitlines()[0]


def test_list_checks_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    err = tmp_path / "stderr.txt"
    with err.open("wb") as sink:
        proc = subprocess.Popen(
            [*CLI, "run", "--list-checks"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=sink
        )
        assert proc.stdout is not None
        proc.stdout.close()  # like `| head` that has read enough
        proc.wait(timeout=60)
    assert err.read_text() == "" and proc.returncode in (0, 141)


def test_a_run_leaves_no_hypothesis_folder(tmp_path: Path) -> None:
    assert run("--operations", "CreateRepository", cwd=tmp_path).returncode == 0
    assert not (tmp_path / ".hypothesis").exists()


def test_two_faults_read_as_two_causes_everywhere(tmp_path: Path) -> None:
    # one wrong Content-Type and one ignored page size: 26 failing results, 2 causes
    done = run(
        "--reference-fault", "wrong-content-type", "--reference-fault", "page-size-ignored",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    assert "2 causes, 26 failures" in done.stdout
    assert sum(line.startswith("  ✗ ") for line in done.stdout.splitlines()) == 2
    latest = tmp_path / "ecr-conformance" / "latest"
    summary = (latest / "summary.md").read_text()
    bullets = [line for line in summary.splitlines() if line.startswith("- ✗ ")]
    assert len(bullets) == 2 and any("23 operations" in b for b in bullets), bullets
    html = (latest / "report.html").read_text()
    assert 'data-causes="2"' in html and html.count('<section class="cause') == 2
    doc = results(latest / "results.json")
    assert [len(c["operations"]) for c in doc["causes"] if c["counted"]] == [23, 3]


#: A plug-in that counts the probes its pytest session sends (loaded with ``-p``).
PROBE_SPY = """
from ecr_public_conformance.conformance.harness import probe

_real = probe.probe_endpoint


def _counted(*args, **kwargs):
    with open("probes.txt", "a") as fh:
        fh.write("probe\\n")
    return _real(*args, **kwargs)


probe.probe_endpoint = _counted
"""


def test_the_target_is_probed_once_a_run(tmp_path: Path) -> None:
    from ecr_public_conformance.reference import start_server

    (tmp_path / "probespy.py").write_text(PROBE_SPY)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    server = start_server(edition="seed")
    try:
        bare = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "probespy", "-p", "no:cacheprovider", "-q"]
            + ["--pyargs", "ecr_public_conformance.conformance", "--ecr-edition", "seed"]
            + ["--ecr-endpoint-url", server.url, "--ecr-operations", "GetAuthorizationToken"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert bare.returncode == 0, bare.stdout + bare.stderr
        assert (tmp_path / "probes.txt").read_text().count("probe") == 1  # the spy works
        (tmp_path / "probes.txt").unlink()
        done = subprocess.run(
            [*CLI, "run", "--quiet", "--seed", "7", "--edition", "seed"]
            + ["--endpoint-url", server.url, "--operations", "GetAuthorizationToken"]
            + ["--", "-p", "probespy"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        server.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    # run probed before its header; the inner session did not ask again
    assert not (tmp_path / "probes.txt").exists()
