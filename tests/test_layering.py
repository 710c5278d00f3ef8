"""No layer imports a later one (the import table of ARCHITECTURE.md), the root package included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "ecr_public_conformance"
#: Where each unit's code lives (a folder, or a module of the root package).
UNITS = {
    "records": f"{PACKAGE}/records",
    "wire": f"{PACKAGE}/wire",
    "specs": "specs",
    "strategies": "strategies",
    "reference": "reference",
    "conformance": "conformance",
    "reports": "reports",
    "commands": f"{PACKAGE}",
}
#: unit -> the units it may import. The ground floor (records, wire) imports nothing of the
#: project; each stage only earlier ones; the commands (the root package's own modules:
#: cli, run, replay...) may import every stage.
ALLOWED = {
    "records": set(),
    "wire": set(),
    "specs": {"records"},
    "strategies": {"records", "wire", "specs"},
    "reference": {"records", "wire", "specs"},
    "conformance": {"records", "wire", "specs", "strategies", "reference"},
    "reports": {"records", "specs"},
    "commands": {"records", "wire", "specs", "strategies", "reference", "conformance", "reports"},
}
#: What any module may take from the root package itself (its ``__init__``: the version).
ROOT_NAMES = {"__version__"}


def _unit_of(module: list[str]) -> str:
    """The unit a fully qualified module path (split on dots) belongs to."""
    head = module[1] if len(module) > 1 else "__version__"
    if head in ROOT_NAMES:
        return "(package)"
    if head in UNITS and head != "commands":
        return head
    return "commands"


def _package_of(path: Path) -> list[str]:
    """The dotted package ``path`` is in, from the pyproject mapping of folders."""
    rel = path.relative_to(ROOT)
    if rel.parts[0] == PACKAGE:
        return list(rel.parts[:-1])
    return [PACKAGE, *rel.parts[:-1]]


def imported_modules(path: Path) -> list[list[str]]:
    """Every project name the module at ``path`` imports, as a full dotted path split on dots
    (``from ..harness.env import CheckEnv`` is ``[package, "conformance", "harness", "env",
    "CheckEnv"]``)."""
    out = []
    package = _package_of(path)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = (node.module or "").split(".") if node.module else []
            base = module if node.level == 0 else package[: len(package) - node.level + 1] + module
            if base and base[0] == PACKAGE:
                out += [[*base, alias.name] for alias in node.names]
        elif isinstance(node, ast.Import):
            out += [a.name.split(".") for a in node.names if a.name.startswith(PACKAGE + ".")]
    return out


def imported_units(path: Path) -> set[str]:
    """The units the module at ``path`` imports from the project."""
    return {_unit_of(t) for t in imported_modules(path)}


def _files(unit: str) -> list[Path]:
    where = ROOT / UNITS[unit]
    if where.suffix == ".py":
        return [where]
    if unit == "commands":  # the root package's own modules, not its sub-packages
        return sorted(p for p in where.glob("*.py") if p.stem != "wire")
    return sorted(where.rglob("*.py"))


def unit_of_file(path: Path) -> str:
    """The unit a source file belongs to."""
    for unit in UNITS:
        if path in _files(unit):
            return unit
    raise LookupError(path)


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_each_unit_imports_only_earlier_ones(unit: str) -> None:
    for path in _files(unit):
        bad = imported_units(path) - ALLOWED[unit] - {unit, "(package)"}
        assert not bad, f"{path.relative_to(ROOT)} imports later unit(s) {sorted(bad)}"


def test_every_source_file_is_in_one_unit() -> None:
    sources = {
        p
        for folder in ("specs", "strategies", "reference", "conformance", "reports", PACKAGE)
        for p in (ROOT / folder).rglob("*.py")
    }
    owned = [p for unit in UNITS for p in _files(unit)]
    assert len(owned) == len(set(owned)), "a file is in two units"
    assert sources == set(owned), sorted(str(p) for p in sources ^ set(owned))


def test_the_scan_catches_a_violation(tmp_path: Path) -> None:
    global ROOT
    (tmp_path / "specs").mkdir()
    (tmp_path / PACKAGE / "records").mkdir(parents=True)
    bad = tmp_path / "specs" / "x.py"
    bad.write_text("from ..conformance import checks\nfrom .. import wire\n")
    low = tmp_path / PACKAGE / "records" / "y.py"
    low.write_text("from ..reports import merge\nfrom .codec import to_json\n")
    saved, ROOT = ROOT, tmp_path
    try:
        assert imported_units(bad) == {"conformance", "wire"}
        assert imported_units(low) == {"reports", "records"}
    finally:
        ROOT = saved


def test_the_architecture_table_says_the_same() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text()
    for unit, allowed in ALLOWED.items():
        row = f"| {unit} | {', '.join(sorted(allowed)) or 'nothing'} |"
        assert row in text, f"ARCHITECTURE.md lacks the row: {row}"


#: The rooms of the judging stage (``conformance/``) -> the rooms each may import. The harness
#: is the floor; the catalogue interprets data with it; parity records and replays with both;
#: the checks judge with everything below them; the plug-in (and every ``*_command.py``, the
#: face of a command) may import every room.
ROOMS = {
    "harness": set(),
    "model": set(),
    "catalogue": {"harness"},
    "parity": {"catalogue", "harness"},
    "checks": {"catalogue", "harness", "model", "parity"},
    "pytest_plugin": {"catalogue", "checks", "harness", "model", "parity"},
}


def imported_rooms(path: Path) -> set[str]:
    """The rooms of the judging stage the module at ``path`` imports."""
    return {
        t[2]
        for t in imported_modules(path)
        if len(t) > 2 and t[:2] == [PACKAGE, "conformance"] and t[2] in ROOMS
    }


@pytest.mark.parametrize("room", sorted(ROOMS))
def test_each_room_imports_only_the_rooms_below_it(room: str) -> None:
    for path in sorted((ROOT / "conformance" / room).rglob("*.py")):
        allowed = set(ROOMS) if path.stem.endswith("_command") else ROOMS[room] | {room}
        bad = imported_rooms(path) - allowed
        assert not bad, f"{path.relative_to(ROOT)} imports room(s) {sorted(bad)}"


def test_every_folder_of_the_judging_stage_is_a_room() -> None:
    folders = {p.name for p in (ROOT / "conformance").iterdir() if (p / "__init__.py").exists()}
    assert folders == set(ROOMS)


def test_the_room_scan_catches_a_violation(tmp_path: Path) -> None:
    global ROOT
    (tmp_path / "conformance" / "harness").mkdir(parents=True)
    bad = tmp_path / "conformance" / "harness" / "x.py"
    bad.write_text(
        "from ..checks.pagination import walk\nfrom ... import conformance\n"
        "from ecr_public_conformance.conformance.parity import corpus\nfrom .env import E\n"
    )
    saved, ROOT = ROOT, tmp_path
    try:
        assert imported_rooms(bad) == {"checks", "parity", "harness"}
    finally:
        ROOT = saved


def test_the_architecture_room_table_says_the_same() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text()
    for room, allowed in ROOMS.items():
        row = f"| {room}/ | {', '.join(sorted(allowed)) or 'no other room'} |"
        assert row in text, f"ARCHITECTURE.md lacks the row: {row}"
