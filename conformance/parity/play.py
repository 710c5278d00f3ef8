"""Play a scenario set on a target: the part a recording and a replay share.

Each scenario runs in its own check environment, under its own name prefix (the run's parity
prefix and a short hash of the scenario id, so names do not depend on what ran before), and
its repositories are deleted as soon as it has been normalised: every scenario starts from the
same registry. At the end everything is cleaned up and the registry restored, as for any run.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ...records import Cleanup
from ...wire import Exchange, WireClient
from ..harness.config import RunConfig
from ..harness.env import CheckEnv
from ..harness.ledger import Ledger, clean_up, delete_repositories
from ..harness.patience import Patience
from ..harness.registry import BudgetSpent, Skip, Unsupported
from ..harness.sender import Sender
from ..harness.worker import worker_id
from .draws import fewer_collections, without_local_constants
from .normalise import Normalised, RunValues, normalise_scenario
from .scenario_set import Ran, ScenarioSpec


@dataclass
class StampedSender(Sender):
    """A sender that remembers when it sent each request (for timestamps)."""

    sent_at: dict[int, tuple[Exchange, float]] = field(default_factory=dict)

    def send(self, operation: str, params: Any = None, **kw: Any) -> Exchange:
        """Send as the run's sender does, and note the time the request left."""
        at = time.time()
        ex = super().send(operation, params, **kw)
        self.sent_at[id(ex)] = (ex, at)
        return ex

    def time_of(self, ex: Exchange) -> float:
        """When ``ex`` was sent (now, for an exchange this sender did not send)."""
        found = self.sent_at.get(id(ex))
        return found[1] if found is not None and found[0] is ex else time.time()


def parity_prefix(run_id: str | None = None, worker: str | None = None) -> str:
    """The name prefix of a recording or replay: under the run's prefix, the same length
    whatever the worker (``ecrconf-1a2b3c4d-p5f3``), so names are alike in both."""
    run = (run_id or os.environ.get("ECR_CONFORMANCE_RUN_ID") or uuid.uuid4().hex[:8]).lower()
    worker = worker or worker_id()
    return f"ecrconf-{run}-p{hashlib.sha256(worker.encode()).hexdigest()[:3]}"


def scenario_prefix(prefix: str, scenario_id: str) -> str:
    """The prefix of one scenario's names: the parity prefix and a hash of the scenario id."""
    return f"{prefix}-{hashlib.sha256(scenario_id.encode()).hexdigest()[:6]}"


@dataclass(frozen=True)
class Played:
    """One scenario as played: its spec, what it sent, and the normalised exchanges."""

    spec: ScenarioSpec
    exchanges: tuple[Exchange, ...]
    normalised: tuple[Normalised, ...]
    outcome: str
    #: The value of each numbered timestamp of the scenario.
    stamps: dict[int, float] = field(default_factory=dict)


@dataclass
class Player:
    """Plays scenarios on one target, one fresh environment each, and cleans up after."""

    client: WireClient
    config: RunConfig
    prefix: str
    ledger: Ledger
    values: RunValues = field(init=False)
    cleanup_report: Cleanup | None = None
    #: Requests sent so far: the player's environments count on from it, so that the run's cap
    #: (``--max-requests``) holds across scenarios.
    requests_sent: int = 0
    #: Recording ends a scenario that meets the request cap (the corpus says so); a replay
    #: lets the budget error through, so the check reports lost coverage as an error.
    cut_at_budget: bool = False
    #: The waits for writes to show, shared by every scenario (and with the run that replays):
    #: a target that loses writes costs one consistency window in all, not one per scenario.
    patience: Patience | None = None
    _deleted: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.values = RunValues(self.prefix)
        if self.patience is None:
            self.patience = Patience(self.config.consistency_window_s)

    def env(self, prefix: str | None = None) -> tuple[CheckEnv, StampedSender]:
        """A fresh check environment on the target, under ``prefix`` (default: the player's),
        and its sender."""
        env = CheckEnv(
            self.client,
            self.config,
            prefix or self.prefix,
            self.ledger,
            sender=StampedSender,
            patience=self.patience,
        )
        env.sender.requests_sent = self.requests_sent
        assert isinstance(env.sender, StampedSender)
        return env, env.sender

    def discover(self) -> None:
        """Learn the target's account ids and registry aliases (to replace them)."""
        env, sender = self.env()
        ex = env.send("DescribeRegistries", {})
        self.requests_sent = sender.requests_sent
        registries = ex.json.get("registries") if ex.ok and isinstance(ex.json, dict) else None
        for registry in registries if isinstance(registries, list) else []:
            if not isinstance(registry, dict):
                continue
            rid = registry.get("registryId")
            if isinstance(rid, str) and rid:
                self.values.accounts.add(rid)
            for alias in registry.get("aliases") or []:
                name = alias.get("name") if isinstance(alias, dict) else None
                if isinstance(name, str) and name:
                    self.values.aliases.add(name)
        self.values.learn([ex])

    def play(self, spec: ScenarioSpec) -> Played:
        """Run one scenario, normalise what it sent, then delete what it created."""
        prefix = scenario_prefix(self.prefix, spec.id)
        env, sender = self.env(prefix)
        start = len(self.ledger.entries)
        try:
            with without_local_constants(), fewer_collections():
                ran = spec.run(env)
        except Unsupported as exc:
            ran = Ran([], f"unsupported: {exc}")
        except Skip as exc:
            ran = Ran([], f"skipped: {exc}")
        except BudgetSpent:
            if not self.cut_at_budget:
                raise
            ran = Ran([], f"skipped: request cap of {self.config.request_cap} reached")
        created = [e["name"] for e in self.ledger.entries[start:] if e["kind"] == "repository"]
        values = replace(self.values, scenario_prefix=prefix, created=frozenset(created))
        stamps: dict[int, float] = {}
        normalised = normalise_scenario(
            ran.exchanges, [sender.time_of(ex) for ex in ran.exchanges], values, stamps
        )
        self.requests_sent = sender.requests_sent
        if created:
            left = delete_repositories(self.client, created)
            self._deleted |= set(created) - set(left)
        return Played(spec, tuple(ran.exchanges), tuple(normalised), ran.outcome, stamps)

    def play_all(self, specs: Sequence[ScenarioSpec]) -> Iterator[Played]:
        """Discover the target, then play every scenario in order."""
        self.discover()
        for spec in specs:
            yield self.play(spec)

    def close(self) -> Cleanup:
        """Delete whatever is left under the prefix and restore the registry."""
        names = [n for n in self.ledger.repositories() if n not in self._deleted]
        report = clean_up(self.client, self.prefix, names, self.ledger.entries)
        self.cleanup_report = report
        return report


def player_for(env: CheckEnv, profile: str, seed: int, prefix: str | None = None) -> Player:
    """A player on ``env``'s target, generating as ``profile`` and ``seed`` say."""
    config = replace(env.config, profile=profile, seed=seed)
    client = env.sender.client
    ledger = Ledger(env.ledger.path)
    player = Player(client, config, prefix or parity_prefix(), ledger, patience=env.patience)
    player.requests_sent = env.sender.requests_sent
    return player
