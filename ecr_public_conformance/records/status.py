"""The status vocabulary and the one rule of what counts towards the score.

``disabled < skipped < unsupported < passed < xfailed < xpassed < failed < error``: ``failed``
means the endpoint deviates, ``error`` that the check could not run. A result counts towards
the score when its check's level counts under the strictness (MUST always, SHOULD under
``aws``) and its category is not scored apart (parity, which counts only behind its gate).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .categories import SCORED_APART
from .codec import bounded

if TYPE_CHECKING:
    from .results import CheckResult

Status = Literal[
    "disabled", "skipped", "unsupported", "passed", "xfailed", "xpassed", "failed", "error"
]
Level = Literal["MUST", "SHOULD"]
Scope = Literal["operation", "endpoint"]
Strictness = Literal["spec", "aws"]
#: Worst-of order used to roll statuses up (an operation's status is its worst check's).
STATUS_ORDER: tuple[Status, ...] = (
    "disabled",
    "skipped",
    "unsupported",
    "passed",
    "xfailed",
    "xpassed",
    "failed",
    "error",
)
#: Statuses that count towards a score, and the ones that count against it.
COUNTED = frozenset({"passed", "failed", "error", "xpassed"})
FAILING = frozenset({"failed", "error", "xpassed"})
#: Key of each status in the summary (``error`` is summarised as ``errors``).
SUMMARY_KEYS = {
    "passed": "passed",
    "failed": "failed",
    "skipped": "skipped",
    "unsupported": "unsupported",
    "xfailed": "xfailed",
    "xpassed": "xpassed",
    "error": "errors",
    "disabled": "disabled",
}

#: Error codes that say a target does not implement an operation: ECR's own, and the AWS JSON
#: convention for an X-Amz-Target the service does not know (a target of an older edition).
#: A check meeting one of them on its own operation ends ``unsupported``.
UNSUPPORTED_CODES = frozenset({"UnsupportedCommandException", "UnknownOperationException"})


def worst(statuses: Iterable[Status]) -> Status:
    """Return the worst status of ``statuses`` (``disabled`` for none)."""
    return max(statuses, key=STATUS_ORDER.index, default="disabled")


def counts(result: CheckResult, strictness: str, parity_gate: bool = False) -> bool:
    """Whether ``result`` counts towards the score (and the exit code) under ``strictness``:
    MUST checks always, SHOULD checks under ``aws``; a category scored apart only behind its
    gate (``--parity-gate``)."""
    if result.category in SCORED_APART:
        return parity_gate
    return strictness == "aws" or result.level == "MUST"


def score(results: Iterable[CheckResult]) -> float | None:
    """Return passed / (passed + failed + errors + xpassed), or None when nothing counted."""
    counted = [r.status for r in results if r.status in COUNTED]
    if not counted:
        return None
    return counted.count("passed") / len(counted)


@dataclass(frozen=True)
class Summary:
    """Counts per status and the scores of a run."""

    passed: int = bounded(0, minimum=0)
    failed: int = bounded(0, minimum=0)
    skipped: int = bounded(0, minimum=0)
    unsupported: int = bounded(0, minimum=0)
    xfailed: int = bounded(0, minimum=0)
    xpassed: int = bounded(0, minimum=0)
    errors: int = bounded(0, minimum=0)
    disabled: int = bounded(0, minimum=0)
    total: int = bounded(0, minimum=0)
    score: float | None = bounded(None, minimum=0, maximum=1)
    must_score: float | None = bounded(None, minimum=0, maximum=1)
    should_score: float | None = bounded(None, minimum=0, maximum=1)


def summarize(results: Iterable[CheckResult], strictness: str = "aws") -> Summary:
    """Count the results per status and compute the overall, MUST and SHOULD scores.

    The overall score counts what the strictness counts (see :func:`counts`); categories
    scored apart are in no score.
    """
    items = list(results)
    tally = Counter(SUMMARY_KEYS[r.status] for r in items)
    scored = [r for r in items if r.category not in SCORED_APART]
    return Summary(
        **tally,
        total=len(items),
        score=score(r for r in scored if counts(r, strictness)),
        must_score=score(r for r in scored if r.level == "MUST"),
        should_score=score(r for r in scored if r.level == "SHOULD"),
    )


def failing(result: CheckResult, strictness: str, parity_gate: bool = False) -> bool:
    """Whether ``result`` makes the run fail: a failing status that counts."""
    return result.status in FAILING and counts(result, strictness, parity_gate)
