"""The code stays in small pieces: every module under 600 lines, every class of at most 25
members (methods and attributes defined in its body), but the records listed below."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .test_import_graph import _sources

MAX_LINES = 600
MAX_MEMBERS = 25
#: Records whose fields mirror a format users read, one field per entry of it: splitting them
#: would change that format (or name its parts twice).
RECORDS = {
    "RunResults": "the top level of results.json, a public contract",
}
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
        if isinstance(node, ast.ClassDef) and node.name not in RECORDS:
            assert members(node) <= MAX_MEMBERS, f"{node.name} has {members(node)} members"


def test_the_listed_records_exist_and_are_records() -> None:
    found = {
        node.name: node
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and node.name in RECORDS
    }
    assert set(found) == set(RECORDS)
    for name, node in found.items():
        decorators = [ast.unparse(d) for d in node.decorator_list]
        assert any(d.startswith("dataclass") for d in decorators), f"{name} is not a dataclass"
