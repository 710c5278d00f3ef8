"""The suite's pytest marker names: one per check category and one per operation."""

from __future__ import annotations

import re


def snake(name: str) -> str:
    """``CreateRepository`` -> ``create_repository`` (the per-operation marker name)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
