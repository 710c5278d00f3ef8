"""How causes read in every report: the check label, the causes headline, why some do not count.

The causes themselves are grouped in the records layer
(:mod:`ecr_public_conformance.records.causes`); this module only words them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..records import RunResults
from ..records.categories import SCORED_APART
from ..records.causes import Cause, counted_causes


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


def run_causes_text(run: RunResults) -> str:
    """The causes headline of a run."""
    return causes_text(counted_causes(run.causes))


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
