"""An on-disk ledger of everything a run created, and the cleanup that reads it.

Each created repository (and each registry-level write, with the value to restore) is appended
as one JSON line before the run moves on, so that ``ecr-public-conformance cleanup --ledger``
can remove what an interrupted run left behind. Cleanup only ever touches names the ledger
lists or that start with the run's prefix: pre-existing resources are never deleted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..wire import WireClient

_LOCK = threading.Lock()


class Ledger:
    """Appends created resources to a JSON-lines file (or only remembers them in memory)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: list[dict[str, Any]] = []

    def record(self, kind: str, **fields: Any) -> None:
        """Remember one created resource (``kind`` is ``repository`` or ``registry-catalog``)."""
        entry = {"kind": kind, **fields}
        with _LOCK:
            self.entries.append(entry)
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry, sort_keys=True) + "\n")

    def repositories(self) -> list[str]:
        """Names of the repositories this run created."""
        return [e["name"] for e in self.entries if e["kind"] == "repository"]


def read_ledger(path: Path) -> list[dict[str, Any]]:
    """Return the entries of a ledger file (malformed lines are an error naming the line)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not a ledger entry: {exc}") from exc
    return out


def repositories_with_prefix(client: WireClient, prefix: str) -> list[str]:
    """List the target's repositories whose names start with ``prefix`` (all pages)."""
    names: list[str] = []
    token = None
    for _ in range(1000):
        params: dict[str, Any] = {"maxResults": 100}
        if token:
            params["nextToken"] = token
        ex = client.call("DescribeRepositories", params)
        if not ex.ok or not isinstance(ex.json, dict):
            break
        names += [
            r.get("repositoryName", "")
            for r in ex.json.get("repositories", [])
            if str(r.get("repositoryName", "")).startswith(prefix)
        ]
        token = ex.json.get("nextToken")
        if not token:
            break
    return names


def delete_repositories(client: WireClient, names: Iterable[str]) -> list[str]:
    """Force-delete each named repository; return the names that could not be deleted."""
    left = []
    for name in dict.fromkeys(names):
        ex = client.call("DeleteRepository", {"repositoryName": name, "force": True})
        if not ex.ok and ex.error_code != "RepositoryNotFoundException":
            left.append(name)
    return left


def restore_registry(client: WireClient, entries: Iterable[dict[str, Any]]) -> None:
    """Put back the registry catalog data recorded before the run first changed it."""
    firsts = [e for e in entries if e["kind"] == "registry-catalog"]
    if firsts:
        client.call("PutRegistryCatalogData", {"displayName": firsts[0].get("previous", "")})
