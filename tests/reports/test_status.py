"""``report status``: the per-operation status an emulator repository commits (status.md and
status.json), its texts as tables, and its order stable whatever order the results came in."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from ecr_public_conformance.cli import main
from ecr_public_conformance.records import CheckResult, RunResults
from ecr_public_conformance.records.coverage import Coverage, Tally
from ecr_public_conformance.reports import write_results
from ecr_public_conformance.reports.html_report import render_html
from ecr_public_conformance.reports.status import (
    AREAS,
    area_of,
    operation_statuses,
    render_status_json,
    render_status_markdown,
)
from ecr_public_conformance.specs import load_service

from .conftest import failure, make_run, result

#: (check, category) -> area
AREA_OF = {
    ("content_type_is_amz_json", "protocol"): "wire",
    ("response_schema_conformance", "response"): "wire",
    ("error_body_has_type", "errors"): "wire",
    ("valid_request_accepted", "positive"): "wire",
    ("invalid_request_rejected", "negative"): "wire",
    ("documented_error_raised", "behaviour"): "errors",
    ("documented_error_code", "behaviour"): "errors",
    ("documented_effect_holds", "behaviour"): "effects",
    ("documented_members_returned", "behaviour"): "effects",
    ("page_size_respected", "pagination"): "pagination",
    ("registry_model_conformance", "stateful"): "state",
    ("read_after_write", "consistency"): "state",
    ("matches_recording", "parity"): None,
}


@pytest.mark.parametrize(("check", "category"), sorted(AREA_OF))
def test_area_of_a_result(check: str, category: str) -> None:
    assert (
        area_of(result("CreateRepository", check, "passed", category=category))
        == (AREA_OF[(check, category)])
    )


def _results() -> tuple[CheckResult, ...]:
    return (
        result("CreateRepository", "content_type_is_amz_json", "passed", category="protocol"),
        result(
            "CreateRepository",
            "response_schema_conformance",
            "failed",
            failures=(failure("CreateRepository", "repositoryUri was 42, not a string"),),
        ),
        result(
            "CreateRepository",
            "response_members_not_null",
            "failed",
            level="SHOULD",  # not counted under strictness spec: in no area
            failures=(failure("CreateRepository", "catalogData was null"),),
        ),
        result("CreateRepository", "documented_error_raised", "passed", category="behaviour"),
        result(
            "CreateRepository",
            "registry_model_conformance",
            "error",
            category="stateful",
            reason="reset by peer",
        ),
        result("DescribeImages", "page_size_respected", "passed", category="pagination"),
        result("DescribeImages", "pages_cover_all_items_once", "xfailed", category="pagination"),
        result("DescribeImages", "tampered_token_rejected", "skipped", category="pagination"),
        result("PutImage", "valid_request_accepted", "unsupported", category="positive"),
        result("PutImage", "documented_error_raised", "unsupported", category="behaviour"),
    )


def _run(results: tuple[CheckResult, ...] | None = None) -> RunResults:
    coverage = Coverage(
        by_operation={
            "CreateRepository": {
                "documented_errors": Tally(5, 5, 4, 3),
                "effects": Tally(2, 2, 2, 2),
            },
            "PutImage": {"documented_errors": Tally(9, 9, 0, 0)},
        }
    )
    run = make_run(_results() if results is None else results)
    how = replace(run.settings, strictness="spec")
    return replace(run, settings=how, coverage=coverage, edition="botocore-1.43.11")


#: The status table of the run above, as status.md says it (rows of untested operations cut).
MARKDOWN_HEAD = """\
# ECR Public conformance status

Edition `botocore-1.43.11`, profile `ci`, strictness `spec`. Wire, pagination and state count \
check results; errors and effects count the documented ones that passed.

