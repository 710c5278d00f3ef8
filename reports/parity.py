"""The parity line every report shows beside the conformance score (``run --oracle``).

``conformance 100.0%, parity with embedded reference 91.2%``: the two are scored apart, so a
run is as conformant with parity divergences as without them; the counts and the corpus's
caveats (records not judged, other specs) follow.
"""

from __future__ import annotations

from ..records import Parity, RunResults
from .fmt import plural, score_text


def parity_score_text(parity: Parity) -> str:
    """``parity with embedded reference 91.2%``."""
    return f"parity with {parity.oracle or 'the recording'} {score_text(parity.score)}"


def headline(run: RunResults) -> str | None:
    """``conformance 100.0%, parity with <recorded target> 91.2%``, or None without an oracle."""
    if run.parity is None:
        return None
    return f"conformance {score_text(run.summary.score)}, {parity_score_text(run.parity)}"


def details(parity: Parity) -> str:
    """``812 of 890 records match; 3 not judged (stale)``, and the caveats that apply."""
    compared = parity.compared
    verb = "matches" if compared == 1 else "match"
    parts = [f"{parity.matching} of {plural(compared, 'record')} {verb}"]
    stale = parity.stale
    if stale:
        parts.append(f"{stale} not judged (the replayed request differs: stale corpus?)")
    if not parity.spec_hash_matches:
        parts.append("recorded with other specs: record again")
    elif not parity.suite_matches:
        parts.append("recorded with another suite version: record again if records are stale")
    recorded = parity.recorded
    if recorded:
        parts.append(
            f"recorded {recorded} with {parity.recorded_with or '?'}, profile "
            f"{parity.profile or '?'}, seed {parity.seed if parity.seed is not None else '?'}"
        )
    if parity.gate:
        parts.append("divergences fail the run (--parity-gate)")
    return "; ".join(parts)
