"""The check modules, grouped by concern; importing this package registers every check."""

from __future__ import annotations

from ..harness.registry import Check, registered_checks
from . import (  # noqa: F401
    behaviour,
    consistency,
    errors,
    negative,
    pagination,
    parity,
    positive,
    protocol,
    response,
    stateful,
)


def all_checks() -> dict[str, Check]:
    """Every check of the suite, by id (importing this package registered them)."""
    return registered_checks()
