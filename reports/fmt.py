"""Small formatting functions shared by every writer and the terminal summary.

Each piece of text that appears in more than one report is formatted here once, so the
reports can never disagree (a score, a count, a spec fact, a list of operations).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ..records import ENDPOINT, SpecFact


def percent(score: float | None, decimals: int = 0) -> str:
    """Format a 0..1 score as a percentage, rounded half up (67.80% is ``67.8%``); a score
    below 1 never shows as 100% (99.96% is ``99.9%``)."""
    if score is None:
        return "n/a"
    scale = 10**decimals
    value = math.floor(score * 100 * scale + 0.5 + 1e-9) / scale
    if value >= 100 and score < 1:
        value = (100 * scale - 1) / scale
    return f"{value:.{decimals}f}%"


def score_text(score: float | None) -> str:
    """The score as every report shows it: one decimal, rounded (``79.5%``)."""
    return percent(score, 1)


def signed_points(delta: float | None) -> str:
    """Format a score change as signed percentage points (``+2.5 pts``)."""
    if delta is None:
        return ""
    return f"{delta * 100:+.1f} pts"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 example``, ``2 examples`` (``nouns`` for irregular plurals: ``repositories``)."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {nouns if nouns is not None else noun + 's'}"


def one_line(text: str, limit: int = 160) -> str:
    """Collapse whitespace and shorten ``text`` to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def duration(seconds: float) -> str:
    """Format seconds as ``1h 02m``, ``3m 04s`` or ``5.2s``."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


#: reStructuredText inline markup, most specific first: roles (``:py:class:`x```), inline
#: literals (double backticks), hyperlink references (`text`_) and interpreted text (`x`).
_ROLE = re.compile(r":(?:[A-Za-z][\w.+-]*:)+`([^`]+)`")
_LITERAL = re.compile(r"``(.+?)``")
_REFERENCE = re.compile(r"`([^`]+)`__?")
_INTERPRETED = re.compile(r"`([^`]+)`")
_TITLE_TARGET = re.compile(r"^(.*?)\s*<[^<>]+>$")


def _role_text(match: re.Match[str]) -> str:
    """The text a role shows: ``title <target>`` -> title; ``~a.b.C`` -> C."""
    inner = match.group(1).strip()
    titled = _TITLE_TARGET.match(inner)
    if titled and titled.group(1):
        return titled.group(1)
    if inner.startswith("~"):
        return inner[1:].rsplit(".", 1)[-1]
    return inner.lstrip("!")


def plain_text(text: str) -> str:
    """Remove reStructuredText markup from a description: ``x``, `x`, :py:class:`x` -> x."""
    if "`" not in text:
        return text
    text = _ROLE.sub(_role_text, text)
    text = _LITERAL.sub(r"\1", text)
    text = _REFERENCE.sub(lambda m: _TITLE_TARGET.sub(r"\1", m.group(1)) or m.group(1), text)
    return _INTERPRETED.sub(r"\1", text)


def spec_fact_text(fact: SpecFact) -> str:
    """``awsJson1_1 Content-Type (overlay), on BatchCheckLayerAvailability`` (member if any)."""
    where = "the endpoint" if fact.operation == ENDPOINT else fact.operation
    member = f", member {fact.member}" if fact.member else ""
    text = f"{plain_text(fact.constraint)} ({fact.provenance}), on {where}{member}"
    if fact.doc_line is not None:
        text += f"; document line {fact.doc_line}"
    if fact.quote:
        text += f': "{one_line(plain_text(fact.quote), 200)}"'
    return text


def operations_text(operations: Sequence[str], every: Sequence[str] = (), limit: int = 0) -> str:
    """``23 operations: A, B, ...`` (``all 23 operations`` when ``every`` is covered).

    ``limit`` > 0 names at most that many operations and counts the rest (``+20 more``).
    """
    names = list(operations)
    if names == [ENDPOINT]:
        return "the endpoint"
    count = plural(len(operations), "operation")
    if every and len(names) > 1 and set(every) <= set(names) and len(set(names)) == len(every):
        return f"all {count}"
    if limit and len(names) > limit:
        return f"{count}: {', '.join(names[:limit])} +{len(names) - limit} more"
    return f"{count}: {', '.join(names)}"
