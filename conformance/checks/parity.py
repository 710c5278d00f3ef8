"""Parity: the target answers as the recorded endpoint did (``--ecr-oracle DIR``).

The corpus is replayed once per run (its scenarios, its seed, its profile, under a fresh
prefix) and each operation's result judges the records of that operation: every divergence is
a failure showing the target's exchange (``request``/``response``) beside the recorded one
(``replay``: ``recorded`` and ``replayed``, both normalised). Parity is scored apart from
conformance and counts for the exit code only with ``--ecr-parity-gate``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ...records import EntryOutcome, Failure, SpecFact
from ...specs import Operation
from ..harness.env import CheckEnv
from ..harness.once import once_per_run
from ..harness.registry import Outcome, Skip, check
from ..parity.session import replay_for

#: Failures kept per result, distinct causes first (the entries list every divergent record).
MAX_FAILURES = 5


def _replay(env: CheckEnv) -> Any:
    """The replay of the run's corpus on the target (played once, then shared)."""
    oracle = env.config.parity.oracle
    if oracle is None:
        raise Skip("no oracle corpus (--ecr-oracle DIR)")
    return _replayed(env, oracle)


# an unusable corpus or target: every parity case says so (the exception is kept)
@once_per_run("parity-replay", key=str, remembers=(Exception,))
def _replayed(env: CheckEnv, oracle: Path) -> Any:
    """The corpus in ``oracle`` replayed on the target."""
    return replay_for(env, oracle)


def _generic(path: str) -> str:
    return re.sub(r"\[[0-9]+\]", "[]", path)


def _cause_text(text: str) -> str:
    """A divergence's text as its cause groups it: the run's names as ``<name>``, so one
    difference seen in many scenarios is one cause."""
    return re.sub(r"<prefix>[A-Za-z0-9._/-]*", "<name>", text)


def _failure(env: CheckEnv, outcome: Any, divergence: Any, oracle: str) -> Failure:
    where = f"record {outcome.id}" if outcome.record is not None else f"exchange {outcome.id}"
    fact = SpecFact(
        outcome.operation,
        divergence.path or None,
        f"the answer recorded from {oracle} ({where})",
        "oracle",
    )
    path = _generic(divergence.path)
    expected = _cause_text(f"{path} {divergence.expected}" if path else divergence.expected)
    failure = env.fail(
        f"{outcome.id}: {divergence.message}",
        outcome.exchange,
        fact,
        expected,
        _cause_text(divergence.actual),
    )
    recorded = outcome.record
    return replace(
        failure,
        setup={"scenario": outcome.id.split("#")[0].split("+")[0], "record": outcome.id},
        replay={
            "record": outcome.id,
            "recorded": None
            if recorded is None
            else {"request": recorded.request, "response": dict(recorded.response)},
            "replayed": None
            if outcome.replayed is None
            else {
                "request": outcome.replayed.request,
                "response": dict(outcome.replayed.response),
            },
        },
    )


def _distinct_first(failures: list[Failure]) -> list[Failure]:
    """One failure per cause first, then the others, so the kept few show the most."""
    seen: set[str] = set()
    first: list[Failure] = []
    rest: list[Failure] = []
    for f in failures:
        (rest if f.cause in seen else first).append(f)
        seen.add(f.cause)
    return first + rest


@check(
    "parity",
    "MUST",
    "the target answers as the recorded endpoint did (parity, scored apart)",
    mutates=True,
)
def matches_recording(env: CheckEnv, op: Operation) -> Outcome:
    """Each recorded exchange, replayed, gets the recorded status, error code and members.

    Scenarios are replayed with the corpus's seed; run-specific values compare as numbered
    placeholders, so equalities between them must hold too.
    """
    env.guard_mutation("replay the corpus's scenarios on repositories it creates")
    replay = _replay(env)
    outcomes = replay.for_operation(op.name)
    if not outcomes:
        raise Skip(f"the corpus has no record of {op.name}")
    out = Outcome(examples=sum(o.judged for o in outcomes))
    failures: list[Failure] = []
    oracle = replay.manifest.description
    for o in outcomes:
        if o.status == "failed":
            out.entries.append(EntryOutcome(o.id, "failed", o.divergences[0].message))
            failures += [_failure(env, o, d, oracle) for d in o.divergences]
        elif o.status == "stale":
            out.entries.append(EntryOutcome(o.id, "skipped", o.reason))
    out.failures = _distinct_first(failures)[:MAX_FAILURES]
    return out
