"""Parity with a recorded target (``run --oracle``): what the recording is, and the counts.

What a run says about its oracle is fixed when the run starts; how many records matched is a
pure function of the parity results (:func:`recount`), so shards merged and a results file
read back count alike. Parity is scored apart from conformance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .results import CheckResult


@dataclass(frozen=True)
class OperationParity:
    """One operation's parity: its worst status and the records compared, diverging, stale."""

    status: str
    compared: int = 0
    divergences: int = 0
    stale: int = 0


@dataclass(frozen=True)
class Parity:
    """The oracle a run was judged against, and how many of its records matched."""

    oracle: str = ""
    corpus: str = ""
    recorded: str = ""
    recorded_with: str = ""
    profile: str = ""
    seed: int | str | None = None
    spec_hash_matches: bool = True
    suite_matches: bool = True
    gate: bool = False
    score: float | None = None
    compared: int = 0
    matching: int = 0
    divergences: int = 0
    stale: int = 0
    by_operation: dict[str, OperationParity] = field(default_factory=dict)


def recount(results: Iterable[CheckResult], parity: Parity) -> Parity:
    """``parity`` with the counts taken from the parity ``results``."""
    by_operation = {
        r.operation: OperationParity(
            r.status,
            r.examples,
            sum(e.status == "failed" for e in r.entries),
            sum(e.status == "skipped" for e in r.entries),
        )
        for r in results
        if r.category == "parity"
    }
    compared = sum(v.compared for v in by_operation.values())
    divergences = sum(v.divergences for v in by_operation.values())
    return replace(
        parity,
        score=(compared - divergences) / compared if compared else None,
        compared=compared,
        matching=compared - divergences,
        divergences=divergences,
        stale=sum(v.stale for v in by_operation.values()),
        by_operation=dict(sorted(by_operation.items())),
    )
