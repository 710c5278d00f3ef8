"""Hand-written facts that neither the document nor the service model states.

They live as data in ``specs/source/protocol-errors.json``; every fact taken from there is
marked ``overlay`` in the specs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OVERLAY_FILE = Path(__file__).resolve().parent.parent / "source" / "protocol-errors.json"


def _overlay(path: Path = OVERLAY_FILE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def protocol_errors(path: Path = OVERLAY_FILE) -> list[dict[str, Any]]:
    """Return the protocol-level errors, sorted by code."""
    return sorted(_overlay(path)["errors"], key=lambda e: e["code"])


def operation_error_class(code: str, fault: str, path: Path = OVERLAY_FILE) -> str:
    """The class of an error an operation documents: ``validation`` or ``server`` where the
    overlay says so, else ``state`` (the state of the resources refuses the request)."""
    classes: dict[str, str] = _overlay(path).get("operation_error_classes", {})
    return classes.get(code, "server" if fault == "server" else "state")


PROTOCOL_ERRORS = protocol_errors()
