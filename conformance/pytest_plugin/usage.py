"""What a run used: requests by operation, throttling, the budgets, and what cleanup left.

Each case reports what its process has sent so far (a :class:`Usage`, which crosses xdist
workers in its JSON form) and each process reports its cleanup when it ends; the controller
adds them up into the run record's ``requests``, ``budgets`` and ``cleanup``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ...records import Budget, Budgets, Cleanup, Requests
from ..harness.env import CheckEnv


@dataclass(frozen=True)
class Usage:
    """Where one process stands: requests by operation, budgets, client retries."""

    worker: str
    by_operation: dict[str, int] = field(default_factory=dict)
    budget_hit: bool = False
    request_cap: int = 0
    shrink_s: float = 0.0
    shrink_hit: bool = False
    throttled: int = 0
    retries: int = 0


def snapshot(env: CheckEnv) -> Usage:
    """Where this process stands now."""
    sender = env.sender
    stats = sender.client.stats
    return Usage(
        worker=env.prefix.rsplit("-", 1)[-1],
        by_operation=dict(sender.by_operation),
        budget_hit=sender.budget_hit,
        request_cap=sender.request_cap,
        shrink_s=round(env.shrink.spent_s, 3),
        shrink_hit=env.shrink.hit,
        throttled=stats.throttled,
        retries=stats.retries,
    )


def _latest(usages: Iterable[Usage]) -> list[Usage]:
    """The last snapshot of each process (counters only grow)."""
    return list({u.worker: u for u in usages}.values())


def requests_of(usages: Iterable[Usage]) -> Requests:
    """The run's requests: in all, by operation, throttled answers and retries."""
    latest = _latest(usages)
    by_operation: dict[str, int] = {}
    for u in latest:
        for op, n in u.by_operation.items():
            by_operation[op] = by_operation.get(op, 0) + n
    return Requests(
        total=sum(by_operation.values()),
        by_operation=dict(sorted(by_operation.items())),
        throttled=sum(u.throttled for u in latest),
        retries=sum(u.retries for u in latest),
    )


def budgets_of(usages: Iterable[Usage], request_limit: int, shrink_limit: float) -> Budgets:
    """Each budget's limit, what the run used of it, and whether it was hit."""
    latest = _latest(usages)
    return Budgets(
        requests=Budget(
            request_limit,
            sum(sum(u.by_operation.values()) for u in latest),
            any(u.budget_hit for u in latest),
        ),
        shrink_s=Budget(
            shrink_limit,
            round(sum(u.shrink_s for u in latest), 3),
            any(u.shrink_hit for u in latest),
        ),
    )


def cleanup_of(reports: Iterable[Cleanup]) -> Cleanup:
    """The cleanup of every process, combined."""
    reports = list(reports)
    if not reports:
        return Cleanup()
    commands = sorted({r.command for r in reports if r.left and r.command})
    return Cleanup(
        left=tuple(sorted({n for r in reports for n in r.left})),
        verified=all(r.verified for r in reports),
        registry_restored=all(r.registry_restored for r in reports),
        not_restored=tuple(sorted({n for r in reports for n in r.not_restored})),
        deleted=sum(r.deleted for r in reports),
        command=commands[0] if len(commands) == 1 else "; ".join(commands),
    )
