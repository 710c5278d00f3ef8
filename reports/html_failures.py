"""Sections of ``report.html`` below the matrix: failure drill-downs and the full results table."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from ..conformance.records import CheckResult, Failure
from .html_parts import anchor
from .matrix import LEGEND
from .results import FAILING, RunResults

MAX_BODY = 16_000
MAX_FAILURES_PER_RESULT = 20
REPRODUCERS = (("aws_cli", "AWS CLI"), ("python", "Python (boto3)"))


class _Ids:
    """Hands out unique element ids for copyable blocks."""

    def __init__(self) -> None:
        self.n = 0

    def next(self, kind: str) -> str:
        """Return a fresh id for a ``kind`` block."""
        self.n += 1
        return f"cmd-{self.n}-{kind}"


def render_failures(run: RunResults) -> str:
    """Every failing result with a ``<details class="failure">`` drill-down per failure."""
    failing = [r for r in run.results if r.status in FAILING]
    ids = _Ids()
    if not failing:
        body = '<p class="meta">No failures.</p>'
    else:
        body = "".join(_result(r, ids, first=i == 0) for i, r in enumerate(failing))
    return (
        f'<section class="card" id="failures" data-count="{len(failing)}">'
        f"<h2>Failures ({len(failing)})</h2>"
        '<div class="controls"><input type="search" id="filter-text" '
        'placeholder="filter by operation, check, category, level or text"></div>'
        f"{body}</section>"
    )


def _result(result: CheckResult, ids: _Ids, first: bool) -> str:
    symbol, label = LEGEND[result.status]
    shown = result.failures[:MAX_FAILURES_PER_RESULT]
    blocks = "".join(_failure(result, f, ids, opened=first and i == 0) for i, f in enumerate(shown))
    more = len(result.failures) - len(shown)
    if more > 0:
        blocks += f'<p class="meta">… and {more} more failures of this check in results.json</p>'
    reason = f'<p class="reason">{escape(result.reason)}</p>' if result.reason else ""
    return (
        f'<section class="result" id="{anchor(result.id)}" data-filterable '
        f"{_data(result)}>"
        f'<h3><span class="tag s-{result.status}">{symbol} {escape(label)}</span>'
        f"<code>{escape(result.id)}</code>"
        f'<span class="tag {result.level}">{result.level}</span>'
        f'<span class="tag">{escape(result.category)}</span>'
        f'<span class="meta">{result.examples} examples · {result.duration_s:.2f}s</span></h3>'
        f'<p class="desc">{escape(result.description)}</p>{reason}{blocks}</section>'
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
        + _reproducers(failure, ids)
        + "</div></details>"
    )


def _fact(failure: Failure) -> str:
    fact = failure.spec_fact
    rows = (
        ("operation", fact.operation),
        ("member", fact.member or "—"),
        ("constraint", fact.constraint),
        ("provenance", fact.provenance),
    )
    items = "".join(f"<dt>{k}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    return f'<div class="fact"><h4>Violated spec fact</h4><dl>{items}</dl></div>'


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
        f"<td>{escape(r.reason or r.description)}</td><td>{r.duration_s:.2f}s</td></tr>"
        for r in run.results
    )
    return (
        '<section class="card"><details id="all-results">'
        f"<summary><b>All results ({len(run.results)})</b></summary>"
        '<table class="results"><thead><tr><th>operation</th><th>check</th><th>category</th>'
        "<th>level</th><th>status</th><th>reason / description</th><th>time</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></details></section>"
    )
