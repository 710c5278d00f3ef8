"""Every command block of the README runs as written, and every output it shows is current.

Each shell block has a plan below: what it runs against (the embedded reference, a reference
with a fault, a temporary folder) and the exit code each command must give. Commands run as
written in a temporary folder, with three adaptations that keep the test quick: the endpoint
``http://localhost:4566`` is a reference the test starts, a command that names no operation
gets one (``--operations`` / ``--ecr-operations``), and a backgrounded ``serve`` gets a free
port. pip commands are run by tests/test_install.py. Output blocks are compared with their
command's output now, without the live progress lines (which depend on timing).
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecr_public_conformance.reference import start_server

from . import test_install
from .readme import ROOT, Block, commands, environment, readme_blocks, shown_output

STANDIN_URL = "http://localhost:4566"
#: The folder-setting steps of the quick start's test command, as .ci/run spells them.
CI_SCRIPT = ROOT / ".ci" / "run"


def _records_say_in_process(folder: Path) -> None:
    assert json.loads((folder / "records.json").read_text())["target"]["kind"] == "in-process"


def _report_written(folder: Path) -> None:
    assert (folder / "out" / "results.json").is_file()


@dataclass(frozen=True)
class Plan:
    """How one README shell block is run."""

    faults: tuple[str, ...] | None = ()  # the reference behind STANDIN_URL; None: none started
    operations: str = "DescribeRegistries"  # added to commands that name none
    exit_codes: tuple[int, ...] = ()  # per command; 0 when not given
    before: str | None = None  # a command run first in the folder
    conftest: bool = False  # the python block just above is the folder's conftest.py
    records: bool = False  # the plug-in writes its records to records.json
    then: Callable[[Path], None] | None = None  # a last look at the folder
    elsewhere: str | None = None  # the test that runs this block instead


SET_UP = "python3 -m venv .venv && . .venv/bin/activate &&"
EXAMPLE = (
    "ecr-public-conformance run --seed 7 --reference-fault page-size-ignored "
    "--operations DescribeRepositories"
)

#: Every shell block of the README, by its first command.
PLANS: dict[str, Plan] = {
    f"{SET_UP} pip install . && ecr-public-conformance run": Plan(
        elsewhere="test_quick_start_main_job_is_the_install_test_s"
    ),
    f"{SET_UP} pip install -e '.[test]' && pytest -n 2": Plan(
        elsewhere="test_quick_start_test_command_is_what_ci_runs"
    ),
    "pip install .": Plan(elsewhere="tests/test_install.py"),
    "ecr-public-conformance run --endpoint-url http://localhost:4566": Plan(),
    "pytest --pyargs ecr_public_conformance.conformance --ecr-endpoint-url http://localhost:4566": (
        Plan(then=_report_written)
    ),
    "pytest --pyargs ecr_public_conformance.conformance": Plan(
        faults=None, conftest=True, records=True, then=_records_say_in_process
    ),
    "ecr-public-conformance replay ecr-conformance/latest/results.json": Plan(
        faults=None, before=EXAMPLE, exit_codes=(1,)
    ),
    "ecr-public-conformance run --endpoint-url http://localhost:4566 "
    "--update-expected-failures known-gaps.toml": Plan(
        faults=("page-size-ignored",), operations="DescribeRepositories", exit_codes=(1, 0)
    ),
    'pip install "git+https://github.com/OWNER/ecr-public-conformance.git@main"': Plan(),
    "ecr-public-conformance serve --port 5000 &": Plan(faults=None),
    "pip install -e '.[test]'": Plan(elsewhere="test_quick_start_test_command_is_what_ci_runs"),
}


def shell_blocks() -> list[Block]:
    """The README's shell blocks."""
    return [b for b in readme_blocks() if b.lang == "sh"]


def _first(block: Block) -> str:
    return commands(block)[0]


def _block(first: str) -> Block:
    return next(b for b in shell_blocks() if _first(b) == first)


def _adapt(command: str, plan: Plan, url: str | None) -> str:
    """The command as run here: the stand-in endpoint, and an operation when it names none."""
    if url is not None:
        command = command.replace(STANDIN_URL, url)
    words = shlex.split(command)
    if words[:2] == ["ecr-public-conformance", "run"] and "--operations" not in words:
        command += f" --operations {plan.operations}"
    if words[0] == "pytest":
        operation = "CreateRepository" if "create_repository" in command else plan.operations
        command += f" -p no:cacheprovider --ecr-operations {operation}"
        if plan.records:
            command += " --ecr-records records.json"
    return command


