"""Fixtures shared by the tests of every stage."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from .ports import HOST, free_port, wait_for_port


@pytest.fixture()
def http_server() -> Iterator[str]:
    """A plain ``python -m http.server``: answers POST with 501 and an HTML page."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", HOST],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://{HOST}:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
