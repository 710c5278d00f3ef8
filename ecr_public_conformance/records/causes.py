"""Failing results grouped by cause: one behaviour seen on 23 operations is one item, not 23.

A cause is a check and what went wrong, without run-specific values:

* a result with failures groups by its check and each failure's ``cause`` (``expected X;
  got Y``, normalised); failures that share a root fact (a wire-format defect) group by it,
  whatever check saw them;
* a failing result without failures (an error, an xpass) by its check and normalised reason;
  a check the request budget stopped by the budget, whatever the check;
* a result whose setup failed by the setup step and the response (status and code), whatever
  the check: one broken ``CompleteLayerUpload`` is one cause for every check that needed it.

Grouping is a pure function of the results (and the strictness that decides what counts).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .codec import bounded
from .results import ENDPOINT, CheckResult, Failure, SetupFailure, SpecFact, normalise_cause
from .status import FAILING, Level, counts, worst

Kind = Literal["failure", "error", "xpassed", "setup"]
#: The check id of setup causes, which span every check that needed the failed step.
SETUP = "setup"
#: The check id of causes grouped by a root fact, which span every check that saw it.
ROOT = "root"


@dataclass(frozen=True)
class Example:
    """Where a cause's example failure is (its result and position) and what it says."""

    result: str = ""
    index: int | None = None
    message: str = ""
    expected: str = ""
    actual: str = ""
    spec_fact: SpecFact | None = None


@dataclass(frozen=True, kw_only=True)
class Cause:
    """One cause of failure and every result it explains."""

    id: str = bounded(pattern="^[0-9a-f]{10}$")
    kind: Kind
    check: str
    category: str
    level: Level
    status: Literal["failed", "error", "xpassed"]
    counted: bool
    text: str
    operations: tuple[str, ...] = bounded(minItems=1)
    results: tuple[str, ...] = bounded(minItems=1)
    checks: tuple[str, ...] = ()
    failures: int = bounded(0, minimum=0)
    example: Example = field(default_factory=Example)
    setup: SetupFailure | None = None
    #: The example failure itself (its reproducers), not written out: its result holds it.
    failure: Failure | None = field(default=None, compare=False, metadata={"json": False})


def setup_text(setup: SetupFailure) -> str:
    """``setup CompleteLayerUpload failed with HTTP 400 LayerPartTooSmallException``."""
    step = setup.step or "step"
    if setup.status is None and not setup.code:
        message = " ".join(setup.message.split())
        return f"setup {step} failed" + (f": {message}" if message else "")
    parts = (f"HTTP {setup.status}" if setup.status is not None else "", setup.code or "")
    return f"setup {step} failed with {' '.join(x for x in parts if x)}"


def budget_error(reason: str) -> bool:
    """True for the reason of a check the request budget stopped (one cause, whatever the
    check)."""
    return "request budget was reached" in reason


@dataclass
class _Member:
    """One result's share of a cause: its first failure with that cause and how many."""

    result: CheckResult
    example: Failure | None
    failures: int


_Key = tuple[Kind, str, str]


def _keys(result: CheckResult) -> list[tuple[_Key, _Member]]:
    """The causes of one failing result: ((kind, check, text), its share)."""
    if result.setup_failure is not None:
        text = normalise_cause(setup_text(result.setup_failure))
        return [(("setup", SETUP, text), _Member(result, None, 1))]
    if result.failures:
        members: dict[str, _Member] = {}
        rooted: dict[str, bool] = {}
        for failure in result.failures:
            member = members.setdefault(failure.cause, _Member(result, failure, 0))
            member.failures += 1
            rooted[failure.cause] = bool(failure.root)
        return [
            (("failure", ROOT if rooted[text] else result.check, text), m)
            for text, m in members.items()
        ]
    if result.status == "xpassed":
        why = " ".join(result.reason.split())
        text = "passed although listed as an expected failure" + (f" {why}" if why else "")
        return [
            (
                ("xpassed", result.check, normalise_cause(text, result.operation)),
                _Member(result, None, 1),
            )
        ]
    kind: Kind = "error" if result.status == "error" else "failure"
    text = normalise_cause(result.reason or result.status, result.operation)
    check = ROOT if kind == "error" and budget_error(result.reason) else result.check
    return [((kind, check, text), _Member(result, None, 1))]


def cause_id(kind: str, check: str, text: str) -> str:
    """A short, stable id of a cause: the same cause has the same id in every run."""
    digest = hashlib.sha256(f"{kind}\x1f{check}\x1f{text}".encode()).hexdigest()
    return digest[:10]


def operation_rank(operations: Iterable[str]) -> dict[str, int]:
    """Sort positions of operations: the endpoint first, then by name (the specs' order)."""
    return {op: i for i, op in enumerate(sorted(set(operations), key=lambda o: (o != ENDPOINT, o)))}


def group_causes(
    results: Iterable[CheckResult], strictness: str, parity_gate: bool = False
) -> tuple[Cause, ...]:
    """Group the failing results (failed, error, xpassed) by cause, most operations first."""
    groups: dict[_Key, list[_Member]] = {}
    for result in results:
        if result.status not in FAILING:
            continue
        for key, member in _keys(result):
            groups.setdefault(key, []).append(member)
    causes = [_cause(key, members, strictness, parity_gate) for key, members in groups.items()]
    return tuple(
        sorted(causes, key=lambda c: (-len(c.operations), -len(c.results), c.check, c.text))
    )


def _mixed(check: str) -> str:
    """The category of a cause spanning several: its root fact's, or a setup step's."""
    return ROOT if check == ROOT else SETUP


def _cause(key: _Key, members: list[_Member], strictness: str, parity_gate: bool) -> Cause:
    kind, check, text = key
    results = [m.result for m in members]
    rank = operation_rank(r.operation for r in results)
    operations = tuple(sorted({r.operation for r in results}, key=rank.__getitem__))
    first = min(members, key=lambda m: rank[m.result.operation])
    categories = {r.category for r in results}
    example = first.example
    return Cause(
        id=cause_id(kind, check, text),
        kind=kind,
        check=check,
        checks=tuple(dict.fromkeys(r.check for r in results)),
        category=first.result.category if len(categories) == 1 else _mixed(check),
        level="MUST" if any(r.level == "MUST" for r in results) else "SHOULD",
        status=worst(r.status for r in results),  # type: ignore[arg-type]
        counted=any(counts(r, strictness, parity_gate) for r in results),
        text=text,
        operations=operations,
        results=tuple(dict.fromkeys(r.id for r in results)),
        failures=sum(m.failures for m in members),
        example=Example(
            result=first.result.id,
            index=next((i for i, f in enumerate(first.result.failures) if f is example), None),
            message="" if example is None else example.message,
            expected="" if example is None else example.expected,
            actual="" if example is None else example.actual,
            spec_fact=None if example is None else example.spec_fact,
        ),
        setup=first.result.setup_failure if kind == "setup" else None,
        failure=example,
    )


def counted_causes(causes: Iterable[Cause]) -> tuple[Cause, ...]:
    """The causes that count towards the score."""
    return tuple(c for c in causes if c.counted)


def not_counted_causes(causes: Iterable[Cause]) -> tuple[Cause, ...]:
    """The causes that do not count (SHOULD checks under ``spec``, categories scored apart)."""
    return tuple(c for c in causes if not c.counted)
