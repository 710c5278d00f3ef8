"""Comparing a replayed answer with the recorded one, and lining up a scenario's exchanges."""

from __future__ import annotations

from typing import Any

import pytest

from ecr_public_conformance.conformance.parity.compare import Comparison
from ecr_public_conformance.conformance.parity.corpus import Record
from ecr_public_conformance.conformance.parity.corpus_replay import align, judge_scenario
from ecr_public_conformance.conformance.parity.normalise import Normalised
from ecr_public_conformance.conformance.parity.play import Played
from ecr_public_conformance.conformance.parity.scenario_set import ScenarioSpec


def ok(body: Any) -> dict[str, Any]:
    return {"status": 200, "body": body}


ERROR = {"status": 400, "error": "RepositoryNotFoundException", "message": True}

#: situation -> (recorded answer, replayed answer, [(kind, path, expected, actual)])
TABLE: dict[str, tuple[Any, Any, list[tuple[str, str, str, str]]]] = {
    "the same answer": (ok({"a": 1}), ok({"a": 1}), []),
    "another status": (
        ERROR,
        ok({}),
        [("status", "", "HTTP 400 RepositoryNotFoundException", "HTTP 200")],
    ),
    "another status, the same error": (
        ERROR,
        {**ERROR, "status": 404},
        [
            (
                "status",
                "",
                "HTTP 400 RepositoryNotFoundException",
                "HTTP 404 RepositoryNotFoundException",
            )
        ],
    ),
    "another error code": (
        ERROR,
        {**ERROR, "error": "InvalidParameterException"},
        [("error-code", "", "RepositoryNotFoundException", "InvalidParameterException")],
    ),
    "no error message": (
        ERROR,
        {**ERROR, "message": False},
        [("message", "", "an error message", "no error message")],
    ),
    "a member left out": (
        ok({"repository": {"repositoryUri": "u", "registryId": "<account>"}}),
        ok({"repository": {"registryId": "<account>"}}),
        [("absent", "repository.repositoryUri", "present", "absent")],
    ),
    "a member sent as null": (
        ok({}),
        ok({"nextToken": None}),
        [("present", "nextToken", "absent", "present (null)")],
    ),
    "a number sent as a string": (
        ok({"size": 12}),
        ok({"size": "12"}),
        [("type", "size", "a number", "a string")],
    ),
    "a timestamp sent as a string": (
        ok({"createdAt": "<timestamp:1 now>"}),
        ok({"createdAt": "2027-01-15T08:00:00Z"}),
        [("type", "createdAt", "a timestamp", "a string")],
    ),
    "another expiry": (
        ok({"expiresAt": "<timestamp now+12h>"}),
        ok({"expiresAt": "<timestamp now+1h>"}),
        [("value", "expiresAt", "a timestamp now+12h", "a timestamp now+1h")],
    ),
    "another value": (
        ok({"status": "ACTIVE"}),
        ok({"status": "PENDING"}),
        [("value", "status", '"ACTIVE"', '"PENDING"')],
    ),
    "another value inside a string with placeholders": (
        ok({"uri": "public.ecr.aws/<alias>/<prefix>-9c1e-b1"}),
        ok({"uri": "<account>.registry.example/<prefix>-9c1e-b1"}),
        [
            (
                "value",
                "uri",
                '"public.ecr.aws/<alias>/<prefix>-9c1e-b1"',
                '"<account>.registry.example/<prefix>-9c1e-b1"',
            )
        ],
    ),
    "a longer list": (
        ok({"tags": ["a"]}),
        ok({"tags": ["a", "b"]}),
        [("length", "tags", "1 items", "2 items")],
    ),
    "another numbering that keeps every equality": (
        ok({"a": "<digest:1>", "b": "<digest:1>", "c": "<digest:2>"}),
        ok({"a": "<digest:7>", "b": "<digest:7>", "c": "<digest:3>"}),
        [],
    ),
    "a broken equality": (
        ok({"a": "<digest:1>", "b": "<digest:1>"}),
        ok({"a": "<digest:1>", "b": "<digest:2>"}),
        [("equality", "b", "the same value as at r#1 a", "a different one")],
    ),
    "a value repeated where the recording has two": (
        ok({"a": "<uuid:1>", "b": "<uuid:2>"}),
        ok({"a": "<uuid:1>", "b": "<uuid:1>"}),
        [("equality", "b", "a value not seen before", "the value of r#1 a")],
    ),
}


