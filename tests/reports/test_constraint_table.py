"""Constraint coverage in report.html (a table per operation, untried sides with why) and in
the Markdown summary (one line)."""

from __future__ import annotations

import re

import pytest

from ecr_public_conformance.records import (
    CheckResult,
    ConstraintCoverage,
    ConstraintRow,
    RunResults,
    Target,
    Times,
    Tried,
)
from ecr_public_conformance.records.constraints import recount
from ecr_public_conformance.reports.constraint_table import constraints_line, render_constraints
from ecr_public_conformance.reports.html_report import render_html
from ecr_public_conformance.reports.markdown import render_summary

BASE = ConstraintCoverage(
    operations={
        "CreateRepository": (
            ConstraintRow("repositoryName", "required"),
            ConstraintRow("repositoryName", "maxLength", "205"),
            ConstraintRow("tags", "minItems", "0", no_invalid="the minimum is 0: nothing below"),
        ),
        "DeleteRepository": (ConstraintRow("repositoryName", "required"),),
        "GetAuthorizationToken": (),
    }
)


def constraint_run(constraints: ConstraintCoverage | None) -> RunResults:
    tried = (
        Tried("repositoryName", "maxLength", "invalid", 2),
        Tried("repositoryName", "required", "invalid"),
    )
    results = (
        CheckResult(
            "CreateRepository",
            "invalid_request_rejected",
            "negative",
            "MUST",
            "d",
            "passed",
            tried=tried,
        ),
        CheckResult(
            "CreateRepository",
            "valid_request_accepted",
            "positive",
            "MUST",
            "d",
            "passed",
            tried=(Tried("repositoryName", "maxLength", "valid"),),
        ),
    )
    return RunResults(
        spec_hash="h",
        target=Target("", kind="reference"),
        times=Times("2026-11-27T18:00:00Z", "2026-11-27T18:00:01Z"),
        constraints=None if constraints is None else recount(results, constraints),
        results=results,
    )


LINES = [
    (
        "one operation of three judged",
        BASE,
        "of 3 constraints of the 1 operation judged: valid values judged for 1, invalid for 2, "
        "both for 1, neither for 1; 1 more in 2 operations not judged",
    ),
    ("no section (an older file)", None, ""),
]


@pytest.mark.parametrize(("situation", "constraints", "line"), LINES)
def test_the_line(situation: str, constraints: ConstraintCoverage | None, line: str) -> None:
    assert constraints_line(constraint_run(constraints).constraints) == line, situation


def _row(html: str, member: str, constraint: str) -> str:
    found = re.search(
        rf'<tr data-member="{re.escape(member)}" data-constraint="{constraint}"[^>]*>(.*?)</tr>',
        html,
    )
    assert found, (member, constraint)
    return found.group(0)


def test_a_table_per_judged_operation_with_each_untried_side_and_why() -> None:
    html = render_constraints(constraint_run(BASE))
    assert html.startswith('<section class="card" id="constraints">')
    row = _row(html, "repositoryName", "maxLength")
    assert 'data-valid="1" data-invalid="2"' in row
    assert '<td class="tried" data-side="invalid">2</td>' in row
    tags = _row(html, "tags", "minItems")
    assert 'data-side="valid">untried <span class="why">no value was sent and judged' in tags
    assert 'data-side="invalid">untried <span class="why">the minimum is 0: nothing below' in tags
    required = _row(html, "repositoryName", "required")
    assert 'data-side="valid">untried' in required and 'data-side="invalid">1<' in required


def test_operations_not_judged_list_their_constraints_collapsed() -> None:
    html = render_constraints(constraint_run(BASE))
    assert (
        '<details class="constraints" data-operation="CreateRepository" data-judged="true" open>'
        in html
    )
    delete = html[html.index('data-operation="DeleteRepository"') :]
    assert delete.startswith('data-operation="DeleteRepository" data-judged="false">')
    assert "not judged in this run: every one untried" in delete
    assert '<ul class="untried-list"><li><code>repositoryName</code>: required</li></ul>' in delete
    assert "GetAuthorizationToken: no constraint on its input" in html


def test_the_page_and_the_summary_carry_it() -> None:
    run = constraint_run(BASE)
    assert 'id="constraints"' in render_html(run)
    assert "**Constraints**: of 3 constraints of the 1 operation judged" in render_summary(run)


def test_a_run_without_the_section_shows_nothing() -> None:
    run = constraint_run(None)
    assert render_constraints(run) == ""
    assert "**Constraints**" not in render_summary(run)
    assert 'id="constraints"' not in render_html(run)
