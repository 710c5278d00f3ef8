"""The project's import graph: no cycle among module-level imports, and imports placed inside
functions only where a comment says why (start-up cost, or the plug-in's foreign sessions)."""

from __future__ import annotations

import ast
from pathlib import Path

from .test_layering import PACKAGE, UNITS, _files, _package_of

#: Imports of the project's own modules placed inside functions, per module, that are not yet
#: justified by a comment on the line before (the count may only go down).
UNJUSTIFIED_BUDGET = 0


def _module_name(path: Path) -> str:
    parts = _package_of(path)
    return ".".join(parts if path.stem == "__init__" else [*parts, path.stem])


def _sources() -> dict[str, Path]:
    files = {p for unit in UNITS for p in _files(unit)}
    return {_module_name(p): p for p in sorted(files)}


def _targets(node: ast.ImportFrom | ast.Import, package: list[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.startswith(PACKAGE + ".")]
    if node.level == 0:
        base = (node.module or "").split(".")
        if base[0] != PACKAGE:
            return []
    else:
        base = package[: len(package) - node.level + 1] + (node.module or "").split(".")
        base = [b for b in base if b]
    return [".".join(base + [a.name]) for a in node.names] + [".".join(base)]


def module_level_imports(path: Path, known: set[str]) -> set[str]:
    """The project modules ``path`` imports at module level (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            out |= {t for t in _targets(node, _package_of(path)) if t in known}
    return out


def function_imports(path: Path) -> list[int]:
    """Lines of project imports inside functions with no comment on or just above them."""
    lines = path.read_text().splitlines()
    out = []
    for fn in ast.walk(ast.parse(path.read_text())):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                if not (node.module or "").startswith(PACKAGE):
                    continue
            elif isinstance(node, ast.Import):
                continue
            if "#" not in lines[node.lineno - 1] and not _under_comment(lines, node.lineno):
                out.append(node.lineno)
    return out


def _under_comment(lines: list[str], lineno: int) -> bool:
    """Whether the block of imports holding line ``lineno`` (1-based) starts under a comment."""
    i = lineno - 2
    while i >= 0 and _part_of_an_import(lines[i].strip()):
        i -= 1
    return i >= 0 and lines[i].strip().startswith("#")


def _part_of_an_import(text: str) -> bool:
    """An import line, or a line of a parenthesised import's name list."""
    return text.startswith(("from ", "import ", ")")) or (text.endswith(",") and " " not in text)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that returns to its start, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_find_cycle_finds_one_and_only_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def with_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph with the packages each import runs first: importing ``a.b.c`` runs ``a.b``'s
    ``__init__`` (and so whatever it imports). A module's own packages are left out: a
    package's ``__init__`` importing its own modules is how packages work, not a cycle."""
    out = {}
    for name, targets in graph.items():
        implied = {".".join(t.split(".")[:i]) for t in targets for i in range(2, t.count(".") + 1)}
        every = (targets | (implied & set(graph))) - {name}
        out[name] = {t for t in every if not name.startswith(t + ".")}
    return out


def test_an_import_runs_the_packages_above_it_first() -> None:
    graph = {"x.p.a": {"x.q.b"}, "x.q": {"x.q.c"}, "x.q.b": set(), "x.q.c": {"x.p.a"}}
    assert find_cycle(graph) is None
    assert find_cycle(with_packages(graph)) == ["x.p.a", "x.q", "x.q.c", "x.p.a"]
    assert with_packages({"x.q": {"x.q.b"}, "x.q.b": {"x.q"}}) == {"x.q": {"x.q.b"}, "x.q.b": set()}


def test_no_import_cycle_among_module_level_imports() -> None:
    sources = _sources()
    known = set(sources)
    graph = {name: module_level_imports(path, known) for name, path in sources.items()}
    cycle = find_cycle(with_packages(graph))
    assert cycle is None, " -> ".join(cycle)


def test_imports_inside_functions_do_not_grow() -> None:
    sources = _sources()
    count = sum(len(function_imports(p)) for p in sources.values())
    assert count <= UNJUSTIFIED_BUDGET, f"{count} unjustified imports inside functions"


def test_a_comment_justifies_the_block_of_imports_under_it(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text(
        "def f():\n"
        "    # deferred: start-up\n"
        f"    from {PACKAGE}.a import b\n"
        f"    from {PACKAGE}.c import (\n"
        "        d,\n"
        "    )\n"
        "    x = 1\n"
        f"    from {PACKAGE}.e import g\n"
    )
    assert function_imports(source) == [8]
