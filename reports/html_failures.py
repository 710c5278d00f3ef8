"""Sections of ``report.html`` below the matrix: one card per cause of failure, every failing
result's drill-down (collapsed), and the full results table."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from ..records import FAILING, CheckResult, Failure, RunResults
from ..records.causes import SETUP, Cause, counted_causes, not_counted_causes
from .cause_text import check_label, not_counted_reason
from .fmt import one_line, plain_text, plural, spec_fact_text
from .html_parts import anchor
from .matrix import LEGEND

MAX_BODY = 16_000
MAX_FAILURES_PER_RESULT = 20
REPRODUCERS = (
    ("curl", "curl"),
    ("replay", "replay"),
    ("aws_cli", "AWS CLI"),
    ("python", "Python (requests, SigV4 by botocore)"),
)


class _Ids:
    """Hands out unique element ids for copyable blocks."""

    def __init__(self) -> None:
        self.n = 0

    def next(self, kind: str) -> str:
        """Return a fresh id for a ``kind`` block."""
        self.n += 1
        return f"cmd-{self.n}-{kind}"


def cause_anchor(cause: Cause) -> str:
    """The element id of a cause's card."""
    return f"cause-{cause.id}"


def render_failures(run: RunResults) -> str:
    """One card per cause (``section.cause``), then every failing result's drill-down.

    The drill-downs (one ``details.failure`` per failure) sit in one collapsed
    ``details#drilldowns``; each cause card's operation chips link to them.
    """
    failing = [r for r in run.results if r.status in FAILING]
    by_id = {r.id: r for r in run.results}
    counted, apart = counted_causes(run.causes), not_counted_causes(run.causes)
    ids = _Ids()
    if not failing:
        body = '<p class="meta">No failures.</p>'
    else:
        body = "".join(_cause(c, by_id) for c in counted) or '<p class="meta">None counted.</p>'
        if apart:
            results = {i for c in apart for i in c.results}
            body += (
                f'<h3 class="apart" id="not-counted" data-count="{len(apart)}">Not counted '
                f"({escape(not_counted_reason(apart, run.settings.strictness))}): "
                f"{plural(len(apart), 'cause')} in {plural(len(results), 'result')}</h3>"
                + "".join(_cause(c, by_id) for c in apart)
            )
        drill = "".join(_result(r, ids, first=i == 0) for i, r in enumerate(failing))
        body += (
            f'<details id="drilldowns" data-count="{len(failing)}"><summary><b>Every failing '
            f"result ({len(failing)})</b>: request, response, spec fact and reproducers"
            f"</summary>{drill}</details>"
        )
    results_in = {i for c in counted for i in c.results}
    title = (
        f"Failures: {plural(len(counted), 'cause')} in {plural(len(results_in), 'result')}"
        if failing
        else "Failures"
    )
    return (
        f'<section class="card" id="failures" data-count="{len(failing)}" '
        f'data-causes="{len(counted)}">'
        f"<h2>{escape(title)}</h2>"
        '<div class="controls"><input type="search" id="filter-text" '
        'placeholder="filter by operation, check, category, level or text"></div>'
        f"{body}</section>"
    )


