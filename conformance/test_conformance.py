"""The conformance suite: one test, parametrized over every (check x operation) case.

Run it with ``pytest --pyargs ecr_public_conformance.conformance [--ecr-endpoint-url URL]``.
"""

from __future__ import annotations

from typing import Any

import pytest

from ecr_public_conformance.conformance.pytest_plugin.plugin import execute


def test_conformance(ecr_case: Any, ecr_env: Any, request: pytest.FixtureRequest) -> None:
    """Run one conformance check on one operation against the target."""
    execute(request, ecr_env, ecr_case)
