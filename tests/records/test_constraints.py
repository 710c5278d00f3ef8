"""Constraint coverage is counted from the results' tried records, over every constraint."""

from __future__ import annotations

import pytest

from ecr_public_conformance.records import (
    CheckResult,
    ConstraintCoverage,
    ConstraintRow,
    ConstraintTally,
    RunResults,
    Status,
    Target,
    Times,
    Tried,
)
from ecr_public_conformance.records.constraints import NOT_JUDGED, recount
from ecr_public_conformance.records.schema import schema_errors


def _result(
    op: str, check: str, status: Status = "passed", *tried: Tried, reason: str = ""
) -> CheckResult:
    return CheckResult(op, check, "negative", "MUST", "d", status, reason, tried=tried)


BASE = ConstraintCoverage(
    operations={
        "CreateRepository": (
            ConstraintRow("repositoryName", "required"),
            ConstraintRow("repositoryName", "maxLength", "205"),
            ConstraintRow("tags", "minItems", "0", no_invalid="the minimum is 0"),
        ),
        "DeleteRepository": (ConstraintRow("repositoryName", "required"),),
    }
)
VALID = "valid_request_accepted"
INVALID = "invalid_request_rejected"
CODE = "invalid_request_error_code"

#: (situation, results, operation -> (member, constraint) -> (valid, invalid), total)
CASES = [
    ("nothing run", [], {}, ConstraintTally(4, 0, 0, 0, 4)),
    (
        "each side counted from its check",
        [
            _result(
                "CreateRepository", VALID, "passed", Tried("repositoryName", "required", "valid", 5)
            ),
            _result(
                "CreateRepository",
                INVALID,
                "passed",
                Tried("repositoryName", "maxLength", "invalid", 2),
            ),
        ],
        {
            "CreateRepository": {
                ("repositoryName", "required"): (5, 0),
                ("repositoryName", "maxLength"): (0, 2),
            }
        },
        ConstraintTally(4, 1, 1, 0, 2),
    ),
    (
        "two checks judging the same side: the most either judged, not the sum",
        [
            _result(
                "CreateRepository",
                INVALID,
                "failed",
                Tried("repositoryName", "maxLength", "invalid", 1),
            ),
            _result(
                "CreateRepository",
                CODE,
                "passed",
                Tried("repositoryName", "maxLength", "invalid", 3),
            ),
            _result(
                "CreateRepository",
                VALID,
                "passed",
                Tried("repositoryName", "maxLength", "valid", 1),
            ),
        ],
        {"CreateRepository": {("repositoryName", "maxLength"): (1, 3)}},
        ConstraintTally(4, 1, 1, 1, 3),
    ),
    (
        "a tried constraint the specs do not list (wrong type) is not a row",
        [
            _result(
                "DeleteRepository", INVALID, "passed", Tried("repositoryName", "type", "invalid")
            )
        ],
        {"DeleteRepository": {("repositoryName", "required"): (0, 0)}},
        ConstraintTally(4, 0, 0, 0, 4),
    ),
    (
        "another operation's tries do not count",
        [
            _result(
                "DeleteRepository", VALID, "passed", Tried("repositoryName", "maxLength", "valid")
            )
        ],
        {"CreateRepository": {("repositoryName", "maxLength"): (0, 0)}},
        ConstraintTally(4, 0, 0, 0, 4),
    ),
]


@pytest.mark.parametrize(("situation", "results", "expected", "total"), CASES)
def test_recount(
    situation: str,
    results: list[CheckResult],
    expected: dict[str, dict[tuple[str, str], tuple[int, int]]],
    total: ConstraintTally,
) -> None:
    counted = recount(results, BASE)
    for op, rows in expected.items():
        got = {(r.member, r.constraint): (r.valid, r.invalid) for r in counted.operations[op]}
        for key, sides in rows.items():
            assert got[key] == sides, situation
    assert counted.total == total, situation
    assert recount(results, counted) == counted, "counting again changes nothing"


#: (situation, results, (operation, member, constraint, side) -> reason)
WHY = [
    (
        "an operation the run did not judge",
        [],
        ("DeleteRepository", "repositoryName", "required", "invalid"),
        "the run did not judge this operation",
    ),
    (
        "a side no value can try: the specs' reason, whatever the run",
        [_result("CreateRepository", INVALID, "passed")],
        ("CreateRepository", "tags", "minItems", "invalid"),
        "the minimum is 0",
    ),
    (
        "a judged operation whose values did not reach this side",
        [_result("CreateRepository", INVALID, "passed")],
        ("CreateRepository", "repositoryName", "maxLength", "invalid"),
        NOT_JUDGED,
    ),
    (
        "the judging check did not run: its status and reason",
        [
            _result("CreateRepository", INVALID, "passed"),
            _result(
                "CreateRepository", VALID, "skipped", reason="every valid request is semantic\nmore"
            ),
        ],
        ("CreateRepository", "repositoryName", "maxLength", "valid"),
        "valid_request_accepted skipped: every valid request is semantic",
    ),
]


@pytest.mark.parametrize(("situation", "results", "where", "reason"), WHY)
def test_untried_sides_say_why(
    situation: str, results: list[CheckResult], where: tuple[str, ...], reason: str
) -> None:
    counted = recount(results, BASE)
    found = {(u.operation, u.member, u.constraint, u.side): u.reason for u in counted.untried()}
    assert found[where] == reason, situation


def test_every_untried_side_is_listed() -> None:
    tried = Tried("repositoryName", "required", "valid")
    counted = recount([_result("CreateRepository", VALID, "passed", tried)], BASE)
    sides = {(u.operation, u.member, u.constraint, u.side) for u in counted.untried()}
    assert len(sides) == 2 * 4 - 1
    assert ("CreateRepository", "repositoryName", "required", "valid") not in sides


def test_the_section_survives_results_json() -> None:
    tried = Tried("repositoryName", "required", "valid", 2)
    results = (_result("CreateRepository", VALID, "passed", tried),)
    run = RunResults(
        spec_hash="h",
        target=Target("", kind="reference"),
        times=Times("2026-11-27T18:00:00Z", "2026-11-27T18:00:01Z"),
        constraints=recount(results, BASE),
        results=results,
    )
    data = run.to_json()
    assert schema_errors(data) == []
    assert data["constraints"]["total"] == {
        "constraints": 4,
        "valid": 1,
        "invalid": 0,
        "both": 0,
        "untried": 3,
    }
    assert data["results"][0]["tried"] == [
        {"member": "repositoryName", "constraint": "required", "side": "valid", "values": 2}
    ]
    assert RunResults.from_json(data).constraints == run.constraints
