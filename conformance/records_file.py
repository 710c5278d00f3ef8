"""Write and read the plug-in's records file: run metadata plus every CheckResult."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .records import SCHEMA_VERSION, CheckResult


def write_records(path: str | Path, results: list[CheckResult], meta: dict[str, Any]) -> None:
    """Atomically write ``{"schema_version", "meta", "results"}`` to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "schema_version": SCHEMA_VERSION,
        "meta": meta,
        "results": [r.to_dict() for r in results],
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_records(path: str | Path) -> tuple[dict[str, Any], list[CheckResult]]:
    """Return the metadata and results of a records file."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return doc["meta"], [CheckResult.from_dict(r) for r in doc["results"]]
