"""The summary printed at the end of a run: the score, the warnings, one line per cause.

``render_summary(run, strictness, color)`` returns the text; the ``run`` command prints it.
A cause seen on 23 operations is one line, so the summary stays short whatever the run found.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..records import RunResults, summarize
from ..records.categories import SCORED_APART
from ..records.causes import Cause, counted_causes, group_causes
from .banners import banners
from .cause_text import causes_text, check_label, not_counted_reason
from .coverage_text import coverage_line
from .fmt import one_line, operations_text, plural, score_text
from .matrix import LEGEND, spec_operations
from .parity import details, headline
from .redact import redact_run

#: ANSI styles, used only when colour is asked for.
STYLES = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "dim": "2"}
#: Operations a cause line names before it counts the rest.
MAX_OPERATIONS = 3
#: Longest cause text on a line.
MAX_TEXT = 120
#: Parity causes the summary lists before it counts the rest.
MAX_PARITY_CAUSES = 10


def style(text: str, name: str, color: bool) -> str:
    """Wrap ``text`` in the ANSI style ``name`` when ``color`` is true."""
    return f"\x1b[{STYLES[name]}m{text}\x1b[0m" if color else text


def render_summary(run: RunResults, strictness: str, color: bool) -> str:
    """The end-of-run summary: a score line, warnings, one line per cause, then the totals.

    Only causes that count under ``strictness`` are listed as failures; the others (SHOULD
    checks under ``spec``, categories scored apart) follow apart, marked as not counted.
    Credentials are redacted; ANSI colour only when ``color`` is true.
    """
    safe = redact_run(run)
    gate = safe.parity.gate if safe.parity is not None else False
    causes = (
        safe.causes
        if strictness == safe.settings.strictness
        else group_causes(safe.results, strictness, gate)
    )
    counted = counted_causes(causes)
    apart = tuple(c for c in causes if not c.counted)
    lines = [_score_line(safe, strictness, counted, color)]
    parity = headline(safe)
    if parity is not None and safe.parity is not None:
        lines.append(f"{parity} ({details(safe.parity)})")
    support = safe.support.headline(safe.edition)
    if support is not None:
        lines.append(support)
    lines += [style(f"! {b.text}", "yellow", color) + _command(b.command) for b in banners(safe)]
    coverage = coverage_line(safe.coverage)
    if coverage:
        lines.append(f"coverage: {coverage}")
    for cause in counted:
        lines.append(_cause_line(cause, color))
        lines += _reproduce(cause, color)
    if apart:
        lines.append(style(f"not counted ({not_counted_reason(apart, strictness)}):", "dim", color))
        lines += _apart_lines(apart, color)
    lines.append(_totals(counted, apart))
    return "\n".join(lines) + "\n"


#: A reproducer longer than this is left to the reports (it would not paste well).
MAX_REPRODUCER = 1500


def _reproduce(cause: Cause, color: bool) -> list[str]:
    """The example failure's curl command and replay line, indented under its cause."""
    example = cause.failure
    if example is None:
        return []
    out = []
    curl = example.reproduce.get("curl", "")
    if curl and len(curl) <= MAX_REPRODUCER:
        out += [style(f"      {line}", "dim", color) for line in curl.splitlines()]
    elif curl:
        out.append(style("      curl: see report.html (a long request)", "dim", color))
    replay = example.reproduce.get("replay", "")
    if replay:
        out.append(style(f"      {replay}", "dim", color))
    return out


def _apart_lines(apart: Sequence[Cause], color: bool) -> list[str]:
    """The causes not counted; of parity's (a target far from the recording has many), the
    first MAX_PARITY_CAUSES and how many more."""
    parity = [c for c in apart if c.category in SCORED_APART]
    shown = [c for c in apart if c.category not in SCORED_APART] + parity[:MAX_PARITY_CAUSES]
    lines = [_cause_line(c, color) for c in apart if c in shown]
    if len(parity) > MAX_PARITY_CAUSES:
        more = len(parity) - MAX_PARITY_CAUSES
        text = f"  … and {more} more parity {'cause' if more == 1 else 'causes'} (see report.html)"
        lines.append(style(text, "dim", color))
    return lines


def _command(command: str) -> str:
    return f"; remove with: {command}" if command else ""


def _score_line(run: RunResults, strictness: str, counted: Sequence[Cause], color: bool) -> str:
    """Causes first, then the score and the counts: ``2 causes (14 failures); score ...``."""
    s = summarize(run.results, strictness)
    counts = [f"{s.passed} passed", f"{s.failed} failed", plural(s.errors, "error")]
    for value, name in ((s.xpassed, "xpassed"), (s.xfailed, "xfailed")):
        if value:
            counts.append(f"{value} {name}")
    counts += [f"{s.skipped} skipped", f"{s.unsupported} unsupported"]
    failing = bool(counted)
    score = style(f"score {score_text(s.score)}", "red" if failing else "green", color)
    return (
        f"{style(causes_text(counted), 'bold', color)}; {style(score, 'bold', color)} "
        f"(strictness {strictness}): " + ", ".join(counts) + f" ({plural(s.total, 'check')})"
    )


def _cause_line(cause: Cause, color: bool) -> str:
    symbol = LEGEND[cause.status][0]
    mark = style(symbol, "red" if cause.counted else "yellow", color)
    check = check_label(cause)
    where = _operations(cause.operations)
    flag = "" if cause.counted else ", not counted"
    return f"  {mark} {check} ({cause.level}{flag}): {one_line(cause.text, MAX_TEXT)} - {where}"


def _operations(operations: Sequence[str]) -> str:
    return operations_text(operations, every=spec_operations(), limit=MAX_OPERATIONS)


def _totals(counted: Sequence[Cause], apart: Sequence[Cause]) -> str:
    failures = {i for c in counted for i in c.results}
    line = f"{plural(len(counted), 'cause')}, {plural(len(failures), 'failure')}"
    if apart:
        others = {i for c in apart for i in c.results} - failures
        line += (
            f" (and {plural(len(apart), 'cause')}, {plural(len(others), 'failure')} not counted)"
        )
    return line
