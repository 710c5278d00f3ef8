"""Sections of ``report.html`` above the failures: header, banners, score, levels, comparison,
coverage and matrix."""

from __future__ import annotations

import re
from html import escape

from ..records import FAILING, RunResults
from ..records.categories import SCORED_APART
from .badge import colour
from .banners import banners
from .cause_text import run_causes_text
from .coverage_text import (
    coverage_line,
    has_operation_coverage,
    operation_coverage,
    operation_coverage_title,
    unexercised,
)
from .fmt import duration, plural, score_text, signed_points
from .history import Comparison
from .matrix import LEGEND, NOT_RUN, Cell, build_matrix, categories_of
from .parity import details, headline

COUNT_ORDER = (
    ("passed", "passed"),
    ("failed", "failed"),
    ("errors", "error"),
    ("xpassed", "xpassed"),
    ("xfailed", "xfailed"),
    ("unsupported", "unsupported"),
    ("skipped", "skipped"),
    ("disabled", "disabled"),
)


def anchor(result_id: str) -> str:
    """The element id of a result's section in the failures list."""
    return "res-" + re.sub(r"[^A-Za-z0-9_-]+", "-", result_id)


def render_meta(run: RunResults) -> str:
    """The run's identity: target, profile, strictness, seed, times and spec hash."""
    items = [
        ("target", f"{run.target.endpoint_url} ({run.target.kind}, {run.target.region})"),
        ("profile", run.settings.profile),
        ("strictness", run.settings.strictness),
        ("seed", "random" if run.settings.seed is None else str(run.settings.seed)),
        ("started", run.times.started_at),
        ("duration", duration(run.times.duration_s)),
        ("spec", run.spec_hash[:12]),
        ("suite", f"{run.suite.name} {run.suite.version}"),
    ]
    return " · ".join(f"{escape(k)} <b>{escape(v)}</b>" for k, v in items)


def render_banners(run: RunResults) -> str:
    """Warnings that apply to the run (``id="banners"``), or nothing when none applies."""
    items = []
    for banner in banners(run):
        command = (
            f' <span class="meta">remove with</span> <code>{escape(banner.command)}</code>'
            if banner.command
            else ""
        )
        items.append(
            f'<li class="banner" data-kind="{banner.kind}">{escape(banner.text)}{command}</li>'
        )
    if not items:
        return ""
    return f'<section class="card" id="banners"><ul>{"".join(items)}</ul></section>'


def render_coverage(run: RunResults) -> str:
    """Catalogue coverage (``id="coverage"``) with the unexercised entries collapsed."""
    line = coverage_line(run.coverage)
    entries = unexercised(run.coverage)
    if not line and not entries:
        return ""
    rows = "".join(
        f'<tr data-kind="{escape(kind)}"><td>{escape(kind)}</td><td><code>{escape(e.id)}'
        f"</code></td><td>{escape(e.operation)}</td><td>{escape(e.reason)}</td></tr>"
        for kind, e in entries
    )
    details = (
        f'<details id="unexercised" data-count="{len(entries)}">'
        f"<summary>Not exercised ({len(entries)})</summary>"
        '<table class="results"><thead><tr><th>kind</th><th>entry</th><th>operation</th>'
        f"<th>why</th></tr></thead><tbody>{rows}</tbody></table></details>"
        if entries
        else ""
    )
    return (
        f'<section class="card" id="coverage"><h2>Coverage</h2>'
        f'<p class="coverage-line">{escape(line)}</p>{details}</section>'
    )


def render_score(run: RunResults, comparison: Comparison | None) -> str:
    """The score card (``id="score"``) with the counts as chips."""
    s = run.summary
    delta = comparison.score_delta if comparison else None
    arrow = ""
    if delta is not None:
        cls = "delta-up" if delta >= 0 else "delta-down"
        arrow = f'<div class="{cls}">{escape(signed_points(delta))} vs previous</div>'
    chips = "".join(
        f'<span class="chip s-{status}">{getattr(s, key)} {escape(status)}</span>'
        for key, status in COUNT_ORDER
        if getattr(s, key)
    )
    value = "" if s.score is None else f"{s.score:.6f}"
    return (
        f'<section class="card" id="score" data-score="{value}">'
        f'<div class="label" id="causes">{escape(run_causes_text(run))}'
        f"</div>"
        f'<div class="label">Conformance score</div>'
        f'<div class="big" style="color:{colour(s.score)}">{score_text(s.score)}</div>'
        f'<div class="meta">{plural(s.total, "check")}</div>{arrow}'
        f'<div class="chips">{chips}</div>{_parity(run)}</section>'
    )


def _parity(run: RunResults) -> str:
    """The parity line under the score (``id="parity"``), only with an oracle."""
    line = headline(run)
    if line is None or run.parity is None:
        return ""
    score = run.parity.score
    value = "" if score is None else f"{score:.6f}"
    return (
        f'<div id="parity" data-score="{value}"><b>{escape(line)}</b>'
        f'<div class="meta">{escape(details(run.parity))}</div></div>'
    )