@pytest.mark.parametrize("situation", list(TABLE))
def test_divergences(situation: str) -> None:
    recorded, replayed, expected = TABLE[situation]
    found = Comparison().answers(recorded, replayed, "r#1")
    assert [(d.kind, d.path, d.expected, d.actual) for d in found] == expected


def test_equalities_hold_across_the_records_of_a_scenario() -> None:
    comparison = Comparison()
    assert comparison.answers(ok({"d": "<digest:3>"}), ok({"d": "<digest:5>"}), "s#1") == []
    found = comparison.answers(ok({"d": "<digest:3>"}), ok({"d": "<digest:6>"}), "s#2")
    assert [d.kind for d in found] == ["equality"]
    assert found[0].expected == "the same value as at s#1 d"


def test_a_timestamp_recorded_after_another_must_not_come_before_it() -> None:
    recorded = ok({"a": "<timestamp:1 now>", "b": "<timestamp:2 now after:1>"})
    replayed = ok({"a": "<timestamp:1 now>", "b": "<timestamp:2 now>"})
    for close in (100.0, 99.5):  # equal, or a millisecond-ish either side: within tolerance
        fine = Comparison(stamps={1: 100.0, 2: close}, tolerance=1.0)
        assert fine.answers(recorded, replayed, "s#1") == []
    wrong = Comparison(stamps={1: 100.0, 2: 98.0}, tolerance=1.0)
    found = wrong.answers(recorded, replayed, "s#1")
    assert [(d.kind, d.path, d.expected, d.actual) for d in found] == [
        ("order", "b", "not before the timestamp at s#1 a", "2.000 s before it")
    ]


def rec(step: int, request: Any, response: Any = None, operation: str = "DescribeImages") -> Record:
    return Record("s", step, operation, request, response or ok({}))


def rep(request: Any, response: Any = None, operation: str = "DescribeImages") -> Normalised:
    return Normalised(operation, request, response or ok({}))


def test_a_retried_read_is_matched_from_its_last_attempt() -> None:
    recorded = [rec(1, {"a": 1}), rec(2, {"r": 1}), rec(3, {"r": 1}), rec(4, {"b": 2})]
    replayed = [rep({"a": 1}), rep({"r": 1}), rep({"b": 2})]
    assert align(recorded, replayed) == [
        (0, 0, "same"),
        (1, None, "repeat"),
        (2, 1, "same"),
        (3, 2, "same"),
    ]


def test_a_changed_request_is_stale_and_a_lost_one_missing() -> None:
    recorded = [rec(1, {"a": 1}), rec(2, {"b": 1}), rec(3, {"c": 1})]
    replayed = [rep({"a": 1}), rep({"b": 2}), rep({"d": 1}), rep({"e": 1})]
    assert align(recorded, replayed) == [
        (0, 0, "same"),
        (1, 1, "stale"),
        (2, 2, "stale"),
        (None, 3, "extra"),
    ]
    assert align(recorded, replayed[:1]) == [
        (0, 0, "same"),
        (1, None, "missing"),
        (2, None, "missing"),
    ]


def _played(normalised: list[Normalised], outcome: str = "complete") -> Played:
    spec = ScenarioSpec("s", "DescribeImages", lambda env: None)  # type: ignore[arg-type,return-value]
    return Played(spec, tuple(None for _ in normalised), tuple(normalised), outcome)  # type: ignore[arg-type]


def test_judging_a_scenario() -> None:
    recorded = [rec(1, {"a": 1}, ok({"x": 1})), rec(2, {"b": 1}), rec(3, {"c": 1})]
    played = _played([rep({"a": 1}, ok({"x": 2})), rep({"b": 9})], "unsupported: DescribeImages")
    outcomes = judge_scenario("s", recorded, played)
    assert [(o.id, o.status) for o in outcomes] == [
        ("s#1", "failed"),
        ("s#2", "stale"),
        ("s#3", "failed"),
    ]
    assert outcomes[0].divergences[0].kind == "value"
    assert outcomes[2].divergences[0].actual.endswith("(unsupported: DescribeImages)")
    assert not outcomes[1].judged and outcomes[1].reason


def test_a_scenario_the_suite_no_longer_has_is_stale() -> None:
    outcomes = judge_scenario("s", [rec(1, {})], None)
    assert [o.status for o in outcomes] == ["stale"]
    assert "no scenario s any more" in outcomes[0].reason
