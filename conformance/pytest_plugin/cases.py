"""The (check x operation) cases a run parametrizes, with their markers and expected failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ...records import ENDPOINT
from ...specs import Operation, load_service
from ..harness.config import RunConfig
from ..harness.expected import Expected, load_expected
from ..harness.registry import Check
from .markers import snake

#: Categories that walk everything on the target run first, while it holds little (parity
#: replays a recording made on a fresh target, and cleans up before the others start).
FIRST = ("parity", "stateful", "pagination")
#: Categories whose cases share target state and run on one xdist worker (``--dist loadgroup``).
GROUPED = {"stateful": "ecr-stateful", "pagination": "ecr-pagination", "parity": "ecr-parity"}
#: Operations whose every case joins the stateful group: registry-level writes happen on the
#: one worker that also runs the registry model, which knows about them.
REGISTRY_GROUP = {
    "PutRegistryCatalogData": "ecr-stateful",
    "GetRegistryCatalogData": "ecr-stateful",
}


@dataclass(frozen=True)
class Case:
    """One parametrized case: a check on an operation, or on the endpoint (``operation`` None)."""

    check: Check
    operation: Operation | None

    @property
    def operation_name(self) -> str:
        """The operation's name, or ``endpoint``."""
        return self.operation.name if self.operation is not None else ENDPOINT

    @property
    def id(self) -> str:
        """The pytest id: ``Operation-check`` (``endpoint-check``)."""
        return f"{self.operation_name}-{self.check.id}"

    def marks(self, expected: list[Expected]) -> list[Any]:
        """Markers: category, operation, xdist group, and a strict xfail for a known gap."""
        marks: list[Any] = [
            pytest.mark.ecr_conformance,
            getattr(pytest.mark, self.check.category),
            getattr(pytest.mark, snake(self.operation_name)),
        ]
        group = group_of(self.check, self.operation_name)
        if group is not None:
            marks.append(pytest.mark.xdist_group(group))
        for e in expected:
            if e.matches(self.operation_name, self.check.id) and not e.expired():
                if self.check.category != "parity":  # parity decides its outcome itself
                    marks.append(pytest.mark.xfail(reason=e.reason, strict=True))
                marks.append(pytest.mark.ecr_expected(e.reason))
        return marks

    @property
    def param(self) -> Any:
        """This case as a ``pytest.param``."""
        return pytest.param(self, id=self.id, marks=self.marks(_EXPECTED))


_EXPECTED: list[Expected] = []


def group_of(check: Check, operation: str) -> str | None:
    """The xdist group a case belongs to (cases sharing target state run on one worker)."""
    return REGISTRY_GROUP.get(operation) or GROUPED.get(check.category)


def _selected(check: Check, config: RunConfig) -> bool:
    if check.category == "parity" and config.parity.oracle is None:
        return False  # parity compares with a recording: only with --ecr-oracle
    return not config.checks or check.id in config.checks or check.category in config.checks


def build_cases(config: RunConfig) -> list[Case]:
    """Return every applicable case, filtered by the run's options."""
    # deferred: the plug-in imports this module in every pytest session (the checks load the
    # suite); cases are built only when the plug-in runs
    from ..checks import all_checks

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
    cases = [
        Case(check, op)
        for check in ordered
        if _selected(check, config) and check.scope == "operation"
        for op in ops
        if check.applies(op)
    ]
    # Checks about the endpoint as a whole run once, last, when the run covers every operation
    # or names them (``--ecr-checks``).
    endpoint = not config.operations or bool(config.checks)
    cases += [
        Case(check, None)
        for check in ordered
        if check.scope == "endpoint" and endpoint and _selected(check, config)
    ]
    return cases
