"""How a plain ``pytest`` run of the suite ends: the reports written, then the lines ``run``
ends with (the seed, the score line, the coverage line and the causes, the report path).

Without ``--ecr-report-dir`` the reports go where ``run`` puts them, ``./ecr-conformance/latest``,
and the history beside them, so that every run can be read and compared afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..records import RunResults
from .github import publish
from .pytest_plugin import DEFAULT_HISTORY_DIR, DEFAULT_REPORT_DIR
from .terminal import render_summary
from .writers import write_reports


def report_dirs(report_dir: str | None, history_dir: str | None) -> tuple[Path, Path | None]:
    """The report folder and the history folder (None: the writers' default, ``../history``)."""
    if report_dir:
        return Path(report_dir), Path(history_dir) if history_dir else None
    return DEFAULT_REPORT_DIR, Path(history_dir) if history_dir else DEFAULT_HISTORY_DIR


def target_text(run: RunResults) -> str:
    """The target as the ending names it: its name (when given) and its URL, or the embedded
    reference with its faults and variants."""
    target = run.target
    if target.kind == "reference":
        extras = [*target.reported.faults, *target.reported.variants]
        where = "embedded reference" + (f" ({', '.join(extras)})" if extras else "")
    else:
        where = target.endpoint_url or target.kind
    name = target.name
    return where if not name or name == "reference" else f"{name} ({where})"


def seed_line(run: RunResults) -> str:
    """``ecr-public-conformance: target ..., profile ..., strictness ..., seed N (replay: ...)``."""
    if run.settings.seed is None:
        seed = "seed none (generation driven by --ecr-hypothesis-db)"
    else:
        seed = f"seed {run.settings.seed} (replay: --ecr-seed {run.settings.seed})"
    return (
        f"ecr-public-conformance: target {target_text(run)}, profile {run.settings.profile}, "
        f"strictness {run.settings.strictness}, {seed}"
    )


def finish(
    run: RunResults,
    report_dir: str | None,
    history_dir: str | None,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """Write the reports (and, on GitHub Actions, the job summary); return the ending lines:
    the seed, the summary, the annotations on GitHub Actions, the report path. Reports that
    cannot be written are one line."""
    out, history = report_dirs(report_dir, history_dir)
    try:
        written = write_reports(run, out, history)
    except OSError as exc:
        return [f"error: ecr-public-conformance: cannot write the reports: {exc}"]
    lines = [
        seed_line(run),
        *render_summary(run, run.settings.strictness, color=False).splitlines(),
    ]
    env = os.environ if environ is None else environ
    problem = publish(run, written["summary"], lines.append, env)
    if problem:
        lines.append(problem)
    lines.append(f"ecr-public-conformance reports: {written['html']}")
    return lines
