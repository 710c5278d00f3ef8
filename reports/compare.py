"""``report compare``: several runs (different targets) side by side, as HTML and Markdown.

One column per run: the target, its score (and parity, with an oracle), the profile and the
spec hash it was checked against. Rows: every operation x category any run has results in,
with each run's worst status, then every cause of failure with the runs it appears in (a cause
id is the same in every run, see ``causes.cause_id``). Rows where the runs differ are marked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from string import Template

from ..records import RunResults, Status, utc_now, worst
from ..records.categories import CATEGORIES
from ..records.causes import Cause
from .atomic import atomic_write_text
from .cause_text import check_label
from .fmt import one_line, plural, score_text
from .html_report import template
from .markdown import md
from .matrix import LEGEND, NOT_RUN, operations_of
from .parity import parity_score_text
from .redact import redact_run

FILES = {"html": "compare.html", "markdown": "compare.md"}


@dataclass(frozen=True)
class Column:
    """One run of the comparison and how its column is headed."""

    label: str
    run: RunResults


def target_label(run: RunResults) -> str:
    """The target as a column heads it: the URL, or the reference with its faults/variants."""
    t = run.target
    if t.kind != "reference":
        return t.endpoint_url or t.kind
    extra = [
        f"{name}: {', '.join(values)}"
        for name, values in (("faults", t.reported.faults), ("variants", t.reported.variants))
        if values
    ]
    return "embedded reference" + (f" ({'; '.join(extra)})" if extra else "")


def columns(runs: Sequence[RunResults]) -> list[Column]:
    """The columns, labelled by target (and numbered when two runs share a target)."""
    labels = [target_label(r) for r in runs]
    out = []
    for i, (label, run) in enumerate(zip(labels, runs, strict=True)):
        if labels.count(label) > 1:
            label += f" #{labels[: i + 1].count(label)}"
        out.append(Column(label, run))
    return out


@dataclass(frozen=True)
class Row:
    """One operation x category: each run's worst status there (``not-run`` without results)."""

    operation: str
    category: str
    statuses: tuple[str, ...]

    @property
    def differs(self) -> bool:
        """True when the runs do not all agree."""
        return len(set(self.statuses)) > 1


def matrix_rows(runs: Sequence[RunResults]) -> list[Row]:
    """Every operation x category that any run has results in, in spec and category order."""
    grouped: list[dict[tuple[str, str], list[Status]]] = [
        {(r.operation, r.category): [] for r in run.results} for run in runs
    ]
    for run, groups in zip(runs, grouped, strict=True):
        for r in run.results:
            groups[(r.operation, r.category)].append(r.status)
    operations: list[str] = []
    for run in runs:
        operations += [op for op in operations_of(run) if op not in operations]
    present = {c for g in grouped for _, c in g}
    categories = [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))
    rows = []
    for op in operations:
        for category in categories:
            statuses = tuple(
                worst(g[(op, category)]) if (op, category) in g else NOT_RUN for g in grouped
            )
            if any(s != NOT_RUN for s in statuses):
                rows.append(Row(op, category, statuses))
    return rows


@dataclass(frozen=True)
class CauseRow:
    """One cause of failure and, per run, the cause as that run saw it (None: not seen)."""

    cause: Cause
    seen: tuple[Cause | None, ...]


def cause_rows(runs: Sequence[RunResults]) -> list[CauseRow]:
    """Every cause of any run, those seen in most runs first."""
    by_id: dict[str, list[Cause | None]] = {}
    first: dict[str, Cause] = {}
    for i, run in enumerate(runs):
        for cause in run.causes:
            first.setdefault(cause.id, cause)
            by_id.setdefault(cause.id, [None] * len(runs))[i] = cause
    rows = [CauseRow(first[cid], tuple(seen)) for cid, seen in by_id.items()]
    return sorted(
        rows, key=lambda r: (-sum(s is not None for s in r.seen), r.cause.check, r.cause.text)
    )


def warnings(runs: Sequence[RunResults]) -> list[str]:
    """What a reader must know before comparing the columns."""
    out = []
    if len({r.spec_hash for r in runs}) > 1:
        out.append("the runs were checked against different specs: rows may not compare")
    if len({r.settings.profile for r in runs}) > 1:
        out.append("the runs used different profiles: they sent different requests")
    if len({r.settings.strictness for r in runs}) > 1:
        out.append("the runs used different strictness: their scores count different checks")
    return out


