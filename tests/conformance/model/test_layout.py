"""The model stays in small pieces: modules under 600 lines, classes of at most 25 members,
and rule groups composed into one machine whose rules Hypothesis collects by name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ecr_public_conformance.conformance.model import RegistryMachine

MODEL = Path(__file__).resolve().parents[3] / "conformance" / "model"
MODULES = sorted(MODEL.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_modules_are_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) < 600


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_classes_define_at_most_25_members(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            members = [
                n
                for n in node.body
                if isinstance(
                    n, ast.FunctionDef | ast.AsyncFunctionDef | ast.AnnAssign | ast.Assign
                )
            ]
            assert len(members) <= 25, f"{path.name}: {node.name} has {len(members)} members"


def test_the_machine_has_every_rule_group() -> None:
    state = RegistryMachine.setup_state()
    rules = [r.function.__name__ for r in state.rules]
    assert rules == sorted(rules)
    assert {"create_repository", "push_image", "set_policy", "put_registry_catalog"} <= set(rules)
    assert [i.function.__name__ for i in state.invariants] == ["images_match", "repositories_match"]
    assert [i.function.__name__ for i in state.initializers] == ["baseline"]
