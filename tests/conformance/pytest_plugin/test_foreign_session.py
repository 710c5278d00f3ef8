"""The plug-in is installed in every pytest session; one that does not run the suite reads no
spec (start-up cost, and no edition selected behind the user's back)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CONFTEST = """
from ecr_public_conformance.specs import loader

def pytest_sessionfinish(session):
    print(f"\\nspecs loaded: {loader._load.cache_info().currsize}")
"""


def test_a_foreign_session_loads_no_spec(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_mine.py").write_text("def test_mine():\n    assert True\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "test_mine.py"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "specs loaded: 0" in done.stdout, done.stdout
