"""The public site's one chart: a unit's chronic absence rate across school years, as inline SVG.

Self-contained (no script, no font, no URL; no ``xmlns`` either, since it sits inside HTML), with a
title and a description a screen reader speaks, and each point labelled with its value, so the
chart never depends on colour or on hovering. A year whose rate was hidden or shown only as a
range is a gap in the line, labelled below the axis: hidden values are never drawn as zeros.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from rollcall.spc.svg import nice_ticks

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 44, 30, 52
INK, MUTED, GRID, LINE = "#1a1a1a", "#4a4a4a", "#d9d9d9", "#1d6a96"
FONT = "font-family='system-ui, sans-serif'"


@dataclass(frozen=True)
class TrendPoint:
    """One school year: the rate in percent when it was published exactly, else the text shown
    instead (``hidden``, or a range such as ``≤5%``)."""

    school_year: str
    percent: float | None
    label: str


def _text(x: float, y: float, body: str, *, anchor: str = "middle", fill: str = INK) -> str:
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='13' text-anchor='{anchor}' {FONT} "
        f"fill='{fill}'>{escape(body)}</text>"
    )


def describe(points: Sequence[TrendPoint], unit: str) -> str:
    """The chart in words, for screen readers and as its caption."""
    parts = [f"{p.school_year}: {p.label}" for p in points]
    return f"Share of students chronically absent at {unit}, by school year. " + "; ".join(parts)


def trend_svg(points: Sequence[TrendPoint], *, unit: str, chart_id: str) -> str:
    """The rate across ``points`` (oldest first) as an SVG line chart, or "" with fewer than two
    exact values (a single point is clearer in the table beside it)."""
    shown = [p.percent for p in points if p.percent is not None]
    if len(shown) < 2:
        return ""
    # headroom above the highest point for its label
    ticks = nice_ticks(0.0, max(max(shown) * 1.15, 1.0), 5)
    top = ticks[-1]
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / len(points)

    def x_of(i: int) -> float:
        # half a step of margin at each end, so the first and last year labels fit
        return LEFT + step * (i + 0.5)

    def y_of(value: float) -> float:
        return TOP + inner_h * (1 - value / top)

    grid: list[str] = []
    body: list[str] = []
    for tick in ticks:
        y = y_of(tick)
        grid.append(
            f"<line x1='{LEFT}' y1='{y:.1f}' x2='{WIDTH - RIGHT}' y2='{y:.1f}' stroke='{GRID}'/>"
        )
        grid.append(_text(LEFT - 8, y + 4, f"{tick:g}%", anchor="end", fill=MUTED))
    segments: list[list[tuple[float, float]]] = [[]]
    for i, point in enumerate(points):
        x = x_of(i)
        body.append(_text(x, HEIGHT - BOTTOM + 20, point.school_year))
        if point.percent is None:
            segments.append([])
            body.append(_text(x, HEIGHT - BOTTOM + 38, point.label, fill=MUTED))
            continue
        y = y_of(point.percent)
        segments[-1].append((x, y))
        body.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='4.5' fill='{LINE}'>"
            f"<title>{escape(point.school_year)}: {escape(point.label)}</title></circle>"
        )
        body.append(_text(x, y - 10, point.label))
    lines = [
        f"<polyline points='{' '.join(f'{x:.1f},{y:.1f}' for x, y in segment)}' fill='none' "
        f"stroke='{LINE}' stroke-width='2.5'/>"
        for segment in segments
        if len(segment) > 1
    ]
    title = f"Chronic absence at {unit}, by school year"
    return "".join(
        [
            f"<svg viewBox='0 0 {WIDTH} {HEIGHT}' role='img' "
            f"aria-labelledby={quoteattr(chart_id + '-t')} "
            f"aria-describedby={quoteattr(chart_id + '-d')} class='trend'>",
            f"<title id={quoteattr(chart_id + '-t')}>{escape(title)}</title>",
            f"<desc id={quoteattr(chart_id + '-d')}>{escape(describe(points, unit))}</desc>",
            f"<line x1='{LEFT}' y1='{HEIGHT - BOTTOM}' x2='{WIDTH - RIGHT}' "
            f"y2='{HEIGHT - BOTTOM}' stroke='{MUTED}'/>",
            *grid,
            *lines,
            *body,
            "</svg>",
        ]
    )
