"""The (check x operation) cases a run parametrizes, with their markers and expected failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ..specs import Operation, load_service
from .config import RunConfig
from .expected import Expected, load_expected
from .registry import Check, all_checks

#: Categories that walk everything on the target run first, while it holds little.
FIRST = ("stateful", "pagination")
#: Categories whose cases share target state and run on one xdist worker (``--dist loadgroup``).
GROUPED = {"stateful": "ecr-stateful", "pagination": "ecr-pagination"}


@dataclass(frozen=True)
class Case:
    """One parametrized case."""

    check: Check
    operation: Operation

    @property
    def id(self) -> str:
        """The pytest id: ``Operation-check``."""
        return f"{self.operation.name}-{self.check.id}"

    def marks(self, expected: list[Expected]) -> list[Any]:
        """Markers: category, operation, xdist group, and a strict xfail for a known gap."""
        from .plugin import snake

        marks: list[Any] = [
            pytest.mark.ecr_conformance,
            getattr(pytest.mark, self.check.category),
            getattr(pytest.mark, snake(self.operation.name)),
        ]
        if self.check.category in GROUPED:
            marks.append(pytest.mark.xdist_group(GROUPED[self.check.category]))
        for e in expected:
            if e.matches(self.operation.name, self.check.id) and not e.expired():
                marks.append(pytest.mark.xfail(reason=e.reason, strict=True))
                marks.append(pytest.mark.ecr_expected(e.reason))
        return marks

    @property
    def param(self) -> Any:
        """This case as a ``pytest.param``."""
        return pytest.param(self, id=self.id, marks=self.marks(_EXPECTED))


_EXPECTED: list[Expected] = []


def _selected(check: Check, config: RunConfig) -> bool:
    return not config.checks or check.id in config.checks or check.category in config.checks


def build_cases(config: RunConfig) -> list[Case]:
    """Return every applicable case, filtered by the run's options."""
    svc = load_service()
    checks = all_checks()
    unknown = [o for o in config.operations if o not in svc.operations]
    if unknown:
        raise pytest.UsageError(
            f"--ecr-operations: unknown operation(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(svc.operations))}"
        )
    if config.expected_failures:
        _EXPECTED[:] = load_expected(config.expected_failures, set(svc.operations), set(checks))
    ops = [svc.operations[o] for o in (config.operations or sorted(svc.operations))]
    ordered = sorted(
        checks.values(),
        key=lambda c: FIRST.index(c.category) if c.category in FIRST else len(FIRST),
    )
    return [
        Case(check, op)
        for check in ordered
        if _selected(check, config)
        for op in ops
        if check.applies(op)
    ]
