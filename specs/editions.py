"""The shipped spec editions: a document and a service model, their versions, and the specs.

An edition lives in ``specs/editions/<name>/``: its sources under ``source/`` (the boto3
reference document, botocore's ``service-2.json``, ``paginators-1.json`` and, when botocore
ships one, ``waiters-2.json``, with ``versions.json`` saying which boto3 and botocore they came
from and how the document was made) and the specs derived from them beside it. Editions are
named after the botocore version of their model and ordered by it, oldest first.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

SPECS_DIR = Path(__file__).resolve().parent
EDITIONS_DIR = SPECS_DIR / "editions"
SOURCE_DIR = "source"
VERSIONS_FILE = "versions.json"
#: The edition ``load_service()``, the citations and the freedoms use when none is named and
#: no run has selected one (see ``select_edition``).
DEFAULT_EDITION = "botocore-1.43.11"
#: Names that stand for an edition wherever one is accepted.
ALIASES = ("newest", "oldest", "seed")
DocumentKind = Literal["vendored", "boto3-generator"]


class EditionError(Exception):
    """An edition is unknown, or its folder or ``versions.json`` cannot be read."""


@dataclass(frozen=True)
class Versions:
    """Where an edition's sources came from (``source/versions.json``)."""

    boto3: str | None
    botocore: str
    document: str
    document_made_by: DocumentKind
    how: str

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form written to ``versions.json``."""
        return {
            "boto3": self.boto3,
            "botocore": self.botocore,
            "document": self.document,
            "document_made_by": self.document_made_by,
            "how": self.how,
        }


@dataclass(frozen=True)
class Edition:
    """One shipped edition: its name, folder, source versions and number of operations."""

    name: str
    directory: Path
    versions: Versions
    operations: int

    @property
    def source(self) -> Path:
        """The folder of the edition's sources."""
        return self.directory / SOURCE_DIR

    @property
    def document(self) -> Path:
        """The reference document: one file, or the folder boto3's generator wrote."""
        return self.source / self.versions.document

    @property
    def generated(self) -> bool:
        """True when the document is boto3's generator output (so it can be regenerated)."""
        return self.versions.document_made_by == "boto3-generator"


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a dotted version (``1.44.18`` -> ``(1, 44, 18)``)."""
    return tuple(int(p) for p in re.findall(r"\d+", version))


def read_versions(source_dir: Path) -> Versions:
    """Read ``versions.json`` of an edition's source folder."""
    path = source_dir / VERSIONS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        kind = raw["document_made_by"]
        if kind not in ("vendored", "boto3-generator"):
            raise ValueError(f"document_made_by is {kind!r}")
        return Versions(raw["boto3"], raw["botocore"], raw["document"], kind, raw["how"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise EditionError(f"{path} cannot be read: {exc}") from exc


def write_versions(source_dir: Path, versions: Versions) -> None:
    """Write ``versions.json`` into an edition's source folder."""
    text = json.dumps(versions.as_dict(), indent=2) + "\n"
    (source_dir / VERSIONS_FILE).write_text(text, encoding="utf-8")


def _operation_count(directory: Path) -> int:
    try:
        index = json.loads((directory / "service.json").read_text(encoding="utf-8"))
        return len(index["operations"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def read_edition(directory: Path) -> Edition:
    """Read the edition in ``directory`` (its name is the folder's name)."""
    versions = read_versions(directory / SOURCE_DIR)
    return Edition(directory.name, directory, versions, _operation_count(directory))


def editions(root: Path | None = None) -> tuple[Edition, ...]:
    """Return the shipped editions, oldest first (by the botocore version of their model)."""
    base = root or EDITIONS_DIR
    if not base.is_dir():
        raise EditionError(f"no editions folder at {base}")
    found = [e for e in (_read_edition_once(base, n) for n in sorted(os.listdir(base))) if e]
    return tuple(sorted(found, key=lambda e: (version_key(e.versions.botocore), e.name)))


#: Editions already read, by folder, with the state of the two files they were read from: a
#: run asks for the editions some hundreds of times, and parsing the files (through pathlib)
#: each time took about a third of a second of its start-up, reading them to compare their
#: bytes another seventh. The files' inode, size and change times are compared on every call,
#: so an edition whose files change (in place or replaced) is read again.
_READ: dict[str, tuple[Any, Any, Edition]] = {}


def _state(path: str) -> tuple[int, int, int, int]:
    """What tells a file's content apart cheaply: inode, size, modification and change times
    (in nanoseconds)."""
    st = os.stat(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _read_edition_once(base: Path, name: str) -> Edition | None:
    """The edition in ``base``'s folder ``name`` (None when it has no ``versions.json``),
    parsed again only when one of its two files changed."""
    folder = os.path.join(base, name)
    try:
        versions = _state(os.path.join(folder, SOURCE_DIR, VERSIONS_FILE))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return read_edition(base / name)  # it says why
    try:
        index: Any = _state(os.path.join(folder, "service.json"))
    except OSError:
        index = None
    cached = _READ.get(folder)
    if cached is not None and cached[0] == versions and cached[1] == index:
        return cached[2]
    found = read_edition(base / name)
    _READ[folder] = (versions, index, found)
    return found


def edition(name: str | None = None, root: Path | None = None) -> Edition:
    """Return the edition called ``name`` (an alias, or None for the default one).

    ``EditionError`` lists the known names when there is no such edition.
    """
    shipped = editions(root)
    if not shipped:
        raise EditionError(f"no editions under {root or EDITIONS_DIR}")
    wanted = (_selected or DEFAULT_EDITION) if name is None else name
    if wanted == "newest":
        return shipped[-1]
    if wanted in ("oldest", "seed"):
        return shipped[0]
    for e in shipped:
        if e.name == wanted:
            return e
    known = ", ".join([e.name for e in shipped] + list(ALIASES))
    raise EditionError(f"unknown edition {wanted!r}; known: {known}")


#: The edition this process's run selected (``select_edition``); None: ``DEFAULT_EDITION``.
_selected: str | None = None


def select_edition(name: str | None) -> Edition:
    """Make the edition ``name`` the one every spec lookup naming none uses in this process.

    A run judges by one edition: the plug-in selects it once, before any spec is read, so the
    strategies, checks, citations and reports all follow it. None restores ``DEFAULT_EDITION``.
    Raises ``EditionError`` for an unknown name.
    """
    global _selected
    chosen = edition(name if name is not None else DEFAULT_EDITION)
    _selected = None if name is None else chosen.name
    return chosen


def selected_edition() -> str:
    """The name of the edition spec lookups naming none use in this process."""
    return _selected or DEFAULT_EDITION