def _symbol(status: str) -> str:
    return LEGEND.get(status, (status, status))[0]


# --------------------------------------------------------------------------- Markdown


def render_markdown(runs: Sequence[RunResults]) -> str:
    """The comparison as GitHub-flavoured Markdown."""
    safe = [redact_run(r) for r in runs]
    cols = columns(safe)
    head = "| | " + " | ".join(md(c.label) for c in cols) + " |"
    rule = "|---|" + ":-:|" * len(cols)

    def line(name: str, values: Sequence[str]) -> str:
        return f"| {name} | " + " | ".join(values) + " |"

    lines = [f"## ECR Public conformance: {plural(len(cols), 'run')} compared", ""]
    found = warnings(safe)
    if found:
        lines += ["> [!WARNING]", *(f"> - {md(w)}" for w in found), ""]
    lines += [head, rule]
    lines.append(line("score", [score_text(c.run.summary.score) for c in cols]))
    if any(c.run.parity is not None for c in cols):
        lines.append(line("parity", [_parity_md(c.run) for c in cols]))
    lines.append(line("profile", [f"`{c.run.settings.profile}`" for c in cols]))
    lines.append(line("strictness", [f"`{c.run.settings.strictness}`" for c in cols]))
    lines.append(line("spec", [f"`{c.run.spec_hash[:12]}`" for c in cols]))
    lines.append(line("started", [c.run.times.started_at for c in cols]))
    rows = matrix_rows(safe)
    differing = [r for r in rows if r.differs]
    matrix_head = [head.replace("| |", "| operation / category |", 1), rule]
    lines += ["", f"### Operations × categories where the runs differ ({len(differing)})", ""]
    lines += [*matrix_head, *(_row_md(r, line) for r in differing)] if differing else ["None."]
    lines += ["", f"<details><summary>All operations × categories ({len(rows)})</summary>", ""]
    lines += [*matrix_head, *(_row_md(r, line) for r in rows), "", "</details>"]
    lines += ["", "### Causes", ""]
    causes = cause_rows(safe)
    if not causes:
        lines.append("None in any run.")
    else:
        lines += [head.replace("| |", "| cause |", 1), rule]
        for row in causes:
            text = f"`{check_label(row.cause)}`: {md(one_line(row.cause.text, 160))}"
            lines.append(line(text, [_cause_md(c) for c in row.seen]))
    legend = " · ".join(f"{s} {label}" for s, label in dict(LEGEND.values()).items())
    lines += ["", legend + " · ≠ the runs differ", ""]
    return "\n".join(lines)


def _row_md(row: Row, line: Callable[[str, Sequence[str]], str]) -> str:
    mark = " ≠" if row.differs else ""
    return line(f"{row.operation} / {row.category}{mark}", [_symbol(s) for s in row.statuses])


def _parity_md(run: RunResults) -> str:
    return md(parity_score_text(run.parity)) if run.parity is not None else "·"


def _cause_md(cause: Cause | None) -> str:
    if cause is None:
        return "·"
    flag = "" if cause.counted else " (not counted)"
    return f"{_symbol(cause.status)} {len(cause.operations)} ops{flag}"


# --------------------------------------------------------------------------- HTML


def render_html(runs: Sequence[RunResults]) -> str:
    """The comparison as one self-contained HTML page."""
    safe = [redact_run(r) for r in runs]
    cols = columns(safe)
    return Template(template("compare.html")).substitute(
        title=escape(f"{len(cols)} runs compared · ECR Public conformance"),
        css=template("report.css") + template("compare.css"),
        heading=escape(f"ECR Public conformance: {plural(len(cols), 'run')} compared"),
        warnings=_warnings_html(safe),
        columns=_columns_html(cols),
        matrix=_matrix_html(cols, matrix_rows(safe)),
        causes=_causes_html(cols, cause_rows(safe)),
        legend=_legend_html(),
        footer=escape(f"{safe[0].suite.name} {safe[0].suite.version} · generated {utc_now()}"),
    )


def _warnings_html(runs: Sequence[RunResults]) -> str:
    items = "".join(f'<li class="banner">{escape(w)}</li>' for w in warnings(runs))
    return f'<section class="card" id="banners"><ul>{items}</ul></section>' if items else ""


def _head(cols: Sequence[Column], first: str) -> str:
    cells = "".join(
        f'<th scope="col" data-column="{i}">{escape(c.label)}</th>' for i, c in enumerate(cols)
    )
    return f'<thead><tr><th class="op">{escape(first)}</th>{cells}</tr></thead>'


