"""Constraint coverage: for every constraint of every input member, whether valid and invalid
values were sent and judged.

The rows come from the specs: the judging stage lists every constraint (``required``, lengths,
patterns, ranges, enums, list sizes, blob sizes) of every operation of the run's edition, with
why the strategies can make no value for a side, when they cannot. How many values were judged
is a pure function of the results' ``tried`` records (:func:`recount`), so a run, its shards
merged and a results file read back count alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .codec import bounded
from .results import CheckResult, Side

#: The check that judges each side of a constraint (its result explains an untried side).
JUDGES: dict[Side, str] = {"valid": "valid_request_accepted", "invalid": "invalid_request_rejected"}
#: Why a side that could be tried was not: withheld (a request that could name what the run
#: does not own is not sent) or not drawn among the run's random examples.
NOT_JUDGED = (
    "no value was sent and judged in this run (withheld to touch only the run's own "
    "resources, or not among the values drawn)"
)
#: Statuses of a check that ran and judged.
_RAN = ("passed", "failed", "xfailed", "xpassed")


@dataclass(frozen=True)
class ConstraintRow:
    """One constraint of one input member: its bound, and how many valid and invalid values
    were judged (the most any one check judged)."""

    member: str
    constraint: str
    bound: str = ""
    valid: int = bounded(0, minimum=0)
    invalid: int = bounded(0, minimum=0)
    #: Why no valid value is ever sent for it ("" when one is), whatever the target.
    no_valid: str = ""
    #: Why no invalid value is ever sent for it ("" when one is), whatever the target.
    no_invalid: str = ""

    def judged(self, side: Side) -> int:
        """How many values of this side were judged."""
        return self.valid if side == "valid" else self.invalid

    def never(self, side: Side) -> str:
        """Why no value of this side is ever sent ("" when one is)."""
        return self.no_valid if side == "valid" else self.no_invalid


@dataclass(frozen=True)
class ConstraintTally:
    """Of some constraints: how many there are, and how many had valid values judged, invalid
    values judged, both, and neither."""

    constraints: int = bounded(0, minimum=0)
    valid: int = bounded(0, minimum=0)
    invalid: int = bounded(0, minimum=0)
    both: int = bounded(0, minimum=0)
    untried: int = bounded(0, minimum=0)


@dataclass(frozen=True)
class Untried:
    """One side of one constraint that no judged value tried, and why."""

    operation: str
    member: str
    constraint: str
    side: Side
    reason: str


def tally(rows: Iterable[ConstraintRow]) -> ConstraintTally:
    """The tally of these constraints."""
    rows = list(rows)
    return ConstraintTally(
        constraints=len(rows),
        valid=sum(r.valid > 0 for r in rows),
        invalid=sum(r.invalid > 0 for r in rows),
        both=sum(r.valid > 0 and r.invalid > 0 for r in rows),
        untried=sum(r.valid == 0 and r.invalid == 0 for r in rows),
    )


@dataclass(frozen=True)
class ConstraintCoverage:
    """Every constraint of every input member of the edition's operations, per operation, with
    the valid and invalid values judged for it; the operations the run judged."""

    __json_extra__ = ("total",)

    operations: dict[str, tuple[ConstraintRow, ...]] = field(default_factory=dict)
    #: The operations the run judged (the others' constraints are untried: not in this run).
    judged: tuple[str, ...] = ()
    #: Per operation and side, why the judging check judged nothing (its status and reason).
    idle: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def total(self) -> ConstraintTally:
        """The tally over every operation's constraints (derived)."""
        return tally(r for rows in self.operations.values() for r in rows)

    @property
    def total_judged(self) -> ConstraintTally:
        """The tally over the constraints of the operations the run judged."""
        return tally(r for op in self.judged for r in self.operations.get(op, ()))

    def tally_of(self, operation: str) -> ConstraintTally:
        """The tally of one operation's constraints."""
        return tally(self.operations.get(operation, ()))

    def untried(self, operation: str | None = None) -> tuple[Untried, ...]:
        """Every side of a constraint no judged value tried, with why (one operation's, or
        all)."""
        out = []
        names = [operation] if operation is not None else list(self.operations)
        for op in names:
            for row in self.operations.get(op, ()):
                for side in ("valid", "invalid"):
                    if row.judged(side) == 0:
                        reason = self.why_untried(op, row, side)
                        out.append(Untried(op, row.member, row.constraint, side, reason))
        return tuple(out)

    def why_untried(self, operation: str, row: ConstraintRow, side: Side) -> str:
        """Why no value of ``side`` was judged for this constraint."""
        if row.never(side):
            return row.never(side)
        if operation not in self.judged:
            return "the run did not judge this operation"
        idle = self.idle.get(operation, {}).get(side)
        return idle or NOT_JUDGED


def _idle(results: list[CheckResult], operations: Iterable[str]) -> dict[str, dict[str, str]]:
    """Per operation and side, the status and reason of a judging check that did not judge."""
    out: dict[str, dict[str, str]] = {}
    operations = set(operations)
    for r in results:
        for side, check in JUDGES.items():
            if r.check == check and r.status not in _RAN and r.operation in operations:
                reason = r.reason.splitlines()[0] if r.reason else ""
                text = f"{check} {r.status}" + (f": {reason}" if reason else "")
                out.setdefault(r.operation, {})[side] = text
    return out


def recount(results: Iterable[CheckResult], coverage: ConstraintCoverage) -> ConstraintCoverage:
    """``coverage`` with the values judged counted from ``results``' ``tried`` records."""
    results = list(results)
    best: dict[tuple[str, str, str, str], int] = {}
    for r in results:
        for t in r.tried:
            key = (r.operation, t.member, t.constraint, t.side)
            best[key] = max(best.get(key, 0), t.values)
    operations = {
        op: tuple(
            replace(
                row,
                valid=best.get((op, row.member, row.constraint, "valid"), 0),
                invalid=best.get((op, row.member, row.constraint, "invalid"), 0),
            )
            for row in rows
        )
        for op, rows in coverage.operations.items()
    }
    judged = sorted(
        {r.operation for r in results if r.operation in operations and r.status in _RAN}
    )
    idle = _idle(results, operations)
    return replace(coverage, operations=operations, judged=tuple(judged), idle=idle)
