from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from ecr_public_conformance.records import CheckResult, RunResults, SetupFailure
from ecr_public_conformance.records.causes import SETUP, cause_id, group_causes
from ecr_public_conformance.records.schema import schema_errors
from ecr_public_conformance.reports.matrix import spec_operations

from .conftest import PAGINATED, make_run, result, two_causes_results, typed_failure


def test_two_causes_over_26_results(two_causes_run: RunResults) -> None:
    content, page = two_causes_run.causes
    assert content.check == "content_type_is_amz_json" and content.kind == "failure"
    assert content.text == "expected application/x-amz-json-1.1; got text/html"
    assert content.operations == spec_operations()  # spec order
    assert len(content.results) == 23 and content.failures == 23
    assert content.example.result == "BatchCheckLayerAvailability::content_type_is_amz_json"
    assert content.failure is not None and content.example.actual == "text/html"
    assert (content.category, content.level, content.status) == ("protocol", "MUST", "failed")
    assert content.counted
    assert page.check == "page_size_respected" and page.operations == PAGINATED
    assert page.text == "expected at most <n> items per page; got <n> items on page 1"


def test_run_specific_values_do_not_split_a_cause_and_ids_are_stable() -> None:
    first = group_causes(two_causes_results(), "spec")
    other = tuple(
        replace(
            r, failures=tuple(replace(f, actual=f.actual.replace("5", "9")) for f in r.failures)
        )
        for r in two_causes_results()
    )
    assert [c.id for c in group_causes(other, "spec")] == [c.id for c in first]
    assert first[0].id == cause_id("failure", "content_type_is_amz_json", first[0].text)
    assert len({c.id for c in first}) == 2


def test_a_different_actual_value_is_a_different_cause() -> None:
    ct = typed_failure("A", "x", "y", member=None, constraint="c", n=1)
    results = (
        result("A", "chk", "failed", failures=(ct,)),
        result("B", "chk", "failed", failures=(replace(ct, actual="z"),)),
    )
    assert [c.operations for c in group_causes(results, "spec")] == [("A",), ("B",)]


def test_one_result_with_two_causes_is_in_both() -> None:
    a = typed_failure("A", "x", "y", member=None, constraint="c", n=1)
    b = typed_failure("A", "x", "z", member=None, constraint="c", n=2)
    causes = group_causes((result("A", "chk", "failed", failures=(a, b, a)),), "spec")
    assert [(c.text, c.failures) for c in causes] == [
        ("expected x; got y", 2),
        ("expected x; got z", 1),
    ]
    assert all(c.results == ("A::chk",) for c in causes)
    assert [c.example.index for c in causes] == [0, 1]


def test_errors_group_by_check_and_normalised_reason() -> None:
    results = (
        result("CreateRepository", "force-delete", "error", reason="reset on ecrconf-1a-w0-r1"),
        result("DeleteRepository", "force-delete", "error", reason="reset on ecrconf-2b-w1-r9"),
        result("DeleteRepository", "other", "error", reason="reset on ecrconf-2b-w1-r9"),
        result("PutImage", "stateful", "xpassed", reason=" [expected: known gap]"),
        result("PutImage", "plain", "failed"),
    )
    causes = {(c.check, c.kind): c for c in group_causes(results, "spec")}
    forced = causes[("force-delete", "error")]
    assert forced.text == "reset on <name>"
    assert forced.operations == ("CreateRepository", "DeleteRepository")
    assert forced.failure is None and forced.failures == 2
    assert causes[("other", "error")].operations == ("DeleteRepository",)
    xpass = causes[("stateful", "xpassed")]
    assert xpass.text == "passed although listed as an expected failure [expected: known gap]"
    assert causes[("plain", "failure")].text == "failed"


def _setup_failed(op: str, check: str, code: str = "LayerPartTooSmallException") -> CheckResult:
    return replace(
        result(op, check, "error", reason="setup failed"),
        setup_failure=SetupFailure("CompleteLayerUpload", 400, code, "x"),
    )


def test_setup_failures_group_by_step_and_response_whatever_the_check() -> None:
    results = (
        _setup_failed("PutImage", "registry_model_conformance"),
        _setup_failed("BatchDeleteImage", "valid_request_accepted"),
        _setup_failed("DescribeImages", "page_size_respected", code="InvalidLayerException"),
    )
    first, second = group_causes(results, "spec")
    assert first.kind == "setup" and first.check == SETUP
    assert first.text == "setup CompleteLayerUpload failed with HTTP 400 LayerPartTooSmallException"
    assert first.checks == ("registry_model_conformance", "valid_request_accepted")
    assert first.operations == ("BatchDeleteImage", "PutImage")
    assert first.setup == SetupFailure(
        "CompleteLayerUpload", 400, "LayerPartTooSmallException", "x"
    )
    assert second.text.endswith("InvalidLayerException")


def test_only_failing_results_make_causes(sample: tuple[CheckResult, ...]) -> None:
    ids = {i for c in group_causes(sample, "aws") for i in c.results}
    assert ids == {
        "CreateRepository::rejects-too-long-name",
        "DescribeRepositories::next-token-round-trip",
        "DeleteRepository::force-delete",
    }


@pytest.mark.parametrize(
    ("level", "category", "strictness", "counted"),
    [
        ("MUST", "protocol", "spec", True),
        ("SHOULD", "protocol", "spec", False),
        ("SHOULD", "protocol", "aws", True),
        ("MUST", "parity", "aws", False),
    ],
)
def test_counted_follows_strictness_and_scoring_apart(
    level: str, category: str, strictness: str, counted: bool
) -> None:
    r = result("A", "chk", "failed", level=level, category=category, reason="boom")
    (cause,) = group_causes((r,), strictness)
    assert cause.counted is counted


def test_endpoint_results_come_first() -> None:
    ct = typed_failure("endpoint", "x", "y", member=None, constraint="c", n=1)
    results = (
        result(
            "CreateRepository",
            "chk",
            "failed",
            failures=(replace(ct, spec_fact=replace(ct.spec_fact, operation="CreateRepository")),),
        ),
        result("endpoint", "chk", "failed", failures=(ct,)),
    )
    (cause,) = group_causes(results, "spec")
    assert cause.operations == ("endpoint", "CreateRepository")


def test_results_json_carries_the_causes(two_causes_run: RunResults) -> None:
    data = two_causes_run.to_json()
    assert schema_errors(data) == []
    assert [c["operations"][:1] for c in data["causes"]] == [
        ["BatchCheckLayerAvailability"],
        ["DescribeImageTags"],
    ]
    first = data["causes"][0]
    assert set(first) >= {"id", "check", "category", "level", "text", "operations", "results"}
    assert first["example"]["expected"] == "application/x-amz-json-1.1"
    assert first["example"]["index"] == 0
    again = RunResults.from_json(data)
    assert again.causes == two_causes_run.causes


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda c: c.update(kind="mystery"), "kind"),
        (lambda c: c.pop("operations"), "operations"),
        (lambda c: c.update(results=[]), "results"),
        (lambda c: c.update(id="not a hash"), "id"),
        (lambda c: c.update(counted="yes"), "counted"),
    ],
)
def test_schema_rejects_malformed_causes(
    two_causes_run: RunResults, mutate: Callable[[dict[str, Any]], object], where: str
) -> None:
    data = two_causes_run.to_json()
    assert schema_errors(data) == []
    mutate(data["causes"][0])
    assert any(where in e for e in schema_errors(data)), schema_errors(data)


def test_no_failures_no_causes() -> None:
    run = make_run((result("A", "chk", "passed"),))
    assert run.causes == () and run.to_json()["causes"] == []
