"""The registry of checks: small named functions with one signature and one-line docstrings.

A check receives the run's :class:`~ecr_public_conformance.conformance.env.CheckEnv` and one
operation, and returns an :class:`Outcome` (examples sent, failures found). It raises
:class:`Skip` when it has nothing to say about that operation on this target. The docstring's
first line is the description printed in reports; ``fact`` names the spec fact it enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..specs import Operation
from .records import CATEGORIES, Failure, Level

if TYPE_CHECKING:
    from .env import CheckEnv


class Skip(Exception):
    """The check does not apply to this operation on this target (reason in the message)."""


class Unsupported(Exception):
    """The target answered UnsupportedCommandException for the operation."""


@dataclass
class Outcome:
    """What one check found on one operation."""

    examples: int = 0
    failures: list[Failure] = field(default_factory=list)
    observed_window_s: float | None = None


CheckFn = Callable[["CheckEnv", Operation], Outcome]
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
            fn.__name__, category, level, fact, fn, applies, mutates, doc[0]
        )
        return fn

    return register


def all_checks() -> dict[str, Check]:
    """Return every registered check (importing the check modules once)."""
    from . import checks  # noqa: F401  (registers on import)

    return CHECKS
