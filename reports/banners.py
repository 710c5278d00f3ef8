"""Warnings shown at the top of every report, each only when it applies.

Checks that could not run because a setup step failed, a run that stopped early, a budget that
was hit, and what cleanup left behind: things a reader must know before reading the score.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from ..records import Budget, RunResults
from ..records.causes import budget_error, setup_text
from ..records.results import normalise_cause
from .fmt import plural

BannerKind = Literal["setup", "interrupted", "budget", "cleanup"]
#: How a stop reason reads in a sentence.
STOP_REASONS = {
    "interrupted": "interrupted",
    "max-failures": "stopped at the failure limit",
    "request-budget": "stopped by the request budget",
}
#: Leftover resource names a banner lists before it counts the rest.
MAX_NAMES = 5


@dataclass(frozen=True)
class Banner:
    """One warning line; ``command`` is a command that deals with it (shown as code)."""

    kind: BannerKind
    text: str
    command: str = ""


def banners(run: RunResults) -> list[Banner]:
    """Every warning that applies to ``run``, in reading order."""
    return [*_setup(run), *_interruption(run), *_budgets(run), *_cleanup(run)]


def _setup(run: RunResults) -> list[Banner]:
    texts: Counter[str] = Counter()
    for result in run.results:
        if result.setup_failure is not None:
            texts[normalise_cause(setup_text(result.setup_failure))] += 1
    return [
        Banner("setup", f"{plural(n, 'check')} could not run: {text}")
        for text, n in texts.most_common()
    ]


def _interruption(run: RunResults) -> list[Banner]:
    if not run.ending.interrupted and not run.ending.stop_reason:
        return []
    reason = run.ending.stop_reason or "interrupted"
    verb = STOP_REASONS.get(reason, f"stopped ({reason})")
    ran = len(run.results)
    if run.ending.cases_total is None:
        done = plural(ran, "case")
    else:
        done = f"{ran} of {plural(run.ending.cases_total, 'case')}"
    return [Banner("interrupted", f"{verb} after {done}; the scores cover only what ran")]


#: What a budget's banner tells the reader to do (the option that raises it).
RAISE_WITH = {
    "requests": "raise it with --max-requests N (plug-in: --ecr-max-requests N)",
}


def _budgets(run: RunResults) -> list[Banner]:
    out = []
    for name in ("requests", "shrink_s"):
        budget: Budget = getattr(run.budgets, name)
        if not budget.hit:
            continue
        text = f"budget hit: {budget.used:g} of {budget.limit:g} {name}"
        if name == "requests":
            lost = sum(1 for r in run.results if r.status == "error" and budget_error(r.reason))
            text += (
                f"; {plural(lost, 'check')} could not run (the others keep their verdicts); "
                f"{RAISE_WITH[name]}"
            )
        out.append(Banner("budget", text))
    return out


def _cleanup(run: RunResults) -> list[Banner]:
    cleanup = run.cleanup
    out = []
    left = list(cleanup.left)
    if left:
        names = ", ".join(left[:MAX_NAMES])
        if len(left) > MAX_NAMES:
            names += f" +{len(left) - MAX_NAMES} more"
        out.append(
            Banner(
                "cleanup",
                f"cleanup left {plural(len(left), 'resource')} behind: {names}",
                cleanup.command,
            )
        )
    for item in cleanup.not_restored:
        out.append(Banner("cleanup", f"not restored: {item}"))
    return out
