"""Record a corpus: play the scenario set on a target and keep every exchange, normalised."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ... import __version__
from ...specs import load_service
from .corpus import Manifest, Record, ScenarioEntry, recording_date, write_corpus
from .play import Played, Player
from .scenario_set import scenario_set


def records_of(played: Played) -> list[Record]:
    """The records of one played scenario, numbered from 1."""
    return [
        Record(played.spec.id, step, n.operation, n.request, n.response)
        for step, n in enumerate(played.normalised, start=1)
    ]


def record_corpus(
    player: Player,
    out: Path,
    target: Mapping[str, Any],
    progress: Callable[[int, int, str], None] | None = None,
) -> Manifest:
    """Play the player's profile's scenario set, write the corpus into ``out``, clean up."""
    specs = scenario_set(player.config.profile)
    records: list[Record] = []
    entries: list[ScenarioEntry] = []
    try:
        for i, played in enumerate(player.play_all(specs), start=1):
            mine = records_of(played)
            records += mine
            entries.append(ScenarioEntry(played.spec.id, len(mine), played.outcome))
            if progress is not None:
                progress(i, len(specs), played.spec.id)
    finally:
        player.close()
    assert player.config.seed is not None
    manifest = Manifest(
        target=dict(target),
        recorded=recording_date(),
        suite_version=__version__,
        spec_hash=load_service().spec_hash,
        seed=player.config.seed,
        profile=player.config.profile,
        region=player.config.region,
        scenarios=tuple(entries),
    )
    return write_corpus(out, manifest, records)
