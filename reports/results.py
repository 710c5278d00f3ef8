"""The ``results.json`` model: one conformance run, its target, its summary and its results."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .. import __version__
from ..categories import SCORED_APART
from ..conformance.records import SCHEMA_VERSION, CheckResult

if TYPE_CHECKING:
    from .causes import Cause

Kind = Literal["reference", "url", "in-process"]
Strictness = Literal["spec", "aws"]

#: Statuses whose results count towards the score, and the ones that count against it.
COUNTED = frozenset({"passed", "failed", "error", "xpassed"})
FAILING = frozenset({"failed", "error", "xpassed"})
#: Key of each status in the summary (``error`` is summarised as ``errors``).
SUMMARY_KEYS = {
    "passed": "passed",
    "failed": "failed",
    "skipped": "skipped",
    "unsupported": "unsupported",
    "xfailed": "xfailed",
    "xpassed": "xpassed",
    "error": "errors",
    "disabled": "disabled",
}


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
class Suite:
    """The suite that produced a run."""

    name: str = "ecr-public-conformance"
    version: str = __version__


@dataclass(frozen=True)
class Target:
    """The endpoint under test and what it said about itself."""

    endpoint_url: str
    region: str = "us-east-1"
    kind: Kind = "url"
    reported: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "endpoint_url": self.endpoint_url,
            "region": self.region,
            "kind": self.kind,
            "reported": dict(self.reported),
        }


@dataclass(frozen=True)
class Shard:
    """Which part of a sharded run a results file holds (``index`` counts from 0)."""

    index: int
    count: int


@dataclass(frozen=True)
class Summary:
    """Counts per status and the scores of a run."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    unsupported: int = 0
    xfailed: int = 0
    xpassed: int = 0
    errors: int = 0
    disabled: int = 0
    total: int = 0
    score: float | None = None
    must_score: float | None = None
    should_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return dict(self.__dict__)


def score(results: Iterable[CheckResult]) -> float | None:
    """Return passed / (passed + failed + errors + xpassed), or None when nothing counted."""
    counted = [r.status for r in results if r.status in COUNTED]
    if not counted:
        return None
    return counted.count("passed") / len(counted)


def counts(result: CheckResult, strictness: str) -> bool:
    """Tell whether ``result``'s check counts towards the score under ``strictness``.

    MUST checks count under ``spec``, MUST and SHOULD checks under ``aws``; categories scored
    apart (``parity``) never count.
    """
    if result.category in SCORED_APART:
        return False
    return strictness == "aws" or result.level == "MUST"


def summarize(results: Iterable[CheckResult], strictness: str = "aws") -> Summary:
    """Count the results per status and compute the overall, MUST and SHOULD scores.

    The overall score counts what the strictness counts: MUST checks only under ``spec``,
    MUST and SHOULD checks under ``aws``; categories scored apart are in no score.
    """
    items = list(results)
    tally = Counter(SUMMARY_KEYS[r.status] for r in items)
    scored = [r for r in items if r.category not in SCORED_APART]
    return Summary(
        **tally,
        total=len(items),
        score=score(r for r in scored if counts(r, strictness)),
        must_score=score(r for r in scored if r.level == "MUST"),
        should_score=score(r for r in scored if r.level == "SHOULD"),
    )


