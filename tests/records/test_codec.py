"""The one codec: every record goes to JSON and back unchanged, unknown members are ignored."""

from __future__ import annotations

from dataclasses import dataclass, field

from ecr_public_conformance.records import (
    Cleanup,
    RunResults,
    SpecFact,
    Target,
    Times,
    from_json,
    to_json,
)
from ecr_public_conformance.records.codec import bounded, inline
from ecr_public_conformance.records.results import CheckResult, Failure, SetupFailure


@dataclass(frozen=True)
class _Inner:
    name: str
    sizes: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Outer:
    inner: _Inner
    maybe: _Inner | None = None
    by_name: dict[str, _Inner] = field(default_factory=dict)
    count: int = bounded(0, minimum=0)
    hidden: str = field(default="", metadata={"json": False})


def test_nested_records_round_trip() -> None:
    value = _Outer(_Inner("a", (1, 2)), _Inner("b"), {"c": _Inner("c", (3,))}, 4, "x")
    data = to_json(value)
    assert "hidden" not in data
    assert data["inner"] == {"name": "a", "sizes": [1, 2]}
    assert from_json(_Outer, data) == _Outer(
        _Inner("a", (1, 2)), _Inner("b"), {"c": _Inner("c", (3,))}, 4
    )


def test_unknown_and_derived_members_are_ignored_on_reading() -> None:
    data = {"inner": {"name": "a", "from_the_future": True}, "maybe": None, "extra": 1}
    assert from_json(_Outer, data) == _Outer(_Inner("a"))


def test_a_run_with_a_failure_round_trips() -> None:
    failure = Failure(
        message="wrong",
        spec_fact=SpecFact("PutImage", "imageTag", "max 300", "boto3 doc", 12, "quote"),
        request={"repositoryName": "r"},
        response={"status": 400},
        expected="x",
        actual="y",
    )
    result = CheckResult(
        operation="PutImage",
        check="chk",
        category="behaviour",
        level="MUST",
        description="d",
        status="failed",
        failures=(failure,),
        setup_failure=SetupFailure("CreateRepository", 500, None, "boom"),
    )
    run = RunResults(
        spec_hash="h",
        target=Target("http://x", kind="url"),
        times=Times("2026-11-27T18:00:00Z", "2026-11-27T18:00:01Z"),
        results=(result,),
        cleanup=Cleanup(left=("r1",), command="c"),
    )
    data = run.to_json()
    assert data["results"][0]["id"] == "PutImage::chk"
    assert data["results"][0]["failures"][0]["cause"] == failure.cause
    assert RunResults.from_json(data) == run


@dataclass(frozen=True)
class _Part:
    b: int = 0
    c: str = ""


@dataclass(frozen=True)
class _WithPart:
    a: int
    part: _Part = inline(_Part)
    d: bool = False


def test_an_inline_part_is_written_beside_the_records_own_members_in_field_order() -> None:
    value = _WithPart(1, _Part(2, "x"), True)
    data = to_json(value)
    assert list(data) == ["a", "b", "c", "d"]
    assert data == {"a": 1, "b": 2, "c": "x", "d": True}
    assert from_json(_WithPart, data) == value
    assert from_json(_WithPart, {"a": 1}) == _WithPart(1)


def test_the_run_record_keeps_the_top_level_of_results_json() -> None:
    run = RunResults(spec_hash="h", target=Target("", kind="reference"), times=Times("t0", "t1"))
    data = run.to_json()
    assert "times" not in data and "settings" not in data and "ending" not in data
    assert (data["started_at"], data["profile"], data["interrupted"]) == ("t0", "quick", False)
    assert RunResults.from_json(data) == run
