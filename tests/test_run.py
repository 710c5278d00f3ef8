"""``ecr-public-conformance run``: reports, history across runs, shards, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.run import parse_shard

CLI = [sys.executable, "-m", "ecr_public_conformance"]
OPS = "DescribeRepositories,GetAuthorizationToken"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "run", "--quiet", "--seed", "7", *args],
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
    latest = tmp_path / "reports" / "latest"
    names = {"results.json", "junit.xml", "summary.md", "badge.svg", "report.html"}
    assert names <= {p.name for p in latest.iterdir()}
    doc = results(latest / "results.json")
    assert doc["target"]["kind"] == "reference" and doc["summary"]["failed"] == 0
    assert doc["profile"] == "quick" and doc["seed"] == 7


def test_second_run_with_a_fault_is_another_target_in_the_history(tmp_path: Path) -> None:
    assert run("--operations", OPS, cwd=tmp_path).returncode == 0
    second = run("--operations", OPS, "--reference-fault", "page-size-ignored", cwd=tmp_path)
    assert second.returncode == 1
    assert "FAILED: DescribeRepositories::page_size_respected" in second.stdout
    latest = tmp_path / "reports" / "latest"
    history = tmp_path / "reports" / "history"
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
    from ecr_public_conformance.conformance.registry import all_checks

    done = subprocess.run(
        [*CLI, "run", "--list-checks"], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0
    assert {line.split()[2] for line in done.stdout.splitlines()} == set(all_checks())
