"""User-facing texts of the reports, as tables: situation -> expected text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ecr_public_conformance.cli import main
from ecr_public_conformance.records import Ending, RunResults, SpecFact
from ecr_public_conformance.records.causes import setup_text
from ecr_public_conformance.records.coverage import Coverage, KindCoverage, Tally, Unexercised
from ecr_public_conformance.records.results import SetupFailure
from ecr_public_conformance.records.sections import Budget, Budgets, Cleanup
from ecr_public_conformance.reports import write_reports
from ecr_public_conformance.reports.banners import banners
from ecr_public_conformance.reports.coverage_text import (
    coverage_line,
    operation_coverage,
    operation_coverage_title,
    unexercised,
)
from ecr_public_conformance.reports.fmt import (
    operations_text,
    plain_text,
    plural,
    score_text,
    spec_fact_text,
)
from ecr_public_conformance.reports.html_report import render_html
from ecr_public_conformance.reports.junit import render_junit
from ecr_public_conformance.reports.markdown import render_summary as render_markdown
from ecr_public_conformance.reports.terminal import render_summary

from .conftest import make_run, result, two_causes_results

PLAIN_TEXT = [
    ("inline literal", "at most ``maxResults`` items", "at most maxResults items"),
    ("interpreted text", "the `nextToken` member", "the nextToken member"),
    ("role", "a :py:class:`CheckEnv` argument", "a CheckEnv argument"),
    ("role with tilde", "a :class:`~ecr.conformance.env.CheckEnv`", "a CheckEnv"),
    ("role with title", "see :meth:`the walk <ecr.walk>`", "see the walk"),
    ("hyperlink reference", "see `the docs <https://example.org>`_", "see the docs"),
    ("several", "``a`` and `b` and :func:`c`", "a and b and c"),
    ("no markup", "Every response carries a request id", "Every response carries a request id"),
    ("lone backtick", "it's a ` quote", "it's a ` quote"),
]


@pytest.mark.parametrize(("situation", "text", "expected"), PLAIN_TEXT)
def test_plain_text(situation: str, text: str, expected: str) -> None:
    assert plain_text(text) == expected, situation


PLURALS = [
    (0, "example", None, "0 examples"),
    (1, "example", None, "1 example"),
    (2, "example", None, "2 examples"),
    (1, "repository", "repositories", "1 repository"),
    (3, "repository", "repositories", "3 repositories"),
]


@pytest.mark.parametrize(("count", "noun", "nouns", "expected"), PLURALS)
def test_plural(count: int, noun: str, nouns: str | None, expected: str) -> None:
    assert plural(count, noun, nouns) == expected


SCORES = [
    ("79.59 rounds to 79.6", 39 / 49, "79.6%"),
    ("67.80 is 67.8, not 67.7", 0.678, "67.8%"),
    ("67.84 rounds down", 0.6784, "67.8%"),
    ("67.85 rounds up", 0.6785, "67.9%"),
    ("99.99 is not 100", 0.9999, "99.9%"),
    ("all passed", 1.0, "100.0%"),
    ("nothing counted", None, "n/a"),
    ("none passed", 0.0, "0.0%"),
]


@pytest.mark.parametrize(("situation", "score", "expected"), SCORES)
def test_score_text(situation: str, score: float | None, expected: str) -> None:
    assert score_text(score) == expected, situation


SPEC_FACTS = [
    (
        "no member",
        SpecFact("BatchCheckLayerAvailability", None, "awsJson1_1 Content-Type", "overlay"),
        "awsJson1_1 Content-Type (overlay), on BatchCheckLayerAvailability",
    ),
    (
        "a member",
        SpecFact("CreateRepository", "repositoryName", "maxLength=205", "service-model"),
        "maxLength=205 (service-model), on CreateRepository, member repositoryName",
    ),
    (
        "the endpoint",
        SpecFact("endpoint", None, "unknown X-Amz-Target rejected", "overlay"),
        "unknown X-Amz-Target rejected (overlay), on the endpoint",
    ),
    (
        "a document line and quote with markup",
        SpecFact("DescribeImages", "maxResults", "maximum=1000", "document", 812, "up to ``1000``"),
        "maximum=1000 (document), on DescribeImages, member maxResults; document line 812: "
        '"up to 1000"',
    ),
]


@pytest.mark.parametrize(("situation", "fact", "expected"), SPEC_FACTS)
def test_spec_fact_text(situation: str, fact: SpecFact, expected: str) -> None:
    assert spec_fact_text(fact) == expected, situation


OPERATIONS = [
    ("one", ("CreateRepository",), {}, "1 operation: CreateRepository"),
    ("the endpoint alone", ("endpoint",), {}, "the endpoint"),
    ("the endpoint and one", ("endpoint", "A"), {}, "2 operations: endpoint, A"),
    ("two", ("A", "B"), {}, "2 operations: A, B"),
    ("every operation", ("A", "B", "C"), {"every": ("C", "B", "A")}, "all 3 operations"),
    ("some of every", ("A", "B"), {"every": ("A", "B", "C")}, "2 operations: A, B"),
    ("capped", ("A", "B", "C", "D", "E"), {"limit": 3}, "5 operations: A, B, C +2 more"),
]


@pytest.mark.parametrize(("situation", "ops", "options", "expected"), OPERATIONS)
def test_operations_text(
    situation: str, ops: tuple[str, ...], options: dict[str, Any], expected: str
) -> None:
    assert operations_text(ops, **options) == expected, situation


SETUPS = [
    (
        "status and code",
        SetupFailure("CompleteLayerUpload", 400, "LayerPartTooSmallException", ""),
        "setup CompleteLayerUpload failed with HTTP 400 LayerPartTooSmallException",
    ),
    ("status only", SetupFailure("PutImage", 500, None, ""), "setup PutImage failed with HTTP 500"),
    (
        "no response",
        SetupFailure("CreateRepository", None, None, "connection refused"),
        "setup CreateRepository failed: connection refused",
    ),
]


@pytest.mark.parametrize(("situation", "setup", "expected"), SETUPS)
def test_setup_text(situation: str, setup: SetupFailure, expected: str) -> None:
    assert setup_text(setup) == expected, situation


def _with_setup_failures(n: int) -> tuple[Any, ...]:
    failed = SetupFailure("CompleteLayerUpload", 400, "LayerPartTooSmallException", "")
    return tuple(replace(result(f"Op{i}", "chk", "error"), setup_failure=failed) for i in range(n))


BANNERS = [
    (
        "29 checks blocked by one setup step",
        {"results": _with_setup_failures(29)},
        [
            "29 checks could not run: setup CompleteLayerUpload failed with HTTP 400 "
            "LayerPartTooSmallException"
        ],
    ),
    (
        "1 check blocked",
        {"results": _with_setup_failures(1)},
        [
            "1 check could not run: setup CompleteLayerUpload failed with HTTP 400 "
            "LayerPartTooSmallException"
        ],
    ),
    (
        "interrupted with a known case count",
        {"ending": Ending(interrupted=True, cases_total=276)},
        ["interrupted after 9 of 276 cases; the scores cover only what ran"],
    ),
    (
        "interrupted, case count unknown",
        {"ending": Ending(interrupted=True)},
        ["interrupted after 9 cases; the scores cover only what ran"],
    ),
    (
        "stopped at the failure limit",
        {"ending": Ending(stop_reason="max-failures", cases_total=20)},
        ["stopped at the failure limit after 9 of 20 cases; the scores cover only what ran"],
    ),
    (
        "stopped for an unknown reason",
        {"ending": Ending(stop_reason="power-cut", cases_total=20)},
        ["stopped (power-cut) after 9 of 20 cases; the scores cover only what ran"],
    ),
    (
        "request budget hit",
        {"budgets": Budgets(requests=Budget(limit=3000, used=3000, hit=True))},
        [
            "budget hit: 3000 of 3000 requests; 0 checks could not run (the others keep their "
            "verdicts); raise it with --max-requests N (plug-in: --ecr-max-requests N)"
        ],
    ),
    (
        "request budget hit, two checks cut short",
        {
            "budgets": Budgets(requests=Budget(limit=400, used=400, hit=True)),
            "results": tuple(
                result(op, "chk", "error", reason="the run's request budget was reached (400)")
                for op in ("A", "B")
            ),
        },
        [
            "budget hit: 400 of 400 requests; 2 checks could not run (the others keep their "
            "verdicts); raise it with --max-requests N (plug-in: --ecr-max-requests N)"
        ],
    ),
    (
        "budget not hit",
        {"budgets": Budgets(requests=Budget(limit=3000, used=12, hit=False))},
        [],
    ),
    (
        "cleanup leftovers and a registry write not restored",
        {
            "cleanup": Cleanup(
                left=("ecrconf-1a2b-w0-r1", "ecrconf-1a2b-w0-r2"),
                command="ecr-public-conformance cleanup --prefix ecrconf-1a2b",
                registry_restored=False,
                not_restored=(
                    "registry display name was not set before the run; the API cannot unset it",
                ),
            )
        },
        [
            "cleanup left 2 resources behind: ecrconf-1a2b-w0-r1, ecrconf-1a2b-w0-r2",
            "not restored: registry display name was not set before the run; the API cannot "
            "unset it",
        ],
    ),
    (
        "many leftovers",
        {"cleanup": Cleanup(left=tuple(f"ecrconf-x-{i}" for i in range(8)))},
        [
            "cleanup left 8 resources behind: ecrconf-x-0, ecrconf-x-1, ecrconf-x-2, "
            "ecrconf-x-3, ecrconf-x-4 +3 more"
        ],
    ),
    ("nothing to say", {}, []),
]


@pytest.mark.parametrize(("situation", "changes", "expected"), BANNERS)
def test_banner_texts(situation: str, changes: dict[str, Any], expected: list[str]) -> None:
    run = replace(make_run(), **changes)
    assert [b.text for b in banners(run)] == expected, situation


COVERAGE = Coverage(
    documented_errors=KindCoverage(
        total=72,
        provocable=67,
        exercised=64,
        passed=60,
        unexercised=(Unexercised(id="e1", operation="PutImage", reason="needs a quota"),),
    ),
    effects=KindCoverage(total=45, provocable=45, exercised=41, passed=40),
    by_operation={
        "CompleteLayerUpload": {
            "documented_errors": Tally(total=4, exercised=3, passed=3),
            "effects": Tally(total=2, exercised=1, passed=1),
        }
    },
)
COVERAGE_LINES = [
    (
        "both kinds",
        COVERAGE,
        "documented errors provoked 64/72 (60 passed), effects 41/45 (40 passed)",
    ),
    (
        "nothing exercised",
        Coverage(),
        "documented errors provoked 0/0 (0 passed), effects 0/0 (0 passed)",
    ),
    ("absent", None, ""),
]


@pytest.mark.parametrize(("situation", "coverage", "expected"), COVERAGE_LINES)
def test_coverage_line(situation: str, coverage: Coverage | None, expected: str) -> None:
    assert coverage_line(coverage) == expected, situation


def test_operation_coverage_cell() -> None:
    assert operation_coverage(COVERAGE, "CompleteLayerUpload") == "errors 3/4, effects 1/2"
    assert operation_coverage(COVERAGE, "PutImage") == ""
    assert operation_coverage_title(COVERAGE, "CompleteLayerUpload") == (
        "documented errors provoked: 3 of 4, 3 passed; effects: 1 of 2, 1 passed"
    )


def test_unexercised_entries_are_listed_errors_first() -> None:
    assert unexercised(COVERAGE) == [
        ("errors", Unexercised(id="e1", operation="PutImage", reason="needs a quota"))
    ]


def test_junit_spec_fact_line(two_causes_run: RunResults) -> None:
    root = ET.fromstring(render_junit(two_causes_run).encode())
    text = "".join(node.text or "" for node in root.iter("failure"))
    assert "spec fact: awsJson1_1 Content-Type (overlay), on BatchCheckLayerAvailability\n" in text
    assert "spec fact: maxResults=2 (both), on DescribeImages, member maxResults\n" in text
    assert "BatchCheckLayerAvailability.-" not in text
    assert "expected: application/x-amz-json-1.1\ngot: text/html" in text


def test_descriptions_show_without_markup_and_counts_are_pluralised() -> None:
    one = replace(
        result("CreateRepository", "chk", "failed", reason="boom"),
        description="at most ``maxResults`` items, see :py:class:`Page`",
        examples=1,
    )
    page = render_html(make_run((one,)))
    assert "at most maxResults items, see Page" in page
    assert "``" not in page and ":py:class:" not in page
    assert "1 example ·" in page and "1 examples" not in page
    junit = render_junit(make_run((one,)))
    assert "at most maxResults items, see Page" in junit and "``" not in junit


def test_every_report_shows_the_same_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """39 of 49 passed is 79.59%: every report says 79.6% (rounded), none says 79.5%."""
    results = tuple(
        result(f"Op{i}", "chk", "passed" if i < 39 else "failed", reason="x") for i in range(49)
    )
    run = make_run(results)
    written = write_reports(run, tmp_path / "latest")
    assert main(["report", "build", str(written["results"]), "--out", str(tmp_path / "b")]) == 0
    texts = {
        "terminal": render_summary(run, "aws", color=False),
        "summary.md": written["summary"].read_text(),
        "report.html": written["html"].read_text(),
        "markdown": render_markdown(run),
        "report build": capsys.readouterr().out,
    }
    for name, text in texts.items():
        assert "79.6%" in text, name
        assert "79.5%" not in text, name


def test_summary_counts_read_as_english(two_causes_run: RunResults) -> None:
    text = render_summary(two_causes_run, "spec", color=False)
    assert text.splitlines()[0] == (
        "2 causes (26 failures); score 46.9% (strictness spec): 23 passed, 26 failed, 0 errors, "
        "0 skipped, "
        "0 unsupported (49 checks)"
    )
    assert text.splitlines()[-1] == "2 causes, 26 failures"
    single = make_run((result("A", "chk", "error", reason="boom"),))
    lines = render_summary(single, "spec", color=False).splitlines()
    assert "1 error," in lines[0] and "(1 check)" in lines[0]
    assert lines[-1] == "1 cause, 1 failure"
    assert re.search(r"\b1 (examples|checks|causes|failures)\b", "\n".join(lines)) is None


def test_two_causes_results_fixture_shape() -> None:
    assert sum(r.status == "failed" for r in two_causes_results()) == 26
