"""Stateful model conformance: the registry model, run against the target.

The model (``conformance.model``) pushes images, moves tags, deletes with and without force,
verifies digests and part contiguity, and paginates over what it created, comparing each answer
with its own state. It runs once per worker, in keep-going mode: a disagreement is recorded and
the repository it concerns set aside, so one deviation does not hide the others. Each
operation's case reports the distinct mismatches about that operation, with what came back,
each citing the fact it breaks (``conformance/model/facts.toml``) as a behaviour's failure does.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from typing import Any

from ...records import Failure
from ...specs import Operation
from ...strategies import profiles
from ...wire import Exchange, TargetUnreachable
from ..harness.env import CheckEnv
from ..harness.once import once_per_run
from ..harness.registry import BudgetSpent, Outcome, Skip, Unsupported, check
from ..harness.semantics import registry_write
from ..model import ModelMismatch, ModelStopped, model_fact, model_operations, registry_machine
from ..model import OperationUnsupported as ModelUnsupported

if sys.version_info >= (3, 11):
    import builtins

    ExceptionGroups: Any = builtins.BaseExceptionGroup
else:  # pragma: no cover  (Hypothesis brings the backport)
    from exceptiongroup import BaseExceptionGroup as ExceptionGroups


@dataclass
class ModelRun:
    """What the model saw: operations called, the mismatches, unsupported operations."""

    called: dict[str, int] = field(default_factory=dict)
    mismatches: list[Any] = field(default_factory=list)
    unsupported: set[str] = field(default_factory=set)
    stopped: str | None = None
    #: Set when the connection broke: the model's verdicts could not be reached.
    broken: str | None = None


class _Recorder:
    """The target handed to the model: the run's client, counting and ledgering."""

    def __init__(self, env: CheckEnv, run: ModelRun) -> None:
        self.env = env
        self.run = run

    def call(self, operation: str, params: Any = None) -> Exchange:
        """Send through the run's environment (counted, guarded, ledgered)."""
        self.run.called[operation] = self.run.called.get(operation, 0) + 1
        if registry_write(self.env.service.operation(operation)):
            self.env.remember_registry()
        try:
            return self.env.exchange(operation, params, retry_transport=False)
        except BudgetSpent as exc:
            raise ModelStopped(str(exc)) from exc
        except TargetUnreachable as exc:  # stop at once: no shrinking over a broken connection
            self.run.broken = str(exc)
            raise ModelStopped(f"{operation}: {exc}") from exc


def _unpack(exc: BaseException) -> list[BaseException]:
    """The leaves of an exception group (Hypothesis raises one for several distinct failures)."""
    if isinstance(exc, ExceptionGroups):
        return [leaf for sub in exc.exceptions for leaf in _unpack(sub)]
    return [exc]


def _run_model(env: CheckEnv) -> ModelRun:
    import hypothesis
    from hypothesis.stateful import run_state_machine_as_test

    run = ModelRun()
    machine = registry_machine(
        _Recorder(env, run),
        env.new_name("m"),
        mismatches=run.mismatches,
        settle_s=env.config.consistency_window_s,
        patience=env.patience,
        registry_writes=env.may_mutate(),
    )
    settings = profiles.stateful_settings_for(
        env.config.profile, seed=env.config.seed, database=env.config.hypothesis_db, shrink=False
    )
    if env.config.seed is not None:  # a different run seed gives different call sequences
        machine = hypothesis.seed(profiles.seed_key(env.config.seed, "registry-model"))(machine)
    try:
        run_state_machine_as_test(machine, settings=settings)
    except ModelStopped as stop:
        run.stopped = stop.reason
        if stop.unsupported is not None:
            run.unsupported.add(stop.unsupported)
    except (ModelMismatch, ModelUnsupported, ExceptionGroups) as exc:
        for leaf in _unpack(exc):
            if isinstance(leaf, ModelUnsupported):
                run.unsupported.add(leaf.operation)
            elif isinstance(leaf, ModelMismatch):
                if all(m.key != leaf.key for m in run.mismatches):
                    run.mismatches.append(leaf)
            else:
                raise leaf from exc
    return run


@once_per_run("registry-model")
def model_run(env: CheckEnv) -> ModelRun:
    """Run the model once per environment: what it saw."""
    env.guard_mutation("run the registry model (create, push to and delete repositories)")
    return _run_model(env)


def _failure(env: CheckEnv, op: Operation, mm: Any) -> Failure:
    c = model_fact(mm.fact_id).citation(op.name, env.service.edition or None)
    fact = env.fact(op.name, mm.member, f"{mm.fact}: {c.quote} [{c.where}]", c.source)
    fact = replace(fact, doc_line=c.line, quote=c.quote)
    got = mm.got
    return env.fail(f"model mismatch: {mm}", mm.exchange, fact, f"{mm.fact}", got)


def _modelled(op: Operation) -> bool:
    return op.name in model_operations()


@check(
    "stateful",
    "MUST",
    "answers agree with a model of the registry",
    mutates=True,
    applies=_modelled,
)
def registry_model_conformance(env: CheckEnv, op: Operation) -> Outcome:
    """Across random sequences of calls, this operation's answers match the registry model."""
    run = model_run(env)
    if op.name in run.unsupported:
        raise Unsupported(op.name)
    if run.broken is not None and not [m for m in run.mismatches if m.operation == op.name]:
        raise TargetUnreachable(f"the registry model stopped: {run.broken}")
    mine = [m for m in run.mismatches if m.operation == op.name and m.level == "MUST"]
    if mine:
        return Outcome(
            examples=run.called.get(op.name, len(mine)),
            failures=[_failure(env, op, m) for m in mine],
        )
    if op.name not in run.called and run.stopped:
        raise Skip(f"the registry model stopped before it called {op.name}: {run.stopped}")
    if op.name not in run.called:
        elsewhere = len(run.mismatches)
        note = (
            f" ({elsewhere} mismatch{'es' if elsewhere != 1 else ''} about other operations "
            "set their repositories aside)"
            if elsewhere
            else ""
        )
        raise Skip(f"the registry model's runs did not call {op.name}{note}")
    return Outcome(examples=run.called[op.name])


@check(
    "stateful",
    "SHOULD",
    "the answers of writes carry the members the registry model reads",
    mutates=True,
    applies=_modelled,
)
def registry_model_members_returned(env: CheckEnv, op: Operation) -> Outcome:
    """A write's answer has the members that echo what it did, though they are optional.

    The repository name, the layer and image digests: the model leaves them optional.
    """
    run = model_run(env)
    if op.name in run.unsupported:
        raise Unsupported(op.name)
    absent = [m for m in run.mismatches if m.operation == op.name and m.level == "SHOULD"]
    if absent:
        return Outcome(examples=len(absent), failures=[_failure(env, op, m) for m in absent])
    if op.name not in run.called:
        raise Skip(f"the registry model's runs did not call {op.name}")
    return Outcome(examples=run.called[op.name])
