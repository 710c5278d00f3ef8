"""The pytest plug-in end to end: selection, expected failures, records, markers, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
SUITE = ["--pyargs", "ecr_public_conformance.conformance", "-p", "no:cacheprovider"]


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*SUITE, *args, timeout=300)


def test_one_operation_passes_and_writes_records(pytester: pytest.Pytester) -> None:
    records = pytester.path / "records.json"
    result = run(
        pytester, "--ecr-operations", "GetAuthorizationToken", "--ecr-records", str(records)
    )
    outcomes = result.parseoutcomes()
    assert result.ret == 0 and "failed" not in outcomes and outcomes["passed"] >= 8
    doc = json.loads(records.read_text())
    assert {r["operation"] for r in doc["results"]} == {"GetAuthorizationToken"}
    assert doc["target"]["kind"] == "reference"


def test_markers_select_a_category(pytester: pytest.Pytester) -> None:
    result = run(
        pytester, "--ecr-operations", "DescribeRegistries", "-m", "protocol", "--collect-only", "-q"
    )
    ids = [line for line in result.outlines if "test_conformance[" in line]
    assert ids and all("DescribeRegistries-" in i for i in ids)
    assert any("content_type_is_amz_json" in i for i in ids)
    assert not any("page_size_respected" in i for i in ids)


def test_a_fault_fails_the_run_with_an_explanation(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        "--ecr-operations",
        "DescribeRegistries",
        "--ecr-checks",
        "content_type_is_amz_json",
        "--ecr-reference-fault",
        "wrong-content-type",
    )
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert "application/json" in text and "reproduce (aws_cli)" in text
    assert "aws ecr-public describe-registries --endpoint-url" in text
    assert "Authorization" not in text.replace("'Authorization': '<redacted>'", "")


def _known(tmp: Path, body: str) -> Path:
    path = tmp / "known.toml"
    path.write_text(body)
    return path


def test_expected_failure_is_xfailed_and_a_fixed_gap_is_reported(
    pytester: pytest.Pytester,
) -> None:
    known = _known(
        pytester.path,
        """
[[expected]]
operation = "DescribeRegistries"
check = "content_type_is_amz_json"
reason = "content type not fixed yet"

[[expected]]
operation = "endpoint"
check = "request_id_header_present"
reason = "this gap is already fixed"
""",
    )
    result = run(
        pytester,
        "--ecr-operations",
        "DescribeRegistries",
        "--ecr-checks",
        "content_type_is_amz_json,request_id_header_present",
        "--ecr-reference-fault",
        "wrong-content-type",
        "--ecr-expected-failures",
        str(known),
    )
    result.assert_outcomes(xfailed=1, failed=1)
    assert "XPASS(strict)" in result.stdout.str()


def test_expired_expected_failure_counts_again(pytester: pytest.Pytester) -> None:
    known = _known(
        pytester.path,
        """
[[expected]]
operation = "DescribeRegistries"
check = "content_type_is_amz_json"
reason = "was due long ago"
expires = 2020-01-01
""",
    )
    result = run(
        pytester,
        "--ecr-operations",
        "DescribeRegistries",
        "--ecr-checks",
        "content_type_is_amz_json",
        "--ecr-reference-fault",
        "wrong-content-type",
        "--ecr-expected-failures",
        str(known),
    )
    result.assert_outcomes(failed=1)


def test_expected_failures_naming_unknown_checks_are_an_error(pytester: pytest.Pytester) -> None:
    known = _known(
        pytester.path,
        """
[[expected]]
operation = "DescribeRegistries"
check = "no_such_check"
reason = "typo"
""",
    )
    result = run(pytester, "--ecr-expected-failures", str(known))
    assert result.ret != 0
    assert "unknown check 'no_such_check'" in result.stderr.str() + result.stdout.str()


def test_should_failures_do_not_count_under_spec_strictness(pytester: pytest.Pytester) -> None:
    args = (
        "--ecr-operations",
        "DescribeRegistries",
        "--ecr-checks",
        "request_id_header_present",
        "--ecr-reference-fault",
        "no-request-id",
    )
    run(pytester, *args).assert_outcomes(xfailed=1)
    run(pytester, *args, "--ecr-strictness", "aws").assert_outcomes(failed=1)


def test_unknown_operation_filter_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--ecr-operations", "CreateRepo")
    assert result.ret != 0
    assert "CreateRepository" in result.stderr.str() + result.stdout.str()


def test_two_workers_give_the_same_verdicts(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        "--ecr-operations",
        "DescribeRepositories,CreateRepository",
        "-n",
        "2",
        "--dist",
        "loadgroup",
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0 and outcomes.get("error", 0) == 0
    assert outcomes["passed"] > 20
