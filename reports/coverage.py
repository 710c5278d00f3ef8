"""How much of the catalogue a run exercised: documented errors provoked and effects observed.

``run.coverage`` (when present) holds, for ``documented_errors`` and ``effects``, the counts
``total``, ``provocable``, ``exercised`` and ``passed``, the ``unexercised`` entries, and the
same counts per operation under ``by_operation``. These functions read it defensively: a missing
or malformed part is left out, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The coverage kinds, their key in ``run.coverage`` and how they read.
KINDS = (
    ("documented_errors", "documented errors provoked", "errors"),
    ("effects", "effects", "effects"),
)


@dataclass(frozen=True)
class Tally:
    """Exercised and passed out of the total, for one kind."""

    total: int
    exercised: int
    passed: int | None = None


@dataclass(frozen=True)
class Unexercised:
    """A catalogue entry the run did not exercise, and why."""

    kind: str
    id: str
    operation: str
    reason: str


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def tally(part: Any) -> Tally | None:
    """The counts of one coverage part, or None when it lacks total or exercised."""
    if not isinstance(part, Mapping):
        return None
    total, exercised = _int(part.get("total")), _int(part.get("exercised"))
    if total is None or exercised is None:
        return None
    return Tally(total, exercised, _int(part.get("passed")))


def _tallies(part: Mapping[str, Any]) -> list[tuple[str, str, Tally]]:
    """The (label, short label, counts) of each kind ``part`` has counts for, in KINDS order."""
    out = []
    for key, label, short in KINDS:
        t = tally(part.get(key))
        if t is not None:
            out.append((label, short, t))
    return out


def coverage_line(coverage: Mapping[str, Any]) -> str:
    """``documented errors provoked 64/72 (60 passed), effects 41/45 (40 passed)``, or ""."""
    return ", ".join(
        f"{label} {t.exercised}/{t.total}"
        + (f" ({t.passed} passed)" if t.passed is not None else "")
        for label, _, t in _tallies(coverage)
    )


def _operation_entry(coverage: Mapping[str, Any], operation: str) -> Mapping[str, Any] | None:
    by_op = coverage.get("by_operation")
    entry = by_op.get(operation) if isinstance(by_op, Mapping) else None
    return entry if isinstance(entry, Mapping) else None


def operation_coverage(coverage: Mapping[str, Any], operation: str) -> str:
    """One operation's coverage for a matrix cell: ``errors 3/4, effects 1/2``, or ""."""
    entry = _operation_entry(coverage, operation)
    if entry is None:
        return ""
    return ", ".join(f"{short} {t.exercised}/{t.total}" for _, short, t in _tallies(entry))


def operation_coverage_title(coverage: Mapping[str, Any], operation: str) -> str:
    """The long form of a matrix cell, with the passed counts (a tooltip)."""
    entry = _operation_entry(coverage, operation)
    if entry is None:
        return ""
    return "; ".join(
        f"{label}: {t.exercised} of {t.total}"
        + (f", {t.passed} passed" if t.passed is not None else "")
        for label, _, t in _tallies(entry)
    )


def has_operation_coverage(coverage: Mapping[str, Any]) -> bool:
    """Tell whether the coverage has per-operation counts (a matrix column is worth it)."""
    by_op = coverage.get("by_operation")
    return isinstance(by_op, Mapping) and bool(by_op)


def unexercised(coverage: Mapping[str, Any]) -> list[Unexercised]:
    """The catalogue entries not exercised, documented errors first."""
    out = []
    for key, _, short in KINDS:
        part = coverage.get(key)
        entries = part.get("unexercised") if isinstance(part, Mapping) else None
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, Mapping):
                out.append(
                    Unexercised(
                        short,
                        str(entry.get("id", "")),
                        str(entry.get("operation", "")),
                        str(entry.get("reason", "")),
                    )
                )
    return out
