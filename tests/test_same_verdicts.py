"""The same seed gives the same verdicts: a fingerprint of each run (every result's status,
examples and causes) is kept here and compared, so restructuring the code cannot change what
the suite says. Regenerate the fixtures deliberately, after a change that is meant to change
verdicts: ``python tests/test_same_verdicts.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).with_name("fixtures") / "fingerprints"
CLI = [sys.executable, "-m", "ecr_public_conformance"]
#: (profile, reference fault or "") of each fingerprinted run.
RUNS = [
    ("quick", ""),
    ("quick", "tags-not-stored"),
    ("quick", "timestamp-as-string"),
    ("ci", ""),
]


def fingerprint(doc: dict[str, Any]) -> dict[str, Any]:
    """What must not change: each result's status and examples, and its failures' causes."""
    return {
        r["id"]: {
            "status": r["status"],
            "examples": r["examples"],
            "causes": sorted({f["cause"] for f in r["failures"]}),
        }
        for r in doc["results"]
    }


def run(profile: str, fault: str, out: Path) -> dict[str, Any]:
    """One seeded run of the seed edition against the embedded reference; its fingerprint."""
    env = dict(os.environ, ECR_CONFORMANCE_RUN_ID="f1n9e4p7")
    faults = ["--reference-fault", fault] if fault else []
    subprocess.run(
        [*CLI, "run", "--quiet", "--seed", "1234", "--edition", "seed", "--profile", profile]
        + faults
        + ["--report-dir", str(out / "r"), "--history-dir", str(out / "h")],
        capture_output=True,
        timeout=900,
        env=env,
    )
    return fingerprint(json.loads((out / "r" / "results.json").read_text()))


def _name(profile: str, fault: str) -> str:
    return f"{profile}-{fault or 'clean'}.json"


@pytest.mark.parametrize(("profile", "fault"), RUNS)
def test_the_same_seed_gives_the_same_verdicts(profile: str, fault: str, tmp_path: Path) -> None:
    want = json.loads((FIXTURES / _name(profile, fault)).read_text())
    got = run(profile, fault, tmp_path)
    changed = {
        k: (want.get(k), got.get(k)) for k in want.keys() | got.keys() if want.get(k) != got.get(k)
    }
    assert changed == {}, changed


if __name__ == "__main__":  # regenerate the fixtures
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for profile, fault in RUNS:
        with tempfile.TemporaryDirectory() as tmp:
            found = run(profile, fault, Path(tmp))
        text = json.dumps(found, indent=1, sort_keys=True) + "\n"
        (FIXTURES / _name(profile, fault)).write_text(text)
        print(f"wrote {_name(profile, fault)}: {len(found)} results")
