"""A parity corpus on disk: ``manifest.json`` and ``records.jsonl.gz``.

The manifest describes the recording (target, date, suite version, spec hash, seed, profile,
scenarios); the records file holds one JSON object per line, one per exchange, in scenario
order. Both are written with sorted keys and ASCII escapes, and the records are compressed
with gzip without a file name or time stamp (``mtime`` 0), so that recording twice with the
same seed gives byte-identical files that are safe to commit and easy to review (``git``
shows the records uncompressed with a ``textconv``; see the README).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ...specs.editions import editions
from ...specs.loader import spec_hash
from ..harness.config import OptionError

#: Version of the corpus format; a corpus of another version is refused with a reason.
FORMAT = 1
MANIFEST = "manifest.json"
RECORDS = "records.jsonl.gz"


class CorpusError(ValueError):
    """A corpus folder that cannot be read or used; ``str()`` is the one-line reason."""


@dataclass(frozen=True)
class Record:
    """One recorded exchange: where it sits (scenario, step), its request template and its
    normalised answer."""

    scenario: str
    step: int
    operation: str
    request: Any
    response: Mapping[str, Any]

    @property
    def id(self) -> str:
        """``scenario#step`` (steps count from 1)."""
        return f"{self.scenario}#{self.step}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (one line of the records file)."""
        return {
            "id": self.id,
            "scenario": self.scenario,
            "step": self.step,
            "operation": self.operation,
            "request": self.request,
            "response": dict(self.response),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Record:
        """Rebuild from the JSON form."""
        return cls(d["scenario"], int(d["step"]), d["operation"], d["request"], d["response"])


@dataclass(frozen=True)
class ScenarioEntry:
    """One scenario of the recording: its id, how many records it gave, and how it ended
    (``complete``, or why it stopped early: ``unsupported: PutImage``, ``not applicable: ...``)."""

    id: str
    records: int
    outcome: str = "complete"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"id": self.id, "records": self.records, "outcome": self.outcome}


@dataclass(frozen=True)
class Manifest:
    """What a corpus is a recording of."""

    target: Mapping[str, Any]
    recorded: str
    suite_version: str
    spec_hash: str
    seed: int
    profile: str
    region: str = "us-east-1"
    scenarios: tuple[ScenarioEntry, ...] = ()
    records: int = 0
    records_sha256: str = ""
    format: int = FORMAT
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        """The recorded target as reports name it: ``embedded reference``, ``AWS (us-east-1)``."""
        return str(self.target.get("description") or self.target.get("endpoint_url") or "?")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``manifest.json``)."""
        return {
            "format": self.format,
            "suite": {"name": "ecr-public-conformance", "version": self.suite_version},
            "spec_hash": self.spec_hash,
            "target": dict(self.target),
            "recorded": self.recorded,
            "seed": self.seed,
            "profile": self.profile,
            "region": self.region,
            "scenarios": [s.to_dict() for s in self.scenarios],
            "records": {"file": RECORDS, "count": self.records, "sha256": self.records_sha256},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Manifest:
        """Rebuild from the JSON form."""
        records = d.get("records") or {}
        return cls(
            target=d["target"],
            recorded=str(d["recorded"]),
            suite_version=str(d["suite"]["version"]),
            spec_hash=str(d["spec_hash"]),
            seed=int(d["seed"]),
            profile=str(d["profile"]),
            region=str(d.get("region", "us-east-1")),
            scenarios=tuple(
                ScenarioEntry(s["id"], int(s["records"]), s.get("outcome", "complete"))
                for s in d["scenarios"]
            ),
            records=int(records.get("count", 0)),
            records_sha256=str(records.get("sha256", "")),
            format=int(d["format"]),
        )


def recording_date() -> str:
    """The date a recording carries (UTC, day resolution, so re-recording the same day gives
    the same manifest); ``SOURCE_DATE_EPOCH`` fixes it, as for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        datetime.fromtimestamp(int(epoch), timezone.utc)
        if epoch and epoch.strip().isdigit()
        else datetime.now(timezone.utc)
    )
    return when.strftime("%Y-%m-%d")


def dumps(value: Any) -> str:
    """One JSON value on one line: sorted keys, ASCII only (stable across runs and machines)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def records_bytes(records: Iterable[Record]) -> bytes:
    """The compressed records file: one line per record, gzip without name or time stamp."""
    raw = "".join(dumps(r.to_dict()) + "\n" for r in records).encode("ascii")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return buffer.getvalue()


def write_corpus(folder: Path, manifest: Manifest, records: Sequence[Record]) -> Manifest:
    """Write the corpus into ``folder`` (created if needed); return the manifest as written."""
    folder.mkdir(parents=True, exist_ok=True)
    data = records_bytes(records)
    written = Manifest(
        **{
            **manifest.__dict__,
            "records": len(records),
            "records_sha256": hashlib.sha256(data).hexdigest(),
        }
    )
    _atomic(folder / RECORDS, data)
    _atomic(
        folder / MANIFEST, (json.dumps(written.to_dict(), indent=1, sort_keys=True) + "\n").encode()
    )
    return written


def _atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def read_manifest(folder: Path) -> Manifest:
    """The manifest of the corpus in ``folder``; ``CorpusError`` says why it cannot be used."""
    path = folder / MANIFEST
    if not folder.exists():
        raise CorpusError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise CorpusError(f"{folder}: not a folder (expected a corpus folder with {MANIFEST})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(
            f"{folder}: not a parity corpus (no {MANIFEST}; record one with "
            "ecr-public-conformance record --out DIR)"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CorpusError(f"{path}: cannot be read as JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise CorpusError(
            f"{path}: corpus format {found!r}, this version reads format {FORMAT}; record again"
        )
    try:
        return Manifest.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise CorpusError(f"{path}: not a corpus manifest ({type(exc).__name__}: {exc})") from None


def read_records(folder: Path, manifest: Manifest | None = None) -> list[Record]:
    """The records of the corpus in ``folder``, checked against the manifest's hash."""
    manifest = manifest or read_manifest(folder)
    path = folder / RECORDS
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if manifest.records_sha256 and hashlib.sha256(data).hexdigest() != manifest.records_sha256:
        raise CorpusError(f"{path}: does not match its manifest (changed after recording?)")
    try:
        lines = gzip.decompress(data).decode("ascii").splitlines()
        return [Record.from_dict(json.loads(line)) for line in lines if line.strip()]
    except (OSError, EOFError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"{path}: not a records file ({type(exc).__name__}: {exc})") from None


def check_oracle(path: Path, option: str = "--oracle", edition: str | None = None) -> None:
    """Raise OptionError unless ``path`` is a parity corpus this version can replay, recorded
    with ``edition`` (a shipped edition's name) when its spec hash says which it was."""
    try:
        manifest = read_manifest(path)
        read_records(path, manifest)
    except CorpusError as exc:
        raise OptionError(f"{option}: {exc}") from None
    recorded = [e.name for e in editions() if spec_hash(e.directory) == manifest.spec_hash]
    if edition is not None and recorded and edition not in recorded:
        raise OptionError(
            f"{option} {path}: recorded with edition {recorded[0]}, and this run judges by "
            f"{edition}; add {option.removesuffix('oracle')}edition {recorded[0]}"
        )
