"""The specs agree with botocore's service model except where the drift report says otherwise."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecr_public_conformance.specs import Shape, load_service
from ecr_public_conformance.specs.derive.build import JSON_TYPES
from ecr_public_conformance.specs.derive.service_model import read_installed, read_vendored
from ecr_public_conformance.specs.editions import edition
from ecr_public_conformance.specs.loader import edition_dir
from ecr_public_conformance.specs.validation import is_valid, violations

SVC = load_service()
MODEL = read_vendored(edition_dir() / "source")
DRIFT = json.loads((edition_dir() / "drift.json").read_text())["drift"]
OPS = sorted(SVC.operations)


def _drifted(kind: str, op: str, member: str) -> bool:
    return any(d["kind"] == kind and d["operation"] == op and d["member"] == member for d in DRIFT)


def _walk(shape: Shape, model_name: str, path: str, op: str, direction: str) -> None:
    model = MODEL.shape(model_name)
    assert JSON_TYPES[shape.kind] == JSON_TYPES[model["type"]] or _drifted(
        "type", op, f"{direction}.{path}"
    ), f"{op} {path}: {shape.kind} vs {model['type']}"
    if "enum" in model:
        assert set(model["enum"]) <= set(shape.schema.get("enum", ())), f"{op} {path} enum"
    if shape.kind == "structure":
        names = {m.name for m in shape.members}
        for name, ref in model.get("members", {}).items():
            assert name in names or _drifted("member", op, f"{direction}.{path}.{name}".strip("."))
            sub = shape.member(name).shape
            _walk(sub, ref["shape"], f"{path}.{name}".strip("."), op, direction)
        for name in names - set(model.get("members", {})):
            assert _drifted("member", op, f"{direction}.{path}.{name}".strip("."))
    if shape.kind == "list":
        assert shape.item is not None
        _walk(shape.item, model["member"]["shape"], path, op, direction)


@pytest.mark.parametrize("name", OPS)
def test_members_types_enums_agree_with_the_model(name: str) -> None:
    op = SVC.operation(name)
    model_op = MODEL.service["operations"][name]
    _walk(op.input, model_op["input"]["shape"], "", name, "input")
    _walk(op.output, model_op["output"]["shape"], "", name, "output")


@pytest.mark.parametrize("name", OPS)
def test_required_members_agree_with_the_model(name: str) -> None:
    op = SVC.operation(name)
    model_req = set(
        MODEL.shape(MODEL.service["operations"][name]["input"]["shape"]).get("required", ())
    )
    for member in set(op.input.required) ^ model_req:
        assert _drifted("required", name, f"input.{member}")


@pytest.mark.parametrize("name", OPS)
def test_errors_are_the_union_of_both_sources(name: str) -> None:
    model_errors = {e["shape"] for e in MODEL.service["operations"][name].get("errors", [])}
    op = SVC.operation(name)
    assert model_errors <= op.error_codes
    assert "UnsupportedCommandException" in op.error_codes
    for ref in op.errors:
        if ref.provenance == "service-model":
            assert _drifted("error", name, ref.code)


def test_paginators_match_the_model() -> None:
    for op in SVC.paginated:
        assert op.paginator is not None
        model = MODEL.paginators[op.name]
        for key in ("input_token", "output_token", "limit_key", "result_key"):
            assert getattr(op.paginator, key) == model[key]


def test_installed_botocore_model_matches_the_newest_edition() -> None:
    installed = read_installed()
    newest = read_vendored(edition("newest").source)
    if installed.sha256 != newest.sha256:
        pytest.skip(
            f"botocore {installed.botocore_version} ships a different ecr-public model than the "
            f"newest edition ({newest.botocore_version}); run `ecr-public-conformance specs "
            "derive --from-installed-boto3` and review the drift"
        )
    assert installed.service == newest.service


# --- a response built from the model's shapes validates against the output schema ----------


def _from_model(name: str, depth: int = 0) -> st.SearchStrategy[Any]:
    shape = MODEL.shape(name)
    kind = shape["type"]
    if kind == "structure":
        members = {m: _from_model(r["shape"], depth + 1) for m, r in shape["members"].items()}
        req = set(shape.get("required", ()))
        return st.fixed_dictionaries(
            {m: s for m, s in members.items() if m in req},
            optional={m: s for m, s in members.items() if m not in req},
        )
    if kind == "list":
        return st.lists(
            _from_model(shape["member"]["shape"], depth + 1),
            min_size=shape.get("min", 0),
            max_size=min(shape.get("max", 3), 3),
        )
    if kind == "string":
        if "enum" in shape:
            return st.sampled_from(shape["enum"])
        lo, hi = shape.get("min", 0), min(shape.get("max", 40), 40)
        if "pattern" in shape:
            return st.from_regex(shape["pattern"].strip("^$"), fullmatch=True).filter(
                lambda s: lo <= len(s) <= shape.get("max", 10**9)
            )
        return st.text(min_size=lo, max_size=max(lo, hi))
    if kind in ("integer", "long"):
        return st.integers(shape.get("min", 0), shape.get("max", 2**40))
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.floats(0, 4e9, allow_nan=False)
    if kind == "blob":
        return st.binary(max_size=16).map(lambda b: __import__("base64").b64encode(b).decode())
    raise AssertionError(kind)


@pytest.mark.parametrize("name", OPS)
def test_model_built_responses_validate_against_the_output_schema(name: str) -> None:
    op = SVC.operation(name)

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_from_model(MODEL.service["operations"][name]["output"]["shape"]))
    def check(response: Any) -> None:
        assert violations(op.output_schema, response) == []

    check()


@pytest.mark.parametrize("name", OPS)
def test_request_missing_a_required_member_fails_the_input_schema(name: str) -> None:
    op = SVC.operation(name)
    for member in op.input.required:
        found = violations(op.input_schema, {})
        assert any(v.keyword == "required" and member in v.message for v in found)


def test_output_schemas_allow_extra_members_and_input_schemas_do_not() -> None:
    op = SVC.operation("GetRepositoryPolicy")
    assert is_valid(op.output_schema, {"policyText": "{}", "somethingNew": 1})
    assert not is_valid(op.input_schema, {"repositoryName": "ab", "somethingNew": 1})


def test_blob_constraints_are_enforced_on_decoded_bytes() -> None:
    schema = SVC.operation("UploadLayerPart").input.member("layerPartBlob").shape.schema
    assert is_valid(schema, "aGVsbG8=")
    assert [v.keyword for v in violations(schema, "not base64!")] == ["contentEncoding"]
