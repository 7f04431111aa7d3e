"""Drawing charts as self-contained SVG: no scripts, no external fonts, no URLs.

Every chart carries a ``<title>`` and a ``<desc>`` (a text description a screen reader speaks),
a centre line, its limits, points that signal drawn as diamonds in a second colour (shape as well
as colour, for readers who cannot tell the colours apart), annotations as labelled vertical
lines, and a gap (a missing period) as a break in the line with "no data" beneath it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from rollcall.spc.records import Chart, Funnel, Point

WIDTH, HEIGHT = 960, 500
LEFT, RIGHT, TOP, BOTTOM = 78, 110, 78, 110
INK, MUTED, GRID = "#222222", "#666666", "#e4e4e4"
LINE, POINT, SIGNAL, LIMIT, NOTE = "#4a6f8a", "#2f5d80", "#c0392b", "#8c6d1f", "#6a3d9a"
FONT = "font-family='Helvetica, Arial, sans-serif'"
# The smallest text these charts draw (in the chart's own units), and the smallest a reader should
# be asked to read on screen (issue 16): fit_style lets a chart shrink only so far.
SMALLEST_TEXT = 12
READABLE_PX = 11

KIND_NAMES = {
    "run": "Run chart",
    "xmr": "XmR (individuals) chart",
    "p": "p-chart",
    "pprime": "Laney p′ chart",
}
RULE_TEXT = {
    "outside": "beyond a limit",
    "two_of_three": "2 of 3 beyond two sigma",
    "shift": "shift",
    "trend": "trend",
    "astronomical": "astronomical point",
}


def fit_style(width: float, smallest_text: float = SMALLEST_TEXT) -> str:
    """CSS for an inline SVG drawn ``width`` units wide: as wide as its column up to its own width,
    and never so narrow that its smallest text falls under READABLE_PX pixels. On a phone the
    chart keeps that width and its figure scrolls sideways (the page's CSS: ``figure`` with
    ``overflow-x: auto``)."""
    least = min(width, math.ceil(width * READABLE_PX / smallest_text))
    return f"width:100%;max-width:{width:g}px;min-width:{least:g}px;height:auto"


def inline_svg(svg: str, key: str) -> str:
    """A chart of chart_svg or funnel_svg made ready to sit inside an HTML page beside others: no
    namespace URL, sized by fit_style instead of fixed pixels, and its title and description
    ids prefixed by ``key`` (ids must be unique in a page, for the screen reader's sake)."""
    key = re.sub(r"[^A-Za-z0-9_-]+", "-", key)
    svg = svg.replace("'chart-title", f"'{key}-title").replace("chart-desc'", f"{key}-desc'")
    head = re.match(r"<svg xmlns='[^']*' width='(\d+)' height='\d+'", svg)
    if head is None:
        return svg
    return f"<svg style='{fit_style(float(head.group(1)))}'" + svg[head.end() :]


# --- scales and numbers ----------------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Round ticks covering ``low``..``high``, about ``count`` of them (steps 1, 2, 2.5, 5·10ᵏ)."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 12))
    return ticks


def formatter(kind: str, ticks: Sequence[float]) -> Callable[[float], str]:
    """How numbers are written on a chart: percentages for p and p′, plain numbers otherwise."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    if kind in ("p", "pprime"):
        decimals = max(0, min(3, -math.floor(math.log10(step * 100)) + 1))
        return lambda v: f"{v * 100:.{decimals}f}%"
    decimals = max(0, min(4, -math.floor(math.log10(step)) + 1))
    return lambda v: f"{v:,.{decimals}f}"


def _attr(value: str) -> str:
    return quoteattr(value)


def _text(
    x: float, y: float, body: str, *, size: int = 12, anchor: str = "start", **style: str
) -> str:
    fill = style.pop("fill", INK)
    extra = "".join(f" {k.replace('_', '-')}={_attr(v)}" for k, v in style.items())
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' {FONT}"
        f" fill={_attr(fill)}{extra}>{escape(body)}</text>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, **style: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={_attr(v)}" for k, v in style.items())
    return (
        f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='{colour}'{extra}/>"
    )


def marker(x: float, y: float, *, signal: bool, tip: str) -> str:
    """A point: a circle, or a larger diamond when a rule fired at it; ``tip`` shows on hover."""
    title = f"<title>{escape(tip)}</title>"
    if signal:
        r = 6.5
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        return (
            f"<polygon points='{points}' fill='{SIGNAL}' stroke='white' stroke-width='1'>"
            f"{title}</polygon>"
        )
    return (
        f"<circle cx='{x:.1f}' cy='{y:.1f}' r='4' fill='{POINT}' stroke='white' stroke-width='1'>"
        f"{title}</circle>"
    )


def _document(title: str, description: str, body: Iterable[str]) -> str:
    return "\n".join(
        [
            f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' "
            f"viewBox='0 0 {WIDTH} {HEIGHT}' role='img' aria-labelledby='chart-title chart-desc'>",
            f"<title id='chart-title'>{escape(title)}</title>",
            f"<desc id='chart-desc'>{escape(description)}</desc>",
            f"<rect width='{WIDTH}' height='{HEIGHT}' fill='white'/>",
            *body,
            "</svg>",
            "",
        ]
    )


# --- describing a chart in words -------------------------------------------------------------


def _periods_text(names: Sequence[str]) -> str:
    return ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")


def describe(chart: Chart) -> str:
    """A text description of ``chart``: what it shows, its centre, its signals and its gaps."""
    fmt = formatter(chart.kind, [0.0, 0.01] if chart.kind in ("p", "pprime") else [0.0, 0.1])
    present = [p for p in chart.points if p.value is not None]
    parts = [
        f"{KIND_NAMES[chart.kind]} of {len(present)} periods"
        + (f" from {chart.points[0].period} to {chart.points[-1].period}." if chart.points else ".")
    ]
    for number, phase in enumerate(chart.phases):
        label = (
            "Centre line"
            if len(chart.phases) == 1
            else f"Phase {number + 1} (from {phase.start}): centre"
        )
        centre = fmt(phase.centre) if phase.centre is not None else "none"
        parts.append(
            f"{label} {centre}"
            + (f", frozen on the first {phase.baseline} periods." if phase.frozen else ".")
        )
    runs = chart.runs
    if runs is not None:
        parts.append(
            f"Runs analysis ({'IHI' if runs.rules == 'ihi' else 'Anhøj'} rules): {runs.n_useful} "
            f"useful observations, longest run {runs.longest_run} "
            f"(most allowed {runs.longest_run_max}), "
            f"{runs.crossings} crossings (fewest allowed {runs.crossings_min}); "
            + ("non-random variation signalled." if runs.runs_signal else "no runs signal.")
        )
    by_rule: dict[str, list[str]] = {}
    for p in chart.points:
        for name in p.signals:
            by_rule.setdefault(name, []).append(p.period)
    if by_rule:
        parts.extend(
            f"{RULE_TEXT[k].capitalize()} at {_periods_text(v)}." for k, v in by_rule.items()
        )
    else:
        parts.append("No point signals: the variation looks like common-cause noise.")
    gaps = [p.period for p in chart.points if p.value is None]
    if gaps:
        parts.append(f"No data for {_periods_text(gaps)} (drawn as a gap).")
    parts.extend(f"Note at {n.period}: {n.text}." for n in chart.annotations)
    return " ".join(parts)


# --- the time-series chart -------------------------------------------------------------------


def _extent(chart: Chart) -> tuple[float, float]:
    numbers = [
        v
        for p in chart.points
        for v in (p.value, p.centre, p.lower, p.upper)
        if v is not None and math.isfinite(v)
    ]
    low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
    pad = (high - low) * 0.06 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    if chart.kind in ("p", "pprime"):
        low, high = max(low, 0.0), min(high, 1.0)
    return low, high


def _step_paths(
    points: Sequence[Point],
    xs: Sequence[float],
    y: Callable[[float], float],
    attr: str,
    half: float,
) -> list[str]:
    """Horizontal steps for per-point limits, broken at points without that limit."""
    paths: list[list[str]] = []
    current: list[str] = []
    phase = points[0].phase if points else 0
    for p, x in zip(points, xs, strict=True):
        value = getattr(p, attr)
        if value is None or p.phase != phase:
            phase = p.phase
            if current:
                paths.append(current)
            current = []
        if value is None:
            continue
        current += [f"{x - half:.1f},{y(value):.1f}", f"{x + half:.1f},{y(value):.1f}"]
    if current:
        paths.append(current)
    return [
        f"<polyline points='{' '.join(c)}' fill='none' stroke='{LIMIT}' stroke-width='1.5' "
        "stroke-dasharray='6 4'/>"
        for c in paths
    ]


def _data_paths(
    points: Sequence[Point], xs: Sequence[float], y: Callable[[float], float]
) -> list[str]:
    """The line joining consecutive points, broken at every gap."""
    paths: list[list[str]] = []
    current: list[str] = []
    for p, x in zip(points, xs, strict=True):
        if p.value is None:
            if len(current) > 1:
                paths.append(current)
            current = []
            continue
        current.append(f"{x:.1f},{y(p.value):.1f}")
    if len(current) > 1:
        paths.append(current)
    return [
        f"<polyline points='{' '.join(c)}' fill='none' stroke='{LINE}' stroke-width='1.6'/>"
        for c in paths
    ]


def _x_labels(points: Sequence[Point], xs: Sequence[float], bottom: float) -> list[str]:
    every = max(1, math.ceil(len(points) / 26))
    rotate = len(points) > 12 or max((len(p.period) for p in points), default=0) > 8
    out = []
    for i, (p, x) in enumerate(zip(points, xs, strict=True)):
        out.append(_line(x, bottom, x, bottom + 4, MUTED))
        if i % every:
            continue
        if rotate:
            out.append(
                f"<text x='{x:.1f}' y='{bottom + 14:.1f}' font-size='12' text-anchor='end' {FONT} "
                f"fill='{INK}' transform='rotate(-40 {x:.1f} {bottom + 14:.1f})'>"
                f"{escape(p.period)}</text>"
            )
        else:
            out.append(_text(x, bottom + 18, p.period, size=12, anchor="middle"))
    return out


def _legend(x: float, y: float, chart: Chart) -> list[str]:
    """A one-line key along the bottom of the chart."""
    out = [_text(x, y + 4, "Key:", size=12, font_weight="bold")]
    out += [marker(x + 38, y, signal=False, tip="point"), _text(x + 48, y + 4, "point", size=12)]
    rules = sorted({s for p in chart.points for s in p.signals}, key=list(RULE_TEXT).index)
    named = ", ".join(RULE_TEXT[r] for r in rules) or "none here"
    out += [marker(x + 98, y, signal=True, tip="signal")]
    out.append(_text(x + 110, y + 4, f"signal ({named})", size=12))
    x += 130 + 6 * len(named) + 60
    out.append(_line(x, y, x + 16, y, INK, stroke_width="2"))
    out.append(_text(x + 20, y + 4, "median" if chart.kind == "run" else "centre (mean)", size=12))
    if chart.kind != "run":
        out.append(_line(x + 110, y, x + 126, y, LIMIT, stroke_width="1.5", stroke_dasharray="6 4"))
        out.append(_text(x + 130, y + 4, "limits (3 sigma)", size=12))
    return out


def chart_svg(chart: Chart, *, title: str = "", y_label: str = "") -> str:
    """``chart`` drawn as a self-contained SVG document (a string)."""
    points = chart.points
    title = title or chart.title or KIND_NAMES[chart.kind]
    y_label = y_label or ("proportion" if chart.kind in ("p", "pprime") else "value")
    x0, x1, y0, y1 = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    low, high = _extent(chart)
    ticks = nice_ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    fmt = formatter(chart.kind, ticks)
    step = (x1 - x0) / max(len(points), 1)
    xs = [x0 + step * (i + 0.5) for i in range(len(points))]

    def y(v: float) -> float:
        return y1 - (v - low) / (high - low) * (y1 - y0)

    body = [_text(x0, 30, title, size=18, font_weight="bold")]
    body.append(_text(x0, 52, _subtitle(chart, fmt), size=12, fill=MUTED))
    for t in ticks:
        body.append(_line(x0, y(t), x1, y(t), GRID))
        body.append(_text(x0 - 8, y(t) + 4, fmt(t), size=12, anchor="end"))
    body.append(_line(x0, y1, x1, y1, MUTED))
    body.append(_line(x0, y0, x0, y1, MUTED))
    body.extend(_x_labels(points, xs, y1))
    mid = (y0 + y1) / 2
    body.append(
        f"<text x='18' y='{mid:.1f}' font-size='12' text-anchor='middle' {FONT} fill='{INK}' "
        f"transform='rotate(-90 18 {mid:.1f})'>{escape(y_label)}</text>"
    )
    body.append(_text((x0 + x1) / 2, y1 + 66, "period", size=12, anchor="middle"))
    body.extend(_phase_lines(chart, xs, y, step))
    body.extend(_step_paths(points, xs, y, "upper", step / 2))
    body.extend(_step_paths(points, xs, y, "lower", step / 2))
    body.extend(_annotations(chart, xs, y0, y1))
    body.extend(_gaps(points, xs, y1))
    body.extend(_data_paths(points, xs, y))
    body.extend(_markers(points, xs, y, fmt))
    body.extend(_right_labels(chart, xs[-1] + step / 2 if xs else x1, y, fmt))
    body.extend(_legend(x0, HEIGHT - 16, chart))
    return _document(title, describe(chart), body)


def _subtitle(chart: Chart, fmt: Callable[[float], str]) -> str:
    bits = [KIND_NAMES[chart.kind]]
    if chart.centre is not None:
        bits.append(f"{'median' if chart.kind == 'run' else 'centre'} {fmt(chart.centre)}")
    if chart.kind == "pprime" and chart.phases[-1].sigma_z is not None:
        bits.append(f"σz {chart.phases[-1].sigma_z:.2f}")
    if chart.runs is not None:
        bits.append(f"{'IHI' if chart.runs.rules == 'ihi' else 'Anhøj'} rules")
    if chart.screened:
        bits.append("moving ranges screened")
    count = len(chart.signalling)
    bits.append(f"{count} point{'s' if count != 1 else ''} signal" + ("" if count != 1 else "s"))
    return " · ".join(bits)


def _phase_lines(
    chart: Chart, xs: Sequence[float], y: Callable[[float], float], step: float
) -> list[str]:
    out: list[str] = []
    index = {p.period: i for i, p in enumerate(chart.points)}
    starts = [index[ph.start] for ph in chart.phases]
    stops = [*starts[1:], len(chart.points)]
    for phase, start, stop in zip(chart.phases, starts, stops, strict=True):
        if phase.centre is None:
            continue
        left, right = xs[start] - step / 2, xs[stop - 1] + step / 2
        cy = y(phase.centre)
        split = xs[start + phase.baseline - 1] + step / 2 if phase.frozen else right
        out.append(_line(left, cy, split, cy, INK, stroke_width="2"))
        if phase.frozen:
            out.append(_line(split, cy, right, cy, INK, stroke_width="2", stroke_dasharray="2 3"))
        if start:
            out.append(_line(left, TOP, left, HEIGHT - BOTTOM, MUTED, stroke_width="1.5"))
            out.append(
                _text(
                    left + 4, HEIGHT - BOTTOM - 6, f"rebased at {phase.start}", size=12, fill=MUTED
                )
            )
    return out


def _annotations(chart: Chart, xs: Sequence[float], top: float, bottom: float) -> list[str]:
    index = {p.period: i for i, p in enumerate(chart.points)}
    out = []
    for number, note in enumerate(chart.annotations):
        x = xs[index[note.period]]
        label = (
            note.text
            if note.kind in ("note", "astronomical")
            else f"{note.kind.upper()}: {note.text}"
        )
        label_y = top - 8 + 12 * (number % 2) - 12
        out.append(_line(x, label_y + 4, x, bottom, NOTE, stroke_width="1", stroke_dasharray="1 3"))
        out.append(_text(x + 3, label_y, label[:40], size=12, fill=NOTE))
    return out


def _gaps(points: Sequence[Point], xs: Sequence[float], bottom: float) -> list[str]:
    return [
        f"<text x='{x:.1f}' y='{bottom - 6:.1f}' font-size='12' text-anchor='middle' {FONT} "
        f"fill='{MUTED}' font-style='italic'>no data</text>"
        for p, x in zip(points, xs, strict=True)
        if p.value is None
    ]


def _markers(
    points: Sequence[Point],
    xs: Sequence[float],
    y: Callable[[float], float],
    fmt: Callable[[float], str],
) -> list[str]:
    out = []
    for p, x in zip(points, xs, strict=True):
        if p.value is None:
            continue
        rules = "; ".join(RULE_TEXT[s] for s in p.signals)
        tip = f"{p.period}: {fmt(p.value)}" + (f" — {rules}" if rules else "")
        out.append(marker(x, y(p.value), signal=bool(p.signals), tip=tip))
    return out


def _right_labels(
    chart: Chart, x: float, y: Callable[[float], float], fmt: Callable[[float], str]
) -> list[str]:
    points = chart.points
    last = next((p for p in reversed(points) if p.centre is not None), None)
    if last is None:
        return []
    labels = [("median" if chart.kind == "run" else "CL", last.centre, INK)]
    limited = next((p for p in reversed(points) if p.upper is not None), None)
    if limited is not None:
        labels += [("UCL", limited.upper, LIMIT), ("LCL", limited.lower, LIMIT)]
    return [
        _text(x + 6, y(v) + 4, f"{name} {fmt(v)}", size=12, fill=c)
        for name, v, c in labels
        if v is not None
    ]


# --- the funnel plot -------------------------------------------------------------------------


def describe_funnel(plot: Funnel) -> str:
    """A text description of a funnel plot: the common rate and the units outside its limits."""
    fmt = formatter("p", [0.0, 0.01])
    parts = [
        f"Funnel plot ({'Laney p′' if plot.kind == 'pprime' else 'p'}) of {len(plot.units)} units; "
        f"overall rate {fmt(plot.centre)}"
        + (f", limits widened by σz {plot.sigma_z:.2f}." if plot.kind == "pprime" else ".")
    ]
    for side in ("above", "below"):
        names = [u.unit for u in plot.units if u.signal == side]
        if names:
            parts.append(f"Outside the 99.8% limits, {side}: {_periods_text(names)}.")
    if not any(u.signal in ("above", "below") for u in plot.units):
        parts.append("No unit lies outside the 99.8% limits.")
    return " ".join(parts)


def funnel_svg(
    plot: Funnel, *, title: str = "", x_label: str = "denominator", y_label: str = "rate"
) -> str:
    """``plot`` drawn as a self-contained SVG: units against 95% and 99.8% limits by size."""
    title = title or plot.title or "Funnel plot"
    x0, x1, y0, y1 = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    sizes = [u.denominator for u in plot.units]
    n_high = max(sizes) * 1.05
    n_low = min(sizes) * 0.9
    rates = [u.value for u in plot.units] + [plot.centre]
    spread = (max(rates) - min(rates)) * 0.15 or 0.05
    ticks = nice_ticks(max(0.0, min(rates) - spread), min(1.0, max(rates) + spread))
    low, high = ticks[0], ticks[-1]
    fmt = formatter("p", ticks)
    n_ticks = nice_ticks(0, n_high)

    def x(n: float) -> float:
        return x0 + n / n_ticks[-1] * (x1 - x0)

    def y(v: float) -> float:
        return y1 - (min(max(v, low), high) - low) / (high - low) * (y1 - y0)

    body = [_text(x0, 30, title, size=18, font_weight="bold")]
    subtitle = f"overall rate {fmt(plot.centre)} · 95% and 99.8% limits"
    if plot.kind == "pprime":
        subtitle += f" widened by σz {plot.sigma_z:.2f} (Laney p′)"
    body.append(_text(x0, 52, subtitle, size=12, fill=MUTED))
    for t in ticks:
        body.append(_line(x0, y(t), x1, y(t), GRID))
        body.append(_text(x0 - 8, y(t) + 4, fmt(t), size=12, anchor="end"))
    for t in n_ticks:
        body.append(_line(x(t), y1, x(t), y1 + 4, MUTED))
        body.append(_text(x(t), y1 + 18, f"{t:,.0f}", size=12, anchor="middle"))
    body += [_line(x0, y1, x1, y1, MUTED), _line(x0, y0, x0, y1, MUTED)]
    body.append(_text((x0 + x1) / 2, y1 + 42, x_label, size=12, anchor="middle"))
    mid = (y0 + y1) / 2
    body.append(
        f"<text x='18' y='{mid:.1f}' font-size='12' text-anchor='middle' {FONT} fill='{INK}' "
        f"transform='rotate(-90 18 {mid:.1f})'>{escape(y_label)}</text>"
    )
    body.append(_line(x0, y(plot.centre), x1, y(plot.centre), INK, stroke_width="2"))
    grid = [n_low + (n_high - n_low) * (k / 120) ** 2 for k in range(121)]
    for z, dash in ((1.959964, "3 3"), (3.090232, "7 4")):
        for side in (0, 1):
            pts = " ".join(f"{x(n):.1f},{y(plot.limits(n, z)[side]):.1f}" for n in grid)
            body.append(
                f"<polyline points='{pts}' fill='none' stroke='{LIMIT}' stroke-width='1.4' "
                f"stroke-dasharray='{dash}'/>"
            )
    labelled = 0
    for u in sorted(plot.units, key=lambda u: u.denominator):
        outside = u.signal in ("above", "below")
        tip = f"{u.unit}: {fmt(u.value)} of {u.denominator:,.0f}" + (
            f" — {u.signal} the 99.8% limit" if outside else ""
        )
        body.append(marker(x(u.denominator), y(u.value), signal=outside, tip=tip))
        if outside and labelled < 12:
            labelled += 1
            body.append(
                _text(x(u.denominator) + 8, y(u.value) + 4, u.unit[:28], size=12, fill=SIGNAL)
            )
    lx, ly = x0, HEIGHT - 16
    body += [
        _text(lx, ly + 4, "Key:", size=12, font_weight="bold"),
        marker(lx + 38, ly, signal=False, tip="unit"),
        _text(lx + 48, ly + 4, "unit within the 99.8% limits", size=12),
        marker(lx + 228, ly, signal=True, tip="outside"),
        _text(lx + 240, ly + 4, "outside the 99.8% limits", size=12),
        _line(lx + 410, ly, lx + 426, ly, LIMIT, stroke_dasharray="7 4"),
        _text(lx + 430, ly + 4, "99.8% limits", size=12),
        _line(lx + 520, ly, lx + 536, ly, LIMIT, stroke_dasharray="3 3"),
        _text(lx + 540, ly + 4, "95% limits", size=12),
    ]
    return _document(title, describe_funnel(plot), body)
