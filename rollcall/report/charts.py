"""The report's charts: Vega-Lite specs (Altair) rendered to SVG on the server by vl-convert,
with no network. Each chart gets a text alternative; its numbers are also in a table beside it.

Colours pass 3:1 against white (WCAG 1.4.11), and each series also differs by shape or dash, so
colour is never the only carrier of meaning."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

import altair as alt
import vl_convert

from rollcall.labels import dimension_label, group_label
from rollcall.levels import SCHOOL
from rollcall.report.records import (
    Chart,
    GradeRow,
    GroupRow,
    MonthRow,
    ReasonShare,
    SchoolRow,
    TierRow,
)
from rollcall.spc import fit_style

BAND_COLOURS = ("#1d6a96", "#6b7a8f", "#c0602b", "#a51d2d")
THIS_YEAR, LAST_YEAR = "#1d6a96", "#6b4c9a"
REASON_COLOURS = ("#1d6a96", "#c0602b", "#a51d2d")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
WIDTH = 560
# Every word on a chart: large enough that fit_style keeps it at 11 px or more on screen.
TEXT_SIZE = 13
# vl-convert's JavaScript engine (V8) reserves a vast range of virtual memory as it starts, and
# under a smaller virtual-memory limit (ulimit -v) it aborts the whole process with no message:
# measured here, it fails under a 64 GB limit and starts under 256 GB.
RENDERER_ADDRESS_SPACE = 256 * 2**30


def renderer_blocked() -> str | None:
    """Why the charts cannot be drawn in this process, or None when they can."""
    if sys.platform == "win32":
        return None
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft >= RENDERER_ADDRESS_SPACE:
        return None
    return (
        f"this run has a virtual-memory limit ({soft / 2**30:.0f} GB, ulimit -v) under which the "
        "chart renderer cannot start; the table beside each chart holds its numbers (run "
        "without the limit to draw them)"
    )


def render(key: str, chart: alt.TopLevelMixin, *, title: str, alt_text: str) -> Chart:
    """An Altair chart as inline SVG: no namespace URLs, responsive, labelled for screen readers
    (or, where the renderer cannot start, the reason it was not drawn)."""
    blocked = renderer_blocked()
    if blocked is not None:
        return Chart(key=key, title=title, svg="", alt=alt_text, left_out=blocked)
    # Room around the plot: the browser's font may be wider than the one vl-convert measures.
    spec = (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=TEXT_SIZE, titleFontSize=TEXT_SIZE)
        .configure_legend(labelFontSize=TEXT_SIZE, titleFontSize=TEXT_SIZE)
        .configure_text(fontSize=TEXT_SIZE)
        .to_dict()
    )
    spec["padding"] = {"left": 40, "right": 40, "top": 5, "bottom": 5}
    svg = vl_convert.vegalite_to_svg(spec)
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    match = re.match(r'<svg([^>]*?) width="([\d.]+)" height="([\d.]+)"', svg)
    width = match.group(2) if match else str(WIDTH)
    svg = re.sub(r'^<svg([^>]*?) width="[\d.]+" height="[\d.]+"', r"<svg\1", svg, count=1)
    label = alt_text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    svg = svg.replace(
        "<svg",
        f'<svg role="img" aria-label="{label}" focusable="false" '
        f'style="{fit_style(float(width), TEXT_SIZE)}"',
        1,
    )
    return Chart(key=key, title=title, svg=svg, alt=alt_text)


def _data(values: Sequence[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=list(values))


def tiers_chart(tiers: list[TierRow]) -> Chart:
    values = [
        {"band": t.label, "order": n, "students": t.count, "text": f"{t.label}: {t.count:,}"}
        for n, t in enumerate(tiers)
    ]
    base = alt.Chart(_data(values)).encode(
        x=alt.X(
            "students:Q",
            stack="normalize",
            title="share of eligible students",
            axis=alt.Axis(format="%"),
        ),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "band:N",
            scale=alt.Scale(domain=[t.label for t in tiers], range=list(BAND_COLOURS)),
            legend=alt.Legend(title=None, orient="bottom", columns=2, columnPadding=48),
        )
    )
    chart = bars.properties(width=WIDTH, height=48)
    text = "; ".join(
        f"{t.label} {t.count:,} ({t.share.text if t.share else 'no students'})" for t in tiers
    )
    return render(
        "tiers",
        chart,
        title="Students by band",
        alt_text=f"Stacked bar of eligible students by band: {text}.",
    )


def _line(values: list[dict[str, Any]], y_title: str) -> alt.Chart:
    return (
        alt.Chart(_data(values))
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=50))
        .encode(
            x=alt.X("month:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "year:N",
                scale=alt.Scale(domain=["this year", "last year"], range=[THIS_YEAR, LAST_YEAR]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "year:N",
                scale=alt.Scale(domain=["this year", "last year"], range=[[1, 0], [6, 4]]),
                legend=None,
            ),
            shape=alt.Shape(
                "year:N",
                scale=alt.Scale(domain=["this year", "last year"], range=["circle", "square"]),
                legend=None,
            ),
        )
        .properties(width=WIDTH, height=220)
    )


def month_charts(months: list[MonthRow]) -> list[Chart]:
    """The rate to date at each month's end, and each month's absence rate; last year dashed."""
    charts = []
    for key, title, y_title, now, before in (
        (
            "months-chronic",
            "Chronic absence to date, at each month's end",
            "chronically absent",
            "rate",
            "last_rate",
        ),
        (
            "months-absence",
            "Share of school days missed, month by month",
            "days missed",
            "absence_rate",
            "last_absence_rate",
        ),
    ):
        values = []
        for m in months:
            for year, ratio in (("this year", getattr(m, now)), ("last year", getattr(m, before))):
                if ratio is not None:
                    values.append({"month": m.month[:3], "year": year, "value": ratio.value})
        points = ", ".join(
            f"{m.month} {getattr(m, now).text}" for m in months if getattr(m, now) is not None
        )
        charts.append(
            render(
                key,
                _line(values, y_title),
                title=title,
                alt_text=f"Line chart. {title}, this year: {points or 'no data'}.",
            )
        )
    return charts


def grades_chart(grades: list[GradeRow]) -> Chart:
    values = [
        {
            "grade": g.grade,
            "rate": g.rate.value,
            "label": f"{g.rate.text} ({g.chronic:,} of {g.eligible:,})",
        }
        for g in grades
        if g.rate is not None
    ]
    top = max([g.rate.value for g in grades if g.rate is not None], default=0) * 1.45 or 1
    base = alt.Chart(_data(values)).encode(
        y=alt.Y("grade:N", sort=None, title="grade"),
        x=alt.X(
            "rate:Q",
            title="chronically absent",
            axis=alt.Axis(format=".0%"),
            scale=alt.Scale(domain=[0, top]),
        ),
    )
    chart = (
        base.mark_bar(color=THIS_YEAR) + base.mark_text(align="left", dx=4).encode(text="label:N")
    ).properties(width=WIDTH - 140, height=max(60, 22 * len(values)))
    text = "; ".join(f"grade {v['grade']} {v['label']}" for v in values)
    return render(
        "grades",
        chart,
        title="Chronic absence by grade",
        alt_text=f"Bar chart of chronic absence by grade: {text}.",
    )


def schools_chart(schools: list[SchoolRow]) -> Chart:
    """Each school's chronic absence against its average daily attendance, with the 20% and
    30% concentration lines."""
    values = [
        {
            "school": s.unit.title,
            "short": s.unit.name,
            "ada": s.ada.value,
            "rate": s.rate.value,
            "group": "20% or more chronically absent" if s.concentrated else "under 20%",
        }
        for s in schools
        if s.unit.level == SCHOOL and s.rate is not None and s.ada is not None
    ]
    domain = ["under 20%", "20% or more chronically absent"]
    points = (
        alt.Chart(_data(values))
        .mark_point(filled=True, size=70)
        .encode(
            x=alt.X(
                "ada:Q",
                title="average daily attendance",
                scale=alt.Scale(zero=False),
                axis=alt.Axis(format=".1%"),
            ),
            y=alt.Y("rate:Q", title="chronically absent", axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "group:N",
                scale=alt.Scale(domain=domain, range=[THIS_YEAR, "#a51d2d"]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            shape=alt.Shape(
                "group:N",
                scale=alt.Scale(domain=domain, range=["circle", "triangle-up"]),
                legend=None,
            ),
            tooltip=["school:N"],
        )
    )
    # Neighbours along the x axis are named alternately above and below their points, so that
    # names of schools with close rates do not print over each other.
    named = sorted(_labelled(values), key=lambda v: v["ada"])
    names = alt.layer(
        *(
            alt.Chart(_data(named[side::2]))
            .mark_text(align="left", dx=7, dy=dy, color="#222")
            .encode(x="ada:Q", y="rate:Q", text="name:N")
            for side, dy in ((0, -7), (1, 13))
        )
    )
    lines = alt.Chart(_data([{"y": 0.2, "t": "high (20%)"}, {"y": 0.3, "t": "extreme (30%)"}]))
    rules = lines.mark_rule(strokeDash=[4, 3], color="#444").encode(y="y:Q")
    labels = lines.mark_text(align="left", dx=2, dy=-6, color="#333").encode(
        y="y:Q", text="t:N", x=alt.value(0)
    )
    chart = (points + names + rules + labels).properties(width=WIDTH, height=300)
    flagged = sum(1 for s in schools if s.unit.level == SCHOOL and s.concentrated)
    naming = "each named" if len(values) <= NAMED_POINTS else f"the {NAMED_POINTS} highest named"
    alt_text = (
        f"Scatter plot of {len(values)} schools ({naming}), chronic absence against average daily "
        f"attendance; {flagged} at 20% or more. The numbers are in the table below."
    )
    return render(
        "schools", chart, title="Chronic absence beside daily attendance", alt_text=alt_text
    )


# A reader must know which point is which school; past this many, names would cover each other,
# so only the schools with the highest rates are named (all are in the table below the chart).
NAMED_POINTS = 12


def _labelled(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The points to name on the scatter: every school when there are few, else the
    NAMED_POINTS with the highest rates; by name alone (with the id only where two share a
    name), cut at 24 characters."""
    chosen = sorted(values, key=lambda v: -v["rate"])[:NAMED_POINTS]
    shared = Counter(v["short"] for v in values)
    return [
        {**v, "name": short_name(v["short"] if shared[v["short"]] == 1 else v["school"])}
        for v in chosen
    ]


