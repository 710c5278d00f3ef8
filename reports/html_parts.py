"""Sections of ``report.html`` above the failures: header, score, levels, comparison, matrix."""

from __future__ import annotations

import re
from html import escape

from .badge import colour
from .fmt import duration, percent, signed_points
from .history import Comparison
from .matrix import LEGEND, NOT_RUN, Cell, build_matrix, categories_of
from .results import FAILING, RunResults

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
        ("profile", run.profile),
        ("strictness", run.strictness),
        ("seed", "random" if run.seed is None else str(run.seed)),
        ("started", run.started_at),
        ("duration", duration(run.duration_s)),
        ("spec", run.spec_hash[:12]),
        ("suite", f"{run.suite.name} {run.suite.version}"),
    ]
    return " · ".join(f"{escape(k)} <b>{escape(v)}</b>" for k, v in items)


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
        f'<div class="label">Conformance score</div>'
        f'<div class="big" style="color:{colour(s.score)}">{percent(s.score, 1)}</div>'
        f'<div class="meta">{s.total} checks</div>{arrow}'
        f'<div class="chips">{chips}</div></section>'
    )


def render_levels(run: RunResults) -> str:
    """MUST / SHOULD split (``id="levels"``): score and counts per requirement level."""
    rows = []
    for level in ("MUST", "SHOULD"):
        results = [r for r in run.results if r.level == level]
        passed = sum(r.status == "passed" for r in results)
        failing = sum(r.status in FAILING for r in results)
        other = len(results) - passed - failing
        score = run.summary.must_score if level == "MUST" else run.summary.should_score
        rows.append(
            f'<tr data-level="{level}"><td><span class="tag {level}">{level}</span></td>'
            f"<td><b>{percent(score, 1)}</b></td><td>{passed}</td><td>{failing}</td>"
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
    return (
        f'<section class="card" id="comparison" data-previous="{escape(prev.run_id)}">'
        f"<h2>Since the previous run</h2>"
        f'<p class="meta">previous run <b>{escape(prev.run_id)}</b>: '
        f"{percent(prev.score, 1)}</p>"
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
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in cats)
    first_failing = _first_failing(run)
    rows = []
    for row in build_matrix(run):
        cells = "".join(_cell(c, first_failing) for c in row.cells)
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
