"""The operations x categories matrix shared by the Markdown and HTML reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..records import ENDPOINT, FAILING, CheckResult, RunResults, worst
from ..records.categories import CATEGORIES
from ..specs import load_service

NOT_RUN = "not-run"

#: Symbol and label of each cell status, in legend order.
LEGEND: dict[str, tuple[str, str]] = {
    "passed": ("✓", "passed"),
    "failed": ("✗", "failed"),
    "error": ("!", "error"),
    "xpassed": ("+", "passed unexpectedly (xpassed)"),
    "xfailed": ("~", "known failure (xfailed)"),
    "unsupported": ("○", "unsupported by the target"),
    "skipped": ("–", "skipped"),
    "disabled": ("–", "disabled"),
    NOT_RUN: ("·", "not run"),
}


@dataclass(frozen=True)
class Cell:
    """The results of one operation in one category."""

    operation: str
    category: str
    status: str
    total: int = 0
    failing: int = 0

    @property
    def symbol(self) -> str:
        """The one-character symbol of the cell's status."""
        return LEGEND[self.status][0]


@dataclass(frozen=True)
class Row:
    """One operation: its cells in category order and its overall (worst) status."""

    operation: str
    cells: tuple[Cell, ...]
    status: str


@lru_cache(maxsize=1)
def spec_operations() -> tuple[str, ...]:
    """The operation names of the specs, in spec order."""

    return tuple(load_service().operations)


def operations_of(run: RunResults, operations: Sequence[str] | None = None) -> tuple[str, ...]:
    """The matrix rows: ``endpoint`` when a result is about the endpoint as a whole, the spec
    operations (or ``operations``), then any other operation named by a result."""
    named = {r.operation for r in run.results}
    names = [ENDPOINT] if ENDPOINT in named else []
    names += [
        op for op in (spec_operations() if operations is None else operations) if op != ENDPOINT
    ]
    names += sorted(named - set(names))
    return tuple(names)


def build_matrix(run: RunResults, operations: Sequence[str] | None = None) -> list[Row]:
    """Roll the results up into one row per operation and one cell per category."""
    grouped: dict[tuple[str, str], list[CheckResult]] = {}
    for result in run.results:
        grouped.setdefault((result.operation, result.category), []).append(result)
    rows = []
    for op in operations_of(run, operations):
        cells = tuple(_cell(op, cat, grouped.get((op, cat), [])) for cat in categories_of(run))
        run_cells = [c.status for c in cells if c.status != NOT_RUN]
        rows.append(Row(op, cells, worst(run_cells) if run_cells else NOT_RUN))  # type: ignore[arg-type]
    return rows


#: Categories that always get a column; the others only when the run has results in them.
ALWAYS_SHOWN = CATEGORIES[:8]


def categories_of(run: RunResults) -> tuple[str, ...]:
    """The core categories, the other known ones the run has results in, then unknown ones."""
    present = {r.category for r in run.results}
    known = tuple(c for c in CATEGORIES if c in ALWAYS_SHOWN or c in present)
    return known + tuple(sorted(present - set(CATEGORIES)))


def _cell(operation: str, category: str, results: list[CheckResult]) -> Cell:
    if not results:
        return Cell(operation, category, NOT_RUN)
    failing = sum(r.status in FAILING for r in results)
    return Cell(operation, category, worst([r.status for r in results]), len(results), failing)
