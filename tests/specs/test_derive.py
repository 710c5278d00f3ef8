"""The derivation: coverage of the document, reproducibility, check, and bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecr_public_conformance.cli import main
from ecr_public_conformance.specs import load_service
from ecr_public_conformance.specs.derive.document import parse_document
from ecr_public_conformance.specs.derive.errors import DocumentError
from ecr_public_conformance.specs.derive.pipeline import (
    CheckFailed,
    check_specs,
    derive,
    write_specs,
)
from ecr_public_conformance.specs.editions import edition

SEED = edition("seed")
DOCUMENT = SEED.document


@pytest.fixture()
def specs_copy(tmp_path: Path) -> Path:
    """A private copy of the seed edition (sources and generated files) to derive into."""
    dst = tmp_path / SEED.name
    shutil.copytree(SEED.directory, dst)
    return dst


def test_exactly_23_operations_and_4_paginators() -> None:
    svc = load_service()
    assert len(svc.operations) == 23
    assert sorted(op.name for op in svc.paginated) == [
        "DescribeImageTags",
        "DescribeImages",
        "DescribeRegistries",
        "DescribeRepositories",
    ]
    assert svc.protocol == "awsJson1_1"
    assert svc.target_prefix == "SpencerFrontendService"
    assert all(op.target == f"SpencerFrontendService.{op.name}" for op in svc.operations.values())


def test_derive_twice_is_byte_identical() -> None:
    assert derive() == derive()


def test_committed_specs_match_a_fresh_derivation() -> None:
    check_specs()


def test_check_fails_on_a_hand_edited_spec(specs_copy: Path) -> None:
    path = specs_copy / "operations" / "CreateRepository.json"
    path.write_text(path.read_text().replace('"maxLength": 205', '"maxLength": 206'))
    with pytest.raises(CheckFailed, match="CreateRepository.json differs") as info:
        check_specs(specs_copy)
    assert "206" in str(info.value)


def test_check_fails_on_a_stale_extra_file(specs_copy: Path) -> None:
    shutil.copy(specs_copy / "operations" / "PutImage.json", specs_copy / "operations" / "X.json")
    with pytest.raises(CheckFailed, match="stale"):
        check_specs(specs_copy)


def test_check_cli_exit_codes(specs_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["specs", "check", "--specs-dir", str(specs_copy)]) == 0
    (specs_copy / "errors.json").write_text("{}\n")
    assert main(["specs", "check", "--specs-dir", str(specs_copy)]) == 1
    assert "errors.json" in capsys.readouterr().err


def test_derive_cli_writes_identical_files(specs_copy: Path) -> None:
    shutil.rmtree(specs_copy / "operations")
    assert main(["specs", "derive", "--specs-dir", str(specs_copy)]) == 0
    check_specs(specs_copy)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("cut", "expected"),
    [
        (lambda t: t[: t.index("**Response Syntax**", 20000)], "Response Syntax"),
        (lambda t: t.replace("'layerSize': 123,", "'layerSize': 123 456,", 1), "found '456'"),
        (
            lambda t: t.replace("response = client.create_repository(", "response = client(", 1),
            "expected",
        ),
        (
            lambda t: t.replace(".. py:class:: ECRPublic.Client", ".. py:class:: Other"),
            "ECRPublic.Client",
        ),
        (lambda t: t.replace("**Exceptions**", "**Nothing**"), "Exceptions"),
    ],
    ids=["truncated", "bad-token", "bad-call", "no-client", "no-exceptions"],
)
def test_malformed_document_names_the_line_and_writes_nothing(
    specs_copy: Path, cut: object, expected: str
) -> None:
    bad = specs_copy / "bad.txt"
    bad.write_text(cut(DOCUMENT.read_text()))  # type: ignore[operator]
    before = _snapshot(specs_copy)
    with pytest.raises(DocumentError, match=expected) as info:
        write_specs(derive(specs_copy, bad), specs_copy)
    assert str(bad) in str(info.value)
    assert info.value.line > 0
    assert _snapshot(specs_copy) == before


def test_malformed_document_cli_exit_2(specs_copy: Path, capsys: pytest.CaptureFixture[str]):
    bad = specs_copy / "bad.txt"
    bad.write_text(DOCUMENT.read_text()[:30000])
    assert main(["specs", "derive", "--specs-dir", str(specs_copy), "--document", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.txt:" in err and "expected" in err


def test_error_line_points_into_the_syntax_block() -> None:
    text = DOCUMENT.read_text()
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if "'layerSize': 123," in line)
    lines[target] = lines[target].replace("123,", "123 ?,")
    with pytest.raises(DocumentError) as info:
        parse_document("\n".join(lines))
    assert info.value.line == target + 1


def test_unsupported_command_drift_is_reported() -> None:
    drift = (SEED.directory / "DRIFT.md").read_text()
    assert "`UnsupportedCommandException`: the document lists it for 7" in drift
    assert "the service model for all 23" in drift


def test_folder_document_errors_name_the_page_and_line(tmp_path: Path) -> None:
    from ecr_public_conformance.specs.derive.document import read_document

    doc = tmp_path / "document"
    shutil.copytree(edition("newest").document, doc)
    page = doc / "ecr-public" / "client" / "put_image.rst"
    lines = page.read_text().splitlines()
    target = next(i for i, line in enumerate(lines) if "imageManifest='string'," in line)
    lines[target] = lines[target].replace("'string',", "'string' ?,")
    page.write_text("\n".join(lines) + "\n")
    with pytest.raises(DocumentError) as info:
        read_document(doc)
    assert str(page) in str(info.value) and info.value.line == target + 1
    page.unlink()
    with pytest.raises(DocumentError, match="put_image.rst the index lists") as info:
        read_document(doc)
    assert "ecr-public.rst" in str(info.value)


def test_folder_document_reads_helpers_waiters_and_pages() -> None:
    from ecr_public_conformance.specs.derive.document import read_document

    doc = read_document(edition("newest").document)
    assert len(doc.operations) == 42 and len(doc.paginators) == 10
    assert set(doc.helpers) == {"can_paginate", "close", "get_paginator", "get_waiter"}
    assert doc.operations["PutImage"].file == "ecr-public/client/put_image.rst"
    assert doc.waiters["ImageScanComplete"].method == "describe_image_scan_findings"