def test_every_shell_block_has_a_plan() -> None:
    firsts = [_first(b) for b in shell_blocks()]
    assert sorted(set(firsts)) == sorted(PLANS), (
        "a README shell block has no plan in tests/test_readme.py, or a plan no block"
    )


def test_every_pip_command_is_run_by_the_install_test() -> None:
    pips = {
        part.strip()
        for b in shell_blocks()
        for c in commands(b)
        for part in c.split("&&")
        if part.strip().startswith("pip ")
    }
    assert pips <= test_install.covered_commands() | {"pip install -e '.[test]'"}


def test_no_readme_command_installs_from_an_index() -> None:
    """The package is on no index: no command may install it by name alone."""
    for block in shell_blocks():
        for command in commands(block):
            assert not re.search(r"pip install ecr-public-conformance(\s|$)", command), command


@pytest.mark.parametrize(
    "first", [f for f, p in PLANS.items() if p.elsewhere is None], ids=lambda f: f[:60]
)
def test_shell_block_runs_as_written(first: str, tmp_path: Path) -> None:
    plan = PLANS[first]
    block = _block(first)
    folder = tmp_path
    if plan.conftest:
        above = [b for b in readme_blocks() if b.lang == "python" and b.line < block.line][-1]
        (folder / "conftest.py").write_text(above.body + "\n")
    if plan.before:
        code, _ = shown_output(plan.before, folder)
        assert code in (0, 1), plan.before
    server = start_server(faults=list(plan.faults)) if plan.faults is not None else None
    background: list[subprocess.Popen[str]] = []
    replacements: dict[str, str] = {}
    try:
        url = server.url if server else None
        for index, command in enumerate(commands(block)):
            if command.startswith("pip "):
                continue  # tests/test_install.py runs it
            for old, new in replacements.items():
                command = command.replace(old, new)
            if command.endswith("&"):
                background.append(_start(command, folder, replacements))
                continue
            done = subprocess.run(
                _adapt(command, plan, url),
                shell=True,
                cwd=folder,
                env=environment(),
                capture_output=True,
                text=True,
                timeout=600,
            )
            wanted = plan.exit_codes[index] if index < len(plan.exit_codes) else 0
            assert done.returncode == wanted, (
                f"{command}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
        if plan.then:
            plan.then(folder)
    finally:
        for proc in background:
            proc.terminate()
            proc.wait(timeout=10)
            if proc.stdout is not None:
                proc.stdout.close()
        if server:
            server.stop()


def _start(command: str, folder: Path, replacements: dict[str, str]) -> subprocess.Popen[str]:
    """Start a backgrounded ``serve`` on a free port; later commands get its address."""
    words = shlex.split(command.rstrip("&"))
    assert words[:2] == ["ecr-public-conformance", "serve"], command
    port = words[words.index("--port") + 1]
    words[words.index("--port") + 1] = "0"
    proc = subprocess.Popen(words, cwd=folder, env=environment(), stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    listening = re.search(r"http://127\.0\.0\.1:\d+", line)
    assert listening, f"serve said {line!r}"
    replacements[f"http://127.0.0.1:{port}"] = listening.group(0)
    return proc


@pytest.mark.parametrize(
    "block", [b for b in readme_blocks() if b.output_of], ids=lambda b: f"line {b.line}"
)
def test_output_block_is_what_its_command_prints(block: Block, tmp_path: Path) -> None:
    assert block.output_of is not None
    _, shown = shown_output(block.output_of, tmp_path)
    assert shown == block.body, "README output is stale: python -m tests.readme --write"


def test_quick_start_main_job_is_the_install_test_s() -> None:
    """The quick start's first line: a fresh environment, the package installed, the run."""
    first = next(p for p in PLANS if p.endswith("ecr-public-conformance run"))
    parts = [p.strip() for p in first.split("&&")]
    assert parts[2] in test_install.covered_commands()
    assert parts[3] == "ecr-public-conformance run"


def test_quick_start_test_command_is_what_ci_runs() -> None:
    """The quick start's second line, step by step, is what .ci/run does on a clean checkout."""
    first = next(p for p in PLANS if p.endswith("pytest -n 2"))
    script = CI_SCRIPT.read_text(encoding="utf-8").splitlines()
    steps = [line.strip() for line in script if line.strip() and not line.startswith("#")]
    for part in (p.strip() for p in first.split("&&")):
        assert part in steps, f"{part!r} is not a step of .ci/run"