def _cause(cause: Cause, by_id: dict[str, CheckResult]) -> str:
    symbol, label = LEGEND[cause.status]
    first = by_id.get(cause.example.result)
    chips = "".join(_chip(cause, by_id[i]) for i in cause.results if i in by_id)
    checks = check_label(cause)
    desc = (
        f'<p class="desc">{escape(plain_text(first.description))}</p>'
        if first is not None and first.description and cause.check != SETUP
        else ""
    )
    example = ""
    if cause.failure is not None and first is not None:
        example = (
            f'<p class="example meta">example ({escape(first.operation)}): '
            f'<a href="#{anchor(first.id)}">{escape(one_line(cause.example.message, 240))}</a>'
            f"</p>"
        )
    counted = "true" if cause.counted else "false"
    ops = " ".join(cause.operations)
    return (
        f'<section class="cause" id="{cause_anchor(cause)}" data-cause="{cause.id}" '
        f'data-kind="{cause.kind}" data-counted="{counted}" '
        f'data-operations="{len(cause.operations)}" data-results="{len(cause.results)}" '
        f'data-filterable data-operation="{escape(ops)}" data-check="{escape(cause.check)}" '
        f'data-category="{escape(cause.category)}" data-level="{cause.level}" '
        f'data-status="{cause.status}">'
        f'<h3><span class="tag s-{cause.status}">{symbol} {escape(label)}</span>'
        f"<code>{escape(checks)}</code>"
        f'<span class="tag {cause.level}">{cause.level}</span>'
        f'<span class="tag">{escape(cause.category)}</span>'
        + ("" if cause.counted else '<span class="tag not-counted">not counted</span>')
        + f'<span class="meta">{plural(len(cause.operations), "operation")}'
        f" · {plural(len(cause.results), 'result')}"
        f" · {plural(cause.failures, 'failure')}</span></h3>"
        f'<p class="cause-text">{escape(cause.text)}</p>{desc}'
        f'<div class="ops">{chips}</div>{example}</section>'
    )


def _chip(cause: Cause, result: CheckResult) -> str:
    label = result.operation if cause.check != SETUP else f"{result.operation} · {result.check}"
    return (
        f'<a class="op-chip s-{result.status}" href="#{anchor(result.id)}" '
        f'data-result="{escape(result.id)}">{escape(label)}</a>'
    )


def _result(result: CheckResult, ids: _Ids, first: bool) -> str:
    symbol, label = LEGEND[result.status]
    shown = result.failures[:MAX_FAILURES_PER_RESULT]
    blocks = "".join(_failure(result, f, ids, opened=first and i == 0) for i, f in enumerate(shown))
    more = len(result.failures) - len(shown)
    if more > 0:
        blocks += (
            f'<p class="meta">… and {plural(more, "more failure")} of this check in '
            "results.json</p>"
        )
    reason = f'<p class="reason">{escape(result.reason)}</p>' if result.reason else ""
    return (
        f'<section class="result" id="{anchor(result.id)}" data-filterable '
        f"{_data(result)}>"
        f'<h3><span class="tag s-{result.status}">{symbol} {escape(label)}</span>'
        f"<code>{escape(result.id)}</code>"
        f'<span class="tag {result.level}">{result.level}</span>'
        f'<span class="tag">{escape(result.category)}</span>'
        f'<span class="meta">{plural(result.examples, "example")} · '
        f"{result.duration_s:.2f}s</span></h3>"
        f'<p class="desc">{escape(plain_text(result.description))}</p>{reason}{blocks}</section>'
    )


def _data(result: CheckResult) -> str:
    return (
        f'data-operation="{escape(result.operation)}" data-check="{escape(result.check)}" '
        f'data-category="{escape(result.category)}" data-level="{result.level}" '
        f'data-status="{result.status}"'
    )


def _failure(result: CheckResult, failure: Failure, ids: _Ids, opened: bool) -> str:
    return (
        f'<details class="failure" {_data(result)}{" open" if opened else ""}>'
        f'<summary>{escape(failure.message)}</summary><div class="body">'
        + _fact(failure)
        + '<div class="http">'
        + _http("Request", failure.request, "request")
        + _http("Response", failure.response, "response")
        + "</div>"
        + _recorded(failure)
        + _reproducers(failure, ids)
        + "</div></details>"
    )


def _recorded(failure: Failure) -> str:
    """A parity divergence: the recorded answer beside the replayed one, both normalised."""
    recorded = failure.replay.get("recorded") if isinstance(failure.replay, dict) else None
    replayed = failure.replay.get("replayed") if isinstance(failure.replay, dict) else None
    if not isinstance(recorded, dict):
        return ""
    sides = [
        (f"Recorded answer ({failure.replay.get('record', '')})", recorded.get("response")),
        ("Replayed answer", (replayed or {}).get("response")),
    ]
    cells = "".join(
        f'<div class="recorded"><h4>{escape(title)}</h4><pre>{escape(_clip(pretty(body)))}</pre>'
        "</div>"
        for title, body in sides
    )
    return f'<div class="http parity">{cells}</div>'


