"""Shrink a failing request: drop optional members and shorten lists while it still fails."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...specs import Operation
from ...wire import Exchange

if TYPE_CHECKING:
    from .env import CheckEnv

MAX_STEPS = 30


@dataclass
class ShrinkBudget:
    """The run's shrink time: seconds spent so far, and whether the budget was reached."""

    spent_s: float = 0.0
    hit: bool = False


def _candidates(params: dict[str, Any], keep: set[str], required: set[str]) -> list[dict]:
    out = []
    for key, value in params.items():
        if key in keep:
            continue
        if key not in required:
            smaller = {k: v for k, v in params.items() if k != key}
            out.append(smaller)
        if isinstance(value, list) and len(value) > 1:
            out.append({**params, key: value[:1]})
    return out


def shrink(
    env: CheckEnv, op: Operation, sample: Any, fails: Callable[[Exchange], bool]
) -> Exchange:
    """Return the exchange of the smallest request found that still fails (greedy, bounded)."""
    params = sample.params
    best = sample.exchange
    if not isinstance(params, dict):
        return best
    label = sample.label
    keep = {str(label.path[0])} if label is not None and label.path else set()
    required = set(op.input.required)
    params = copy.deepcopy(params)
    start = time.monotonic()
    try:
        for _ in range(MAX_STEPS):
            for candidate in _candidates(params, keep, required):
                if env.shrink.spent_s + (time.monotonic() - start) >= env.config.shrink_budget_s:
                    env.shrink.hit = True  # the run's shrink budget is spent: keep what we have
                    return best
                ex = env.send(op.name, candidate)
                if fails(ex):
                    params, best = candidate, ex
                    break
            else:
                return best
        return best
    finally:
        env.shrink.spent_s += time.monotonic() - start
