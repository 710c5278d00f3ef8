"""One conformance run as one typed record: ``results.json`` is its JSON form.

The plug-in builds it once, at the end of the session; ``run`` receives the object in process;
the reports render it. Its summary is derived from its results, never stored apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

from .causes import Cause, group_causes
from .codec import bounded, from_json, inline, to_json
from .constraints import ConstraintCoverage
from .coverage import Coverage
from .parity import Parity
from .results import CheckResult
from .sections import Budgets, Cleanup, Requests, Shard, Suite, Target
from .status import Strictness, Summary, summarize

#: The version of the results.json format (``schema_version``; see CHANGELOG.md).
SCHEMA_VERSION = 3
#: How the run's timestamps are written (ISO 8601, UTC).
TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$"


@dataclass(frozen=True)
class Support:
    """The operations a run judged, how many the target implements, and the unsupported ones."""

    operations: int = bounded(0, minimum=0)
    implemented: int = bounded(0, minimum=0)
    unsupported: tuple[str, ...] = ()

    def headline(self, edition: str) -> str | None:
        """``implements 23 of the 42 operations of edition E; 19 unsupported: A, B`` (None when
        the target implements every operation judged)."""
        if not self.unsupported:
            return None
        of = f" of edition {edition}" if edition else ""
        return (
            f"implements {self.implemented} of the {self.operations} operations{of}; "
            f"{len(self.unsupported)} unsupported: {', '.join(self.unsupported)}"
        )


class ResultsError(ValueError):
    """A results file that cannot be read, parsed, validated or combined."""


def utc_now() -> str:
    """Return the current time as an ISO 8601 UTC timestamp (``2026-11-27T18:00:00Z``)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(stamp: str) -> datetime:
    """Parse an ISO 8601 timestamp (``Z`` or offset); naive values are taken as UTC."""
    value = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Settings:
    """How a run was asked to judge: its profile, seed and strictness."""

    profile: str = "quick"
    seed: int | str | None = None
    strictness: Strictness = "spec"


@dataclass(frozen=True)
class Times:
    """When a run started and finished (ISO 8601, UTC), and how long it took."""

    started_at: str = bounded(pattern=TIMESTAMP)
    finished_at: str = bounded(pattern=TIMESTAMP)
    duration_s: float = bounded(0.0, minimum=0)


@dataclass(frozen=True)
class Ending:
    """How a run ended: stopped early or not, why, and how many cases it meant to run."""

    #: True when the run was stopped (Ctrl-C, SIGTERM) before every case ran.
    interrupted: bool = False
    #: Why the run stopped early (``interrupted``, ``max-failures``), or None.
    stop_reason: str | None = None
    #: How many cases the run meant to run (None when unknown).
    cases_total: int | None = bounded(None, minimum=0)


@dataclass(frozen=True, kw_only=True)
class RunResults:
    """One conformance run: its target, settings, what it used, and every check's verdict."""

    __json_extra__ = ("summary", "causes", "support")

    schema_version: int = SCHEMA_VERSION
    suite: Suite = field(default_factory=Suite)
    spec_hash: str
    #: The spec edition the run judged by (its name; see ``specs editions``).
    edition: str = ""
    #: How many operations of the edition the run set out to judge (all, or ``--operations``).
    operations_judged: int | None = bounded(None, minimum=0)
    target: Target
    #: How the run was asked to judge (profile, seed, strictness: top-level members).
    settings: Settings = inline(Settings)
    #: When it ran (started_at, finished_at, duration_s: top-level members).
    times: Times = inline()
    shard: Shard | None = None
    #: How it ended (interrupted, stop_reason, cases_total: top-level members).
    ending: Ending = inline(Ending)
    requests: Requests = field(default_factory=Requests)
    budgets: Budgets = field(default_factory=Budgets)
    cleanup: Cleanup = field(default_factory=Cleanup)
    coverage: Coverage | None = None
    #: Every constraint of the edition's input members, and the valid and invalid values judged.
    constraints: ConstraintCoverage | None = None
    #: Parity with a recorded oracle (``run --oracle``), scored apart; None without one.
    parity: Parity | None = None
    results: tuple[CheckResult, ...] = ()

    @cached_property
    def summary(self) -> Summary:
        """Counts per status and the scores, derived from the results."""
        return summarize(self.results, self.settings.strictness)

    @cached_property
    def causes(self) -> tuple[Cause, ...]:
        """The failing results grouped by cause, most operations first (derived)."""
        gate = self.parity.gate if self.parity is not None else False
        return group_causes(self.results, self.settings.strictness, gate)

    @cached_property
    def support(self) -> Support:
        """Which of the judged operations the target implements (derived): an operation with
        an ``unsupported`` result and none passed or failed is not implemented."""
        refused, judged = set(), set()
        for r in self.results:
            if r.status == "unsupported":
                refused.add(r.operation)
            elif r.status in ("passed", "failed", "xfailed", "xpassed"):
                judged.add(r.operation)
        unsupported = tuple(sorted(refused - judged))
        seen = {r.operation for r in self.results if r.operation != "endpoint"}
        total = self.operations_judged if self.operations_judged is not None else len(seen)
        return Support(total, total - len(unsupported), unsupported)

    @property
    def stopped_early(self) -> bool:
        """True when the run did not run every case (interrupted, or stopped for a reason)."""
        return self.ending.interrupted or self.ending.stop_reason is not None

    @property
    def run_id(self) -> str:
        """Identifier of the run in the history: its start time, file-name safe."""
        return parse_time(self.times.started_at).strftime("%Y-%m-%dT%H-%M-%SZ")

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form (``results.json``)."""
        data: dict[str, Any] = to_json(self)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunResults:
        """Rebuild a run from its JSON form (derived members are recomputed)."""
        return from_json(cls, data)
