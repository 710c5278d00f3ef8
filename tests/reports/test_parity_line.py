"""The parity line of every report, by situation, and parity causes in the terminal summary."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ecr_public_conformance.records import CheckResult, Failure, Parity, SpecFact
from ecr_public_conformance.reports.markdown import render_summary as markdown
from ecr_public_conformance.reports.parity import details, headline
from ecr_public_conformance.reports.terminal import MAX_PARITY_CAUSES, render_summary

from .conftest import make_run

BASE = Parity(
    oracle="AWS (us-east-1)",
    score=0.912,
    compared=890,
    matching=812,
    divergences=78,
    stale=0,
    recorded="2026-12-01",
    recorded_with="0.2.0",
    profile="ci",
    seed=7,
    spec_hash_matches=True,
    gate=False,
)

#: situation -> (changes to the parity block, the details text)
TABLE = {
    "a plain replay": (
        {},
        "812 of 890 records match; recorded 2026-12-01 with 0.2.0, profile ci, seed 7",
    ),
    "stale records": (
        {"stale": 3},
        "812 of 890 records match; 3 not judged (the replayed request differs: stale corpus?); "
        "recorded 2026-12-01 with 0.2.0, profile ci, seed 7",
    ),
    "other specs": (
        {"spec_hash_matches": False},
        "812 of 890 records match; recorded with other specs: record again; recorded "
        "2026-12-01 with 0.2.0, profile ci, seed 7",
    ),
    "another suite version": (
        {"suite_matches": False},
        "812 of 890 records match; recorded with another suite version: record again if "
        "records are stale; recorded 2026-12-01 with 0.2.0, profile ci, seed 7",
    ),
    "the gate": (
        {"gate": True},
        "812 of 890 records match; recorded 2026-12-01 with 0.2.0, profile ci, seed 7; "
        "divergences fail the run (--parity-gate)",
    ),
    "one record": (
        {"compared": 1, "matching": 1, "recorded": ""},
        "1 of 1 record matches",
    ),
}


@pytest.mark.parametrize("situation", list(TABLE))
def test_details(situation: str) -> None:
    changes, expected = TABLE[situation]
    assert details(replace(BASE, **changes)) == expected


def test_the_headline_puts_conformance_and_parity_side_by_side() -> None:
    run = replace(make_run(), parity=BASE)
    assert headline(run) == "conformance 50.0%, parity with AWS (us-east-1) 91.2%"
    assert headline(make_run()) is None
    assert (
        render_summary(run, "aws", False)
        .splitlines()[1]
        .startswith(
            "conformance 50.0%, parity with AWS (us-east-1) 91.2% (812 of 890 records match"
        )
    )
    assert "**conformance 50.0%, parity with AWS (us-east-1) 91.2%**" in markdown(run)
    assert headline(replace(make_run(), parity=replace(BASE, score=None))) == (
        "conformance 50.0%, parity with AWS (us-east-1) n/a"
    )


def _divergent(operation: str, n: int) -> CheckResult:
    failure = Failure(
        f"s#{n}: m{n}: expected present (recorded); got absent",
        SpecFact(operation, f"m{n}", "the answer recorded from AWS", "oracle"),
        {},
        {},
        expected=f"m{n} present",
        actual="absent",
    )
    return CheckResult(
        operation, "matches_recording", "parity", "MUST", "d", "failed", failures=(failure,)
    )


def test_many_parity_causes_are_counted_not_listed() -> None:
    results = tuple(_divergent("CreateRepository", n) for n in range(MAX_PARITY_CAUSES + 4))
    run = replace(make_run(results), parity=BASE)
    text = render_summary(run, "spec", False)
    assert text.count("matches_recording (MUST, not counted)") == MAX_PARITY_CAUSES
    assert "  … and 4 more parity causes (see report.html)" in text
