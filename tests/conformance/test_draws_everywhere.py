"""A seed draws the same requests wherever it is given: Hypothesis' constants from locally
loaded modules (an editable install, the user's conftest, their emulator) are left out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

CLI = [sys.executable, "-m", "ecr_public_conformance"]

#: A user's conftest full of string and number constants Hypothesis would otherwise mix in.
CONFTEST = '''
"""The user's own conftest."""
WORDS = ["zz-user-constant-%d" % i for i in range(3)]
NAMES = ("my-emulator", "tenant/alpha", "x" * 77, 123456789, 0.25, "sha256:beef")
'''


def _examples(results: Path) -> dict[str, Any]:
    doc = json.loads(results.read_text())
    return {r["id"]: (r["status"], r["examples"]) for r in doc["results"]}


def test_the_command_and_a_users_pytest_session_draw_alike(tmp_path: Path) -> None:
    command = tmp_path / "command"
    command.mkdir()
    done = subprocess.run(
        [*CLI, "run", "--quiet", "--seed", "5", "--edition", "seed", "--report-dir", "out"],
        capture_output=True, text=True, cwd=command, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    project = tmp_path / "project"
    project.mkdir()
    (project / "conftest.py").write_text(CONFTEST)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "--pyargs", "ecr_public_conformance.conformance", "--ecr-seed", "5",
         "--ecr-edition", "seed", "--ecr-report-dir", "out"],
        capture_output=True, text=True, cwd=project, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    mine = _examples(command / "out" / "results.json")
    theirs = _examples(project / "out" / "results.json")
    assert mine == theirs
