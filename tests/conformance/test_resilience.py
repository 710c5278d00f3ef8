"""Whole runs against a throttling and a flaky target: true verdicts, nothing left behind."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecr_public_conformance.reference import start_server

CLI = [sys.executable, "-m", "ecr_public_conformance"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "run", "--quiet", "--seed", "7", "--profile", "quick", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_a_throttling_target_passes_a_quick_run(tmp_path: Path) -> None:
    done = run("--reference-fault", "throttling=0.3", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads((tmp_path / "ecr-conformance/latest/results.json").read_text())["summary"]
    assert summary["failed"] == 0 and summary["errors"] == 0, summary


@pytest.mark.slow
def test_a_flaky_target_ends_the_run_by_itself_and_keeps_none_of_its_repositories(
    tmp_path: Path,
) -> None:
    # Seeded so that the first request (the run's reachability probe) is not disturbed: a
    # probe that meets a reset ends the run at once with "target unreachable", as it should.
    with start_server(faults=["flaky-transport=0.25"], fault_seed=1) as srv:
        done = run("--endpoint-url", srv.url, cwd=tmp_path)
        assert done.returncode in (0, 1), done.stdout + done.stderr
        assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
        assert (tmp_path / "ecr-conformance/latest/results.json").exists()
        left = [n for n in srv.endpoint.store.repositories if n.startswith("ecrconf-")]
        assert left == []
        seen = srv.endpoint.disruptions
        assert seen["reset-after"] > 0 and seen["truncated"] > 0 and seen["reset-before"] > 0
