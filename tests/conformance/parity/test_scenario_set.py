"""The scenario set: the same list for a profile, and one name prefix per scenario."""

from __future__ import annotations

import pytest

from ecr_public_conformance.conformance.parity.play import (
    parity_prefix,
    player_for,
    scenario_prefix,
)
from ecr_public_conformance.conformance.parity.scenario_set import scenario_set

from ..conftest import EnvFactory


@pytest.mark.parametrize("profile", ["quick", "ci", "nightly"])
def test_every_scenario_has_its_own_prefix(profile: str) -> None:
    ids = [s.id for s in scenario_set(profile)]
    assert len(set(ids)) == len(ids)
    prefixes = {scenario_prefix("ecrconf-x", i) for i in ids}
    assert len(prefixes) == len(ids)  # a longer hash when this ever fails
    assert [s.id for s in scenario_set(profile)] == ids


def test_the_prefix_has_one_length_whatever_the_worker() -> None:
    widths = {len(parity_prefix("1a2b3c4d", w)) for w in ("main", "gw0", "gw11", "worker-x")}
    assert widths == {len("ecrconf-1a2b3c4d-p000")}


def test_every_scenario_of_a_replay_waits_with_the_runs_patience(make_env: EnvFactory) -> None:
    env = make_env()
    player = player_for(env, "quick", 1)
    first, _ = player.env("a")
    second, _ = player.env("b")
    assert first.patience is second.patience is env.patience
