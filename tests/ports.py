"""Local servers for tests: a free port, waiting until it listens, a reference in a process."""

from __future__ import annotations

import socket
import sys
import time

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    """Return once something accepts connections on ``port`` (or ``timeout`` has passed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)


def reference_command(port: int) -> list[str]:
    """The command that serves the embedded reference on ``port``."""
    return [
        sys.executable,
        "-c",
        "from ecr_public_conformance.reference.server import bind; "
        "from ecr_public_conformance.reference.app import make_endpoint; "
        f"bind('{HOST}', {port}, make_endpoint(())).serve_forever()",
    ]
