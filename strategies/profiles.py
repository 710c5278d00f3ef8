"""Named Hypothesis profiles: how many examples per operation and how many stateful steps.

=======  ===============  =============  ============  =====  ===========  ==============
profile  examples per op  stateful runs  steps per run  large  shrink (s)   requests (run)
=======  ===============  =============  ============  =====  ===========  ==============
quick    5                1              15            no     10           5 000
ci       25               3              30            no     30           15 000
nightly  200              20             50            yes    120          150 000
=======  ===============  =============  ============  =====  ===========  ==============

The shrink budget bounds the time spent making failing requests smaller over the whole run; the
request budget bounds the requests a run sends (split evenly between xdist workers). A run that
reaches either says so in its reports (``results.json`` ``budgets``).

Every profile has ``deadline=None`` (targets answer at their own pace). A ``seed`` makes a run
reproducible: the settings are derandomized from the seed, so the same seed gives the same
examples. The example ``database`` (a directory) keeps failing examples so they replay first on
the next run; without one no database is used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.database import DirectoryBasedExampleDatabase

__all__ = [
    "PROFILES",
    "Profile",
    "apply_seed",
    "describe_profiles",
    "get_profile",
    "settings_for",
    "stateful_settings_for",
]


@dataclass(frozen=True)
class Profile:
    """How much one named profile generates."""

    name: str
    examples_per_operation: int
    stateful_runs: int
    stateful_steps: int
    include_large: bool
    description: str
    shrink_budget_s: float = 10.0
    request_budget: int = 5000


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("quick", 5, 1, 15, False, "a smoke run, seconds per operation", 10.0, 5_000),
        Profile("ci", 25, 3, 30, False, "every pull request", 30.0, 15_000),
        Profile(
            "nightly",
            200,
            20,
            50,
            True,
            "scheduled deep run, includes huge boundaries",
            120.0,
            150_000,
        ),
    )
}


def get_profile(name: str) -> Profile:
    """Return the profile called ``name``; ``ValueError`` names the known profiles."""
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        known = ", ".join(PROFILES)
        raise ValueError(f"unknown profile {name!r}; known profiles: {known}") from None


def _database(database: str | Path | None) -> DirectoryBasedExampleDatabase | None:
    return None if database is None else DirectoryBasedExampleDatabase(str(database))


def _common(seed: int | None, database: str | Path | None) -> dict[str, Any]:
    return {
        "deadline": None,
        "derandomize": seed is not None,
        "database": _database(database),
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
        "print_blob": True,
    }


def settings_for(
    profile: str, seed: int | None = None, database: str | Path | None = None
) -> settings:
    """Hypothesis settings for per-operation request generation under ``profile``."""
    p = get_profile(profile)
    return settings(max_examples=p.examples_per_operation, **_common(seed, database))


def stateful_settings_for(
    profile: str,
    seed: int | None = None,
    database: str | Path | None = None,
    shrink: bool = True,
) -> settings:
    """Hypothesis settings for the stateful registry model under ``profile``.

    ``shrink=False`` leaves out Hypothesis' shrinking: a model that records its mismatches and
    keeps going has nothing to shrink, and a broken harness should be reported at once.
    """
    p = get_profile(profile)
    extra: dict[str, Any] = {}
    if not shrink:
        extra["phases"] = [Phase.explicit, Phase.reuse, Phase.generate]
    return settings(
        max_examples=p.stateful_runs,
        stateful_step_count=p.stateful_steps,
        **_common(seed, database),
        **extra,
    )


def apply_seed(test: Callable[..., Any], seed: int | None) -> Callable[..., Any]:
    """Apply ``seed`` to a Hypothesis test (``@hypothesis.seed``); no seed leaves it unchanged.

    Combine with the ``derandomize`` that :func:`settings_for` sets when given the same seed.
    """
    if seed is None:
        return test
    return hypothesis_seed(seed)(test)


def seed_key(seed: int, name: str) -> int:
    """A stable per-test seed derived from the run seed and a test name."""
    digest = hashlib.sha256(f"{seed}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def describe_profiles() -> str:
    """Return the profile table (Markdown) for the README."""
    rows = [
        "| profile | examples per operation | stateful runs | steps per run | large examples "
        "| shrink budget | request budget |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in PROFILES.values():
        large = "included" if p.include_large else "skipped"
        rows.append(
            f"| {p.name} | {p.examples_per_operation} | {p.stateful_runs} | "
            f"{p.stateful_steps} | {large} | {p.shrink_budget_s:g} s | {p.request_budget:,} |"
        )
    return "\n".join(rows)
