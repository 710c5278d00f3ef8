"""Loading the named switches of the reference (faults, variants) from their data files.

Both catalogues are TOML lists of tables read once, at import. A name the code tests must be
one of them: :class:`UnknownName` is raised at once for any other, so a misspelt switch can
never be silently off.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..specs.editions import EditionError, edition

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class UnknownName(ValueError):
    """The code tested a fault or variant name that its data file does not list."""


def read_entries(path: Path, table: str, required: Iterable[str]) -> list[dict[str, Any]]:
    """The ``[[table]]`` entries of a TOML file, each with the ``required`` string keys and a
    name used once; ``ValueError`` names the file and the entry otherwise."""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8"))[table]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the [[{table}]] entries: {exc}") from exc
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        for key in required:
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise ValueError(f"{path}: {table} {number}: '{key}' (a string) is required")
        if entry["name"] in seen:
            raise ValueError(f"{path}: {table} {entry['name']!r} is listed twice")
        seen.add(entry["name"])
    return list(entries)


def check_edition(path: Path, entry: dict[str, Any]) -> str | None:
    """An entry's ``edition`` (a shipped edition's name), or None; ``ValueError`` otherwise."""
    name = entry.get("edition")
    if name is None:
        return None

    try:
        return edition(str(name)).name
    except EditionError as exc:
        raise ValueError(f"{path}: {entry['name']}: {exc}") from None


def known(name: str, catalogue: Iterable[str], what: str) -> str:
    """Return ``name`` if the catalogue lists it; raise :class:`UnknownName` otherwise."""
    if name not in catalogue:
        raise UnknownName(f"the reference's code names an unknown {what} {name!r}")
    return name
