"""Small formatting helpers shared by the writers."""

from __future__ import annotations

import math


def percent(score: float | None, decimals: int = 0) -> str:
    """Format a 0..1 score as a percentage, rounded down (99.9% never shows as 100%)."""
    if score is None:
        return "n/a"
    scale = 10**decimals
    value = math.floor(round(score * 100 * scale, 6)) / scale
    return f"{value:.{decimals}f}%"


def signed_points(delta: float | None) -> str:
    """Format a score change as signed percentage points (``+2.5 pts``)."""
    if delta is None:
        return ""
    return f"{delta * 100:+.1f} pts"


def one_line(text: str, limit: int = 160) -> str:
    """Collapse whitespace and shorten ``text`` to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def duration(seconds: float) -> str:
    """Format seconds as ``1h 02m``, ``3m 04s`` or ``5.2s``."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
