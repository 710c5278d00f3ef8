"""Parity inside a run: replay the corpus on the run's target, and the ``parity`` summary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..env import CheckEnv
from ..records import CheckResult
from .corpus import Manifest, read_manifest, read_records
from .play import player_for
from .replay import Replay, replay_corpus


def replay_for(env: CheckEnv, oracle: Path) -> Replay:
    """Replay the corpus in ``oracle`` on ``env``'s target with the corpus's seed and profile."""
    manifest = read_manifest(oracle)
    records = read_records(oracle, manifest)
    player = player_for(env, manifest.profile, manifest.seed)
    try:
        return replay_corpus(player, manifest, records)
    finally:
        env.requests_sent = player.requests_sent


def parity_summary(
    results: Iterable[CheckResult], manifest: Manifest, oracle: Path, gate: bool = False
) -> dict[str, Any]:
    """The ``parity`` block of ``results.json``: the oracle, the score and the counts, overall
    and per operation, from the parity results (so shards and re-read files agree)."""
    from ... import __version__
    from ...specs import load_service

    about = {
        "oracle": manifest.description,
        "corpus": str(oracle),
        "recorded": manifest.recorded,
        "recorded_with": manifest.suite_version,
        "profile": manifest.profile,
        "seed": manifest.seed,
        "spec_hash_matches": manifest.spec_hash == load_service().spec_hash,
        "suite_matches": manifest.suite_version == __version__,
        "gate": gate,
    }
    return recount(results, about)


#: Members of the ``parity`` block that :func:`recount` derives from the results.
COUNTED = ("score", "compared", "matching", "divergences", "stale", "by_operation")


def recount(results: Iterable[CheckResult], parity: Mapping[str, Any]) -> dict[str, Any]:
    """``parity`` (what it says about the oracle) with the counts taken from ``results``."""
    by_operation: dict[str, dict[str, Any]] = {}
    for r in results:
        if r.category != "parity":
            continue
        by_operation[r.operation] = {
            "status": r.status,
            "compared": r.examples,
            "divergences": sum(e.status == "failed" for e in r.entries),
            "stale": sum(e.status == "skipped" for e in r.entries),
        }
    compared = sum(v["compared"] for v in by_operation.values())
    divergences = sum(v["divergences"] for v in by_operation.values())
    return {
        **{k: v for k, v in parity.items() if k not in COUNTED},
        "score": (compared - divergences) / compared if compared else None,
        "compared": compared,
        "matching": compared - divergences,
        "divergences": divergences,
        "stale": sum(v["stale"] for v in by_operation.values()),
        "by_operation": dict(sorted(by_operation.items())),
    }
