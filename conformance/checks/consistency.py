"""Read-after-write: a successful write becomes visible to its read within the window (the
pairs are catalogue data: ``catalogue/read_after_write.toml``)."""

from __future__ import annotations

import time

from ...specs import Operation
from ..catalogue.read_after_write import load_pairs, values
from ..catalogue.scenarios import fill
from ..harness.env import CheckEnv
from ..harness.explain import answer
from ..harness.registry import Outcome, Skip, check
from ..harness.semantics import registry_write

POLL_S = 0.1


@check(
    "consistency",
    "MUST",
    "a successful write is visible to its read within the window",
    applies=lambda op: op.name in load_pairs(),
    mutates=True,
)
def read_after_write(env: CheckEnv, op: Operation) -> Outcome:
    """After a write succeeds, the matching read observes it within --ecr-consistency-window."""
    env.guard_mutation(f"send {op.name} to resources it creates")
    pair = load_pairs()[op.name]
    reason = pair.not_applicable(env)
    if reason:
        raise Skip(reason)
    lookup = values(env, op.name, env.new_name("w"))
    params = fill(pair.request, lookup)
    if registry_write(op):
        env.remember_registry()
    written = env.send(op.name, params)
    if not written.ok:
        raise Skip(f"the write was not accepted (HTTP {written.status} {written.error_code})")
    start = time.monotonic()
    window = env.config.consistency_window_s
    wait = env.patience.wait_s(pair.read)
    while True:
        read = env.send(pair.read, fill(pair.read_request, lookup))
        elapsed = time.monotonic() - start
        if read.ok and pair.observed(read.json, lookup):
            env.patience.showed(elapsed)
            return Outcome(examples=1, observed_window_s=round(elapsed, 3))
        if elapsed >= wait:
            break
        time.sleep(POLL_S)
    note = env.patience.cut_note(pair.read, wait)
    env.patience.missed_write(pair.read, wait)
    out = Outcome(examples=1, observed_window_s=None)
    out.failures.append(
        env.fail(
            f"{pair.read} did not observe the {op.name} within {wait:g} s "
            f"(last answer {answer(read)}){note}",
            read,
            env.fact(
                op.name, None, f"read-after-write via {pair.read} within {window:g} s", "overlay"
            ),
            f"the write visible to {pair.read} within the window",
        )
    )
    return out
