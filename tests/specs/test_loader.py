"""The loader: typed objects, provenance, and clear errors for broken spec files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecr_public_conformance.specs import SpecError, load_service, loader
from ecr_public_conformance.specs.loader import VALIDATED_FILE, _validated, edition_dir, spec_hash


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


def test_shipped_editions_are_vouched_for_by_their_validated_digest() -> None:
    for name in ("seed", "newest"):
        root = edition_dir(name)
        assert _validated(root) == spec_hash(root)


@pytest.mark.parametrize(
    "edit",
    [
        lambda root: (root / "operations" / "CreateRepository.json").write_text(
            '{"name": "CreateRepository"}'
        ),
        lambda root: (root / VALIDATED_FILE).write_text("0" * 64 + "\n"),
        lambda root: (root / VALIDATED_FILE).unlink(),
    ],
)
def test_files_the_digest_does_not_vouch_for_are_validated(
    tmp_path: Path, edit: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    dst = tmp_path / "specs"
    shutil.copytree(edition_dir(), dst)
    edit(dst)  # type: ignore[operator]
    assert _validated(dst) is None
    checked: list[str] = []
    real = loader.schema_errors
    monkeypatch.setattr(loader, "schema_errors", lambda p, d, k: checked.append(k) or real(p, d, k))
    try:
        load_service(dst)
    except SpecError:
        pass
    assert "service" in checked


def test_a_digest_made_under_another_schema_vouches_for_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = tmp_path / "specs_dir"
    specs.mkdir()
    schema = (loader.SPECS_DIR / loader.SPEC_SCHEMA_FILE).read_text()
    (specs / loader.SPEC_SCHEMA_FILE).write_text(schema.replace('"$defs"', '"$defs" ', 1))
    monkeypatch.setattr(loader, "SPECS_DIR", specs)
    assert _validated(edition_dir()) is None
