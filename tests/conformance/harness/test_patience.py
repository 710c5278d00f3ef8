"""Waits for a write to show: the whole window until any read misses one, then what was seen
(for every read of the run: several lost writes cost one window in all)."""

from __future__ import annotations

import pytest

from ecr_public_conformance.conformance.harness.patience import MIN_WAIT_S, Patience

READ = "ListTagsForResource"


@pytest.mark.parametrize(
    ("delays", "misses", "read", "wait"),
    [
        ((), (), READ, 10.0),  # nothing seen yet: the whole window
        ((3.0,), (), READ, 10.0),  # slow writes alone never cut a wait
        ((), ((READ, 10.0),), READ, MIN_WAIT_S),  # a miss, no delay seen: the floor
        ((2.5,), ((READ, 10.0),), READ, 5.0),  # twice the longest delay seen
        ((7.0,), ((READ, 10.0),), READ, 10.0),  # never more than the window
        ((), ((READ, 10.0),), "DescribeImages", MIN_WAIT_S),  # the run has seen a lost write
        ((), ((READ, 1.0),), READ, 10.0),  # a cut wait that missed is no new evidence
    ],
)
def test_wait(
    delays: tuple[float, ...], misses: tuple[tuple[str, float], ...], read: str, wait: float
) -> None:
    patience = Patience(10.0)
    for d in delays:
        patience.showed(d)
    for r, waited in misses:
        patience.missed_write(r, waited)
    assert patience.wait_s(read) == wait


@pytest.mark.parametrize(
    ("missed", "waited", "note"),
    [
        (False, 10.0, ""),
        (True, 10.0, ""),
        (
            True,
            1.0,
            " (wait cut from the 10 s window to 1 s: ListTagsForResource already missed a write "
            "for all of it, and no write of this run took over 0.0 s to show)",
        ),
    ],
)
def test_cut_note(missed: bool, waited: float, note: str) -> None:
    patience = Patience(10.0)
    if missed:
        patience.missed_write(READ, 10.0)
    assert patience.cut_note(READ, waited) == note
