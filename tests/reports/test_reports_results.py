from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.records import CheckResult, ResultsError, RunResults, load, summarize
from ecr_public_conformance.records.schema import schema_errors, validate
from ecr_public_conformance.reports import write_results
from ecr_public_conformance.reports.fmt import percent
from ecr_public_conformance.reports.matrix import NOT_RUN, build_matrix
from ecr_public_conformance.specs import load_service


def test_to_dict_is_valid_against_the_schema(run: RunResults) -> None:
    data = run.to_json()
    assert schema_errors(data) == []
    assert data["schema_version"] == 3
    assert data["suite"]["name"] == "ecr-public-conformance"
    assert data["shard"] is None
    assert data["target"]["kind"] == "reference"
    assert len(data["results"]) == len(run.results)


def test_written_results_json_validates_and_loads_back(run: RunResults, tmp_path: Path) -> None:
    path = write_results(run, tmp_path / "results.json")
    data = json.loads(path.read_text())
    validate(data)
    assert load(path).results != ()
    assert load(path).summary == run.summary


def test_round_trip(run: RunResults) -> None:
    again = RunResults.from_json(json.loads(json.dumps(run.to_json())))
    assert again == run
    assert again.to_json() == run.to_json()


def test_summary_counts_and_scores(run: RunResults) -> None:
    s = run.summary
    assert (s.passed, s.failed, s.errors, s.skipped, s.unsupported) == (3, 2, 1, 1, 1)
    assert (s.xfailed, s.xpassed, s.disabled, s.total) == (1, 0, 0, 9)
    assert s.score == pytest.approx(3 / 6)
    assert s.must_score == pytest.approx(1 / 4)
    assert s.should_score == pytest.approx(1.0)


def test_score_counts_xpassed_against_and_ignores_the_rest(
    result_factory: Callable[..., CheckResult],
) -> None:
    results = [
        result_factory("A", "a", "passed"),
        result_factory("A", "b", "xpassed"),
        result_factory("A", "c", "skipped"),
        result_factory("A", "d", "unsupported"),
        result_factory("A", "e", "xfailed"),
        result_factory("A", "f", "disabled"),
    ]
    s = summarize(results)
    assert s.score == pytest.approx(0.5)
    assert s.should_score is None


def test_score_is_null_when_nothing_counted(result_factory: Callable[..., CheckResult]) -> None:
    s = summarize([result_factory("A", "a", "skipped")])
    assert s.score is None and s.must_score is None
    assert summarize([]).total == 0


def test_percent_rounds_down() -> None:
    assert percent(0.999) == "99%"
    assert percent(0.29) == "29%"
    assert percent(0.974, 1) == "97.4%"
    assert percent(None) == "n/a"


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d.pop("spec_hash"), "spec_hash"),
        (lambda d: d.update(strictness="loose"), "/strictness"),
        (lambda d: d["results"][0].update(status="green"), "/results/0/status"),
        (lambda d: d["summary"].update(score=1.5), "/summary/score"),
        (lambda d: d.update(started_at="yesterday"), "/started_at"),
    ],
)
def test_schema_rejects_bad_documents(
    run: RunResults, mutate: Callable[[dict[str, Any]], object], where: str
) -> None:
    data = run.to_json()
    mutate(data)
    with pytest.raises(ResultsError, match="invalid at"):
        validate(data)
    assert any(where.split("/")[-1] in e for e in schema_errors(data))


def test_load_reports_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(ResultsError, match="cannot read"):
        load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ResultsError, match="not valid JSON"):
        load(bad)
    bad.write_text("[]")
    with pytest.raises(ResultsError, match="invalid at"):
        load(bad)


def test_matrix_lists_every_spec_operation(run: RunResults) -> None:
    rows = build_matrix(run)
    names = [r.operation for r in rows]
    assert names[:23] == list(load_service().operations)
    assert len(names) == 23
    by_name = {r.operation: r for r in rows}
    assert by_name["TagResource"].status == NOT_RUN
    assert by_name["CreateRepository"].status == "failed"
    cell = {c.category: c for c in by_name["CreateRepository"].cells}
    assert cell["negative"].status == "failed" and cell["response"].status == "passed"
    assert cell["pagination"].status == NOT_RUN


def test_matrix_appends_operations_outside_the_spec(
    run_factory: Callable[..., RunResults], result_factory: Callable[..., CheckResult]
) -> None:
    run = run_factory((result_factory("FutureOperation", "x", "passed"),))
    assert [r.operation for r in build_matrix(run)][-1] == "FutureOperation"


def test_spec_strictness_scores_only_must_checks(result_factory) -> None:  # type: ignore[no-untyped-def]
    results = [
        result_factory("A", "a", "passed"),
        result_factory("A", "b", "failed", level="SHOULD"),
    ]
    assert summarize(results, "spec").score == 1.0
    assert summarize(results, "aws").score == 0.5


def test_parity_is_scored_apart(result_factory) -> None:  # type: ignore[no-untyped-def]
    results = [
        result_factory("A", "a", "passed"),
        result_factory("A", "b", "failed", category="parity"),
        result_factory("A", "c", "failed", category="parity", level="SHOULD"),
    ]
    for strictness in ("spec", "aws"):
        s = summarize(results, strictness)
        assert (s.score, s.must_score, s.should_score) == (1.0, 1.0, None)
        assert s.failed == 2 and s.total == 3  # counted as results, not in any score