@dataclass(frozen=True, kw_only=True)
class RunResults:
    """One conformance run as written to ``results.json``; ``summary`` is derived from results."""

    target: Target
    spec_hash: str
    started_at: str
    finished_at: str
    results: tuple[CheckResult, ...] = ()
    profile: str = "default"
    seed: int | str | None = None
    strictness: Strictness = "spec"
    duration_s: float = 0.0
    shard: Shard | None = None
    suite: Suite = field(default_factory=Suite)
    schema_version: int = SCHEMA_VERSION
    #: True when the run was stopped (Ctrl-C, SIGTERM) before every case ran.
    interrupted: bool = False
    #: Why the run stopped early (``interrupted``, ``max-failures``, ``request-budget``), or None.
    stop_reason: str | None = None
    #: How many cases the run meant to run (None when unknown).
    cases_total: int | None = None
    #: Requests sent: ``{"total", "by_operation", "throttled", "retries"}``.
    requests: Mapping[str, Any] = field(default_factory=dict)
    #: Budgets of the profile and whether the run hit them.
    budgets: Mapping[str, Any] = field(default_factory=dict)
    #: What cleanup did: repositories left behind, registry data that could not be restored.
    cleanup: Mapping[str, Any] = field(default_factory=dict)
    #: Catalogue coverage: documented errors and effects exercised and passed.
    coverage: Mapping[str, Any] = field(default_factory=dict)
    #: Parity with a recorded oracle (``run --oracle``), scored apart; None without an oracle.
    parity: Mapping[str, Any] | None = None
    summary: Summary = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "results", tuple(self.results))
        object.__setattr__(self, "summary", summarize(self.results, self.strictness))

    @cached_property
    def causes(self) -> tuple[Cause, ...]:
        """The failing results grouped by cause, most operations first (derived, cached)."""
        from .causes import group_causes

        return group_causes(self.results, self.strictness)

    @property
    def stopped_early(self) -> bool:
        """True when the run did not run every case (interrupted, or stopped for a reason)."""
        return self.interrupted or self.stop_reason is not None

    @property
    def run_id(self) -> str:
        """Identifier of the run in the history: its start time, file-name safe."""
        return parse_time(self.started_at).strftime("%Y-%m-%dT%H-%M-%SZ")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (``results.json``)."""
        return {
            "schema_version": self.schema_version,
            "suite": {"name": self.suite.name, "version": self.suite.version},
            "spec_hash": self.spec_hash,
            "target": self.target.to_dict(),
            "profile": self.profile,
            "seed": self.seed,
            "strictness": self.strictness,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "duration_s": self.duration_s,
            "shard": None if self.shard is None else dict(self.shard.__dict__),
            "interrupted": self.interrupted,
            "stop_reason": self.stop_reason,
            "cases_total": self.cases_total,
            "requests": dict(self.requests),
            "budgets": dict(self.budgets),
            "cleanup": dict(self.cleanup),
            "coverage": dict(self.coverage),
            "parity": None if self.parity is None else dict(self.parity),
            "summary": self.summary.to_dict(),
            "causes": [c.to_dict() for c in self.causes],
            "results": [r.to_dict() for r in self.results],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RunResults:
        """Rebuild from the JSON form; the summary and the causes are recomputed."""
        shard = d.get("shard")
        return cls(
            schema_version=d["schema_version"],
            suite=Suite(**d["suite"]),
            spec_hash=d["spec_hash"],
            target=Target(**d["target"]),
            profile=d["profile"],
            seed=d.get("seed"),
            strictness=d["strictness"],
            started_at=d["started_at"],
            finished_at=d["finished_at"],
            duration_s=d["duration_s"],
            shard=None if shard is None else Shard(**shard),
            interrupted=d.get("interrupted", False),
            stop_reason=d.get("stop_reason"),
            cases_total=d.get("cases_total"),
            requests=d.get("requests") or {},
            budgets=d.get("budgets") or {},
            cleanup=d.get("cleanup") or {},
            coverage=d.get("coverage") or {},
            parity=d.get("parity"),
            results=tuple(CheckResult.from_dict(r) for r in d["results"]),
        )


def load(path: Path | str) -> RunResults:
    """Read, validate and rebuild a ``results.json``; raise ``ResultsError`` with a reason."""
    from .schema import validate

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{path}: not valid JSON: {exc}") from exc
    validate(data, source=str(path))
    try:
        return RunResults.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ResultsError(f"{path}: cannot rebuild the run: {exc}") from exc


def from_records(
    meta: Mapping[str, Any],
    results: Iterable[CheckResult],
    duration_s: float = 0.0,
    shard: Shard | None = None,
) -> RunResults:
    """Build a run from the plug-in's records: its metadata and every case's result."""
    t = meta.get("target") or {}
    return RunResults(
        target=Target(
            t.get("endpoint_url") or "",
            t.get("region", "us-east-1"),
            t.get("kind", "url"),
            t.get("reported", {}),
        ),
        spec_hash=meta["spec_hash"],
        started_at=meta["started_at"],
        finished_at=meta["finished_at"],
        results=tuple(results),
        profile=meta["profile"],
        seed=meta.get("seed"),
        strictness=meta["strictness"],
        duration_s=round(duration_s, 2),
        shard=shard,
        interrupted=bool(meta.get("interrupted", False)),
        stop_reason=meta.get("stop_reason"),
        cases_total=meta.get("cases_total"),
        requests=meta.get("requests") or {},
        budgets=meta.get("budgets") or {},
        cleanup=meta.get("cleanup") or {},
        coverage=meta.get("coverage") or {},
        parity=meta.get("parity"),
    )
