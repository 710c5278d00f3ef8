"""How long a run waits for a write to show in a read: the full consistency window until a
read has missed a write for all of it, then only as long as the target has shown it needs.

A read that never sees its write costs the whole window, and one broken write path (a fault
that drops every tag) would cost it again in every check that reads back through the same
operation. So, per read operation: until that read has missed a write for the whole window,
each wait is the whole window; afterwards a wait lasts twice the longest delay any write of
the run took to show (at least ``MIN_WAIT_S``, at most the window). A target that is merely
slow has shown its delay by then and is still given the time it needs; a read operation that
has never missed a write always gets the whole window.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

#: The shortest wait once a read operation has missed a write for the whole window.
MIN_WAIT_S = 1.0


@dataclass
class Patience:
    """The waits of one run (or one xdist worker): the window, the delays seen, the misses."""

    window_s: float
    longest_delay_s: float = 0.0
    missed: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_s(self, read: str) -> float:
        """Seconds to keep reading ``read`` for a write to show."""
        with self._lock:
            if read not in self.missed:
                return self.window_s
            return min(self.window_s, max(MIN_WAIT_S, 2 * self.longest_delay_s))

    def showed(self, delay_s: float) -> None:
        """A write showed ``delay_s`` seconds after it was acknowledged."""
        with self._lock:
            self.longest_delay_s = max(self.longest_delay_s, delay_s)

    def missed_write(self, read: str, waited_s: float) -> None:
        """``read`` did not show a write within ``waited_s`` seconds."""
        with self._lock:
            if waited_s >= self.window_s:
                self.missed.setdefault(read, waited_s)

    def cut_note(self, read: str, waited_s: float) -> str:
        """Why a wait of ``waited_s`` seconds was shorter than the window ("" if it was not)."""
        if waited_s >= self.window_s or read not in self.missed:
            return ""
        return (
            f" (wait cut from the {self.window_s:g} s window to {waited_s:g} s: {read} already "
            f"missed a write for all of it, and no write of this run took over "
            f"{self.longest_delay_s:.1f} s to show)"
        )
