"""Run history: one compact JSON record per run, kept apart per target, profile and operations.

Layout: ``<history>/<target-key>/<profile>-<ops>/<run-id>.json``. Only runs of one such series
are compared and drawn on one trend: a ``ci`` run on one emulator is never the "previous run"
of a ``quick`` run of one operation on another. Runs that stopped early are recorded but are
neither trend points nor anyone's previous run. Files directly under ``<history>`` (the flat
layout of earlier versions) are ignored.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..conformance.records import ENDPOINT
from .atomic import atomic_write_text
from .matrix import spec_operations
from .results import FAILING, RunResults, Target

DEFAULT_KEEP = 90
HISTORY_VERSION = 2
#: Longest readable part of a series folder name before it is shortened with a hash.
MAX_SLUG = 60
DEFAULT_PORTS = {"http": 80, "https": 443}


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def slug(text: str) -> str:
    """A lower-case file-name-safe form of ``text`` (long ones shortened with a hash)."""
    flat = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
    return flat if len(flat) <= MAX_SLUG else f"{flat[: MAX_SLUG - 9].rstrip('-')}-{_hash(flat)}"


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    if isinstance(value, Mapping):
        return [f"{k}-{v}" for k, v in sorted(value.items())]
    return []


def target_key(target: Target) -> str:
    """The folder of a target: ``reference[-faults]``, ``in-process``, or ``host-port-hash``.

    The embedded reference is one target whatever port it listened on, but a reference with
    fault switches or variants is another target; a URL target is its host and port (readable)
    and a short hash of the whole URL (exact).
    """
    if target.kind == "reference":
        extras = sorted(
            set(_names(target.reported.get("faults")) + _names(target.reported.get("variants")))
        )
        return slug("-".join(["reference", *extras]))
    if target.kind == "in-process":
        return "in-process"
    url = target.endpoint_url.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "target", parts.port
        scheme = parts.scheme.lower()
    except ValueError:
        host, port, scheme = "target", None, ""
    port = port if port is not None else DEFAULT_PORTS.get(scheme)
    readable = host if port is None else f"{host}-{port}"
    return f"{slug(readable)}-{_hash(url.lower())}"


def operations_key(run: RunResults) -> str:
    """``all`` when the run covered every spec operation, else a short hash of its operations."""
    ops = sorted({r.operation for r in run.results} - {ENDPOINT})
    if not ops:
        return "none"
    if set(spec_operations()) <= set(ops):
        return "all"
    return _hash(",".join(ops))


def series_key(run: RunResults) -> str:
    """``<target-key>/<profile>-<ops>``: the runs that may be compared with ``run``."""
    return f"{target_key(run.target)}/{slug(run.profile)}-{operations_key(run)}"


def series_dir(history_dir: Path, run: RunResults) -> Path:
    """The folder holding the history of ``run``'s series under ``history_dir``."""
    return Path(history_dir) / series_key(run)


