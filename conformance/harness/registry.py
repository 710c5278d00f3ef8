"""The registry of checks: small named functions with one signature and one-line docstrings.

A check receives the run's :class:`~ecr_public_conformance.conformance.harness.env.CheckEnv` and one
operation (``None`` for checks about the endpoint as a whole, ``scope="endpoint"``: they run and
report once per run), and returns an :class:`Outcome` (examples sent, failures found). It raises
:class:`Skip` when it has nothing to say about that operation on this target, and the setup it
needed raises :class:`SetupFailed` when the target refused a valid preparatory request. The
docstring's first line is the description printed in reports; ``fact`` names the spec fact it
enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...records import EntryOutcome, Failure, Level, Scope, SetupFailure, Tried
from ...records.categories import CATEGORIES
from ...specs import Operation

if TYPE_CHECKING:
    from .env import CheckEnv


class Skip(Exception):
    """The check does not apply to this operation on this target (reason in the message)."""


class Unsupported(Exception):
    """The target answered that it does not implement the operation (``args``: the operation,
    then the error code)."""


class BudgetSpent(Exception):
    """The run reached its request budget: the check could not finish (counted as an error)."""


class SetupFailed(Exception):
    """A valid request the check needed as setup was refused: the check could not run.

    It is reported as an error (counted in the score) naming the step and the answer, never as
    a silent skip.
    """

    def __init__(self, step: str, status: int | None, code: str | None, message: str) -> None:
        self.step, self.status, self.code, self.message = step, status, code, message
        answer = f"HTTP {status}" + (f" {code}" if code else "") if status else "no answer"
        super().__init__(f"setup failed ({step}: {answer}{': ' + message if message else ''})")

    def record(self) -> SetupFailure:
        """The record kept on the result (``setup_failure``)."""
        return SetupFailure(self.step, self.status, self.code, self.message)


@dataclass
class Outcome:
    """What one check found on one operation."""

    examples: int = 0
    failures: list[Failure] = field(default_factory=list)
    observed_window_s: float | None = None
    entries: list[EntryOutcome] = field(default_factory=list)
    #: What a passing check wants said about what it saw (kept as the result's reason).
    note: str = ""
    #: The constraints whose valid or invalid values the check judged (see :mod:`.tried`).
    tried: list[Tried] = field(default_factory=list)


CheckFn = Callable[["CheckEnv", Any], Outcome]
AppliesFn = Callable[[Operation], bool]


@dataclass(frozen=True)
class Check:
    """A registered check: id, category, level, the fact it enforces, and where it applies."""

    id: str
    category: str
    level: Level
    fact: str
    fn: CheckFn
    applies: AppliesFn
    mutates: bool
    description: str
    scope: Scope = "operation"


CHECKS: dict[str, Check] = {}


def _always(op: Operation) -> bool:
    return True


def check(
    category: str,
    level: Level,
    fact: str,
    *,
    applies: AppliesFn = _always,
    mutates: bool = False,
    scope: Scope = "operation",
) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as a check (its name is the id, its docstring the text)."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown check category {category!r}; known: {', '.join(CATEGORIES)}")

    def register(fn: CheckFn) -> CheckFn:
        doc = (fn.__doc__ or "").strip().splitlines()
        if not doc:
            raise ValueError(f"check {fn.__name__} needs a one-line docstring")
        if fn.__name__ in CHECKS:
            raise ValueError(f"check {fn.__name__} registered twice")
        CHECKS[fn.__name__] = Check(
            fn.__name__, category, level, fact, fn, applies, mutates, doc[0], scope
        )
        return fn

    return register


def registered_checks() -> dict[str, Check]:
    """Every check registered so far (a check module registers its checks when imported;
    ``conformance.checks.all_checks`` imports them all)."""
    return CHECKS
