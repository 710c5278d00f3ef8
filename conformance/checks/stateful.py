"""Stateful model conformance: the strategies' registry model, run against the target.

The model (``strategies.stateful``) pushes images, moves tags, deletes with and without force,
verifies digests and part contiguity, and paginates over what it created, comparing each answer
with its own state. It runs once per worker; each operation's case reports whether the model
caught that operation deviating.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...specs import Operation
from ...wire import Exchange
from ..env import CheckEnv
from ..registry import Outcome, Skip, Unsupported, check


@dataclass
class ModelRun:
    """What one run of the model saw: operations called, the mismatch, unsupported ones."""

    called: dict[str, int] = field(default_factory=dict)
    mismatch: Any = None
    unsupported: set[str] = field(default_factory=set)
    error: str | None = None


class _Recorder:
    """The target handed to the model: the run's client, counting operations."""

    def __init__(self, env: CheckEnv, run: ModelRun) -> None:
        self.env = env
        self.run = run

    def call(self, operation: str, params: Any = None) -> Exchange:
        """Send through the run's client and count the operation."""
        self.run.called[operation] = self.run.called.get(operation, 0) + 1
        self.env.requests_sent += 1
        ex = self.env.client.call(operation, params)
        if ex.ok and operation == "CreateRepository" and isinstance(params, dict):
            self.env.ledger.record("repository", name=params.get("repositoryName"))
        return ex


def _run_model(env: CheckEnv) -> ModelRun:
    from hypothesis.stateful import run_state_machine_as_test

    from ...strategies import profiles
    from ...strategies.stateful import ModelMismatch, registry_machine
    from ...strategies.stateful import Unsupported as ModelUnsupported

    run = ModelRun()
    machine = registry_machine(_Recorder(env, run), env.new_name("m"))
    settings = profiles.settings_for(
        env.config.profile, seed=env.config.seed, database=env.config.hypothesis_db
    )
    try:
        run_state_machine_as_test(machine, settings=settings)
    except ModelMismatch as exc:
        run.mismatch = exc
    except ModelUnsupported as exc:
        run.unsupported.add(exc.operation)
    return run


def model_run(env: CheckEnv) -> ModelRun:
    """Run the model once per environment and cache what it saw."""
    if "model" not in env.cache:
        env.guard_mutation("run the registry model (create, push to and delete repositories)")
        env.cache["model"] = _run_model(env)
    run: ModelRun = env.cache["model"]
    return run


@check("stateful", "MUST", "answers agree with a model of the registry", mutates=True)
def registry_model_conformance(env: CheckEnv, op: Operation) -> Outcome:
    """Across a random sequence of calls, this operation's answers match the registry model."""
    run = model_run(env)
    if op.name in run.unsupported:
        raise Unsupported(op.name)
    mm = run.mismatch
    if mm is not None and getattr(mm, "operation", None) == op.name:
        exchange = getattr(mm, "exchange", None)
        fact = env.fact(
            op.name, getattr(mm, "member", None), getattr(mm, "fact", str(mm)), "overlay"
        )
        return Outcome(
            examples=run.called.get(op.name, 1),
            failures=[env.fail(f"model mismatch: {mm}", exchange, fact)],
        )
    if op.name not in run.called:
        raise Skip(f"the registry model did not call {op.name} in this run")
    return Outcome(examples=run.called[op.name])
