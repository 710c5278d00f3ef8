"""The model's rule groups are composed into one machine whose rules Hypothesis collects by
name (module and class sizes: tests/test_structure.py)."""

from __future__ import annotations

from pathlib import Path

from ecr_public_conformance.conformance.model import RegistryMachine

MODEL = Path(__file__).resolve().parents[3] / "conformance" / "model"
MODULES = sorted(MODEL.glob("*.py"))


def test_the_machine_has_every_rule_group() -> None:
    state = RegistryMachine.setup_state()
    rules = [r.function.__name__ for r in state.rules]
    assert rules == sorted(rules)
    assert {"create_repository", "push_image", "set_policy", "put_registry_catalog"} <= set(rules)
    assert [i.function.__name__ for i in state.invariants] == ["images_match", "repositories_match"]
    assert [i.function.__name__ for i in state.initializers] == ["baseline"]
