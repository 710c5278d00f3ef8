"""How long a run waits for a write to show in a read: the full consistency window until a
read has missed a write for all of it, then only as long as the target has shown it needs.

A read that never sees its write costs the whole window, and every broken write path (a fault
that drops every tag, another that loses catalog data) would cost it again in every check
that reads back. So, for the whole run: until some read has missed a write for the whole
window, each wait is the whole window; afterwards every wait lasts twice the longest delay any
write of the run took to show (at least ``MIN_WAIT_S``, at most the window). A target that is
merely slow has shown its delay by then and is still given the time it needs; a target with
several lost writes costs one window in all, not one per read operation. (An answer that can
never converge, a value of the wrong type, is not waited for at all.)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

#: The shortest wait once a read has missed a write for the whole window (two polls).
MIN_WAIT_S = 0.2


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
            if not self.missed:
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
        if waited_s >= self.window_s or not self.missed:
            return ""
        first = next(iter(self.missed))
        return (
            f" (wait cut from the {self.window_s:g} s window to {waited_s:g} s: {first} already "
            f"missed a write for all of it, and no write of this run took over "
            f"{self.longest_delay_s:.1f} s to show)"
        )
