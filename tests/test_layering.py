"""No stage imports a later one (see ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: stage -> the stages (and shared modules) it may import from the package.
ALLOWED = {
    "specs": {"specs"},
    "strategies": {"specs", "strategies", "wire"},
    "reference": {"specs", "reference", "wire", "categories"},
    "conformance": {"specs", "strategies", "conformance", "reference", "wire", "categories"},
    "reports": {"specs", "conformance", "reports", "reference", "wire", "categories"},
}


def _imported_stages(path: Path, stage: str) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    depth = len(path.relative_to(ROOT / stage).parts)  # package depth below the stage
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if (
                node.level == 0
                and node.module
                and node.module.startswith("ecr_public_conformance.")
            ):
                out.add(node.module.split(".")[1])
            elif node.level > depth:  # climbs out of the stage: ..x -> ecr_public_conformance.x
                out.add((node.module or "").split(".")[0] or "(package)")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ecr_public_conformance."):
                    out.add(alias.name.split(".")[1])
    return out


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_stage_imports_only_earlier_stages(stage: str) -> None:
    for path in sorted((ROOT / stage).rglob("*.py")):
        bad = _imported_stages(path, stage) - ALLOWED[stage] - {stage, "(package)"}
        assert not bad, f"{path.relative_to(ROOT)} imports later stage(s) {sorted(bad)}"


def test_the_scan_catches_a_violation(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    bad = tmp_path / "specs" / "x.py"
    bad.write_text("from ..conformance import checks\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert _imported_stages(bad, "specs") == {"conformance"}
    finally:
        ROOT = saved