def render_levels(run: RunResults) -> str:
    """MUST / SHOULD split (``id="levels"``): score and counts per requirement level."""
    rows = []
    for level in ("MUST", "SHOULD"):
        results = [r for r in run.results if r.level == level and r.category not in SCORED_APART]
        passed = sum(r.status == "passed" for r in results)
        failing = sum(r.status in FAILING for r in results)
        other = len(results) - passed - failing
        score = run.summary.must_score if level == "MUST" else run.summary.should_score
        rows.append(
            f'<tr data-level="{level}"><td><span class="tag {level}">{level}</span></td>'
            f"<td><b>{score_text(score)}</b></td><td>{passed}</td><td>{failing}</td>"
            f"<td>{other}</td></tr>"
        )
    return (
        '<section class="card" id="levels"><h2>Requirement levels</h2>'
        '<table class="levels"><thead><tr><th>level</th><th>score</th><th>passed</th>'
        "<th>failing</th><th>not counted</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        '<p class="meta">Score = passed / (passed + failed + errors + xpassed); skipped, '
        "unsupported, xfailed and disabled checks are not counted.</p></section>"
    )


def render_comparison(comparison: Comparison | None) -> str:
    """New failures and fixed checks versus the previous run (``id="comparison"``)."""
    if comparison is None or comparison.previous is None:
        body = '<p class="meta">No previous run in the history.</p>'
        return (
            f'<section class="card" id="comparison"><h2>Since the previous run</h2>{body}</section>'
        )
    prev = comparison.previous
    series = f" of <code>{escape(prev.series)}</code>" if prev.series else ""
    return (
        f'<section class="card" id="comparison" data-previous="{escape(prev.run_id)}">'
        f"<h2>Since the previous run</h2>"
        f'<p class="meta">previous run{series} (same target, profile and operations) '
        f"<b>{escape(prev.run_id)}</b>: {score_text(prev.score)}</p>"
        + _id_list("new-failures", "New failures", comparison.new_failures)
        + _id_list("fixed", "Fixed", comparison.fixed)
        + "</section>"
    )


def _id_list(element_id: str, title: str, ids: tuple[str, ...]) -> str:
    if not ids:
        return f'<h4 id="{element_id}" data-count="0">{title}: none</h4>'
    items = "".join(f'<li><a href="#{anchor(i)}">{escape(i)}</a></li>' for i in ids)
    return (
        f"<h4>{title} ({len(ids)})</h4>"
        f'<ul class="cmp-list" id="{element_id}" data-count="{len(ids)}">{items}</ul>'
    )


def render_matrix(run: RunResults) -> str:
    """The operations x categories matrix (``id="matrix"``) and its legend."""
    cats = categories_of(run)
    cov = has_operation_coverage(run.coverage)
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in cats)
    head += '<th scope="col">coverage</th>' if cov else ""
    first_failing = _first_failing(run)
    rows = []
    for row in build_matrix(run):
        cells = "".join(_cell(c, first_failing) for c in row.cells)
        if cov:
            cells += _coverage_cell(run, row.operation)
        rows.append(
            f'<tr data-row-status="{row.status}"><th scope="row" class="op">'
            f"{escape(row.operation)}</th>{cells}</tr>"
        )
    return (
        '<section class="card"><h2>Operations × check categories</h2>'
        '<div class="controls"><label><input type="checkbox" id="filter-failing"> '
        "only operations with failures</label></div>"
        '<div class="matrix-wrap"><table class="matrix" id="matrix"><thead><tr>'
        f'<th class="op">operation</th>{head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
        + _legend()
        + "</section>"
    )


def _coverage_cell(run: RunResults, operation: str) -> str:
    text = operation_coverage(run.coverage, operation)
    title = operation_coverage_title(run.coverage, operation) or f"{operation}: no catalogue entry"
    return (
        f'<td class="cov" data-coverage-of="{escape(operation)}" title="{escape(title)}">'
        f"{escape(text) or '·'}</td>"
    )


def _first_failing(run: RunResults) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for r in run.results:
        if r.status in FAILING:
            out.setdefault((r.operation, r.category), r.id)
    return out


def _cell(cell: Cell, first_failing: dict[tuple[str, str], str]) -> str:
    label = LEGEND[cell.status][1]
    if cell.status == NOT_RUN:
        title = f"{cell.operation} · {cell.category}: not run"
        inner = cell.symbol
    else:
        title = (
            f"{cell.operation} · {cell.category}: {label}, {cell.failing} of {cell.total} failing"
        )
        count = f"{cell.failing}/{cell.total}" if cell.failing else str(cell.total)
        inner = f"{cell.symbol}<small>{count}</small>"
    target = first_failing.get((cell.operation, cell.category))
    if target:
        inner = f'<a href="#{anchor(target)}">{inner}</a>'
    return (
        f'<td class="s-{cell.status}" data-operation="{escape(cell.operation)}" '
        f'data-category="{escape(cell.category)}" data-status="{cell.status}" '
        f'title="{escape(title)}">{inner}</td>'
    )


def _legend() -> str:
    items = "".join(
        f'<span data-status="{status}"><span class="sw s-{status}">{symbol}</span>'
        f"{escape(label)}</span>"
        for status, (symbol, label) in LEGEND.items()
    )
    return (
        f'<div id="legend">{items}<span class="meta">small numbers: checks in the cell '
        "(failing/checks when some fail)</span></div>"
    )
