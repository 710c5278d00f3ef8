"""Run one check on one operation and turn whatever happens into a :class:`CheckResult`.

The status model keeps "the endpoint is wrong" (failed) apart from "the harness or the target's
reachability broke" (error), and "the target does not implement this operation" (unsupported)
apart from both.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import replace

from ...records import ENDPOINT, CheckResult, SetupFailure, Status
from ...specs import Operation
from ...wire import TargetUnreachable
from .env import CheckEnv
from .namespace import UnsafeRequest
from .registry import BudgetSpent, Check, Outcome, SetupFailed, Skip, Unsupported


def run_case(env: CheckEnv, check: Check, op: Operation | None) -> CheckResult:
    """Run ``check`` on ``op`` (None: the endpoint) against the environment's target; never
    raises."""
    start = time.perf_counter()
    sent = env.sender.requests_sent
    status: Status = "passed"
    reason = ""
    setup: SetupFailure | None = None
    outcome = Outcome()
    try:
        outcome = check.fn(env, op)
        reason = outcome.note
        if outcome.failures:
            status = "failed"
        elif outcome.examples == 0:
            status, reason = "skipped", "the check found nothing to judge on this target"
    except SetupFailed as exc:
        status, reason, setup = "error", str(exc), exc.record()
    except BudgetSpent as exc:
        status, reason = "error", str(exc)
    except Unsupported as exc:
        status = "unsupported"
        code = exc.args[1] if len(exc.args) > 1 else "UnsupportedCommandException"
        reason = f"the target answered {code} for {exc.args[0]}"
    except Skip as exc:
        status, reason = "skipped", str(exc)
    except TargetUnreachable as exc:
        status, reason = "error", str(exc)
    except UnsafeRequest as exc:
        status, reason = "error", str(exc)
    except Exception as exc:  # the harness itself broke: report it, never hide it
        status = "error"
        reason = f"{type(exc).__name__}: {exc}\n" + "".join(
            traceback.format_tb(exc.__traceback__)[-3:]
        )
    lost = env.resources.setup_failures.get(op.name) if op is not None else None
    if status == "skipped" and lost is not None:
        # nothing to judge because the setup was refused: lost coverage, never a quiet skip
        status, reason, setup = "error", str(lost), lost.record()
    name = op.name if op is not None else ENDPOINT
    replay = f"ecr-public-conformance replay results.json --id {name}::{check.id}"
    failures = [
        replace(f, reproduce={**f.reproduce, "replay": replay}) for f in outcome.failures[:5]
    ]
    return CheckResult(
        operation=name,
        check=check.id,
        category=check.category,
        level=check.level,
        description=check.description,
        status=status,
        reason=reason,
        examples=outcome.examples,
        duration_s=round(time.perf_counter() - start, 4),
        failures=tuple(failures),
        observed_window_s=outcome.observed_window_s,
        scope=check.scope,
        setup_failure=setup,
        entries=tuple(outcome.entries),
        requests=env.sender.requests_sent - sent,
        tried=tuple(outcome.tried),
    )
