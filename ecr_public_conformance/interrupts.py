"""Ctrl-C and SIGTERM during ``run``: stop the cases, let cleanup finish, never lose the stop."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest

from .progress import ProgressLine


class Interrupts:
    """SIGINT and SIGTERM while a run is on: the first stops the run (KeyboardInterrupt, so
    that cleanup runs), the second is only noted, the third abandons the cleanup.

    Also a pytest plug-in: a KeyboardInterrupt raised while the interpreter runs a weakref
    callback or a finaliser is dropped by Python, so once interrupted, the next case that
    starts raises it again (only while cases run, never during cleanup).
    """

    def __init__(self, progress: ProgressLine) -> None:
        self.progress = progress
        self.count = 0
        self.running_cases = False
        self._saved: dict[int, Any] = {}

    def __enter__(self) -> Interrupts:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._saved[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        if self.count == 2:
            self.progress.note(
                "interrupted again: still removing what the run created; "
                "interrupt once more to abandon the cleanup"
            )
            return
        raise KeyboardInterrupt

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtestloop(self, session: Any) -> Iterator[None]:
        """Know when cases run (the checkpoint below must not fire during cleanup)."""
        self.running_cases = True
        try:
            yield
        finally:
            self.running_cases = False

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        """A case starting after an interrupt means the interrupt was lost: raise it again."""
        if self.count and self.running_cases:
            raise KeyboardInterrupt
