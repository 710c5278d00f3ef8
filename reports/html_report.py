"""``report.html``: one self-contained page (inline CSS, SVG and a little optional JS)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from html import escape
from pathlib import Path
from string import Template

from ..records import RunResults, utc_now
from .atomic import atomic_write_text
from .constraint_table import render_constraints
from .fmt import plural, score_text
from .history import Comparison
from .html_chart import Point, render_trend
from .html_failures import render_failures, render_results_table
from .html_parts import (
    render_banners,
    render_comparison,
    render_coverage,
    render_levels,
    render_matrix,
    render_meta,
    render_score,
)
from .redact import redact_run
from .status import render_status_html

TEMPLATES = Path(__file__).with_name("templates")


@cache
def template(name: str) -> str:
    """Return the text of ``templates/<name>``."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render_html(
    run: RunResults,
    comparison: Comparison | None = None,
    trend: Sequence[Point] | None = None,
) -> str:
    """Return the HTML report of ``run``; ``trend`` is the score history, oldest first.

    Without a ``trend`` the chart shows the run alone.
    """
    points = [Point(run.run_id, run.summary.score, current=True)] if trend is None else list(trend)
    return Template(template("report.html")).substitute(
        title=escape(f"Conformance {score_text(run.summary.score)} · {run.target.endpoint_url}"),
        suite=escape(f"{run.suite.name} {run.suite.version}"),
        css=template("report.css"),
        js=template("report.js").replace("</", "<\\/"),
        meta=render_meta(run),
        banners=render_banners(run),
        coverage=render_coverage(run),
        constraints=render_constraints(run),
        score=render_score(run, comparison),
        levels=render_levels(run),
        comparison=render_comparison(comparison),
        trend=_trend_section(points),
        matrix=render_matrix(run),
        status=render_status_html(run),
        failures=render_failures(run),
        results=render_results_table(run),
        footer=escape(
            f"{run.suite.name} {run.suite.version} · results schema v{run.schema_version} · "
            f"spec {run.spec_hash} · generated {utc_now()}"
        ),
    )


def _trend_section(points: list[Point]) -> str:
    if not points:
        return (
            '<section class="card" id="trend" data-points="0"><h2>Score per run</h2>'
            '<p class="meta">No complete run of this target, profile and operations yet '
            "(runs that stopped early are not drawn).</p></section>"
        )
    return (
        f'<section class="card" id="trend" data-points="{len(points)}">'
        f"<h2>Score per run ({plural(len(points), 'run')} of this target, profile and "
        f"operations)</h2>{render_trend(points)}</section>"
    )


def write_html(
    run: RunResults,
    path: Path,
    comparison: Comparison | None = None,
    trend: Sequence[Point] | None = None,
) -> Path:
    """Write ``report.html`` (credentials redacted) atomically."""
    return atomic_write_text(path, render_html(redact_run(run), comparison, trend))
