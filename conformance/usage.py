"""What a run used: requests by operation, throttling, the budgets, and what cleanup left.

Each case reports what it sent (per operation) and where its process stands against the budgets;
each process reports its cleanup when it ends (xdist workers through ``workeroutput``). The
controller adds them up into results.json's ``requests``, ``budgets`` and ``cleanup``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .env import CheckEnv


def snapshot(env: CheckEnv) -> dict[str, Any]:
    """Where this process stands: requests by operation, budgets, client retries."""
    stats = env.client.stats.as_dict() if hasattr(env.client, "stats") else {}
    return {
        "worker": env.prefix.rsplit("-", 1)[-1],
        "by_operation": dict(env.by_operation),
        "budget_hit": env.budget_hit,
        "request_cap": env.request_cap,
        "shrink_s": round(env.shrink_spent_s, 3),
        "shrink_hit": env.shrink_hit,
        "client": stats,
    }


def _latest(usages: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The last snapshot of each process (counters only grow)."""
    out: dict[str, Mapping[str, Any]] = {}
    for u in usages:
        out[str(u.get("worker", "main"))] = u
    return out


def requests_of(usages: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """results.json ``requests``: total, by operation, throttled answers and retries."""
    by_operation: dict[str, int] = {}
    throttled = retries = 0
    for u in _latest(usages).values():
        for op, n in (u.get("by_operation") or {}).items():
            by_operation[op] = by_operation.get(op, 0) + int(n)
        throttled += int((u.get("client") or {}).get("throttled", 0))
        retries += int((u.get("client") or {}).get("retries", 0))
    return {
        "total": sum(by_operation.values()),
        "by_operation": dict(sorted(by_operation.items())),
        "throttled": throttled,
        "retries": retries,
    }


def budgets_of(
    usages: Iterable[Mapping[str, Any]], request_limit: int, shrink_limit: float
) -> dict[str, Any]:
    """results.json ``budgets``: each budget's limit, what was used, and whether it was hit."""
    latest = _latest(usages).values()
    used = sum(sum((u.get("by_operation") or {}).values()) for u in latest)
    return {
        "requests": {
            "limit": request_limit,
            "used": used,
            "hit": any(bool(u.get("budget_hit")) for u in latest),
        },
        "shrink_s": {
            "limit": shrink_limit,
            "used": round(sum(float(u.get("shrink_s", 0)) for u in latest), 3),
            "hit": any(bool(u.get("shrink_hit")) for u in latest),
        },
    }


def cleanup_of(reports: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """results.json ``cleanup``: the reports of every process, combined."""
    reports = [r for r in reports if r]
    if not reports:
        return {}
    left = sorted({n for r in reports for n in r.get("left", ())})
    commands = sorted({r.get("command", "") for r in reports if r.get("left") and r.get("command")})
    return {
        "left": left,
        "verified": all(bool(r.get("verified", True)) for r in reports),
        "registry_restored": all(bool(r.get("registry_restored", True)) for r in reports),
        "not_restored": sorted({n for r in reports for n in r.get("not_restored", ())}),
        "deleted": sum(int(r.get("deleted", 0)) for r in reports),
        "command": commands[0] if len(commands) == 1 else "; ".join(commands),
    }
