"""``report.html``: one self-contained page (inline CSS, SVG and a little optional JS)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from html import escape
from pathlib import Path
from string import Template

from .atomic import atomic_write_text
from .fmt import percent
from .history import Comparison
from .html_chart import Point, render_trend
from .html_failures import render_failures, render_results_table
from .html_parts import (
    render_comparison,
    render_levels,
    render_matrix,
    render_meta,
    render_score,
)
from .redact import redact_run
from .results import RunResults, utc_now

TEMPLATES = Path(__file__).with_name("templates")


@cache
def template(name: str) -> str:
    """Return the text of ``templates/<name>``."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render_html(
    run: RunResults,
    comparison: Comparison | None = None,
    trend: Sequence[Point] = (),
) -> str:
    """Return the HTML report of ``run``; ``trend`` is the score history, oldest first."""
    points = list(trend) or [Point(run.run_id, run.summary.score, current=True)]
    return Template(template("report.html")).substitute(
        title=escape(f"Conformance {percent(run.summary.score, 1)} · {run.target.endpoint_url}"),
        suite=escape(f"{run.suite.name} {run.suite.version}"),
        css=template("report.css"),
        js=template("report.js").replace("</", "<\\/"),
        meta=render_meta(run),
        score=render_score(run, comparison),
        levels=render_levels(run),
        comparison=render_comparison(comparison),
        trend=_trend_section(points),
        matrix=render_matrix(run),
        failures=render_failures(run),
        results=render_results_table(run),
        footer=escape(
            f"{run.suite.name} {run.suite.version} · results schema v{run.schema_version} · "
            f"spec {run.spec_hash} · generated {utc_now()}"
        ),
    )


def _trend_section(points: list[Point]) -> str:
    return (
        f'<section class="card" id="trend" data-points="{len(points)}">'
        f"<h2>Score per run ({len(points)} run{'s' if len(points) != 1 else ''})</h2>"
        f"{render_trend(points)}</section>"
    )


def write_html(
    run: RunResults,
    path: Path,
    comparison: Comparison | None = None,
    trend: Sequence[Point] = (),
) -> Path:
    """Write ``report.html`` (credentials redacted) atomically."""
    return atomic_write_text(path, render_html(redact_run(run), comparison, trend))
