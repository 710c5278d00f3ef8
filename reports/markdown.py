"""``summary.md``: a compact report for CI step summaries and pull-request comments."""

from __future__ import annotations

from pathlib import Path

from .atomic import atomic_write_text
from .fmt import duration, one_line, percent, signed_points
from .history import Comparison
from .matrix import LEGEND, build_matrix, categories_of
from .redact import redact_run
from .results import FAILING, RunResults

MAX_FAILURES = 50


def render_summary(run: RunResults, comparison: Comparison | None = None) -> str:
    """Return the Markdown summary of ``run``, with new/fixed when there is a previous run."""
    parts = [
        _heading(run, comparison),
        _counts(run),
        _comparison(comparison),
        _matrix(run),
        _failures(run),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def write_summary(run: RunResults, path: Path, comparison: Comparison | None = None) -> Path:
    """Write ``summary.md`` (credentials redacted) atomically."""
    return atomic_write_text(path, render_summary(redact_run(run), comparison))


def _heading(run: RunResults, comparison: Comparison | None) -> str:
    s = run.summary
    delta = signed_points(comparison.score_delta) if comparison else ""
    return "\n".join(
        [
            f"## ECR Public conformance: {percent(s.score, 1)}" + (f" ({delta})" if delta else ""),
            "",
            f"MUST {percent(s.must_score, 1)} · SHOULD {percent(s.should_score, 1)} · "
            f"target `{run.target.endpoint_url}` ({run.target.kind}) · profile `{run.profile}` · "
            f"strictness `{run.strictness}` · seed `{'random' if run.seed is None else run.seed}` "
            "· "
            f"{duration(run.duration_s)}",
        ]
    )


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
    lines = [f"### Compared with the previous run ({comparison.previous.run_id})", ""]
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
    lines = [
        "### Operations × categories",
        "",
        "| operation | " + " | ".join(cats) + " |",
        "|---|" + ":-:|" * len(cats),
    ]
    for row in build_matrix(run):
        lines.append(f"| {row.operation} | " + " | ".join(c.symbol for c in row.cells) + " |")
    legend: dict[str, list[str]] = {}
    for symbol, label in LEGEND.values():
        legend.setdefault(symbol, []).append(label)
    lines += ["", " · ".join(f"{s} {' / '.join(labels)}" for s, labels in legend.items())]
    return "\n".join(lines)


def _failures(run: RunResults) -> str:
    failing = [r for r in run.results if r.status in FAILING]
    if not failing:
        return "### Failures\n\nNone."
    lines = [f"### Failures ({len(failing)})", ""]
    for result in failing[:MAX_FAILURES]:
        reason = result.failures[0].message if result.failures else result.reason or result.status
        lines.append(
            f"- {LEGEND[result.status][0]} `{result.id}` ({result.level}, {result.category}): "
            + one_line(reason).replace("|", "\\|")
        )
    if len(failing) > MAX_FAILURES:
        lines.append(f"- … and {len(failing) - MAX_FAILURES} more (see report.html)")
    return "\n".join(lines)