def _fact(failure: Failure) -> str:
    fact = failure.spec_fact
    rows = [
        ("operation", fact.operation),
        ("member", fact.member or "—"),
        ("constraint", plain_text(fact.constraint)),
        ("provenance", fact.provenance),
    ]
    if fact.doc_line is not None:
        rows.append(("document line", str(fact.doc_line)))
    if fact.quote:
        rows.append(("document says", plain_text(fact.quote)))
    if failure.expected:
        rows += [("expected", failure.expected), ("got", failure.actual)]
    items = "".join(f"<dt>{k}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    return (
        f'<div class="fact" title="{escape(spec_fact_text(fact))}"><h4>Violated spec fact</h4>'
        f"<dl>{items}</dl></div>"
    )


def _http(title: str, message: dict[str, Any], cls: str) -> str:
    rest = dict(message)
    status = rest.pop("status", None)
    line = " ".join(str(rest.pop(k)) for k in ("method", "url") if k in rest)
    headers = rest.pop("headers", None)
    has_body = "body" in rest
    body = rest.pop("body", None)
    status_html = (
        f' <span class="http-status">{escape(str(status))}</span>' if status is not None else ""
    )
    parts = [f'<div class="{cls}"><h4>{title}{status_html}</h4>']
    if line:
        parts.append(f"<pre>{escape(line)}</pre>")
    if headers:
        parts.append(f"<h4>Headers</h4><pre>{escape(_headers(headers))}</pre>")
    if has_body:
        parts.append(f"<h4>Body</h4><pre>{escape(_clip(pretty(body)))}</pre>")
    if rest:
        parts.append(f"<h4>Other</h4><pre>{escape(_clip(pretty(rest)))}</pre>")
    parts.append("</div>")
    return "".join(parts)


def _headers(headers: Any) -> str:
    if isinstance(headers, dict):
        pairs = list(headers.items())
    else:
        pairs = [tuple(h) if isinstance(h, (list, tuple)) else (h, "") for h in headers]
    return "\n".join(f"{k}: {v}" for k, v in pairs)


def pretty(value: Any) -> str:
    """Render a body for reading: JSON pretty-printed, text as is, nothing as ``(empty)``."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)


def _clip(text: str) -> str:
    if len(text) <= MAX_BODY:
        return text
    return text[:MAX_BODY] + f"\n… ({len(text) - MAX_BODY} more characters in results.json)"


def _reproducers(failure: Failure, ids: _Ids) -> str:
    known = dict(REPRODUCERS)
    names = [k for k, _ in REPRODUCERS if k in failure.reproduce]
    names += [k for k in failure.reproduce if k not in known]
    if not names:
        return ""
    blocks = []
    for name in names:
        element = ids.next(name)
        blocks.append(
            f'<div class="cmd-head"><span>{escape(known.get(name, name))}</span>'
            f'<button type="button" class="copy" data-copy-target="{element}">Copy</button></div>'
            f'<pre id="{element}" class="repro" data-kind="{escape(name)}">'
            f"{escape(failure.reproduce[name])}</pre>"
        )
    return '<div class="reproduce"><h4>Reproduce</h4>' + "".join(blocks) + "</div>"


def render_results_table(run: RunResults) -> str:
    """Every result in one collapsible table (``id="all-results"``)."""
    rows = "".join(
        f"<tr data-filterable {_data(r)}><td><code>{escape(r.operation)}</code></td>"
        f"<td>{escape(r.check)}</td><td>{escape(r.category)}</td><td>{r.level}</td>"
        f'<td class="st s-{r.status}">{LEGEND[r.status][0]} {r.status}</td>'
        f"<td>{escape(r.reason or plain_text(r.description))}</td>"
        f"<td>{r.duration_s:.2f}s</td></tr>"
        for r in run.results
    )
    return (
        '<section class="card"><details id="all-results">'
        f"<summary><b>All results ({len(run.results)})</b></summary>"
        '<table class="results"><thead><tr><th>operation</th><th>check</th><th>category</th>'
        "<th>level</th><th>status</th><th>reason / description</th><th>time</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></details></section>"
    )
