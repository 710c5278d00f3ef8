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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..records import ENDPOINT, FAILING, RunResults, Target, from_json, to_json
from .atomic import atomic_write_text
from .matrix import spec_operations

DEFAULT_KEEP = 90
HISTORY_VERSION = 3
#: Longest readable part of a series folder name before it is shortened with a hash.
MAX_SLUG = 60
DEFAULT_PORTS = {"http": 80, "https": 443}


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def slug(text: str) -> str:
    """A lower-case file-name-safe form of ``text`` (long ones shortened with a hash)."""
    flat = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
    return flat if len(flat) <= MAX_SLUG else f"{flat[: MAX_SLUG - 9].rstrip('-')}-{_hash(flat)}"


def target_key(target: Target) -> str:
    """The folder of a target: its name, ``reference[-faults]``, ``in-process``, or
    ``host-port-hash``.

    A target the user named (``--target-name``) is that name, whatever URL or port it had. The
    embedded reference is one target whatever port it listened on, but a reference with fault
    switches or variants is another target; an unnamed URL target is its host and port
    (readable) and a short hash of the whole URL (exact).
    """
    if target.kind == "reference":
        extras = sorted(set(target.reported.faults) | set(target.reported.variants))
        return slug("-".join([target.name or "reference", *extras]))
    if target.name:
        return slug(target.name)
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
    """``<target-key>/<edition>-<profile>-<ops>``: the runs that may be compared with ``run``
    (a history never mixes editions)."""
    edition = f"{slug(run.edition)}-" if run.edition else ""
    return f"{target_key(run.target)}/{edition}{slug(run.settings.profile)}-{operations_key(run)}"


def series_dir(history_dir: Path, run: RunResults) -> Path:
    """The folder holding the history of ``run``'s series under ``history_dir``."""
    return Path(history_dir) / series_key(run)


@dataclass(frozen=True)
class HistoryTarget:
    """The target of a history record: where it was and what kind it is, nothing more."""

    endpoint_url: str = ""
    kind: str = "url"


@dataclass(frozen=True)
class HistoryRecord:
    """What the history keeps of one run: enough for the trend chart and the comparison."""

    run_id: str
    started_at: str
    score: float | None
    must_score: float | None = None
    should_score: float | None = None
    counts: dict[str, int] = field(default_factory=dict)
    failing: tuple[str, ...] = ()
    profile: str = "default"
    target: HistoryTarget = field(default_factory=HistoryTarget)
    spec_hash: str = ""
    edition: str = ""
    series: str = ""
    operations: tuple[str, ...] = ()
    strictness: str = ""
    interrupted: bool = False
    history_version: int = HISTORY_VERSION

    @classmethod
    def of(cls, run: RunResults) -> HistoryRecord:
        """Summarise ``run`` into a history record."""
        summary = to_json(run.summary)
        return cls(
            run_id=run.run_id,
            started_at=run.times.started_at,
            score=run.summary.score,
            must_score=run.summary.must_score,
            should_score=run.summary.should_score,
            counts={k: v for k, v in summary.items() if isinstance(v, int)},
            failing=tuple(sorted(r.id for r in run.results if r.status in FAILING)),
            profile=run.settings.profile,
            target=HistoryTarget(run.target.endpoint_url, run.target.kind),
            spec_hash=run.spec_hash,
            edition=run.edition,
            series=series_key(run),
            operations=tuple(sorted({r.operation for r in run.results})),
            strictness=run.settings.strictness,
            interrupted=run.stopped_early,
        )


def load_history(folder: Path) -> list[HistoryRecord]:
    """Return the readable records directly in ``folder``, oldest first (others skipped)."""
    records = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            records.append(from_json(HistoryRecord, data))
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
    atomic_write_text(path, json.dumps(to_json(record), indent=1) + "\n")
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
