from __future__ import annotations

from dataclasses import replace

from ecr_public_conformance.records import Cleanup, Coverage, Ending, RunResults
from ecr_public_conformance.records.coverage import KindCoverage
from ecr_public_conformance.reports.terminal import render_summary

from .conftest import SECRET, make_run, result, two_causes_results

ANSI = "\x1b["


def test_two_causes_are_two_lines_not_26(two_causes_run: RunResults) -> None:
    text = render_summary(two_causes_run, "spec", color=False)
    lines = text.splitlines()
    assert lines[0].startswith(
        "2 causes (26 failures); score 46.9% (strictness spec): 23 passed, 26 failed"
    )
    assert lines[1:] == [
        "  ✗ content_type_is_amz_json (MUST): expected application/x-amz-json-1.1; got text/html"
        " - all 23 operations",
        "  ✗ page_size_respected (MUST): expected at most <n> items per page; got <n> items on "
        "page 1 - 3 operations: DescribeImageTags, DescribeImages, DescribeRepositories",
        "2 causes, 26 failures",
    ]
    assert ANSI not in text


def test_colour_only_when_asked(two_causes_run: RunResults) -> None:
    coloured = render_summary(two_causes_run, "spec", color=True)
    assert ANSI in coloured
    assert "\x1b[31m✗\x1b[0m content_type_is_amz_json" in coloured
    plain = coloured
    for code in ("\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[2m", "\x1b[0m"):
        plain = plain.replace(code, "")
    assert plain == render_summary(two_causes_run, "spec", color=False)


def _with_should_cause() -> RunResults:
    should = tuple(
        result(
            op,
            "request_id_header_present",
            "failed",
            category="protocol",
            level="SHOULD",
            reason="no x-amzn-RequestId header",
        )
        for op in ("CreateRepository", "DeleteRepository")
    )
    return make_run(two_causes_results() + should)


def test_should_causes_under_spec_are_apart_and_not_counted() -> None:
    lines = render_summary(_with_should_cause(), "spec", color=False).splitlines()
    apart = lines.index("not counted (SHOULD checks under strictness spec):")
    assert [line.split()[1] for line in lines[1:apart]] == [
        "content_type_is_amz_json",
        "page_size_respected",
    ]
    assert lines[apart + 1] == (
        "  ✗ request_id_header_present (SHOULD, not counted): no x-amzn-RequestId header"
        " - 2 operations: CreateRepository, DeleteRepository"
    )
    assert lines[-1] == "2 causes, 26 failures (and 1 cause, 2 failures not counted)"


def test_should_causes_count_under_aws() -> None:
    lines = render_summary(_with_should_cause(), "aws", color=False).splitlines()
    assert not any(line.startswith("not counted") for line in lines)
    assert lines[-1] == "3 causes, 28 failures"
    assert lines[0].startswith("3 causes (28 failures); score 45.1% (strictness aws)")


def test_banners_and_coverage_come_right_after_the_score() -> None:
    run = replace(
        make_run(two_causes_results()),
        ending=Ending(True, "interrupted", 276),
        coverage=Coverage(
            documented_errors=KindCoverage(total=72, exercised=64, passed=60),
            effects=KindCoverage(total=45, exercised=41, passed=40),
        ),
        cleanup=Cleanup(left=("ecrconf-1a-w0-r1",), command="ecr-public-conformance cleanup X"),
    )
    lines = render_summary(run, "spec", color=False).splitlines()
    assert lines[1] == "! interrupted after 49 of 276 cases; the scores cover only what ran"
    assert lines[2] == (
        "! cleanup left 1 resource behind: ecrconf-1a-w0-r1; remove with: "
        "ecr-public-conformance cleanup X"
    )
    assert lines[3] == (
        "coverage: documented errors provoked 64/72 (60 passed), effects 41/45 (40 passed)"
    )
    assert lines[4].startswith("  ✗ content_type_is_amz_json")


def test_no_failures() -> None:
    text = render_summary(make_run((result("A", "chk", "passed"),)), "spec", color=False)
    assert text.splitlines()[-1] == "0 causes, 0 failures"
    assert len(text.splitlines()) == 2


def test_credentials_are_never_printed() -> None:
    leaky = result("A", "chk", "error", reason=f"aws_secret_access_key={SECRET} rejected")
    text = render_summary(make_run((leaky,)), "spec", color=False)
    assert SECRET not in text and "[REDACTED]" in text