def short_name(name: str, most: int = 24) -> str:
    return name if len(name) <= most else name[: most - 1].rstrip() + "…"


def group_chart(dimension: str, groups: list[GroupRow], overall: float | None) -> Chart:
    values = [
        {"group": group_label(dimension, g.group), "rate": g.rate.value, "label": g.rate.text}
        for g in groups
        if g.rate is not None
    ]
    top = max([g.rate.value for g in groups if g.rate is not None], default=0) * 1.3 or 1
    base = alt.Chart(_data(values)).encode(
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
    if overall is not None:
        rule = (
            alt.Chart(_data([{"x": overall}]))
            .mark_rule(strokeDash=[4, 3], color="#222")
            .encode(x="x:Q")
        )
        layers = layers + rule
    chart = layers.properties(width=WIDTH - 160, height=max(40, 24 * len(values)))
    text = "; ".join(f"{v['group']} {v['label']}" for v in values) or "no group large enough"
    small = sum(1 for g in groups if g.too_small)
    tail = f" {small} {'group' if small == 1 else 'groups'} too small to show." if small else ""
    return render(
        f"group-{dimension}",
        chart,
        title=f"Chronic absence: {dimension_label(dimension)}",
        alt_text=f"Bar chart of chronic absence, {dimension_label(dimension)}, dashed line at the "
        f"overall rate: {text}.{tail}",
    )


def reasons_chart(reasons: list[ReasonShare]) -> Chart:
    overall = reasons[0]
    parts = (
        ("excused", overall.excused),
        ("unexcused", overall.unexcused),
        ("suspension (out of school)", overall.suspension),
    )
    if not any(r is not None and r.value > 0 for _, r in parts):
        # Per-student totals may give days absent without their kind: nothing to split.
        why = (
            "no day was missed"
            if overall.days_absent in ("", "0")
            else "the input gives days absent without their kind (excused, unexcused or "
            "suspension), so there is nothing to split"
        )
        return Chart("reasons", "Why days were missed", "", "", left_out=why)
    values = [
        {"kind": k, "order": n, "share": r.value if r else 0} for n, (k, r) in enumerate(parts)
    ]
    chart = (
        alt.Chart(_data(values))
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "share:Q",
                stack="normalize",
                title="share of days missed",
                axis=alt.Axis(format="%"),
            ),
            order=alt.Order("order:Q"),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=[k for k, _ in parts], range=list(REASON_COLOURS)),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
        )
        .properties(width=WIDTH, height=48)
    )
    text = "; ".join(f"{k} {r.text if r else 'none'}" for k, r in parts)
    return render(
        "reasons",
        chart,
        title="Why days were missed",
        alt_text=f"Stacked bar of days missed by kind: {text}.",
    )
