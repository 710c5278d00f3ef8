"""Hand-written facts that neither the document nor the service model states.

They live as data in ``specs/source/protocol-errors.json``; every fact taken from there is
marked ``overlay`` in the specs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OVERLAY_FILE = Path(__file__).resolve().parent.parent / "source" / "protocol-errors.json"


def protocol_errors(path: Path = OVERLAY_FILE) -> list[dict[str, Any]]:
    """Return the protocol-level errors, sorted by code."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return sorted(data["errors"], key=lambda e: e["code"])


PROTOCOL_ERRORS = protocol_errors()
