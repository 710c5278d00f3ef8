"""Run one check on one operation and turn whatever happens into a :class:`CheckResult`.

The status model keeps "the endpoint is wrong" (failed) apart from "the harness or the target's
reachability broke" (error), and "the target does not implement this operation" (unsupported)
apart from both.
"""

from __future__ import annotations

import time
import traceback

from ..specs import Operation
from ..wire import TargetUnreachable
from .env import CheckEnv
from .records import CheckResult, Status
from .registry import Check, Outcome, Skip, Unsupported


def run_case(env: CheckEnv, check: Check, op: Operation) -> CheckResult:
    """Run ``check`` on ``op`` against the environment's target; never raises."""
    start = time.perf_counter()
    status: Status = "passed"
    reason = ""
    outcome = Outcome()
    try:
        outcome = check.fn(env, op)
        if outcome.failures:
            status = "failed"
        elif outcome.examples == 0:
            status, reason = "skipped", "no request could be sent for this operation"
    except Unsupported as exc:
        status = "unsupported"
        reason = f"the target answered UnsupportedCommandException for {exc}"
    except Skip as exc:
        status, reason = "skipped", str(exc)
    except TargetUnreachable as exc:
        status, reason = "error", str(exc)
    except Exception as exc:  # the harness itself broke: report it, never hide it
        status = "error"
        reason = f"{type(exc).__name__}: {exc}\n" + "".join(
            traceback.format_tb(exc.__traceback__)[-3:]
        )
    return CheckResult(
        operation=op.name,
        check=check.id,
        category=check.category,
        level=check.level,
        description=check.description,
        status=status,
        reason=reason,
        examples=outcome.examples,
        duration_s=round(time.perf_counter() - start, 4),
        failures=tuple(outcome.failures[:5]),
        observed_window_s=outcome.observed_window_s,
    )