@dataclass(frozen=True)
class HistoryRecord:
    """What the history keeps of one run: enough for the trend chart and the comparison."""

    run_id: str
    started_at: str
    score: float | None
    must_score: float | None = None
    should_score: float | None = None
    counts: Mapping[str, int] = field(default_factory=dict)
    failing: tuple[str, ...] = ()
    profile: str = "default"
    target: Mapping[str, Any] = field(default_factory=dict)
    spec_hash: str = ""
    series: str = ""
    operations: tuple[str, ...] = ()
    strictness: str = ""
    interrupted: bool = False

    @classmethod
    def of(cls, run: RunResults) -> HistoryRecord:
        """Summarise ``run`` into a history record."""
        summary = run.summary.to_dict()
        return cls(
            run_id=run.run_id,
            started_at=run.started_at,
            score=run.summary.score,
            must_score=run.summary.must_score,
            should_score=run.summary.should_score,
            counts={k: v for k, v in summary.items() if isinstance(v, int)},
            failing=tuple(sorted(r.id for r in run.results if r.status in FAILING)),
            profile=run.profile,
            target={"endpoint_url": run.target.endpoint_url, "kind": run.target.kind},
            spec_hash=run.spec_hash,
            series=series_key(run),
            operations=tuple(sorted({r.operation for r in run.results})),
            strictness=run.strictness,
            interrupted=run.stopped_early,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "history_version": HISTORY_VERSION,
            "run_id": self.run_id,
            "started_at": self.started_at,
            "score": self.score,
            "must_score": self.must_score,
            "should_score": self.should_score,
            "counts": dict(self.counts),
            "failing": list(self.failing),
            "profile": self.profile,
            "target": dict(self.target),
            "spec_hash": self.spec_hash,
            "series": self.series,
            "operations": list(self.operations),
            "strictness": self.strictness,
            "interrupted": self.interrupted,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> HistoryRecord:
        """Rebuild from the JSON form."""
        return cls(
            run_id=d["run_id"],
            started_at=d["started_at"],
            score=d.get("score"),
            must_score=d.get("must_score"),
            should_score=d.get("should_score"),
            counts=d.get("counts", {}),
            failing=tuple(d.get("failing", ())),
            profile=d.get("profile", "default"),
            target=d.get("target", {}),
            spec_hash=d.get("spec_hash", ""),
            series=d.get("series", ""),
            operations=tuple(d.get("operations", ())),
            strictness=d.get("strictness", ""),
            interrupted=bool(d.get("interrupted", False)),
        )


def load_history(folder: Path) -> list[HistoryRecord]:
    """Return the readable records directly in ``folder``, oldest first (others skipped)."""
    records = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            records.append(HistoryRecord.from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    return sorted(records, key=lambda r: r.run_id)


def load_series(history_dir: Path, run: RunResults) -> list[HistoryRecord]:
    """The records of ``run``'s series (same target, profile and operations), oldest first."""
    return load_history(series_dir(history_dir, run))


def append_run(history_dir: Path, run: RunResults, keep: int = DEFAULT_KEEP) -> Path:
    """Record ``run`` in its series folder (same run: replaced) and prune that series."""
    record = HistoryRecord.of(run)
    folder = series_dir(history_dir, run)
    path = folder / f"{record.run_id}.json"
    atomic_write_text(path, json.dumps(record.to_dict(), indent=1) + "\n")
    prune(folder, keep)
    return path


def prune(folder: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` records of one series folder; return the deleted."""
    paths = sorted(Path(folder).glob("*.json"))
    doomed = paths[: max(len(paths) - max(keep, 1), 0)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


@dataclass(frozen=True)
class Comparison:
    """How a run differs from the previous complete run of its series."""

    previous: HistoryRecord | None
    score: float | None = None
    new_failures: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    #: The run stopped early: its score covers only what ran, so no score change is shown.
    partial: bool = False

    @property
    def score_delta(self) -> float | None:
        """Change of the score since the previous run, when both are known and comparable."""
        if self.partial or self.previous is None:
            return None
        if self.previous.score is None or self.score is None:
            return None
        return self.score - self.previous.score


def compare(run: RunResults, previous: HistoryRecord | None) -> Comparison:
    """New failures (failing now, not then) and fixed checks (failing then, passing now)."""
    if previous is None:
        return Comparison(previous=None, score=run.summary.score, partial=run.stopped_early)
    then = set(previous.failing)
    status = {r.id: r.status for r in run.results}
    now = {i for i, s in status.items() if s in FAILING}
    fixed = {i for i in then if status.get(i) == "passed"}
    return Comparison(
        previous,
        run.summary.score,
        tuple(sorted(now - then)),
        tuple(sorted(fixed)),
        partial=run.stopped_early,
    )


def previous_record(records: list[HistoryRecord], run: RunResults) -> HistoryRecord | None:
    """The newest complete record older than ``run`` (runs that stopped early never count)."""
    older = [r for r in records if r.run_id < run.run_id and not r.interrupted]
    return older[-1] if older else None
