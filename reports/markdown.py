"""``summary.md``: a compact report for CI step summaries and pull-request comments."""

from __future__ import annotations

import re
from pathlib import Path

from ..records import RunResults
from ..records.causes import Cause, counted_causes, not_counted_causes
from .atomic import atomic_write_text
from .banners import banners
from .cause_text import check_label, not_counted_reason, run_causes_text
from .constraint_table import constraints_line
from .coverage_text import (
    coverage_line,
    has_operation_coverage,
    operation_coverage,
    unexercised,
)
from .fmt import duration, one_line, operations_text, plural, score_text, signed_points
from .history import Comparison
from .matrix import LEGEND, build_matrix, categories_of
from .parity import details, headline
from .redact import redact_run

MAX_CAUSES = 50
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md(text: str) -> str:
    """Escape ``text`` for Markdown prose and table cells (``<operation>`` stays visible)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_summary(run: RunResults, comparison: Comparison | None = None) -> str:
    """Return the Markdown summary of ``run``, with new/fixed when there is a previous run."""
    parts = [
        _heading(run, comparison),
        _parity(run),
        _banners(run),
        _coverage(run),
        _counts(run),
        _comparison(comparison),
        _matrix(run),
        _unexercised(run),
        _failures(run),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def write_summary(run: RunResults, path: Path, comparison: Comparison | None = None) -> Path:
    """Write ``summary.md`` (credentials redacted) atomically."""
    return atomic_write_text(path, render_summary(redact_run(run), comparison))


def _heading(run: RunResults, comparison: Comparison | None) -> str:
    s, how = run.summary, run.settings
    delta = signed_points(comparison.score_delta) if comparison else ""
    seed = "random" if how.seed is None else how.seed
    return "\n".join(
        [
            f"## ECR Public conformance: {run_causes_text(run)}; score "
            f"{score_text(s.score)}" + (f" ({delta})" if delta else ""),
            "",
            f"MUST {score_text(s.must_score)} · SHOULD {score_text(s.should_score)} · "
            f"target `{run.target.endpoint_url}` ({run.target.kind}) · profile `{how.profile}` · "
            f"strictness `{how.strictness}` · seed `{seed}` · {duration(run.times.duration_s)}",
        ]
    )


def _parity(run: RunResults) -> str:
    line = headline(run)
    if line is None or run.parity is None:
        return ""
    return f"**{md(line)}** ({md(details(run.parity))})"


def _banners(run: RunResults) -> str:
    items = banners(run)
    if not items:
        return ""
    lines = ["> [!WARNING]"]
    for banner in items:
        command = f"; remove with `{banner.command}`" if banner.command else ""
        lines.append(f"> - {md(banner.text)}{command}")
    return "\n".join(lines)


def _coverage(run: RunResults) -> str:
    line = coverage_line(run.coverage)
    support = run.support.headline(run.edition)
    out = [f"**Implements**: {md(support)}"] if support else []
    out += [f"**Coverage**: {line}"] if line else []
    constraints = constraints_line(run.constraints)
    out += [f"**Constraints**: {md(constraints)}"] if constraints else []
    return "\n\n".join(out)


def _counts(run: RunResults) -> str:
    s = run.summary
    names = ["passed", "failed", "errors", "xpassed", "xfailed", "unsupported", "skipped"]
    names += ["disabled", "total"]
    head = "| " + " | ".join(names) + " |"
    rule = "|" + "---:|" * len(names)
    row = "| " + " | ".join(str(getattr(s, n)) for n in names) + " |"
    return "\n".join([head, rule, row])


def _comparison(comparison: Comparison | None) -> str:
    if comparison is None or comparison.previous is None:
        return ""
    prev = comparison.previous
    series = f"`{prev.series}`, " if prev.series else ""
    lines = [
        f"### Compared with the previous run ({prev.run_id})",
        "",
        f"Same target, profile and operations ({series}{score_text(prev.score)} then).",
        "",
    ]
    lines.append(
        f"**New failures ({len(comparison.new_failures)})**" + _ids(comparison.new_failures)
    )
    lines.append("")
    lines.append(f"**Fixed ({len(comparison.fixed)})**" + _ids(comparison.fixed))
    return "\n".join(lines)


def _ids(ids: tuple[str, ...]) -> str:
    if not ids:
        return ": none"
    return "\n" + "\n".join(f"- `{i}`" for i in ids)


def _matrix(run: RunResults) -> str:
    cats = categories_of(run)
    cov = has_operation_coverage(run.coverage)
    extra_head, extra_rule = (" coverage |", "---|") if cov else ("", "")
    lines = [
        "### Operations × categories",
        "",
        "| operation | " + " | ".join(cats) + " |" + extra_head,
        "|---|" + ":-:|" * len(cats) + extra_rule,
    ]
    for row in build_matrix(run):
        cells = " | ".join(c.symbol for c in row.cells)
        extra = f" {operation_coverage(run.coverage, row.operation) or '·'} |" if cov else ""
        lines.append(f"| {row.operation} | {cells} |{extra}")
    legend: dict[str, list[str]] = {}
    for symbol, label in LEGEND.values():
        legend.setdefault(symbol, []).append(label)
    lines += ["", " · ".join(f"{s} {' / '.join(labels)}" for s, labels in legend.items())]
    if cov:
        lines += ["", "coverage: documented errors and effects exercised / in the catalogue"]
    return "\n".join(lines)


def _unexercised(run: RunResults) -> str:
    entries = unexercised(run.coverage)
    if not entries:
        return ""
    lines = [
        f"<details><summary>Not exercised ({len(entries)})</summary>",
        "",
        *(
            f"- {kind} `{e.id}`"
            + (f" ({e.operation})" if e.operation else "")
            + (f": {md(one_line(e.reason))}" if e.reason else "")
            for kind, e in entries
        ),
        "",
        "</details>",
    ]
    return "\n".join(lines)


def cause_label(cause: Cause) -> str:
    """How a cause's check reads in Markdown: the check id, or the checks a setup blocked."""
    label = check_label(cause)
    return label if len(cause.checks) > 1 else f"`{label}`"


def cause_bullet(cause: Cause) -> str:
    """``- ✗ `check` (MUST, protocol): expected ...; got ... - 23 operations: A, B, ...``."""
    symbol = LEGEND[cause.status][0]
    return (
        f"- {symbol} {cause_label(cause)} ({cause.level}, {cause.category}): "
        f"{md(one_line(cause.text, 300))} - {operations_text(cause.operations)}"
    )


def _failures(run: RunResults) -> str:
    counted, apart = counted_causes(run.causes), not_counted_causes(run.causes)
    if not counted and not apart:
        return "### Failures\n\nNone."
    failing = {i for c in counted for i in c.results}
    lines = [f"### Failures: {plural(len(counted), 'cause')} in {plural(len(failing), 'result')}"]
    lines += ["", *_bullets(counted)] if counted else ["", "None counted."]
    if apart:
        results = {i for c in apart for i in c.results}
        why = not_counted_reason(apart, run.settings.strictness)
        lines += [
            "",
            f"#### Not counted ({why}): {plural(len(apart), 'cause')} in "
            f"{plural(len(results), 'result')}",
            "",
            *_bullets(apart),
        ]
    return "\n".join(lines)


def _bullets(causes: tuple[Cause, ...]) -> list[str]:
    lines = [cause_bullet(c) for c in causes[:MAX_CAUSES]]
    if len(causes) > MAX_CAUSES:
        lines.append(f"- … and {len(causes) - MAX_CAUSES} more (see report.html)")
    return lines
