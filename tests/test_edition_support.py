"""A run of the newest edition against a target that serves only the seed edition: the new
operations are unsupported (not failed), and the headline says what the target implements."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ecr_public_conformance.reference import start_server

NEW = ("CreatePremiumRepository", "SetImageStatus")


def test_a_seed_edition_target_judged_by_the_newest_edition(tmp_path: Path) -> None:
    server = start_server(edition="seed")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ecr_public_conformance", "run", "--quiet", "--seed", "2",
             "--edition", "newest", "--endpoint-url", server.url,
             "--operations", ",".join(("DescribeRepositories", *NEW))],
            capture_output=True, text=True, cwd=tmp_path, timeout=600,
        )  # fmt: skip
    finally:
        server.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "implements 1 of the 3 operations of edition botocore-1.44.18; 2 unsupported: "
        "CreatePremiumRepository, SetImageStatus"
    ) in done.stdout
    doc = json.loads((tmp_path / "ecr-conformance/latest/results.json").read_text())
    assert doc["support"] == {"operations": 3, "implemented": 1, "unsupported": list(NEW)}
    assert doc["summary"]["failed"] == 0 and doc["summary"]["errors"] == 0
    summary = (tmp_path / "ecr-conformance/latest/summary.md").read_text()
    assert "**Implements**: implements 1 of the 3 operations" in summary
