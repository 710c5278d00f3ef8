"""The README's code blocks, its commands, and the command outputs generated into it.

``python -m tests.readme --write`` runs the command named above each generated output block
(``<!-- readme-output: COMMAND -->``) and writes its output into the README.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
OUTPUT_MARK = re.compile(r"<!-- readme-output: (?P<command>.+?) -->")
FENCE = re.compile(r"^```(?P<lang>\w*)$")
#: Lines of the live progress, whose count and times depend on the machine's speed.
PROGRESS = re.compile(r"^\[\s*\d+/\d+\s+\d+%\]")


@dataclass(frozen=True)
class Block:
    """One fenced code block of the README."""

    lang: str
    body: str
    line: int  # 1-based line of the opening fence
    output_of: str | None  # the command whose output this block is, when generated


def blocks(text: str) -> list[Block]:
    """Every fenced code block of ``text``, in order."""
    out: list[Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence is None:
            i += 1
            continue
        start = i
        i += 1
        while lines[i] != "```":
            i += 1
        mark = OUTPUT_MARK.fullmatch(lines[start - 1]) if start else None
        body = "\n".join(lines[start + 1 : i])
        out.append(Block(fence["lang"], body, start + 1, mark["command"] if mark else None))
        i += 1
    return out


def commands(block: Block) -> list[str]:
    """The commands of a shell block: comments dropped, continued lines joined."""
    out: list[str] = []
    pending = ""
    for raw in block.body.split("\n"):
        line = raw.split("  #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line and not pending:
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        out.append((pending + line.strip()).strip())
        pending = ""
    return [c for c in out if c]


def readme_blocks() -> list[Block]:
    """The README's code blocks."""
    return blocks(README.read_text(encoding="utf-8"))


def environment() -> dict[str, str]:
    """The environment README commands run in: this interpreter's scripts first, dummy keys."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        NO_COLOR="1",
    )
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "ECR_PUBLIC_ENDPOINT_URL", "PYTEST_ADDOPTS"):
        env.pop(name, None)
    return env


def shown_output(command: str, cwd: Path) -> tuple[int, str]:
    """Run ``command`` in ``cwd``; return its exit code and what the README shows of it.

    That is stderr (the header) then stdout (the summary), without the live progress lines.
    """
    done = subprocess.run(
        command,
        shell=True,
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = [x for x in done.stderr.splitlines() if not PROGRESS.match(x)]
    return done.returncode, "\n".join([*lines, *done.stdout.splitlines()])


def regenerate(text: str) -> str:
    """``text`` with every generated output block replaced by its command's output now."""
    out = text
    for block in blocks(text):
        if block.output_of is None:
            continue
        with tempfile.TemporaryDirectory() as folder:
            _, shown = shown_output(block.output_of, Path(folder))
        out = out.replace(f"```{block.lang}\n{block.body}\n```", f"```text\n{shown}\n```", 1)
    return out


if __name__ == "__main__":  # python -m tests.readme --write
    fresh = regenerate(README.read_text(encoding="utf-8"))
    if "--write" in sys.argv[1:]:
        README.write_text(fresh, encoding="utf-8")
    else:
        sys.stdout.write(fresh)
