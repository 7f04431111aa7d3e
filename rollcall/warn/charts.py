"""The evaluation page's two charts as self-contained SVG (no script, no font, no URL): recall at
the caseload of each method, and the calibration of each probability."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from rollcall.warn.evaluate import MethodResult

WIDTH = 640
COLOURS = ("#2f5d80", "#c0392b", "#8c6d1f", "#6a3d9a", "#3a7d44", "#666666")


def recall_bars(methods: Sequence[MethodResult]) -> str:
    """A horizontal bar per method: the share of chronically absent students it flagged."""
    row, left = 28, 250
    height = row * len(methods) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="recall-title">',
        '<title id="recall-title">Recall at the caseload, by method</title>',
    ]
    for n, method in enumerate(methods):
        recall = method.at_caseload.recall or 0.0
        y = 20 + n * row
        width = (WIDTH - left - 60) * recall
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="13" '
            f'font-family="Helvetica, Arial, sans-serif">{escape(method.label)}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{y + 2}" width="{width:.1f}" height="18" '
            f'fill="{COLOURS[n % len(COLOURS)]}"/>'
        )
        parts.append(
            f'<text x="{left + width + 6:.1f}" y="{y + 15}" font-size="13" '
            f'font-family="Helvetica, Arial, sans-serif">{recall:.1%}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def calibration(methods: Sequence[MethodResult]) -> str:
    """Predicted probability against the observed share, one line per method with a
    calibration; the diagonal is a perfect calibration."""
    size, pad = 360, 50
    span = size - 2 * pad

    def x(v: float) -> float:
        return pad + v * span

    def y(v: float) -> float:
        return size - pad - v * span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 260}" height="{size}" '
        'role="img" aria-labelledby="calibration-title">',
        '<title id="calibration-title">Calibration: predicted probability against the share '
        "who ended the year chronically absent</title>",
        f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(1)}" y2="{y(1)}" stroke="#bbbbbb" '
        'stroke-dasharray="4 3"/>',
        f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(1)}" y2="{y(0)}" stroke="#222222"/>',
        f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(0)}" y2="{y(1)}" stroke="#222222"/>',
        f'<text x="{size / 2}" y="{size - 12}" text-anchor="middle" font-size="12" '
        'font-family="Helvetica, Arial, sans-serif">predicted probability</text>',
        f'<text x="14" y="{size / 2}" font-size="12" transform="rotate(-90 14 {size / 2})" '
        'text-anchor="middle" font-family="Helvetica, Arial, sans-serif">observed share</text>',
    ]
    shown = [m for m in methods if m.calibration]
    for n, method in enumerate(shown):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(f"{x(b.mean_probability):.1f},{y(b.observed):.1f}"
                          for b in method.calibration)  # fmt: skip
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{size + 10}" y="{30 + 20 * n}" font-size="12" fill="{colour}" '
            f'font-family="Helvetica, Arial, sans-serif">{escape(method.label)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
