"""The loader: typed objects, provenance, and clear errors for broken spec files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecr_public_conformance.specs import SpecError, load_service
from ecr_public_conformance.specs.loader import edition_dir


def test_typed_objects_carry_constraints_and_provenance() -> None:
    op = load_service().operation("create_repository")
    name = op.input.member("repositoryName")
    assert name.required and name.required_provenance == "both"
    assert name.shape.constraint("maxLength").value == 205  # type: ignore[union-attr]
    assert name.shape.constraint("pattern").provenance == "service-model"  # type: ignore[union-attr]
    assert name.shape.provenance["type"] == "both"


def test_unknown_operation_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="CreateRepository"):
        load_service().operation("CreateRepo")


def test_protocol_errors_are_kept_apart() -> None:
    svc = load_service()
    protocol = {e.code for e in svc.protocol_errors()}
    assert {
        "UnknownOperationException",
        "SerializationException",
        "ThrottlingException",
    } <= protocol
    assert all(e.provenance == "overlay" for e in svc.protocol_errors())
    assert svc.errors["ServerException"].fault == "server"
    assert svc.errors["ServerException"].http_status == (500,)
    assert "SerializationException" in svc.allowed_error_codes("CreateRepository")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda p: p.write_text("{not json"), "cannot be read as JSON"),
        (lambda p: p.write_text('{"name": "CreateRepository"}'), "is a required property"),
        (lambda p: p.unlink(), "spec file missing"),
    ],
)
def test_broken_spec_file_is_named(tmp_path: Path, edit: object, message: str) -> None:
    dst = tmp_path / "specs"
    shutil.copytree(edition_dir(), dst)
    target = dst / "operations" / "CreateRepository.json"
    edit(target)  # type: ignore[operator]
    with pytest.raises(SpecError, match=message) as info:
        load_service(dst)
    assert "CreateRepository" in str(info.value)


def test_documented_mutual_exclusions_are_spec_facts() -> None:
    svc = load_service()
    assert set(svc.operation("DescribeRepositories").exclusive) == {
        frozenset({"maxResults", "repositoryNames"}),
        frozenset({"nextToken", "repositoryNames"}),
    }
    assert frozenset({"maxResults", "imageIds"}) in svc.operation("DescribeImages").exclusive
    # DescribeImageTags' prose names imageIds, which it does not have: ignored, listed as drift
    assert svc.operation("DescribeImageTags").exclusive == ()
    assert "Rules in the document's prose | 2" in (edition_dir() / "DRIFT.md").read_text()


@pytest.mark.parametrize(
    ("operation", "member"),
    [
        ("DescribeRepositories", "repositoryNames"),
        ("DescribeImages", "imageIds"),
        ("DescribePremiumRepositories", "repositoryNames"),
        ("DescribeEntitledImages", "imageIds"),
    ],
)
def test_later_wordings_of_mutual_exclusions_are_spec_facts(operation: str, member: str) -> None:
    # "If you specify repository names, you can't use ``maxResults`` or ``nextToken``." and
    # "If you specify images with ``imageIds``, you can't use this option."
    svc = load_service("botocore-1.44.18")
    assert set(svc.operation(operation).exclusive) == {
        frozenset({"maxResults", member}),
        frozenset({"nextToken", member}),
    }
    assert svc.operation("DescribeImageTags").exclusive == ()
    assert (
        "Rules in the document's prose | 2"
        in (edition_dir("botocore-1.44.18") / "DRIFT.md").read_text()
    )
