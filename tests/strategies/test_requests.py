"""Valid, invalid and boundary requests against the specs."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import InvalidArgument

from ecr_public_conformance.specs import SpecError, load_service
from ecr_public_conformance.specs.validation import is_valid, violations
from ecr_public_conformance.strategies import (
    BUILDERS,
    VIOLATIONS,
    Context,
    InvalidRequest,
    boundary_requests,
    from_operation,
    from_shape,
    skipped_violations,
    with_boundaries,
    without_constraint,
)
from ecr_public_conformance.strategies.boundaries import large_boundaries
from ecr_public_conformance.strategies.labelled import sites, template_of

SERVICE = load_service()
OPS = sorted(SERVICE.operations)
FAST = settings(database=None, deadline=None, suppress_health_check=list(HealthCheck))


def fast(n: int) -> settings:
    return settings(FAST, max_examples=n)


def _pattern(op_name: str, path: tuple[str | int, ...]) -> str | None:
    node = SERVICE.operation(op_name).input_schema
    for step in path:
        node = node["items"] if isinstance(step, int) else node["properties"][step]
    return node.get("pattern")


def _value_at(params: object, path: tuple[str | int, ...]) -> str:
    node = params
    for step in path:
        node = node[step]  # type: ignore[index]
    assert isinstance(node, str)
    return node


def _pattern_values(shape_schema: object, value: object, out: list[tuple[str, str]]) -> None:
    if not isinstance(shape_schema, dict):
        return
    if isinstance(value, str) and "pattern" in shape_schema:
        out.append((shape_schema["pattern"], value))
    if isinstance(value, dict):
        for k, v in value.items():
            _pattern_values(shape_schema.get("properties", {}).get(k), v, out)
    if isinstance(value, list):
        for v in value:
            _pattern_values(shape_schema.get("items"), v, out)


def test_builders_cover_every_kind_in_the_specs() -> None:
    kinds = {
        site.shape.kind
        for op in SERVICE.operations.values()
        for shape in (op.input, op.output)
        for site in sites(shape)
    }
    assert kinds <= set(BUILDERS), kinds - set(BUILDERS)


@pytest.mark.parametrize("name", OPS)
def test_valid_examples_validate(name: str) -> None:
    op = SERVICE.operation(name)

    @fast(200)
    @given(from_operation(op))
    def check(request: dict) -> None:
        assert violations(op.input_schema, request) == []
        found: list[tuple[str, str]] = []
        _pattern_values(op.input_schema, request, found)
        for pattern, value in found:
            assert re.fullmatch(pattern, value), (pattern, value)

    check()


@pytest.mark.parametrize("name", OPS)
def test_invalid_examples_break_exactly_their_constraint(name: str) -> None:
    op = SERVICE.operation(name)
    allowed = SERVICE.allowed_error_codes(name)

    @fast(100)
    @given(from_operation(op, mode="invalid"))
    def check(case: InvalidRequest) -> None:
        assert case.violation in VIOLATIONS
        assert case.caught_by in ("client", "server", "wire")
        assert case.allowed_errors and case.allowed_errors <= allowed
        if case.body is not None:
            assert case.violation == "malformed-json" and case.caught_by == "wire"
            with pytest.raises(ValueError):
                json.loads(case.body)
            return
        assert not is_valid(op.input_schema, case.params)
        assert case.keyword is not None
        relaxed = without_constraint(op.input_schema, case.path, case.keyword)
        assert violations(relaxed, case.params) == [], case
        if case.violation == "pattern":
            pattern = _pattern(name, case.path)
            assert pattern and re.search(pattern, _value_at(case.params, case.path)) is None
        long_pattern = _pattern(name, case.path) if case.violation == "too-long" else None
        if long_pattern:
            assert re.fullmatch(long_pattern, _value_at(case.params, case.path))

    check()


@pytest.mark.parametrize("name", OPS)
def test_boundary_examples(name: str) -> None:
    op = SERVICE.operation(name)
    cases = boundary_requests(op)
    covered = {(template_of(c.path), c.keyword) for c in cases}
    skipped = {(m, k) for m, k, _ in skipped_violations(op)}
    for site in sites(op.input):
        for c in site.shape.constraints:
            assert (site.path, c.keyword) in covered, (name, site.path, c.keyword, skipped)
    for case in cases:
        if case.large:
            continue
        if case.valid:
            assert violations(op.input_schema, case.params) == [], case
            continue
        assert isinstance(case, InvalidRequest) and case.caught_by
        assert not is_valid(op.input_schema, case.params), case
        assert is_valid(without_constraint(op.input_schema, case.path, case.keyword), case.params)


def test_large_boundaries_are_marked() -> None:
    large = [c for c in boundary_requests("UploadLayerPart") if c.large]
    assert {c.keyword for c in large} == {"x-maxBytes"}
    assert any(c.keyword == "maxLength" and c.large for c in boundary_requests("PutImage"))
    assert all(not c.large for c in boundary_requests("UploadLayerPart", include_large=False))


@pytest.mark.parametrize("name", ["UploadLayerPart", "PutImage", "CreateRepository"])
def test_large_boundaries_are_named_without_being_made(name: str) -> None:
    made = [(c.path, c.keyword, c.valid) for c in boundary_requests(name) if c.large]
    assert large_boundaries(name) == made
    kept = boundary_requests(name, include_large=False)
    assert kept == [c for c in boundary_requests(name) if not c.large]


def test_invalid_kinds_and_caught_by() -> None:
    repo = [c for c in boundary_requests("CreateRepository") if c.path == ("repositoryName",)]
    by_kind = {c.violation: c.caught_by for c in repo}
    assert by_kind == {
        "valid": None,
        "too-short": "client",
        "too-long": "server",
        "pattern": "server",
    }
    ranges = {
        (c.keyword, c.caught_by)
        for c in boundary_requests("DescribeImages")
        if c.violation == "out-of-range"
    }
    assert ranges == {("minimum", "client"), ("maximum", "server")}


def test_botocore_agrees_with_client_labels() -> None:
    import botocore.session
    from botocore.validate import ParamValidator

    model = botocore.session.get_session().get_service_model("ecr-public")
    checked = 0
    for name in OPS:
        shape = model.operation_model(name).input_shape
        for case in boundary_requests(name, include_large=False):
            if case.valid or not isinstance(case.params, dict):
                continue
            report = ParamValidator().validate(case.params, shape)
            if case.caught_by == "client":
                assert report.has_errors(), case
                checked += 1
    assert checked > 10


def test_context_binding() -> None:
    ctx = Context(repositories=["bound-repo"], upload_ids=["0badc0de-0000-4000-8000-000000000001"])

    @fast(50)
    @given(from_operation("UploadLayerPart", context=ctx))
    def check(request: dict) -> None:
        assert request["repositoryName"] == "bound-repo"
        assert request["uploadId"] == ctx.upload_ids[0]

    check()


def test_same_seed_same_examples() -> None:
    def collect(seed: int) -> list:
        seen: list = []

        @settings(database=None, max_examples=20, derandomize=True)
        @given(from_operation("CreateRepository"), from_operation("TagResource", mode="invalid"))
        def record(valid: dict, invalid: InvalidRequest) -> None:
            seen.append((json.dumps(valid, sort_keys=True), repr(invalid), invalid.params))

        from hypothesis import seed as with_seed

        with_seed(seed)(record)()
        return seen

    assert collect(7) == collect(7)


def test_with_boundaries_adds_examples() -> None:
    seen: list[InvalidRequest] = []

    @with_boundaries("DescribeRegistries")
    @settings(database=None, phases=[Phase.explicit])
    @given(from_operation("DescribeRegistries", mode="invalid"))
    def check(case: InvalidRequest) -> None:
        seen.append(case)

    check()
    assert {c.keyword for c in seen} == {"minimum", "maximum"}


def test_bad_input() -> None:
    with pytest.raises(InvalidArgument, match="'NoSuchOperation'.*CreateRepository"):
        from_operation("NoSuchOperation")
    with pytest.raises(InvalidArgument, match="mode"):
        from_operation("CreateRepository", mode="weird")
    with pytest.raises(InvalidArgument):
        from_shape("not a shape")
    with pytest.raises(InvalidArgument, match="Context has no field"):
        Context().values("nope")


def test_spec_that_does_not_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from ecr_public_conformance.specs.loader import edition_dir

    shutil.copytree(edition_dir(), tmp_path / "specs")
    broken = tmp_path / "specs" / "operations" / "PutImage.json"
    broken.write_text("{ not json")
    with pytest.raises(SpecError, match="PutImage.json"):
        load_service(tmp_path / "specs")
