"""The run record the plug-in builds once, at the end of a session, from what it collected.

Every case hands its :class:`~ecr_public_conformance.records.CheckResult`, where its process
stands against the budgets (:class:`~.usage.Usage`) and the target it ran against; each process
hands its cleanup. :func:`build_run` makes the one typed
:class:`~ecr_public_conformance.records.RunResults` the reports render and ``run`` receives.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ... import __version__
from ...records import (
    CheckResult,
    Cleanup,
    Ending,
    Parity,
    RunResults,
    Settings,
    Shard,
    Suite,
    Target,
    Times,
    utc_now,
)
from ...specs import load_service
from ..catalogue.catalogue_coverage import catalogue_coverage
from ..catalogue.constraint_coverage import constraint_coverage
from ..harness.config import RunConfig, parse_shard, target_name
from .usage import Usage, budgets_of, cleanup_of, requests_of


@dataclass
class Collected:
    """What a session has collected so far (on the xdist controller, from every worker)."""

    started_at: str = field(default_factory=utc_now)
    started: float = field(default_factory=time.monotonic)
    results: list[CheckResult] = field(default_factory=list)
    usages: list[Usage] = field(default_factory=list)
    target: Target | None = None
    cleanups: list[Cleanup] = field(default_factory=list)


def _target(config: RunConfig, seen: Target | None) -> Target:
    if seen is not None:
        return seen
    if config.endpoint_url:
        return Target(config.endpoint_url, config.region, "url", name=target_name(config, "url"))
    return Target("", config.region, "reference", name=target_name(config, "reference"))


def _shard(config: RunConfig) -> Shard | None:
    parsed = parse_shard(config.shard, "--ecr-shard") if config.shard else None
    return None if parsed is None else Shard(parsed[0] - 1, parsed[1])


def _parity(config: RunConfig, results: list[CheckResult]) -> Parity | None:
    if config.parity.oracle is None:
        return None
    # deferred: the plug-in imports this module in every pytest session, and parity (about
    # 70 ms of imports) loads only for a run with an oracle
    from ..parity.corpus import CorpusError, read_manifest
    from ..parity.session import parity_summary

    try:
        manifest = read_manifest(Path(config.parity.oracle))
    except CorpusError:
        return None
    return parity_summary(results, manifest, Path(config.parity.oracle), config.parity.gate)


def build_run(
    config: RunConfig,
    collected: Collected,
    stop_reason: str | None,
    cases_total: int | None,
) -> RunResults:
    """The run record of a session."""
    service = load_service()
    results = collected.results
    return RunResults(
        suite=Suite(version=__version__),
        spec_hash=service.spec_hash,
        edition=service.edition,
        operations_judged=len(config.operations or service.operations),
        target=_target(config, collected.target),
        settings=Settings(config.profile, config.seed, config.strictness),
        times=Times(
            collected.started_at, utc_now(), round(time.monotonic() - collected.started, 2)
        ),
        shard=_shard(config),
        ending=Ending(stop_reason == "interrupted", stop_reason, cases_total),
        requests=requests_of(collected.usages),
        budgets=budgets_of(collected.usages, config.request_cap, config.shrink_budget_s),
        cleanup=cleanup_of(collected.cleanups),
        coverage=catalogue_coverage(results, service.edition or None),
        constraints=constraint_coverage(results, service, config.profile),
        parity=_parity(config, results),
        results=tuple(results),
    )
