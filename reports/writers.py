"""Write every report of a run: results.json, junit.xml, summary.md, badge.svg, report.html."""

from __future__ import annotations

import json
from pathlib import Path

from ..records import RunResults
from .atomic import atomic_write_text
from .badge import write_badge
from .history import (
    DEFAULT_KEEP,
    Comparison,
    HistoryRecord,
    append_run,
    compare,
    load_series,
    previous_record,
)
from .html_chart import Point
from .html_report import write_html
from .junit import write_junit
from .markdown import write_summary
from .redact import redact_run

FILES = {
    "results": "results.json",
    "junit": "junit.xml",
    "summary": "summary.md",
    "badge": "badge.svg",
    "html": "report.html",
}


def render_results(run: RunResults) -> str:
    """Return the ``results.json`` text of ``run`` (credentials redacted)."""
    return json.dumps(redact_run(run).to_json(), indent=1, ensure_ascii=False) + "\n"


def write_results(run: RunResults, path: Path) -> Path:
    """Write ``results.json`` (credentials redacted) atomically."""
    return atomic_write_text(path, render_results(run))


def write_reports(
    run: RunResults,
    out_dir: Path,
    history_dir: Path | None = None,
    keep: int = DEFAULT_KEEP,
) -> dict[str, Path]:
    """Write all five reports into ``out_dir`` and record the run in the history.

    ``history_dir`` defaults to ``out_dir.parent / "history"`` (``reports/latest`` ->
    ``reports/history``); the run is compared with, and recorded among, the runs of its own
    series there (same target, profile and operations), which keeps its newest ``keep`` runs.
    """
    out_dir = Path(out_dir)
    history_dir = out_dir.parent / "history" if history_dir is None else Path(history_dir)
    safe = redact_run(run)
    records = [r for r in load_series(history_dir, safe) if r.run_id != safe.run_id]
    comparison = compare(safe, previous_record(records, safe))
    trend = _trend(records, safe, keep)
    written = {
        "results": write_results(safe, out_dir / FILES["results"]),
        "junit": write_junit(safe, out_dir / FILES["junit"]),
        "summary": write_summary(safe, out_dir / FILES["summary"], comparison),
        "badge": write_badge(safe.summary.score, out_dir / FILES["badge"]),
        "html": write_html(safe, out_dir / FILES["html"], comparison, trend),
    }
    written["history"] = append_run(history_dir, safe, keep)
    return written


def _trend(records: list[HistoryRecord], run: RunResults, keep: int) -> list[Point]:
    """The chart's runs: the complete runs before ``run``, then ``run`` if it is complete."""
    older = [r for r in records if r.run_id < run.run_id and not r.interrupted]
    points = [Point(r.run_id, r.score) for r in older]
    if not run.stopped_early:
        points.append(Point(run.run_id, run.summary.score, current=True))
    return points[-max(keep, 1) :]


__all__ = ["Comparison", "FILES", "render_results", "write_reports", "write_results"]
