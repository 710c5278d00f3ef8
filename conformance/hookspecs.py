"""Hooks the plug-in offers to emulator projects and to the reports stage."""

from __future__ import annotations

from typing import Any

import pytest

hookspec = pytest.hookspec if hasattr(pytest, "hookspec") else None


def pytest_ecr_results(config: pytest.Config, results: list[Any], meta: dict[str, Any]) -> None:
    """Called once on the controller with every case's CheckResult and the run's metadata."""
