"""Catalogue coverage: which documented errors and effects a run exercised, and how many passed.

The coverage of a run names the catalogue's entries (per kind: ``documented_errors``,
``effects``) and the totals the specs document; what was exercised and passed is a pure
function of the results (the behaviour checks keep each entry's outcome), so a run, its
shards merged and a results file read back all count alike (:func:`recount`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .results import CheckResult

#: The check whose entries say whether a documented error was provoked, and the effects'.
JUDGES = {"documented_errors": "documented_error_raised", "effects": "documented_effect_holds"}


@dataclass(frozen=True)
class Entry:
    """A catalogue entry: its id and the operation it is about."""

    id: str
    operation: str


@dataclass(frozen=True)
class Unexercised:
    """An entry the run did not exercise, and why."""

    id: str
    operation: str
    reason: str


@dataclass(frozen=True)
class Tally:
    """Of the entries of one kind (one operation's, or all): how many exist, can be provoked,
    were exercised, passed."""

    total: int = 0
    provocable: int = 0
    exercised: int = 0
    passed: int = 0


@dataclass(frozen=True)
class KindCoverage:
    """One kind's coverage: the tally, the entries, and those not exercised."""

    total: int = 0
    provocable: int = 0
    exercised: int = 0
    passed: int = 0
    entries: tuple[Entry, ...] = ()
    #: Documented errors no entry provokes, each with the reason (never exercised).
    unprovocable: tuple[Unexercised, ...] = ()
    unexercised: tuple[Unexercised, ...] = ()


@dataclass(frozen=True)
class Coverage:
    """Documented errors provoked and effects observed, in all and per operation."""

    documented_errors: KindCoverage = field(default_factory=KindCoverage)
    effects: KindCoverage = field(default_factory=KindCoverage)
    by_operation: dict[str, dict[str, Tally]] = field(default_factory=dict)
    #: Per operation and kind, how many of the kind the specs document (the totals).
    documented: dict[str, dict[str, int]] = field(default_factory=dict)


def _outcomes(results: Iterable[CheckResult], check: str) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for r in results:
        if r.check == check:
            for e in r.entries:
                out[e.id] = (e.status, e.reason)
            if not r.entries and r.status not in ("passed", "failed"):
                out.setdefault(f"{r.operation}/*", (r.status, r.reason))
    return out


def _exercised(status: str) -> bool:
    return status in ("passed", "failed")


def _kind(part: KindCoverage, outcomes: dict[str, tuple[str, str]]) -> KindCoverage:
    unexercised = []
    exercised = passed = 0
    for e in part.entries:
        status, reason = outcomes.get(e.id) or outcomes.get(f"{e.operation}/*", ("", ""))
        exercised += _exercised(status)
        passed += status == "passed"
        if not _exercised(status):
            why = f"{status}: {reason}" if status else "not run in this run"
            unexercised.append(Unexercised(e.id, e.operation, why))
    return replace(
        part,
        exercised=exercised,
        passed=passed,
        unexercised=(*unexercised, *part.unprovocable),
    )


def recount(results: Iterable[CheckResult], coverage: Coverage) -> Coverage:
    """``coverage`` with what was exercised and passed counted from ``results``."""
    results = list(results)
    kinds = {}
    by_operation: dict[str, dict[str, Tally]] = {}
    for name, check in JUDGES.items():
        outcomes = _outcomes(results, check)
        part = _kind(getattr(coverage, name), outcomes)
        kinds[name] = part
        for operation in sorted({e.operation for e in part.entries}):
            mine = [e for e in part.entries if e.operation == operation]
            statuses = [
                (outcomes.get(e.id) or outcomes.get(f"{operation}/*", ("", "")))[0] for e in mine
            ]
            total = coverage.documented.get(operation, {}).get(name, len(mine))
            by_operation.setdefault(operation, {})[name] = Tally(
                total,
                len(mine),
                sum(_exercised(s) for s in statuses),
                statuses.count("passed"),
            )
    return replace(
        coverage,
        documented_errors=kinds["documented_errors"],
        effects=kinds["effects"],
        by_operation=by_operation,
    )
