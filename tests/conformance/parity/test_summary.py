"""The ``parity`` block: counted from the parity results, so shards merge into the same block."""

from __future__ import annotations

from pathlib import Path

from ecr_public_conformance.conformance.parity.corpus import Manifest
from ecr_public_conformance.conformance.parity.session import parity_summary, recount
from ecr_public_conformance.records import (
    CheckResult,
    EntryOutcome,
    RunResults,
    Shard,
    Target,
    Times,
)
from ecr_public_conformance.records.parity import OperationParity
from ecr_public_conformance.reports import merge

MANIFEST = Manifest(
    target={"description": "AWS (us-east-1)"},
    recorded="2026-12-01",
    suite_version="0.1.0",
    spec_hash="other",
    seed=7,
    profile="ci",
)


def parity(operation: str, examples: int, failed: int, stale: int = 0) -> CheckResult:
    entries = [EntryOutcome(f"s#{i}", "failed", "x") for i in range(failed)]
    entries += [EntryOutcome(f"t#{i}", "skipped", "stale") for i in range(stale)]
    return CheckResult(
        operation,
        "matches_recording",
        "parity",
        "MUST",
        "d",
        "failed" if failed else "passed",
        examples=examples,
        entries=tuple(entries),
    )


def test_the_block_counts_records_not_results() -> None:
    results = [parity("CreateRepository", 40, 4, stale=1), parity("DescribeImages", 60, 0)]
    block = parity_summary(results, MANIFEST, Path("corpus"), gate=True)
    assert block.oracle == "AWS (us-east-1)" and block.gate is True
    assert block.spec_hash_matches is False
    assert (block.compared, block.matching, block.divergences, block.stale) == (100, 96, 4, 1)
    assert block.score == 0.96
    assert block.by_operation["CreateRepository"] == OperationParity(
        status="failed", compared=40, divergences=4, stale=1
    )
    assert recount([], block).score is None


def _shard(index: int, results: list[CheckResult]) -> RunResults:
    return RunResults(
        target=Target("", kind="reference"),
        spec_hash="h",
        times=Times("2026-12-01T10:00:00Z", "2026-12-01T10:01:00Z"),
        results=tuple(results),
        shard=Shard(index, 2),
        parity=parity_summary(results, MANIFEST, Path("corpus")),
    )


def test_shards_merge_into_one_count() -> None:
    one = _shard(0, [parity("CreateRepository", 40, 4)])
    two = _shard(1, [parity("DescribeImages", 60, 6)])
    merged = merge([one, two])
    assert merged.parity is not None
    assert merged.parity.compared == 100 and merged.parity.divergences == 10
    assert merged.parity.oracle == "AWS (us-east-1)"
