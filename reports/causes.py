"""Failing results grouped by cause: one behaviour seen on 23 operations is one item, not 23.

A cause is a check and what went wrong, without run-specific values:

* a result with failures groups by its check and each failure's ``cause`` (``expected X;
  got Y``, normalised in ``conformance/records.py``);
* a failing result without failures (an error, an xpass) by its check and normalised reason;
* a result whose setup failed by the setup step and the response (status and code), whatever
  the check: one broken ``CompleteLayerUpload`` is one cause for every check that needed it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..categories import SCORED_APART
from ..conformance.records import ENDPOINT, CheckResult, Failure, Level, normalise_cause, worst
from .matrix import spec_operations
from .results import FAILING, counts

Kind = Literal["failure", "error", "xpassed", "setup"]
#: The check id of setup causes, which span every check that needed the failed step.
SETUP = "setup"
#: The check id of causes grouped by a root fact, which span every check that saw it.
ROOT = "root"


@dataclass(frozen=True)
class Cause:
    """One cause of failure and every result it explains."""

    id: str
    kind: Kind
    check: str
    category: str
    level: Level
    status: str
    counted: bool
    text: str
    operations: tuple[str, ...]
    results: tuple[str, ...]
    checks: tuple[str, ...] = ()
    failures: int = 0
    example_result: str = ""
    example: Failure | None = None
    #: Position of ``example`` in the example result's failures (None without one).
    example_index: int | None = None
    setup: Mapping[str, Any] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (a member of ``results.json``'s ``causes``)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "check": self.check,
            "checks": list(self.checks),
            "category": self.category,
            "level": self.level,
            "status": self.status,
            "counted": self.counted,
            "text": self.text,
            "operations": list(self.operations),
            "results": list(self.results),
            "failures": self.failures,
            "example": self._example_dict(),
            "setup": None if self.setup is None else dict(self.setup),
        }

    def _example_dict(self) -> dict[str, Any]:
        """The example, without the request and response its result already holds."""
        f = self.example
        return {
            "result": self.example_result,
            "index": self.example_index,
            "message": "" if f is None else f.message,
            "expected": "" if f is None else f.expected,
            "actual": "" if f is None else f.actual,
            "spec_fact": None if f is None else f.spec_fact.to_dict(),
        }


def setup_text(setup: Mapping[str, Any]) -> str:
    """``setup CompleteLayerUpload failed with HTTP 400 LayerPartTooSmallException``."""
    step = setup.get("step") or "step"
    status, code = setup.get("status"), setup.get("code")
    if status is None and not code:
        message = " ".join(str(setup.get("message") or "").split())
        return f"setup {step} failed" + (f": {message}" if message else "")
    answer = " ".join(str(x) for x in (f"HTTP {status}" if status is not None else "", code) if x)
    return f"setup {step} failed with {answer}"


@dataclass
class _Member:
    """One result's share of a cause: its first failure with that cause and how many."""

    result: CheckResult
    example: Failure | None
    failures: int


def _keys(result: CheckResult) -> list[tuple[tuple[Kind, str, str], _Member]]:
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
        key: tuple[Kind, str, str] = (
            "xpassed",
            result.check,
            normalise_cause(text, result.operation),
        )
        return [(key, _Member(result, None, 1))]
    kind: Kind = "error" if result.status == "error" else "failure"
    text = normalise_cause(result.reason or result.status, result.operation)
    check = ROOT if kind == "error" and budget_error(result.reason) else result.check
    return [((kind, check, text), _Member(result, None, 1))]


def budget_error(reason: str) -> bool:
    """True for the reason of a check the request budget stopped (one cause, whatever the
    check)."""
    return "request budget was reached" in reason


def cause_id(kind: str, check: str, text: str) -> str:
    """A short, stable id of a cause: the same cause has the same id in every run."""
    digest = hashlib.sha256(f"{kind}\x1f{check}\x1f{text}".encode()).hexdigest()
    return digest[:10]


