"""Generation details that once produced false failures or flaky replays."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from ecr_public_conformance.specs import load_service
from ecr_public_conformance.strategies import from_operation, registry_machine


class _NoTarget:
    def call(self, operation: str, params: Any = None) -> Any:
        raise AssertionError("no request is expected while building machines")


def test_run_prefixes_keep_one_width_across_many_runs() -> None:
    # A prefix that grows by a character (run 9 -> 10 in hex: 'f' -> '10') shrinks the name
    # budget, so a replayed example would draw different data (FlakyStrategyDefinition).
    machine = registry_machine(_NoTarget(), "ecrconf-test")
    widths = {len(machine().run_prefix) for _ in range(40)}
    assert len(widths) == 1


@pytest.mark.parametrize("name", ["CreateRepository", "DescribeRegistries", "PutImage"])
def test_malformed_json_bodies_are_never_empty(name: str) -> None:
    # AWS JSON servers read an empty body as {}: it is not malformed, and must not be labelled so.
    op = load_service().operation(name)

    @settings(max_examples=300, deadline=None, database=None)
    @given(from_operation(op, mode="invalid"))
    def check(case: Any) -> None:
        if case.violation == "malformed-json":
            assert case.body is not None and case.body.strip()

    check()
