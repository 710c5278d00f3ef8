"""Hooks the plug-in offers to emulator projects and to the reports stage."""

from __future__ import annotations

from typing import Any

import pytest

hookspec = pytest.hookspec if hasattr(pytest, "hookspec") else None


def pytest_ecr_results(config: pytest.Config, run: Any, results: list[Any]) -> None:
    """Called once on the controller with the run record (``run``: a
    :class:`~ecr_public_conformance.records.RunResults`) and, for convenience, its results."""
