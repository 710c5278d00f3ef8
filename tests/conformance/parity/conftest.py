"""A corpus recorded once from the embedded reference, shared by the parity tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "ecr_public_conformance"]
#: The seed every shared recording is made with.
SEED = 11
#: The edition of the recordings: parity works alike on every edition, and the tests read the
#: seed edition's specs (the newest edition's recording is replayed in tests/test_run_oracle.py).
EDITION = "seed"


def record(
    out: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``record`` in a subprocess, as a user would (``--edition`` in ``args`` wins)."""
    edition = [] if "--edition" in args else ["--edition", EDITION]
    return subprocess.run(
        [*CLI, "record", "--out", str(out), "--seed", str(SEED), "--quiet", *edition, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A quick corpus of the embedded reference."""
    out = tmp_path_factory.mktemp("corpus") / "reference"
    done = record(out)
    assert done.returncode == 0, done.stderr
    return out
