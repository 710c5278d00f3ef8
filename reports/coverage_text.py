"""How catalogue coverage reads in the reports: one line, a matrix cell, the entries not run."""

from __future__ import annotations

from ..records import Coverage
from ..records.coverage import KindCoverage, Tally, Unexercised

#: The coverage kinds, their attribute on the coverage and how they read.
KINDS = (
    ("documented_errors", "documented errors provoked", "errors"),
    ("effects", "effects", "effects"),
)


def coverage_line(coverage: Coverage | None) -> str:
    """``documented errors provoked 64/72 (60 passed), effects 41/45 (40 passed)``, or ""."""
    if coverage is None:
        return ""
    parts = []
    for key, label, _ in KINDS:
        part: KindCoverage = getattr(coverage, key)
        parts.append(f"{label} {part.exercised}/{part.total} ({part.passed} passed)")
    return ", ".join(parts)


def _tallies(coverage: Coverage | None, operation: str) -> list[tuple[str, str, Tally]]:
    if coverage is None:
        return []
    entry = coverage.by_operation.get(operation, {})
    return [(label, short, entry[key]) for key, label, short in KINDS if key in entry]


def operation_coverage(coverage: Coverage | None, operation: str) -> str:
    """One operation's coverage for a matrix cell: ``errors 3/4, effects 1/2``, or ""."""
    return ", ".join(
        f"{short} {t.exercised}/{t.total}" for _, short, t in _tallies(coverage, operation)
    )


def operation_coverage_title(coverage: Coverage | None, operation: str) -> str:
    """The long form of a matrix cell, with the passed counts (a tooltip)."""
    return "; ".join(
        f"{label}: {t.exercised} of {t.total}, {t.passed} passed"
        for label, _, t in _tallies(coverage, operation)
    )


def has_operation_coverage(coverage: Coverage | None) -> bool:
    """Tell whether the coverage has per-operation counts (a matrix column is worth it)."""
    return coverage is not None and bool(coverage.by_operation)


def unexercised(coverage: Coverage | None) -> list[tuple[str, Unexercised]]:
    """The catalogue entries not exercised (kind, entry), documented errors first."""
    if coverage is None:
        return []
    return [(short, u) for key, _, short in KINDS for u in getattr(coverage, key).unexercised]
