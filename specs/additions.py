"""What an edition added to the edition before it: operations and members an older target lacks.

Read from the drift report the newer edition ships (``drift-from-<older>.json``, written and
verified by ``specs derive`` / ``specs check``). A target that implements the older edition does
not know these; the checks use them to tell a target that ignores a new member from one that
deviates.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .editions import edition as find_edition
from .editions import editions, selected_edition

DRIFT_PREFIX = "drift-from-"


@dataclass(frozen=True)
class Additions:
    """The operations and request/response members an edition added to the one before it."""

    edition: str
    #: The edition before it ("" for the oldest: it added nothing a shipped edition lacks).
    since: str = ""
    operations: frozenset[str] = frozenset()
    #: By operation, the added member paths as the drift report writes them
    #: (``input.catalogData.categories``, ``output.imageDetails[].imageStatus``).
    members: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def new_input_member(self, operation: str, path: str) -> str | None:
        """The added input member that ``path`` lies in (``catalogData.categories[0]``), if any."""
        wanted = _template(path)
        for added in sorted(self.members.get(operation, ())):
            if not added.startswith("input."):
                continue
            member = added[len("input.") :]
            if wanted == member or wanted.startswith((member + ".", member + "[")):
                return member
        return None


def _template(path: str) -> str:
    """``imageIds[0].imageTag`` -> ``imageIds[].imageTag`` (the drift report's form)."""
    return re.sub(r"\[\d+\]", "[]", path)


def _report(directory: Path, older: str) -> list[dict[str, object]]:
    path = directory / f"{DRIFT_PREFIX}{older}.json"
    changes = json.loads(path.read_text(encoding="utf-8"))["changes"]
    return [c for c in changes if isinstance(c, dict)]


@functools.lru_cache(maxsize=8)
def _additions(name: str) -> Additions:
    shipped = editions()
    index = next(i for i, e in enumerate(shipped) if e.name == name)
    if index == 0:
        return Additions(name)
    older = shipped[index - 1].name
    operations: set[str] = set()
    members: dict[str, set[str]] = {}
    for change in _report(shipped[index].directory, older):
        if change.get("how") != "added":
            continue
        if change.get("kind") == "operation":
            operations.add(str(change["subject"]))
        elif change.get("kind") == "member":
            members.setdefault(str(change["subject"]), set()).add(str(change["detail"]))
    frozen = {op: frozenset(paths) for op, paths in members.items()}
    return Additions(name, older, frozenset(operations), frozen)


def additions(name: str | None = None) -> Additions:
    """What edition ``name`` (an alias, or None for the selected one) added to the one before."""
    return _additions(find_edition(name if name is not None else selected_edition()).name)
