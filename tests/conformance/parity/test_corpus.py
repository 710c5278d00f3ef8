"""The corpus files: stable bytes, and one line saying why a folder cannot be used."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ecr_public_conformance.conformance.parity.corpus import (
    MANIFEST,
    RECORDS,
    CorpusError,
    Manifest,
    Record,
    ScenarioEntry,
    read_manifest,
    read_records,
    recording_date,
    write_corpus,
)

MANIFEST_VALUE = Manifest(
    target={"description": "embedded reference", "kind": "reference"},
    recorded="2026-12-01",
    suite_version="0.1.0",
    spec_hash="abc",
    seed=7,
    profile="quick",
    scenarios=(ScenarioEntry("registry", 2),),
)
RECORDS_VALUE = [
    Record("registry", 1, "DescribeRegistries", {}, {"status": 200, "body": {"é": "ü"}}),
    Record("registry", 2, "GetRegistryCatalogData", {}, {"status": 200, "body": {}}),
]


def _write(folder: Path) -> Manifest:
    return write_corpus(folder, MANIFEST_VALUE, RECORDS_VALUE)


def test_round_trip_and_stable_bytes(tmp_path: Path) -> None:
    written = _write(tmp_path / "a")
    _write(tmp_path / "b")
    for name in (MANIFEST, RECORDS):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    data = (tmp_path / "a" / RECORDS).read_bytes()
    assert data[4:8] == b"\0\0\0\0"  # gzip mtime 0
    assert data[3] & 0x08 == 0  # no file name in the header
    assert read_manifest(tmp_path / "a") == written and written.records == 2
    assert read_records(tmp_path / "a") == RECORDS_VALUE
    lines = gzip.decompress(data).decode("ascii").splitlines()
    assert json.loads(lines[0])["id"] == "registry#1"


def test_the_date_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert recording_date() == "2027-01-15"


def _manifest_text(text: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        _write(folder)
        (folder / MANIFEST).write_text(text)

    return make


def _tampered(folder: Path) -> None:
    _write(folder)
    (folder / RECORDS).write_bytes(gzip.compress(b'{"x": 1}\n'))


def _not_gzip(folder: Path) -> None:
    _write(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["records"]["sha256"] = ""
    (folder / MANIFEST).write_text(json.dumps(manifest))
    (folder / RECORDS).write_bytes(b"not gzip")


def _no_manifest(folder: Path) -> None:
    folder.mkdir()


def _a_file(folder: Path) -> None:
    folder.write_text("x")


def _other_format(folder: Path) -> None:
    _write(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["format"] = 99
    (folder / MANIFEST).write_text(json.dumps(manifest))


#: situation -> (how to make the folder, the start of the message after the folder's path)
TABLE: dict[str, tuple[Callable[[Path], None] | None, str]] = {
    "no such folder": (None, ": no such folder"),
    "a file": (_a_file, ": not a folder (expected a corpus folder with manifest.json)"),
    "an empty folder": (
        _no_manifest,
        ": not a parity corpus (no manifest.json; record one with ecr-public-conformance "
        "record --out DIR)",
    ),
    "a manifest that is not JSON": (_manifest_text("{"), "/manifest.json: cannot be read as JSON"),
    "a manifest of another shape": (
        _manifest_text('{"format": 1}'),
        "/manifest.json: not a corpus manifest (KeyError: 'target')",
    ),
    "a corpus of another format": (
        _other_format,
        "/manifest.json: corpus format 99, this version reads format 1; record again",
    ),
    "records changed after recording": (
        _tampered,
        "/records.jsonl.gz: does not match its manifest (changed after recording?)",
    ),
    "records that are not gzip": (_not_gzip, "/records.jsonl.gz: not a records file ("),
}


@pytest.mark.parametrize("situation", list(TABLE))
def test_unusable_corpus(situation: str, tmp_path: Path) -> None:
    make, expected = TABLE[situation]
    folder = tmp_path / "corpus"
    if make is not None:
        make(folder)
    with pytest.raises(CorpusError) as caught:
        read_records(folder)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(folder) + expected), message
