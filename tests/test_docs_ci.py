"""docs/ci.md: its workflow is valid, and its suite commands, run as written against a faulty
reference in a simulated GitHub Actions job, annotate the cause and fill the job summary."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from ecr_public_conformance.reference import ReferenceServer, start_server
from ecr_public_conformance.wire import WireClient

DOC = Path(__file__).resolve().parents[1] / "docs" / "ci.md"
#: The endpoint the documented commands name.
DOCUMENTED_URL = "http://127.0.0.1:4566"
#: How the documented programs are started here (this interpreter, this checkout).
PROGRAMS = {
    "ecr-public-conformance": [sys.executable, "-m", "ecr_public_conformance"],
    "pytest": [sys.executable, "-m", "pytest"],
}
#: What narrows each documented command to one operation, to keep the test short.
NARROW = {"ecr-public-conformance": ["--operations", "DescribeRegistries"]}
NARROW["pytest"] = ["--ecr-operations", "DescribeRegistries"]


def _blocks() -> list[Any]:
    text = DOC.read_text(encoding="utf-8")
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def _commands() -> list[list[str]]:
    """Every documented step that runs the suite, as an argument list."""
    out = []
    for block in _blocks():
        steps = block["jobs"]["conformance"]["steps"] if isinstance(block, dict) else block
        for step in steps:
            words = shlex.split(step.get("run", ""))
            if words and words[0] in PROGRAMS:
                out.append(words)
    return out


def test_the_workflow_is_a_github_actions_workflow() -> None:
    workflow = _blocks()[0]
    # YAML 1.1 reads the key ``on`` as true
    assert {"name", "jobs"} <= set(workflow) and ("on" in workflow or True in workflow)
    steps = workflow["jobs"]["conformance"]["steps"]
    assert all(("uses" in s) != ("run" in s) for s in steps)
    assert [c[0] for c in _commands()] == ["ecr-public-conformance", "pytest"]


@pytest.fixture(scope="module")
def faulty() -> Iterator[ReferenceServer]:
    """A reference with one protocol deviation, warmed up (its first answer is slow)."""
    with start_server(faults=["wrong-content-type"]) as server:
        WireClient(server.url).call("DescribeRegistries", {})
        yield server


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_a_documented_command_annotates_and_summarises(
    program: str, faulty: ReferenceServer, tmp_path: Path
) -> None:
    words = next(c for c in _commands() if c[0] == program)
    assert DOCUMENTED_URL in words
    argv = [w.replace(DOCUMENTED_URL, faulty.url) for w in words[1:]] + NARROW[program]
    step = tmp_path / "step_summary.md"
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(step)}
    done = subprocess.run(
        [*PROGRAMS[program], *argv],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert annotations == [
        "::error title=ECR Public conformance%3A content_type_is_amz_json (MUST)::expected "
        "Content-Type application/x-amz-json-1.1; got application/json - 1 operation: "
        "DescribeRegistries (1 failure)"
    ]
    summary = (tmp_path / "reports" / "latest" / "summary.md").read_text()
    assert step.read_text() == summary
    assert summary.startswith("## ECR Public conformance: 1 cause (1 failure)")
    # the target's name keys the history, not its port
    assert [p.name for p in (tmp_path / "reports" / "history").iterdir()] == ["my-endpoint"]
