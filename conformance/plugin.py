"""The pytest plug-in: ``--ecr-*`` options, markers and fixtures (heavy imports stay lazy)."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``--ecr-*`` options in one group."""
    group = parser.getgroup("ecr-public-conformance", "ECR Public conformance suite")
    group.addoption("--ecr-endpoint-url", default=None, help="endpoint under test")
