"""``badge.svg``: a shields-style ``conformance | 97%`` badge coloured by score."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .atomic import atomic_write_text
from .fmt import percent

#: (minimum score, colour), best first; below every threshold the badge is red.
COLOURS = (
    (0.95, "#4c1"),
    (0.90, "#97ca00"),
    (0.75, "#a4a61d"),
    (0.60, "#dfb317"),
    (0.40, "#fe7d37"),
)
RED = "#e05d44"
GREY = "#9f9f9f"


def colour(score: float | None) -> str:
    """Return the badge colour for ``score`` (grey when there is none)."""
    if score is None:
        return GREY
    return next((c for floor, c in COLOURS if score >= floor), RED)


def _width(text: str) -> int:
    """Approximate width in pixels of ``text`` in 11px Verdana, plus padding."""
    narrow = sum(ch in "ijlt.,:;|!'()[] " for ch in text)
    return int(7 * (len(text) - narrow) + 3.5 * narrow) + 10


def render_badge(score: float | None, label: str = "conformance") -> str:
    """Return the SVG badge for ``score``."""
    value = percent(score)
    lw, vw = _width(label), _width(value)
    total = lw + vw
    fill = colour(score)
    lab, val = escape(label), escape(value)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" \
role="img" aria-label="{lab}: {val}">
  <title>{lab}: {val}</title>
  <linearGradient id="s" x2="0" y2="100%">
    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>
    <stop offset="1" stop-opacity=".1"/>
  </linearGradient>
  <clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>
  <g clip-path="url(#r)">
    <rect width="{lw}" height="20" fill="#555"/>
    <rect x="{lw}" width="{vw}" height="20" fill="{fill}"/>
    <rect width="{total}" height="20" fill="url(#s)"/>
  </g>
  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" \
font-size="11">
    <text x="{lw / 2}" y="15" fill="#010101" fill-opacity=".3">{lab}</text>
    <text x="{lw / 2}" y="14">{lab}</text>
    <text x="{lw + vw / 2}" y="15" fill="#010101" fill-opacity=".3">{val}</text>
    <text x="{lw + vw / 2}" y="14">{val}</text>
  </g>
</svg>
"""


def write_badge(score: float | None, path: Path, label: str = "conformance") -> Path:
    """Write ``badge.svg`` atomically."""
    return atomic_write_text(path, render_badge(score, label))
