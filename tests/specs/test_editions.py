"""Editions: listing, loading by name, derivation from the installed boto3, drift alarm."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ecr_public_conformance.cli import main
from ecr_public_conformance.specs import SpecError, load_service
from ecr_public_conformance.specs.citations import cite
from ecr_public_conformance.specs.editions import DEFAULT_EDITION, edition, editions
from ecr_public_conformance.specs.freedoms import absent_quotes

FIXTURE = Path(__file__).parent / "fixtures" / "tiny-model"
MODEL_DIR = ("ecr-public", "2020-10-30")
#: Freedoms whose quote the newest edition's document no longer holds (the seed's does).
ABSENT_IN_NEWEST = ("identifier-formats",)


def _out(capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    got = capsys.readouterr()
    return got.out, got.err


def test_editions_are_listed_oldest_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["specs", "editions"]) == 0
    lines = _out(capsys)[0].splitlines()
    assert [line.split()[0] for line in lines] == ["botocore-1.43.11", "botocore-1.44.18"]
    assert "23 operations" in lines[0] and "boto3 unknown" in lines[0]
    assert "42 operations" in lines[1] and "boto3 1.44.18" in lines[1]
    assert [e.name for e in editions()] == ["botocore-1.43.11", "botocore-1.44.18"]


def test_the_default_is_the_seed_and_aliases_resolve() -> None:
    assert DEFAULT_EDITION == "botocore-1.43.11"
    assert load_service() is load_service(DEFAULT_EDITION)
    assert load_service().edition == DEFAULT_EDITION
    assert edition("seed").name == edition("oldest").name == "botocore-1.43.11"
    assert edition("newest").name == "botocore-1.44.18"
    assert load_service().spec_hash != load_service("newest").spec_hash


def test_newest_edition_has_everything_of_the_current_model() -> None:
    svc = load_service("botocore-1.44.18")
    assert len(svc.operations) == 42
    assert len(svc.paginated) == 10
    waiter = svc.waiters["ImageScanComplete"]
    assert (waiter.operation, waiter.delay, waiter.max_attempts) == (
        "DescribeImageScanFindings",
        10,
        30,
    )
    assert waiter.provenance == "both"
    assert {a.state for a in waiter.acceptors} == {"success", "failure", "retry"}
    counts = svc.operation("DescribeImageScanFindings").output.member("imageScanFindings")
    severity = counts.shape.member("findingSeverityCounts").shape
    assert severity.kind == "map" and severity.value is not None and severity.key is not None
    assert "HIGH" in severity.key.schema["enum"]


def test_unknown_edition_names_the_known_ones() -> None:
    with pytest.raises(SpecError, match="unknown edition 'nope'.*botocore-1.44.18.*newest"):
        load_service("nope")


def test_edition_report_lists_the_new_operations_pattern_and_errors() -> None:
    folder = edition("newest").directory
    report = json.loads((folder / "drift-from-botocore-1.43.11.json").read_text())
    changes = report["changes"]
    added = [c["subject"] for c in changes if c["kind"] == "operation" and c["how"] == "added"]
    assert len(added) == 19 and "SetImageStatus" in added
    assert any(c["kind"] == "pattern" and c["subject"] == "RepositoryName" for c in changes)
    errors = {c["subject"] for c in changes if c["kind"] == "error" and c["how"] == "added"}
    assert {"ScanNotFoundException", "ValidationException"} <= errors
    assert any(c["kind"] == "waiter" and c["subject"] == "ImageScanComplete" for c in changes)
    assert "| Operations | 19 added |" in (folder / "DRIFT-FROM-botocore-1.43.11.md").read_text()


def test_citations_name_the_page_of_a_folder_document() -> None:
    quote = "Creates a repository in a public registry."
    seed = cite("document", quote)
    assert seed.file is None and seed.where == f"document line {seed.line}"
    newest = cite("document", quote, edition="newest")
    assert newest.file == "ecr-public/client/create_repository.rst"
    assert newest.where == f"document ecr-public/client/create_repository.rst line {newest.line}"


def test_freedom_quotes_are_found_in_every_edition_but_the_known_absences() -> None:
    assert absent_quotes(DEFAULT_EDITION) == ()
    assert absent_quotes("newest") == ABSENT_IN_NEWEST


# --- derivation from the installed boto3, on a tiny model fixture ------------------------------


@pytest.fixture()
def tiny_model(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put the tiny ecr-public model first on botocore's data path."""
    monkeypatch.setenv("AWS_DATA_PATH", str(FIXTURE))
    return FIXTURE


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_derive_from_installed_boto3_is_reproducible(
    tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["specs", "derive", "--editions-dir", str(tmp_path), "--edition", "tiny"]
    assert main([*args, "--from-installed-boto3"]) == 0
    first = _snapshot(tmp_path)
    assert main([*args, "--from-installed-boto3"]) == 0
    assert _snapshot(tmp_path) == first
    assert "tiny/source/document/ecr-public.rst" in first
    assert "tiny/source/document/ecr-public/client/create_repository.rst" in first
    assert "tiny/source/document/ecr-public/waiter/RepositoryActive.rst" in first

    svc = load_service(specs_dir=tmp_path / "tiny")
    assert sorted(svc.operations) == ["CreateRepository", "DescribeRepositories"]
    assert [op.name for op in svc.paginated] == ["DescribeRepositories"]
    waiter = svc.waiters["RepositoryActive"]
    assert (waiter.operation, waiter.delay, waiter.max_attempts) == ("DescribeRepositories", 5, 12)
    create = svc.operation("CreateRepository")
    assert create.input.member("repositoryName").required
    assert create.input.member("severityCounts").shape.kind == "map"
    assert create.output.member("repository").shape.member("score").shape.kind == "double"
    assert create.error_codes == {"RepositoryAlreadyExistsException"}
    versions = json.loads((tmp_path / "tiny/source/versions.json").read_text())
    assert versions["document_made_by"] == "boto3-generator"

    assert main(["specs", "derive", "--editions-dir", str(tmp_path), "--edition", "tiny"]) == 0
    assert _snapshot(tmp_path) == first
    _out(capsys)
    assert main(["specs", "check", "--editions-dir", str(tmp_path)]) == 0
    assert "equals a fresh generation" in _out(capsys)[0]


def _installed_like(edition_dir: Path, data: Path) -> Path:
    """A botocore data folder holding exactly the model files of an edition."""
    folder = data.joinpath(*MODEL_DIR)
    folder.mkdir(parents=True)
    for name in ("service-2.json", "paginators-1.json", "waiters-2.json"):
        if (edition_dir / "source" / name).exists():
            shutil.copy(edition_dir / "source" / name, folder / name)
    (folder / "examples-1.json").write_text('{"version": "1.0", "examples": {}}')
    return data


def test_drift_installed_is_0_when_the_model_is_the_newest_editions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _installed_like(edition("newest").directory, tmp_path / "data")
    monkeypatch.setenv("AWS_DATA_PATH", str(data))
    assert main(["specs", "drift", "--installed"]) == 0
    out = _out(capsys)[0]
    assert "installed botocore" in out and "is the edition's" in out


def test_drift_installed_is_3_when_the_model_differs(
    tiny_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["specs", "drift", "--installed"]) == 3
    out = _out(capsys)[0]
    assert "installed botocore" in out
    assert "Operations: 40 removed" in out
    assert "Waiters: 1 added, 1 removed" in out


@pytest.mark.parametrize(
    "args",
    [
        ["specs", "drift", "--installed", "--edition", "nope"],
        ["specs", "derive", "--edition", "nope"],
        ["specs", "editions", "--editions-dir", "/nonexistent/editions"],
        ["specs", "check", "--editions-dir", "/nonexistent/editions"],
        ["specs", "derive", "--edition", "newest", "--from-installed-boto3"],
    ],
    ids=["drift-unknown", "derive-unknown", "editions-missing", "check-missing", "alias-as-new"],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    out, err = _out(capsys)
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_unreadable_versions_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(edition("seed").directory, tmp_path / "seed")
    (tmp_path / "seed" / "source" / "versions.json").write_text("{broken")
    assert main(["specs", "editions", "--editions-dir", str(tmp_path)]) == 2
    err = _out(capsys)[1]
    assert "versions.json" in err and err.count("\n") == 1


def test_drift_without_installed_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["specs", "drift"])
    assert info.value.code == 2
    assert _out(capsys)[1].count("\n") == 1
