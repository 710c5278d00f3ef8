"""GitHub Actions: the run's summary in the job summary, and one annotation per cause.

Detected from the environment the runner sets: ``GITHUB_ACTIONS=true`` turns the annotations
on (workflow commands on standard output, ``::error`` for a counted cause, ``::warning`` for
one that does not count), and ``GITHUB_STEP_SUMMARY`` names the file the summary (Markdown) is
appended to. Elsewhere nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from ..records import RunResults
from ..records.causes import Cause
from .cause_text import check_label
from .fmt import operations_text, plural
from .matrix import spec_operations
from .redact import redact_run

#: Annotations of each kind written before the rest are counted in one more (GitHub shows
#: only the first few of a step anyway).
MAX_ANNOTATIONS = 50
#: Bytes a step may add to the job summary (GitHub refuses more than 1 MiB per step).
MAX_SUMMARY_BYTES = 1024 * 1024
#: What replaces the end of a summary too long for the job summary.
CUT = "\n\n… (cut: the full summary is in summary.md and report.html)\n"


def escape_data(text: str) -> str:
    """Escape the message of a workflow command (``%``, carriage return, line feed)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value of a workflow command (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def on_github_actions(environ: Mapping[str, str]) -> bool:
    """True when the environment is a GitHub Actions job."""
    return environ.get("GITHUB_ACTIONS") == "true"


def annotation(cause: Cause) -> str:
    """The workflow command of one cause: ``::error title=...::text - operations``."""
    kind = "error" if cause.counted else "warning"
    flag = "" if cause.counted else ", not counted"
    title = f"ECR Public conformance: {check_label(cause)} ({cause.level}{flag})"
    where = operations_text(cause.operations, every=spec_operations(), limit=3)
    failures = plural(len(cause.results), "failure")
    message = f"{cause.text} - {where} ({failures})"
    return f"::{kind} title={escape_property(title)}::{escape_data(message)}"


def annotation_lines(run: RunResults) -> list[str]:
    """One workflow command per cause, counted ones first; past MAX_ANNOTATIONS of a kind,
    one notice counts the rest."""
    lines: list[str] = []
    for counted, kind in ((True, "error"), (False, "warning")):
        causes = [c for c in run.causes if c.counted == counted]
        lines += [annotation(c) for c in causes[:MAX_ANNOTATIONS]]
        more = len(causes) - MAX_ANNOTATIONS
        if more > 0:
            text = f"{plural(more, 'more cause')} ({kind}s) not annotated: see the job summary"
            lines.append(f"::notice title=ECR Public conformance::{escape_data(text)}")
    return lines


def summary_text(markdown: str) -> str:
    """The summary as the job summary takes it: at most MAX_SUMMARY_BYTES, ending in a line
    feed."""
    text = markdown if markdown.endswith("\n") else markdown + "\n"
    data = text.encode("utf-8")
    if len(data) <= MAX_SUMMARY_BYTES:
        return text
    room = MAX_SUMMARY_BYTES - len(CUT.encode("utf-8"))
    return data[:room].decode("utf-8", "ignore") + CUT


def publish(
    run: RunResults,
    summary: Path,
    write_line: Callable[[str], None],
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """On GitHub Actions: write the annotations with ``write_line`` and append ``summary``
    (the run's summary.md) to the job summary. Returns a one-line warning when the job
    summary could not be written, else None; does nothing elsewhere."""
    env = os.environ if environ is None else environ
    if on_github_actions(env):
        for line in annotation_lines(redact_run(run)):
            write_line(line)
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    try:
        text = summary_text(summary.read_text(encoding="utf-8"))
        with open(target, "a", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        return f"warning: cannot append to the job summary ({target}): {exc}"
    return None
