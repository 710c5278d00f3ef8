"""Generated requests never combine members the specs say cannot be used together."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from ecr_public_conformance.specs import load_service
from ecr_public_conformance.strategies import boundary_requests, from_operation

OPS = [op for op in load_service().operations.values() if op.exclusive]


def _combined(op: Any, request: Any) -> list[frozenset[str]]:
    return [g for g in op.exclusive if isinstance(request, dict) and g <= set(request)]


def test_some_operations_have_exclusive_members() -> None:
    assert {op.name for op in OPS} == {"DescribeImages", "DescribeRepositories"}


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_valid_invalid_and_boundary_requests_respect_exclusions(op: Any) -> None:
    @settings(max_examples=150, deadline=None, database=None)
    @given(from_operation(op, mode="valid"), from_operation(op, mode="invalid"))
    def check(valid: Any, invalid: Any) -> None:
        assert not _combined(op, valid)
        assert not _combined(op, invalid.params)

    check()
    for case in boundary_requests(op, include_large=False):
        assert not _combined(op, case.params), case
