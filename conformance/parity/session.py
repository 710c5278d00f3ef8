"""Parity inside a run: replay the corpus on the run's target, and the ``parity`` summary."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ... import __version__
from ...records import CheckResult, Parity
from ...records.parity import recount
from ...specs import load_service
from ..harness.env import CheckEnv
from .corpus import Manifest, read_manifest, read_records
from .corpus_replay import Replay, replay_corpus
from .play import player_for


def replay_for(env: CheckEnv, oracle: Path) -> Replay:
    """Replay the corpus in ``oracle`` on ``env``'s target with the corpus's seed and profile."""
    manifest = read_manifest(oracle)
    records = read_records(oracle, manifest)
    player = player_for(env, manifest.profile, manifest.seed)
    try:
        return replay_corpus(player, manifest, records)
    finally:
        env.sender.requests_sent = player.requests_sent


def parity_summary(
    results: Iterable[CheckResult], manifest: Manifest, oracle: Path, gate: bool = False
) -> Parity:
    """The run record's ``parity``: the oracle, and the counts overall and per operation from
    the parity results (so shards and re-read files agree)."""
    about = Parity(
        oracle=manifest.description,
        corpus=str(oracle),
        recorded=manifest.recorded,
        recorded_with=manifest.suite_version,
        profile=manifest.profile,
        seed=manifest.seed,
        spec_hash_matches=manifest.spec_hash == load_service().spec_hash,
        suite_matches=manifest.suite_version == __version__,
        gate=gate,
    )
    return recount(results, about)
