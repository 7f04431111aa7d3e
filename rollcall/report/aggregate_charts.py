"""The aggregate page's charts: a Laney p′ funnel of districts or schools
(rollcall/spc/funnel.py) and bars of each group's rate (rendered as the student-level report's
charts are, rollcall/report/charts.py). Suppressed figures are never drawn as zeros."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import altair as alt

from rollcall.report.aggregate_records import Figures, GroupLine, MemberRow
from rollcall.report.charts import THIS_YEAR, WIDTH, render
from rollcall.report.records import Chart, Unit
from rollcall.spc import describe_funnel, funnel, funnel_svg, inline_svg


def funnel_of(
    rows: list[MemberRow],
    kind: str,
    year: str,
    *,
    headline: Figures | None = None,
    unit: Unit | None = None,
) -> tuple[Chart | None, str]:
    """Laney p′ funnel of the members with a size and a rate (rollcall/spc/funnel.py), and a
    note on what it draws; the note says why the funnel's overall rate and the ``headline``
    (the unit's own figure) differ when they do."""
    usable = [m for m in rows if m.figures.eligible and m.figures.rate is not None]
    if len(usable) < 3:
        return None, (
            f"No funnel plot: fewer than 3 {kind} have both a number of eligible students and a "
            "rate (the file does not publish the number of students for every unit)."
        )
    estimated = sum(1 for m in usable if m.figures.chronic is None)
    counts = [
        float(m.figures.chronic)
        if m.figures.chronic is not None
        else m.figures.rate.value * m.figures.eligible  # type: ignore[union-attr,operator]
        for m in usable
    ]
    plot = funnel(
        [m.unit.name for m in usable],
        counts,
        [float(m.figures.eligible or 0) for m in usable],
        kind="pprime",
        title=f"Chronic absence by {kind[:-1]}, {year}",
    )
    svg = funnel_svg(plot, x_label="eligible students", y_label="chronically absent")
    svg = inline_svg(svg, "funnel")
    left = len(rows) - len(usable)
    note = f"{len(usable)} {kind} with a size and a rate."
    if estimated:
        note += (
            f" For {estimated} of them the file has no count: it is estimated as rate × "
            "eligible students, so their place is as exact as the rounded rate."
        )
    if left:
        note += f" {left} {kind} without both (suppressed, or no size published) are not drawn."
    note += _centre_note(plot.centre, headline, unit, len(usable), kind)
    return Chart("funnel", plot.title, svg, describe_funnel(plot)), note


def _centre_note(
    centre: float, headline: Figures | None, unit: Unit | None, drawn: int, kind: str
) -> str:
    """Why the funnel's overall rate is not the headline's, when the two read differently (31.3%
    beside 31.1%): the funnel pools the members it draws; the headline is the publisher's own
    figure for the whole unit."""
    if headline is None or headline.rate is None or unit is None:
        return ""
    pooled = f"{Decimal(repr(centre * 100)).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if pooled == headline.rate.text:
        return ""
    return (
        f" The funnel's overall rate, {pooled}, pools the {drawn} {kind} drawn (their "
        f"chronically absent students ÷ their eligible students); the {headline.rate.text} at "
        f"the top is the file's own figure for {unit.name}. They differ when some {kind} are "
        "not drawn, when a count is estimated from a rounded rate, or when the file counts "
        f"students at {unit.name}'s level who are in none of its {kind} (a student who moved "
        "between them is counted once)."
    )


def rates_chart(key: str, title: str, lines: list[GroupLine], overall: Figures | None) -> Chart:
    """Bars of each group's rate; suppressed groups are listed, not drawn as zero."""
    values = [
        {"group": g.label, "rate": g.figures.rate.value, "label": g.figures.rate.text}
        for g in lines
        if g.figures.rate is not None
    ]
    top = max([g.figures.rate.value for g in lines if g.figures.rate], default=0) * 1.3 or 1
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("group:N", sort=None, title=None),
        x=alt.X(
            "rate:Q",
            title="chronically absent",
            axis=alt.Axis(format=".0%"),
            scale=alt.Scale(domain=[0, top]),
        ),
    )
    layers = base.mark_bar(color=THIS_YEAR) + base.mark_text(align="left", dx=4).encode(
        text="label:N"
    )
    if overall is not None and overall.rate is not None:
        rule = alt.Chart(alt.Data(values=[{"x": overall.rate.value}])).mark_rule(
            strokeDash=[4, 3], color="#222"
        )
        layers = layers + rule.encode(x="x:Q")
    chart = layers.properties(width=WIDTH - 160, height=max(40, 24 * len(values)))
    text = "; ".join(f"{v['group']} {v['label']}" for v in values) or "no rate published"
    hidden = [g.label for g in lines if g.figures.rate is None]
    tail = f" Not drawn (suppressed or not published): {', '.join(hidden)}." if hidden else ""
    return render(
        key,
        chart,
        title=title,
        alt_text=f"Bar chart. {title}, dashed line at the unit's rate: {text}.{tail}",
    )
