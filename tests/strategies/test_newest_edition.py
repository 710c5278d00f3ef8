"""The strategies on the newest edition: valid and invalid requests for each of its operations.

A light version of the property tests in test_requests.py (a few examples per operation), so
that a new shape kind or constraint in a newer model is caught here, not in a run.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from ecr_public_conformance.specs import load_service
from ecr_public_conformance.specs.validation import is_valid, violations
from ecr_public_conformance.strategies import (
    BUILDERS,
    VIOLATIONS,
    InvalidRequest,
    from_operation,
    from_shape,
    without_constraint,
)
from ecr_public_conformance.strategies.labelled import sites

NEWEST = load_service("newest")
OPS = sorted(NEWEST.operations)
FEW = settings(
    database=None, deadline=None, max_examples=8, suppress_health_check=list(HealthCheck)
)


def test_the_newest_edition_has_42_operations_and_builders_for_every_kind() -> None:
    assert len(OPS) == 42
    kinds = {
        site.shape.kind
        for op in NEWEST.operations.values()
        for shape in (op.input, op.output)
        for site in sites(shape)
    }
    assert {"map", "double"} <= kinds
    assert kinds <= set(BUILDERS), kinds - set(BUILDERS)


@pytest.mark.parametrize("name", OPS)
def test_valid_requests_pass_the_input_schema(name: str) -> None:
    op = NEWEST.operation(name)

    @FEW
    @given(from_operation(op))
    def check(request: dict) -> None:  # type: ignore[type-arg]
        assert violations(op.input_schema, request) == []

    check()


@pytest.mark.parametrize("name", OPS)
def test_invalid_requests_fail_the_input_schema_by_their_constraint(name: str) -> None:
    op = NEWEST.operation(name)

    @FEW
    @given(from_operation(op, mode="invalid"))
    def check(case: InvalidRequest) -> None:
        assert case.violation in VIOLATIONS
        if case.body is not None:
            return
        assert not is_valid(op.input_schema, case.params)
        assert case.keyword is not None
        relaxed = without_constraint(op.input_schema, case.path, case.keyword)
        assert violations(relaxed, case.params) == [], case

    check()


def test_map_outputs_validate() -> None:
    op = NEWEST.operation("DescribeImageScanFindings")

    @FEW
    @given(from_shape(op.output))
    def check(response: dict) -> None:  # type: ignore[type-arg]
        assert violations(op.output_schema, response) == []

    check()
