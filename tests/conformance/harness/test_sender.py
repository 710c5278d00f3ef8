"""The sender keeps answers for the response checks without growing with the registry."""

from __future__ import annotations

import pytest

from ecr_public_conformance.conformance.harness.sender import MAX_KEPT_TEXT, _fits
from ecr_public_conformance.wire import Exchange


def answer(size: int) -> Exchange:
    return Exchange("DescribeRepositories", {}, {}, 200, {}, "x" * size, {}, 0.01)


@pytest.mark.parametrize(
    ("kept", "new", "fits"),
    [
        ((), MAX_KEPT_TEXT * 4, True),  # the first is always kept, however long
        ((100, 100), 100, True),
        ((MAX_KEPT_TEXT - 100,), 100, True),
        ((MAX_KEPT_TEXT - 100,), 101, False),
        ((MAX_KEPT_TEXT * 4,), 1, False),  # one long page of a big registry is enough
    ],
)
def test_kept_answers_hold_a_bounded_text(kept: tuple[int, ...], new: int, fits: bool) -> None:
    assert _fits([answer(n) for n in kept], answer(new)) is fits
