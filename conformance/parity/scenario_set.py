"""The deterministic scenario set a parity corpus records and a replay sends again.

For a profile and a seed it is always the same list, in the same order:

* ``registry``: DescribeRegistries, GetRegistryCatalogData and GetAuthorizationToken;
* ``pagination:<Operation>``: a few items made, then walked one per page and in one page;
* ``behaviour:<entry>``: every documented behaviour the profile runs (``behaviours.toml``,
  run by :func:`~ecr_public_conformance.conformance.catalogue.scenarios.run_behaviour`);
* ``samples:<Operation>``: the operation's seeded sample of requests (empty, boundary,
  invalid and valid), drawn and sent by ``catalogue.samples.build_samples``, the same
  machinery the checks use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...specs import load_service
from ...wire import Exchange
from ..catalogue.behaviours import Behaviour, load_catalogue
from ..catalogue.listings import prepare, walk
from ..catalogue.samples import build_samples
from ..catalogue.scenarios import run_behaviour
from ..harness.env import CheckEnv
from ..harness.registry import SetupFailed


@dataclass(frozen=True)
class Ran:
    """What one scenario sent, in order, and how it ended (``complete`` or why not)."""

    exchanges: list[Exchange]
    outcome: str = "complete"


@dataclass(frozen=True)
class ScenarioSpec:
    """One scenario of the set: its id, the operation it is about, and how to run it."""

    id: str
    operation: str
    run: Callable[[CheckEnv], Ran]


def _registry(env: CheckEnv) -> Ran:
    calls = ("DescribeRegistries", "GetRegistryCatalogData", "GetAuthorizationToken")
    return Ran([env.send(op, {}) for op in calls])


def _pagination(operation: str) -> Callable[[CheckEnv], Ran]:
    def run(env: CheckEnv) -> Ran:
        op = env.service.operation(operation)
        try:
            base = prepare(env, operation).base
        except SetupFailed as exc:
            return Ran([], f"setup failed: {exc}")
        out: list[Exchange] = []
        for size in (1, None):
            w = walk(env, op, base, size)
            out += w.pages + ([w.broke] if w.broke is not None else [])
        return Ran(out)

    return run


def _behaviour(behaviour: Behaviour) -> Callable[[CheckEnv], Ran]:
    def run(env: CheckEnv) -> Ran:
        done = run_behaviour(env, behaviour)
        if done.not_applicable:
            return Ran([], f"not applicable: {done.not_applicable}")
        if done.setup_failure is not None:
            return Ran(done.exchanges, f"setup failed: {done.setup_failure}")
        return Ran(done.exchanges)

    return run


def _samples(operation: str) -> Callable[[CheckEnv], Ran]:
    def run(env: CheckEnv) -> Ran:
        samples = build_samples(env, env.service.operation(operation))
        lost = next(iter(env.resources.setup_failures.values()), None)
        return Ran([s.exchange for s in samples], f"setup failed: {lost}" if lost else "complete")

    return run


def scenario_set(profile: str) -> list[ScenarioSpec]:
    """Every scenario a corpus of ``profile`` holds, in recording order."""

    service = load_service()
    out = [ScenarioSpec("registry", "DescribeRegistries", _registry)]
    out += [
        ScenarioSpec(f"pagination:{op.name}", op.name, _pagination(op.name))
        for op in sorted(service.paginated, key=lambda o: o.name)
    ]
    out += [
        ScenarioSpec(f"behaviour:{b.id}", b.operation, _behaviour(b))
        for b in load_catalogue(edition=service.edition or None).behaviours
        if profile in b.profiles
    ]
    out += [
        ScenarioSpec(f"samples:{name}", name, _samples(name)) for name in sorted(service.operations)
    ]
    return out
