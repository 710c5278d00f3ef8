"""The committed schema of results.json is the one the record types make, and it judges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecr_public_conformance.records import RunResults, Target, Times
from ecr_public_conformance.records.run import SCHEMA_VERSION, ResultsError
from ecr_public_conformance.records.schema import (
    SCHEMA_PATH,
    build_schema,
    load,
    render_schema,
    schema_errors,
    validate,
)


def _minimal() -> RunResults:
    return RunResults(
        spec_hash="abc",
        target=Target("http://127.0.0.1:5000", kind="reference"),
        times=Times("2026-11-27T18:00:00Z", "2026-11-27T18:00:01Z"),
    )


def test_the_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        "regenerate with: python -m ecr_public_conformance.records.schema"
    )


def test_the_schema_names_its_version() -> None:
    assert build_schema()["title"].endswith(f"schema_version {SCHEMA_VERSION}")


def test_a_written_run_is_valid() -> None:
    assert schema_errors(_minimal().to_json()) == []


def test_results_and_failures_are_open_the_top_level_is_not() -> None:
    data = _minimal().to_json()
    assert schema_errors({**data, "surprise": 1}) == [
        "/: Additional properties are not allowed ('surprise' was unexpected)"
    ]
    defs = build_schema()["$defs"]
    assert defs["CheckResult"]["additionalProperties"] is True
    assert defs["Failure"]["additionalProperties"] is True
    assert defs["Target"]["additionalProperties"] is False


BAD = [
    ("not an object", [], "results: invalid at /: [] is not of type 'object'"),
    (
        "a status the suite never writes",
        {"results": [{"status": "maybe"}]},
        "results: invalid at /results/0: 'operation' is a required property",
    ),
]


@pytest.mark.parametrize(("situation", "change", "expected"), BAD)
def test_invalid_files_get_one_line(situation: str, change: object, expected: str) -> None:
    data = {**_minimal().to_json(), **change} if isinstance(change, dict) else change
    with pytest.raises(ResultsError) as caught:
        validate(data)
    assert str(caught.value) == expected, situation
    assert "\n" not in str(caught.value)


def test_the_schema_is_json() -> None:
    assert json.loads(render_schema())["$ref"] == "#/$defs/RunResults"


def test_a_file_of_another_version_is_refused_by_its_version(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({**_minimal().to_json(), "schema_version": 2}))
    with pytest.raises(ResultsError) as caught:
        load(path)
    assert str(caught.value) == (
        f"{path}: schema_version 2, this suite reads {SCHEMA_VERSION}"
        " (build reports with the version that wrote it, or run again)"
    )
