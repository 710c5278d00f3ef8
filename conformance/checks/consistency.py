"""Read-after-write: a successful write becomes visible to its read within the window."""

from __future__ import annotations

import time
from typing import Any

from ...specs import Operation
from ..harness.env import CheckEnv
from ..harness.explain import answer
from ..harness.registry import Outcome, Skip, check
from ..harness.registry_identity import registry_verified
from ..harness.semantics import READ_AFTER_WRITE, policy_text

POLL_S = 0.1


def _write_params(env: CheckEnv, op: Operation) -> dict[str, Any]:
    """A fresh, meaningful write for ``op`` on resources the run owns."""
    nonce = env.new_name("w")
    if op.name == "CreateRepository":
        return {"repositoryName": nonce}
    if op.name == "PutRegistryCatalogData":
        return {"displayName": nonce[:100]}
    world = env.resources.scratch(f"consistency-{op.name}")
    if op.name == "TagResource":
        return {"resourceArn": world.repository_arn, "tags": [{"Key": "rw", "Value": nonce}]}
    if op.name == "SetRepositoryPolicy":
        return {"repositoryName": world.repository, "policyText": policy_text(nonce)}
    return {"repositoryName": world.repository, "catalogData": {"description": nonce}}


@check(
    "consistency",
    "MUST",
    "a successful write is visible to its read within the window",
    applies=lambda op: op.name in READ_AFTER_WRITE,
    mutates=True,
)
def read_after_write(env: CheckEnv, op: Operation) -> Outcome:
    """After a write succeeds, the matching read observes it within --ecr-consistency-window."""
    env.guard_mutation(f"send {op.name} to resources it creates")
    if op.name == "PutRegistryCatalogData" and not registry_verified(env):
        raise Skip(
            "the registry is not verified, and only a verified registry is documented to keep "
            "a display name"
        )
    pair = READ_AFTER_WRITE[op.name]
    params = _write_params(env, op)
    if op.name == "PutRegistryCatalogData":
        env.remember_registry()
    written = env.send(op.name, params)
    if not written.ok:
        raise Skip(f"the write was not accepted (HTTP {written.status} {written.error_code})")
    start = time.monotonic()
    window = env.config.consistency_window_s
    wait = env.patience.wait_s(pair.read)
    while True:
        read = env.send(pair.read, pair.read_params(params))
        elapsed = time.monotonic() - start
        if read.ok and pair.observed(params, read.json):
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
