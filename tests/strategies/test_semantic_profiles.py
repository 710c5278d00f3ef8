"""Semantic generators and profiles."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecr_public_conformance.specs import Shape, load_service
from ecr_public_conformance.specs.model import Constraint
from ecr_public_conformance.specs.validation import is_valid
from ecr_public_conformance.strategies import describe_profiles, settings_for
from ecr_public_conformance.strategies import semantic_values as semantic
from ecr_public_conformance.strategies.profiles import PROFILES, stateful_settings_for

NAME = load_service().operation("CreateRepository").input.member("repositoryName").shape
PATTERN = NAME.constraint("pattern").value


@settings(max_examples=200, database=None)
@given(st.integers(2, 205), st.integers(0, 1000))
def test_exact_length_names_match(length: int, seed: int) -> None:
    name = semantic.repository_name_of_length(length, seed)
    assert len(name) == length and re.fullmatch(PATTERN, name)


@settings(max_examples=100, database=None)
@given(semantic.repository_names(prefix="conf-ab12"))
def test_prefixed_names(name: str) -> None:
    assert name.startswith("conf-ab12-") and 2 <= len(name) <= 205
    assert re.fullmatch(PATTERN, name)


def _input_shapes() -> dict[str, Shape]:
    """Every named shape of the operations' inputs."""
    found: dict[str, Shape] = {}
    todo = [load_service().operation(n).input for n in load_service().operations]
    while todo:
        shape = todo.pop()
        if shape.name and shape.name not in found:
            found[shape.name] = shape
            todo += [m.shape for m in shape.members] + ([shape.item] if shape.item else [])
    return found


@pytest.mark.parametrize("name", sorted(semantic.SHAPE_BUILDERS))
def test_shape_builders_make_valid_values_of_their_shape(name: str) -> None:
    shape = _input_shapes()[name]
    lo = (shape.constraint("minLength") or Constraint("minLength", 0, "")).value
    hi = (shape.constraint("maxLength") or Constraint("maxLength", 2**20, "")).value

    @settings(max_examples=60, database=None, deadline=None)
    @given(semantic.SHAPE_BUILDERS[name](lo, hi))
    def check(value: str) -> None:
        assert is_valid(shape.schema, value), value

    check()


@settings(max_examples=100, database=None)
@given(semantic.blobs(1, 300), st.integers(1, 6))
def test_parts_are_contiguous(blob: semantic.Blob, parts: int) -> None:
    pieces = semantic.parts_of(blob.data, semantic.split_points(blob.size, parts))
    assert b"".join(p.data for p in pieces) == blob.data
    assert pieces[0].first_byte == 0 and pieces[-1].last_byte == blob.size - 1
    for a, b in zip(pieces, pieces[1:], strict=False):
        assert b.first_byte == a.last_byte + 1
    assert blob.digest == "sha256:" + hashlib.sha256(blob.data).hexdigest()


@settings(max_examples=50, database=None)
@given(st.lists(semantic.blobs(1, 32), min_size=1, max_size=3), st.booleans())
def test_manifests_reference_their_blobs(layers: list[semantic.Blob], oci: bool) -> None:
    text, config, media_type = semantic.manifest_for(layers, oci=oci)
    doc = json.loads(text)
    assert doc["mediaType"] == media_type and doc["schemaVersion"] == 2
    assert doc["config"] == config.descriptor()
    assert [d["digest"] for d in doc["layers"]] == [b.digest for b in layers]
    assert [d["size"] for d in doc["layers"]] == [b.size for b in layers]
    index, index_type = semantic.manifest_list_for([(text, media_type)], oci=oci)
    entry = json.loads(index)["manifests"][0]
    assert entry["digest"] == semantic.digest_of(text.encode()) and index_type.endswith("json")


@settings(max_examples=50, database=None)
@given(semantic.policy_documents(), semantic.catalog_data())
def test_policies_and_catalog(policy: str, catalog: dict) -> None:
    doc = json.loads(policy)
    assert doc["Version"] == "2012-10-17" and doc["Statement"]
    if "logoImageBlob" in catalog:
        assert base64.b64decode(catalog["logoImageBlob"]).startswith(b"\x89PNG")


def test_profiles() -> None:
    assert set(PROFILES) == {"quick", "ci", "nightly"}
    assert settings_for("quick").max_examples == 5
    ci = stateful_settings_for("ci", seed=3)
    assert (ci.max_examples, ci.stateful_step_count, ci.derandomize) == (3, 30, True)
    assert ci.deadline is None
    assert "| nightly | 200 | 20 | 50 |" in describe_profiles()
    with pytest.raises(ValueError, match="quick, ci, nightly"):
        settings_for("weekly")


def test_database_location(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = settings_for("ci", database=tmp_path / "db")
    assert s.database is not None
    assert settings_for("ci").database is None
