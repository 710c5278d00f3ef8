"""Run history: one compact JSON record per run under ``history/``, with bounded retention."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_write_text
from .results import FAILING, RunResults

DEFAULT_KEEP = 90
HISTORY_VERSION = 1


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
        )


def load_history(history_dir: Path) -> list[HistoryRecord]:
    """Return the readable records of ``history_dir``, oldest first (unreadable files skipped)."""
    records = []
    for path in sorted(Path(history_dir).glob("*.json")):
        try:
            records.append(HistoryRecord.from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(records, key=lambda r: r.run_id)


def append_run(history_dir: Path, run: RunResults, keep: int = DEFAULT_KEEP) -> Path:
    """Record ``run`` as ``history_dir/<run id>.json`` (same run: replaced) and prune."""
    record = HistoryRecord.of(run)
    path = Path(history_dir) / f"{record.run_id}.json"
    atomic_write_text(path, json.dumps(record.to_dict(), indent=1) + "\n")
    prune(history_dir, keep)
    return path


def prune(history_dir: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` records; return the deleted paths."""
    paths = sorted(Path(history_dir).glob("*.json"))
    doomed = paths[: max(len(paths) - max(keep, 1), 0)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


@dataclass(frozen=True)
class Comparison:
    """How a run differs from the previous one."""

    previous: HistoryRecord | None
    score: float | None = None
    new_failures: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()

    @property
    def score_delta(self) -> float | None:
        """Change of the score since the previous run, when both are known."""
        if self.previous is None or self.previous.score is None or self.score is None:
            return None
        return self.score - self.previous.score


def compare(run: RunResults, previous: HistoryRecord | None) -> Comparison:
    """New failures (failing now, not then) and fixed checks (failing then, passing now)."""
    if previous is None:
        return Comparison(previous=None, score=run.summary.score)
    then = set(previous.failing)
    status = {r.id: r.status for r in run.results}
    now = {i for i, s in status.items() if s in FAILING}
    fixed = {i for i in then if status.get(i) == "passed"}
    return Comparison(previous, run.summary.score, tuple(sorted(now - then)), tuple(sorted(fixed)))


def previous_record(records: list[HistoryRecord], run: RunResults) -> HistoryRecord | None:
    """Return the newest record older than ``run`` (a record of ``run`` itself is ignored)."""
    older = [r for r in records if r.run_id < run.run_id]
    return older[-1] if older else None