def operation_rank(operations: Sequence[str] = ()) -> dict[str, int]:
    """Sort positions of operations: the endpoint first, then the spec's order."""
    order = (ENDPOINT, *spec_operations(), *operations)
    rank: dict[str, int] = {}
    for op in order:
        rank.setdefault(op, len(rank))
    return rank


def group_causes(results: Iterable[CheckResult], strictness: str) -> tuple[Cause, ...]:
    """Group the failing results (failed, error, xpassed) by cause, most operations first."""
    groups: dict[tuple[Kind, str, str], list[_Member]] = {}
    for result in results:
        if result.status not in FAILING:
            continue
        for key, member in _keys(result):
            groups.setdefault(key, []).append(member)
    causes = [_cause(key, members, strictness) for key, members in groups.items()]
    return tuple(
        sorted(causes, key=lambda c: (-len(c.operations), -len(c.results), c.check, c.text))
    )


def _cause(key: tuple[Kind, str, str], members: list[_Member], strictness: str) -> Cause:
    kind, check, text = key
    results = [m.result for m in members]
    rank = operation_rank(sorted({r.operation for r in results}))
    operations = tuple(sorted({r.operation for r in results}, key=rank.__getitem__))
    first = min(members, key=lambda m: rank[m.result.operation])
    categories = {r.category for r in results}
    return Cause(
        id=cause_id(kind, check, text),
        kind=kind,
        check=check,
        checks=tuple(dict.fromkeys(r.check for r in results)),
        category=first.result.category
        if len(categories) == 1
        else (ROOT if check == ROOT else SETUP),
        level="MUST" if any(r.level == "MUST" for r in results) else "SHOULD",
        status=worst([r.status for r in results]),
        counted=any(counts(r, strictness) for r in results),
        text=text,
        operations=operations,
        results=tuple(dict.fromkeys(r.id for r in results)),
        failures=sum(m.failures for m in members),
        example_result=first.result.id,
        example=first.example,
        example_index=next(
            (i for i, f in enumerate(first.result.failures) if f is first.example), None
        ),
        setup=None if kind != "setup" else dict(first.result.setup_failure or {}),
    )


def _mixed(check: str) -> str:
    """The category of a cause spanning several: its root fact's, or a setup step's."""
    return ROOT if check == ROOT else SETUP


def check_label(cause: Cause) -> str:
    """The check a cause is about, or ``3 checks`` for a setup step that blocked several."""
    if len(cause.checks) > 1:
        return f"{len(cause.checks)} checks"
    return cause.checks[0] if cause.checks else cause.check


def causes_text(counted: Sequence[Cause]) -> str:
    """``12 causes (75 failures)``, or ``no failures``: what a reader needs first."""
    if not counted:
        return "no failures"
    failures = {i for c in counted for i in c.results}
    noun = "cause" if len(counted) == 1 else "causes"
    return f"{len(counted)} {noun} ({len(failures)} failure{'' if len(failures) == 1 else 's'})"


def run_causes_text(results: Iterable[CheckResult], strictness: str) -> str:
    """The causes headline of a run's results at ``strictness``."""
    return causes_text(counted_causes(group_causes(results, strictness)))


def counted_causes(causes: Iterable[Cause]) -> tuple[Cause, ...]:
    """The causes that count towards the score."""
    return tuple(c for c in causes if c.counted)


def not_counted_causes(causes: Iterable[Cause]) -> tuple[Cause, ...]:
    """The causes that do not count (SHOULD checks under ``spec``, categories scored apart)."""
    return tuple(c for c in causes if not c.counted)


def not_counted_reason(causes: Iterable[Cause], strictness: str) -> str:
    """Why causes are not counted: ``SHOULD checks under strictness spec``, ``scored apart``."""
    items = list(causes)
    reasons = []
    if any(c.category not in SCORED_APART for c in items):
        reasons.append(f"SHOULD checks under strictness {strictness}")
    apart = sorted({c.category for c in items} & set(SCORED_APART))
    if apart:
        reasons.append(f"{', '.join(apart)} scored apart")
    return "; ".join(reasons)