def _columns_html(cols: Sequence[Column]) -> str:
    rows = []
    for name, values in (
        ("score", [score_text(c.run.summary.score) for c in cols]),
        ("parity", [parity_score_text(c.run.parity) if c.run.parity else "·" for c in cols]),
        ("profile", [c.run.settings.profile for c in cols]),
        ("strictness", [c.run.settings.strictness for c in cols]),
        ("spec", [c.run.spec_hash[:12] for c in cols]),
        ("started", [c.run.times.started_at for c in cols]),
        ("checks", [str(c.run.summary.total) for c in cols]),
    ):
        if name == "parity" and all(c.run.parity is None for c in cols):
            continue
        cells = "".join(
            f'<td data-column="{i}" data-{name}="{escape(v)}">{escape(v)}</td>'
            for i, v in enumerate(values)
        )
        rows.append(f'<tr data-row="{name}"><th scope="row" class="op">{name}</th>{cells}</tr>')
    return (
        '<section class="card"><h2>Runs</h2><table class="compare" id="runs">'
        + _head(cols, "")
        + "<tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _matrix_html(cols: Sequence[Column], rows: Sequence[Row]) -> str:
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="cell s-{s}" data-column="{i}" data-status="{s}" '
            f'title="{escape(LEGEND.get(s, (s, s))[1])}">{_symbol(s)}</td>'
            for i, s in enumerate(row.statuses)
        )
        body.append(
            f'<tr data-operation="{escape(row.operation)}" data-category="{escape(row.category)}" '
            f'data-differs="{str(row.differs).lower()}"><th scope="row" class="op">'
            f'{escape(row.operation)} <span class="meta">{escape(row.category)}</span></th>'
            f"{cells}</tr>"
        )
    differing = sum(r.differs for r in rows)
    return (
        '<section class="card"><h2>Operations × categories</h2>'
        f'<p class="meta">{plural(differing, "row")} where the runs differ (marked ≠). '
        '<label><input type="checkbox" id="only-differing"> only those</label></p>'
        '<div class="matrix-wrap"><table class="compare matrix" id="matrix">'
        + _head(cols, "operation / category")
        + "<tbody>"
        + "".join(body)
        + "</tbody></table></div></section>"
    )


def _causes_html(cols: Sequence[Column], rows: Sequence[CauseRow]) -> str:
    if not rows:
        return '<section class="card" id="causes"><h2>Causes</h2><p>None in any run.</p></section>'
    body = []
    for row in rows:
        cells = []
        for i, seen in enumerate(row.seen):
            if seen is None:
                cells.append(f'<td class="cell s-not-run" data-column="{i}">·</td>')
                continue
            flag = "" if seen.counted else " not counted"
            ops = plural(len(seen.operations), "operation")
            cells.append(
                f'<td class="cell s-{seen.status}" data-column="{i}" data-status="{seen.status}" '
                f'title="{escape(", ".join(seen.operations))}">{_symbol(seen.status)} '
                f"{escape(ops)}{escape(flag)}</td>"
            )
        c = row.cause
        body.append(
            f'<tr class="cause-row" data-cause="{c.id}" data-category="{escape(c.category)}">'
            f'<th scope="row" class="op"><code>{escape(check_label(c))}</code> '
            f'<span class="tag {c.level}">{c.level}</span><div class="cause-text">'
            f"{escape(one_line(c.text, 300))}</div></th>{''.join(cells)}</tr>"
        )
    return (
        f'<section class="card" id="causes"><h2>Causes ({len(rows)})</h2>'
        '<table class="compare">'
        + _head(cols, "cause")
        + "<tbody>"
        + "".join(body)
        + "</tbody></table></section>"
    )


def _legend_html() -> str:
    items = "".join(
        f'<span><span class="sw s-{status}">{escape(symbol)}</span>{escape(label)}</span>'
        for status, (symbol, label) in LEGEND.items()
    )
    return f'<div id="legend">{items}</div>'


def write_compare(runs: Sequence[RunResults], out_dir: Path) -> dict[str, Path]:
    """Write ``compare.html`` and ``compare.md`` into ``out_dir`` (credentials redacted)."""
    return {
        "html": atomic_write_text(out_dir / FILES["html"], render_html(runs)),
        "markdown": atomic_write_text(out_dir / FILES["markdown"], render_markdown(runs)),
    }
