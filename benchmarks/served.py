"""A reference endpoint served by a separate process, for benchmarks that time a client.

In its own process the server does not compete with the client for the GIL, so both sides of a
comparison (the suite, a boto3 loop) meet the same server. The handle asks the process for the
number of requests it has served (``served()``) and can clear its state (``reset()``); with
``latency_s`` every answer is delayed, like a remote endpoint.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: Run in the server process: serve, answer "count" and "reset" lines on stdin, stop at EOF.
SERVE = """
import sys, time
from ecr_public_conformance.reference import server
latency = float(sys.argv[2])
if latency:
    handle = server.handle
    def slow(*args, **kwargs):
        time.sleep(latency)
        return handle(*args, **kwargs)
    server.handle = slow
srv = server.start_server(port=int(sys.argv[1]), edition=sys.argv[3])
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "reset":
        srv.reset()
    print(srv.endpoint.requests_served, flush=True)
srv.stop()
"""


@dataclass
class Served:
    """A running reference in another process: its URL and a line protocol to it."""

    url: str
    proc: subprocess.Popen[str]

    def _ask(self, command: str) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def served(self) -> int:
        """Requests the endpoint has served since it started."""
        return self._ask("count")

    def reset(self) -> None:
        """Forget every repository and the registry catalog data."""
        self._ask("reset")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(latency_s: float = 0.0, edition: str = "newest") -> Iterator[Served]:
    """A reference endpoint of ``edition`` (default: the newest, which a run judges by unless
    told otherwise) in a separate process, each answer delayed by ``latency_s``."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(port), str(latency_s), edition],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent,  # not a checkout's root: its package folder would come first
    )
    assert proc.stdout is not None and proc.stdin is not None
    if proc.stdout.readline().strip() != "ready":
        raise SystemExit("the reference server did not start")
    try:
        yield Served(f"http://127.0.0.1:{port}", proc)
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
