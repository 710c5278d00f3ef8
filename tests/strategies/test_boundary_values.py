"""Boundary values built without making them byte by byte are the same values."""

from __future__ import annotations

import base64

import pytest

from ecr_public_conformance.specs import load_service
from ecr_public_conformance.specs.editions import editions
from ecr_public_conformance.strategies.boundaries import boundary_requests, filler_b64


@pytest.mark.parametrize("n", [0, 1, 2, 3, 255, 256, 767, 768, 769, 1536, 5000, 3 * 2**20 + 7])
def test_filler_base64_is_the_base64_of_the_filler(n: int) -> None:
    filler = (bytes(range(256)) * (n // 256 + 1))[:n]
    assert filler_b64(n) == base64.b64encode(filler).decode("ascii")


@pytest.mark.parametrize("edition", [e.name for e in editions()])
def test_every_operation_of_every_edition_has_its_boundaries_built(edition: str) -> None:
    # a model's length bound looser than its pattern (no value of that length matches) is no
    # boundary at all: nothing is sent for it, rather than a check that cannot run
    for op in load_service(edition).operations.values():
        for case in boundary_requests(op, include_large=False):
            assert case.operation == op.name and case.violation, (edition, case)
