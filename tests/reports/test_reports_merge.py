from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import pytest

from ecr_public_conformance.records import (
    Budget,
    Budgets,
    CheckResult,
    Cleanup,
    Coverage,
    Ending,
    ResultsError,
    RunResults,
    Shard,
    to_json,
)
from ecr_public_conformance.records.coverage import KindCoverage
from ecr_public_conformance.reports import merge


def test_two_shards_merge_into_the_unsharded_run(
    run_factory: Callable[..., RunResults], sample: tuple[CheckResult, ...]
) -> None:
    whole = run_factory(sample)
    shard0 = run_factory(
        sample[0::2],
        started_at="2026-11-27T18:00:03Z",
        finished_at="2026-11-27T18:04:00Z",
        shard=Shard(0, 2),
    )
    shard1 = run_factory(
        sample[1::2],
        started_at="2026-11-27T18:00:00Z",
        finished_at="2026-11-27T18:05:00Z",
        shard=Shard(1, 2),
    )
    merged = merge([shard0, shard1])
    assert _content(merged) == _content(whole)
    assert len(merged.results) == len(whole.results)
    assert merged.summary == whole.summary
    assert merged.shard is None
    assert merged.times.started_at == whole.times.started_at
    assert merged.times.finished_at == whole.times.finished_at
    assert merged.times.duration_s == 300.0
    assert merge([shard1, shard0]).results == merged.results
    assert isinstance(RunResults.from_json(merged.to_json()), RunResults)


def test_conflicting_duplicates_keep_the_worst_status(
    run_factory: Callable[..., RunResults], result_factory: Callable[..., CheckResult]
) -> None:
    a = run_factory((result_factory("A", "x", "passed"), result_factory("A", "y", "error")))
    b = run_factory((result_factory("A", "x", "failed"), result_factory("A", "y", "skipped")))
    merged = merge([a, b])
    assert {r.id: r.status for r in merged.results} == {"A::x": "failed", "A::y": "error"}
    assert merged.summary.total == 2 and merged.summary.score == 0.0


def test_merge_refuses_runs_of_different_specs(run_factory: Callable[..., RunResults]) -> None:
    a = run_factory()
    with pytest.raises(ResultsError, match="spec_hash"):
        merge([a, replace(a, spec_hash="other")])
    with pytest.raises(ResultsError, match="nothing to merge"):
        merge([])


def _content(run: RunResults) -> set[str]:
    return {json.dumps(to_json(r), sort_keys=True) for r in run.results}


def test_shards_combine_interruption_case_counts_and_cleanup(
    run_factory: Callable[..., RunResults], sample: tuple[CheckResult, ...]
) -> None:
    a = replace(
        run_factory(sample[0::2], shard=Shard(0, 2)),
        ending=Ending(cases_total=10),
        cleanup=Cleanup(left=("ecrconf-1-a",), command="ecr-public-conformance cleanup --prefix x"),
    )
    b = replace(
        run_factory(sample[1::2], shard=Shard(1, 2)),
        ending=Ending(True, "interrupted", 12),
        cleanup=Cleanup(left=("ecrconf-1-b", "ecrconf-1-a"), not_restored=("display name",)),
    )
    merged = merge([a, b])
    assert merged.ending == Ending(True, "interrupted", 22)
    assert merged.cleanup == Cleanup(
        left=("ecrconf-1-a", "ecrconf-1-b"),
        not_restored=("display name",),
        command="ecr-public-conformance cleanup --prefix x",
    )
    unknown = replace(b, ending=replace(b.ending, cases_total=None))
    assert merge([a, unknown]).ending.cases_total is None


def test_single_file_build_keeps_run_level_facts(
    run_factory: Callable[..., RunResults],
) -> None:
    run = replace(
        run_factory(shard=Shard(0, 2)),
        ending=Ending(True, "interrupted", 40),
        budgets=Budgets(requests=Budget(10, 10, True)),
        coverage=Coverage(effects=KindCoverage(total=2, exercised=1, passed=1)),
    )
    merged = merge([run])
    assert merged.shard is None
    assert merged.ending == Ending(True, "interrupted", 40)
    assert merged.budgets == run.budgets and merged.coverage == run.coverage
