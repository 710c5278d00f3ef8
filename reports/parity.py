"""The parity line every report shows beside the conformance score (``run --oracle``).

``conformance 100.0%, parity with embedded reference 91.2%``: the two are scored apart, so a
run is as conformant with parity divergences as without them; the counts and the corpus's
caveats (records not judged, other specs) follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .fmt import plural, score_text
from .results import RunResults


def parity_score_text(parity: Mapping[str, Any]) -> str:
    """``parity with embedded reference 91.2%``."""
    return (
        f"parity with {parity.get('oracle') or 'the recording'} {score_text(parity.get('score'))}"
    )


def headline(run: RunResults) -> str | None:
    """``conformance 100.0%, parity with <recorded target> 91.2%``, or None without an oracle."""
    if run.parity is None:
        return None
    return f"conformance {score_text(run.summary.score)}, {parity_score_text(run.parity)}"


def details(parity: Mapping[str, Any]) -> str:
    """``812 of 890 records match; 3 not judged (stale)``, and the caveats that apply."""
    compared = int(parity.get("compared") or 0)
    verb = "matches" if compared == 1 else "match"
    parts = [f"{parity.get('matching', 0)} of {plural(compared, 'record')} {verb}"]
    stale = int(parity.get("stale") or 0)
    if stale:
        parts.append(f"{stale} not judged (the replayed request differs: stale corpus?)")
    if parity.get("spec_hash_matches") is False:
        parts.append("recorded with other specs: record again")
    elif parity.get("suite_matches") is False:
        parts.append("recorded with another suite version: record again if records are stale")
    recorded = parity.get("recorded")
    if recorded:
        parts.append(
            f"recorded {recorded} with {parity.get('recorded_with', '?')}, profile "
            f"{parity.get('profile', '?')}, seed {parity.get('seed', '?')}"
        )
    if parity.get("gate"):
        parts.append("divergences fail the run (--parity-gate)")
    return "; ".join(parts)
