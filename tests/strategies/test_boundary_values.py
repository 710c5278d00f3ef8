"""Boundary values built without making them byte by byte are the same values."""

from __future__ import annotations

import base64

import pytest

from ecr_public_conformance.strategies.boundaries import filler_b64


@pytest.mark.parametrize("n", [0, 1, 2, 3, 255, 256, 767, 768, 769, 1536, 5000, 3 * 2**20 + 7])
def test_filler_base64_is_the_base64_of_the_filler(n: int) -> None:
    filler = (bytes(range(256)) * (n // 256 + 1))[:n]
    assert filler_b64(n) == base64.b64encode(filler).decode("ascii")