| Operation | Supported | Wire | Errors | Effects | Pagination | State |
|---|---|---|---|---|---|---|
"""
ROWS = {
    "CreateRepository": "| CreateRepository | yes | 1/2 | 3/5 | 2/2 | - | 0/1 |",
    "DescribeImages": "| DescribeImages | yes | - | - | - | 1/2 | - |",
    "PutImage": "| PutImage | no | - | 0/9 | - | - | - |",
    "TagResource": "| TagResource | not tested | - | - | - | - | - |",
}
CAUSES = """\
## Causes

- CreateRepository, wire: response\\_schema\\_conformance: repositoryUri was 42, not a string
- CreateRepository, state: registry\\_model\\_conformance: reset by peer
"""


def test_the_markdown_table_and_causes() -> None:
    text = render_status_markdown(_run())
    assert text.startswith(MARKDOWN_HEAD)
    lines = text.splitlines()
    for operation, row in ROWS.items():
        assert row in lines, operation
    assert text.endswith("\n\n" + CAUSES)
    rows = [line.split(" | ")[0].lstrip("| ") for line in lines if line.startswith("| ")][1:]
    assert rows == sorted(load_service("botocore-1.43.11").operations)


def test_the_json_form() -> None:
    doc = json.loads(render_status_json(_run()))
    assert list(doc) == [
        "status_version",
        "target",
        "edition",
        "profile",
        "strictness",
        "operations",
    ]
    create = doc["operations"]["CreateRepository"]
    assert list(create) == ["supported", *AREAS]
    assert create["supported"] is True
    assert create["wire"] == {
        "passed": 1,
        "total": 2,
        "causes": ["response_schema_conformance: repositoryUri was 42, not a string"],
    }
    assert create["errors"] == {"passed": 3, "total": 5, "exercised": 4, "causes": []}
    assert doc["operations"]["PutImage"]["supported"] is False
    assert doc["operations"]["TagResource"]["supported"] is None


def test_the_order_is_stable_whatever_order_the_results_came_in() -> None:
    forward = _run()
    backward = _run(tuple(reversed(_results())))
    assert render_status_json(forward) == render_status_json(backward)
    assert render_status_markdown(forward) == render_status_markdown(backward)


def test_a_named_target_is_named_and_nothing_run_specific_is_written() -> None:
    run = replace(_run(), target=replace(_run().target, name="my-emulator"))
    text = render_status_json(run)
    assert json.loads(text)["target"] == "my-emulator"
    for specific in ("127.0.0.1", "1234", "2026-11-27", "duration"):
        assert specific not in text, specific


def test_every_operation_has_every_area() -> None:
    for status in operation_statuses(_run()):
        assert list(status.areas) == list(AREAS)


def test_report_status_writes_both_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = write_results(_run(), tmp_path / "results.json")
    assert main(["report", "status", str(results), "--out", str(tmp_path / "st")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"markdown: {tmp_path / 'st' / 'status.md'}",
        f"json: {tmp_path / 'st' / 'status.json'}",
    ]
    assert (tmp_path / "st" / "status.md").read_text() == render_status_markdown(_run())


#: situation -> (file text or None for no file, the start of the one line)
BAD = {
    "no file": (None, "error: {path}: cannot read"),
    "not JSON": ("{", "error: {path}: "),
}


@pytest.mark.parametrize("situation", sorted(BAD))
def test_report_status_refuses_a_bad_results_file_in_one_line(
    situation: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, start = BAD[situation]
    path = tmp_path / "results.json"
    if text is not None:
        path.write_text(text)
    assert main(["report", "status", str(path), "--out", str(tmp_path / "st")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(start.format(path=path)) and err.count("\n") == 1, err
    assert not (tmp_path / "st").exists()


def test_the_html_report_shows_the_status() -> None:
    page = render_html(_run())
    assert '<details id="status">' in page
    assert '<tr data-operation="CreateRepository"><td>CreateRepository</td><td>yes</td>' in page
    assert 'title="registry_model_conformance: reset by peer">0/1</td>' in page
