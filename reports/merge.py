"""Combine the results files of the shards of one run into a single run."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from ..records import (
    STATUS_ORDER,
    CheckResult,
    Cleanup,
    ConstraintCoverage,
    Coverage,
    Ending,
    Parity,
    ResultsError,
    RunResults,
    Times,
    parse_time,
)
from ..records.constraints import recount as recount_constraints
from ..records.coverage import recount as recount_coverage
from ..records.parity import recount as recount_parity


def merge(runs: Sequence[RunResults]) -> RunResults:
    """Union the results of ``runs`` into one unsharded run; duplicates keep the worst status.

    Of the run-level facts, shards' interruptions, stop reasons, case counts and cleanup
    leftovers are combined; coverage, constraints and parity are counted again from the merged
    results; requests and budgets are per shard and are kept only when there is one file.
    """
    if not runs:
        raise ResultsError("nothing to merge: no results files")
    first = runs[0]
    _check_compatible(runs)
    if len(runs) == 1:  # a single file keeps all it says (stop reason, budgets, coverage...)
        return replace(first, shard=None, results=merge_results([first.results]))
    results = merge_results(r.results for r in runs)
    started = min(runs, key=lambda r: parse_time(r.times.started_at)).times.started_at
    finished = max(runs, key=lambda r: parse_time(r.times.finished_at)).times.finished_at
    took = round((parse_time(finished) - parse_time(started)).total_seconds(), 3)
    return RunResults(
        schema_version=first.schema_version,
        suite=first.suite,
        spec_hash=first.spec_hash,
        edition=first.edition,
        target=first.target,
        settings=first.settings,
        times=Times(started, finished, took),
        shard=None,
        results=results,
        coverage=_coverage(runs, results),
        constraints=_constraints(runs, results),
        parity=_parity(runs, results),
        ending=Ending(
            any(r.ending.interrupted for r in runs),
            next((r.ending.stop_reason for r in runs if r.ending.stop_reason), None),
            _sum_known([r.ending.cases_total for r in runs]),
        ),
        cleanup=_merge_cleanup([r.cleanup for r in runs]),
    )


def _parity(runs: Sequence[RunResults], results: Sequence[CheckResult]) -> Parity | None:
    """The shards' parity with one oracle, counted over the merged results."""
    found = next((r.parity for r in runs if r.parity is not None), None)
    return None if found is None else recount_parity(results, found)


def _coverage(runs: Sequence[RunResults], results: Sequence[CheckResult]) -> Coverage | None:
    """The shards' catalogue coverage, counted over the merged results."""
    found = next((r.coverage for r in runs if r.coverage is not None), None)
    return None if found is None else recount_coverage(results, found)


def _constraints(
    runs: Sequence[RunResults], results: Sequence[CheckResult]
) -> ConstraintCoverage | None:
    """The shards' constraint coverage, counted over the merged results."""
    found = next((r.constraints for r in runs if r.constraints is not None), None)
    return None if found is None else recount_constraints(results, found)


def _sum_known(values: list[int | None]) -> int | None:
    """The sum, when every value is known."""
    return None if any(v is None for v in values) else sum(v or 0 for v in values)


def _merge_cleanup(parts: list[Cleanup]) -> Cleanup:
    """What every shard's cleanup left behind, once each (the first shard's command)."""
    left = tuple(dict.fromkeys(x for part in parts for x in part.left))
    command = next((p.command for p in parts if p.command), "")
    return Cleanup(
        left=left,
        not_restored=tuple(dict.fromkeys(x for part in parts for x in part.not_restored)),
        command=command if left else "",
    )


def merge_results(groups: Iterable[Iterable[CheckResult]]) -> tuple[CheckResult, ...]:
    """Union result groups by id, keeping the worst status of conflicting duplicates."""
    best: dict[str, CheckResult] = {}
    for group in groups:
        for result in group:
            kept = best.get(result.id)
            if kept is None or _rank(result) > _rank(kept):
                best[result.id] = result
    return tuple(sorted(best.values(), key=lambda r: (r.operation, r.check)))


def _rank(result: CheckResult) -> int:
    return STATUS_ORDER.index(result.status)


#: What the runs merged must agree on, by its name in results.json.
_MUST_AGREE: dict[str, Callable[[RunResults], object]] = {
    "spec_hash": lambda r: r.spec_hash,
    "edition": lambda r: r.edition,
    "strictness": lambda r: r.settings.strictness,
    "schema_version": lambda r: r.schema_version,
}


def _check_compatible(runs: Sequence[RunResults]) -> None:
    first = runs[0]
    for run in runs[1:]:
        for name, of in _MUST_AGREE.items():
            if of(run) != of(first):
                raise ResultsError(
                    f"cannot merge runs with different {name}: {of(first)!r} and {of(run)!r}"
                )
        if _target_key(run) != _target_key(first):
            raise ResultsError(
                "cannot merge runs against different targets: "
                f"{first.target.endpoint_url} and {run.target.endpoint_url}"
            )


def _target_key(run: RunResults) -> tuple[str, str]:
    """What makes two runs' targets the same: the embedded reference is one target whatever
    port each shard's instance listened on; any other target is its endpoint URL."""
    if run.target.kind == "reference":
        return ("reference", "")
    return (run.target.kind, run.target.endpoint_url)
