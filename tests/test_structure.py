"""The code stays in small pieces: every module under 600 lines, every class of at most 25
members (methods and attributes defined in its body)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .test_import_graph import _sources

MAX_LINES = 600
MAX_MEMBERS = 25
SOURCES = sorted(_sources().values())


def members(node: ast.ClassDef) -> int:
    """Methods and attributes defined in a class's body."""
    kinds = ast.FunctionDef | ast.AsyncFunctionDef | ast.AnnAssign | ast.Assign
    return sum(isinstance(n, kinds) for n in node.body)


def _name(path: Path) -> str:
    return str(path.relative_to(Path(__file__).resolve().parent.parent))


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_modules_are_under_600_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) < MAX_LINES


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_classes_have_at_most_25_members(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            assert members(node) <= MAX_MEMBERS, f"{node.name} has {members(node)} members"
