"""Generation details that once produced false failures or flaky replays."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from ecr_public_conformance.specs import load_service
from ecr_public_conformance.strategies import from_operation


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
