"""The inline SVG trend chart: the score of each run in the history, points labelled."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .fmt import percent, plural, score_text

WIDTH, HEIGHT = 1200, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 48, 24, 36
MAX_LABELS = 16


@dataclass(frozen=True)
class Point:
    """One run on the chart."""

    run_id: str
    score: float | None
    current: bool = False


def render_trend(points: Sequence[Point]) -> str:
    """Return an inline ``<svg>`` line chart of the scores of ``points`` (oldest first)."""
    scored = [p.score for p in points if p.score is not None]
    lo = max(0.0, math.floor((min(scored, default=1.0) - 0.05) * 10) / 10)
    xs = _xs(len(points))
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="Score per run, {plural(len(points), "run")}" '
        'preserveAspectRatio="xMidYMid meet">'
    ]
    parts += _grid(lo)
    parts += _lines(points, xs, lo)
    labelled = _labelled(points)
    for i, (point, x) in enumerate(zip(points, xs, strict=True)):
        parts += _point(point, x, lo, i in labelled)
    parts.append("</svg>")
    return "\n".join(parts)


def _xs(n: int) -> list[float]:
    span = WIDTH - LEFT - RIGHT
    if n == 1:
        return [LEFT + span / 2]
    return [LEFT + span * i / (n - 1) for i in range(n)]


def _y(score: float, lo: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (1 - (score - lo) / (1 - lo or 1))


def _grid(lo: float) -> list[str]:
    out = []
    steps = 4
    for k in range(steps + 1):
        value = lo + (1 - lo) * k / steps
        y = _y(value, lo)
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        out.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{percent(value)}</text>"
        )
    return out


def _lines(points: Sequence[Point], xs: list[float], lo: float) -> list[str]:
    """One polyline per run of consecutive points that have a score."""
    out: list[str] = []
    segment: list[str] = []
    for point, x in zip(points, xs, strict=True):
        if point.score is None:
            segment = _flush(out, segment)
            continue
        segment.append(f"{x:.1f},{_y(point.score, lo):.1f}")
    _flush(out, segment)
    return out


def _flush(out: list[str], segment: list[str]) -> list[str]:
    if len(segment) > 1:
        out.append(f'<polyline class="line" points="{" ".join(segment)}"/>')
    return []


def _labelled(points: Sequence[Point]) -> set[int]:
    """Indexes of the points that get a visible label (all of them when there are few)."""
    n = len(points)
    if n <= MAX_LABELS:
        return set(range(n))
    every = math.ceil(n / MAX_LABELS)
    keep = {i for i in range(n) if (n - 1 - i) % every == 0}
    scored = [i for i in range(n) if points[i].score is not None]
    if scored:
        keep |= {min(scored, key=lambda i: points[i].score or 0.0)}
    return keep | {n - 1}


def _point(point: Point, x: float, lo: float, labelled: bool) -> list[str]:
    run = escape(point.run_id)
    date = escape(_short(point.run_id))
    out = []
    if labelled:
        out.append(
            f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle">{date}</text>'
        )
    if point.score is None:
        return out
    y = _y(point.score, lo)
    cls = "trend-point current" if point.current else "trend-point"
    out.append(
        f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="4" data-run-id="{run}" '
        f'data-score="{point.score:.4f}"><title>{run}: {score_text(point.score)}</title></circle>'
    )
    if labelled:
        out.append(
            f'<text class="pt-label" x="{x:.1f}" y="{y - 9:.1f}">{score_text(point.score)}</text>'
        )
    return out


def _short(run_id: str) -> str:
    """``2026-11-27T18-00-00Z`` -> ``11-27 18:00``."""
    date, _, time = run_id.partition("T")
    return f"{date[5:]} {time[:5].replace('-', ':')}" if time else run_id
