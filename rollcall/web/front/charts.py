"""The platform's charts, drawn by ``rollcall.spc`` from stored rows: the schools of a district
on a funnel plot, and a unit's weekly absence on a Laney p′ chart.

Each chart goes into its page as an image (a data URI: one request, no script, no repeated ids
when a page has two charts) whose text alternative says what it shows in the page's language;
a table beside it holds every number.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from rollcall.spc import chart_svg, funnel, funnel_svg, p_prime_chart
from rollcall.spc.records import Funnel, FunnelUnit
from rollcall.web.snapshots.models import SummaryRow, WeeklyMeasure


@dataclass(frozen=True)
class Picture:
    src: str  # a data URI
    alt: str


def image(svg: str, alt: str) -> Picture:
    """An SVG as an image of the page (a data URI) with its text alternative."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Picture(f"data:image/svg+xml;base64,{encoded}", alt)


def _percent(share: float) -> str:
    return f"{number_format(round(share * 100, 1), 1)}%"


# What a school's place on the funnel says, in words.
FUNNEL_WORDS = {
    "above": gettext_lazy("higher than chance explains (above the %(limit)s limit)"),
    "below": gettext_lazy("lower than chance explains (below the %(limit)s limit)"),
    "above95": gettext_lazy("high, within what chance explains (above the %(limit)s limit)"),
    "below95": gettext_lazy("low, within what chance explains (below the %(limit)s limit)"),
    "": gettext_lazy("within what chance explains"),
}
# The funnel's two limits (rollcall.spc.funnel: z = 1.96 and 3.09).
LIMITS = {"above": 0.998, "below": 0.998, "above95": 0.95, "below95": 0.95}


@dataclass(frozen=True)
class Placed:
    """A school's row and its place on the funnel (None: no student counted yet)."""

    row: SummaryRow
    name: str
    unit: FunnelUnit | None

    @property
    def words(self) -> str:
        if self.unit is None:
            return ""
        signal = self.unit.signal
        limit = _percent(LIMITS[signal]) if signal in LIMITS else ""
        return str(FUNNEL_WORDS[signal]) % {"limit": limit} if limit else str(FUNNEL_WORDS[signal])


def school_funnel(
    rows: Sequence[SummaryRow], names: dict[str, str]
) -> tuple[list[Placed], Picture | None]:
    """The schools' chronic-absence rates against limits for their size (binomial p funnel:
    a few hundred students a school, no overdispersion to widen for), highest rate first."""
    usable = [r for r in rows if r.eligible_students]
    if not usable:
        return [Placed(r, names.get(r.unit_id, r.unit_id), None) for r in rows], None
    labels = [names.get(r.unit_id, r.unit_id) for r in usable]
    plot = funnel(
        labels,
        [r.chronically_absent for r in usable],
        [r.eligible_students for r in usable],
    )
    placed = [Placed(r, n, u) for r, n, u in zip(usable, labels, plot.units, strict=True)]
    placed.sort(key=lambda p: (-(p.unit.value if p.unit else 0), p.name))
    placed += [Placed(r, names.get(r.unit_id, r.unit_id), None) for r in rows if r not in usable]
    svg = funnel_svg(
        plot,
        title=gettext("Chronic absence by school, against limits for its size"),
        x_label=gettext("students counted"),
        y_label=gettext("chronically absent"),
    )
    return placed, image(svg, _funnel_text(plot))


def _funnel_text(plot: Funnel) -> str:
    parts = [
        ngettext(
            "Funnel plot of %(count)d school; all the schools together: %(rate)s.",
            "Funnel plot of %(count)d schools; all the schools together: %(rate)s.",
            len(plot.units),
        )
        % {"count": len(plot.units), "rate": _percent(plot.centre)}
    ]
    above = [u.unit for u in plot.units if u.signal == "above"]
    below = [u.unit for u in plot.units if u.signal == "below"]
    if above:
        parts.append(
            gettext("Above the %(limit)s limits: %(names)s.")
            % {"limit": _percent(0.998), "names": ", ".join(above)}
        )
    if below:
        parts.append(
            gettext("Below the %(limit)s limits: %(names)s.")
            % {"limit": _percent(0.998), "names": ", ".join(below)}
        )
    if not above and not below:
        parts.append(
            gettext("No school lies outside the %(limit)s limits.") % {"limit": _percent(0.998)}
        )
    return " ".join(parts)


def weekly_chart(weeks: Sequence[WeeklyMeasure], title: str) -> Picture | None:
    """A unit's share of student-days missed each week, on a Laney p′ chart (thousands of
    student-days a week make plain p-chart limits too tight); None before two weeks of school."""
    if len(weeks) < 2:
        return None
    chart = p_prime_chart(
        [float(w.days_absent) for w in weeks],
        [w.student_days for w in weeks],
        periods=[w.week_start.isoformat() for w in weeks],
        title=title,
    )
    svg = chart_svg(chart, title=title, y_label=gettext("share of school days missed"))
    signals = [p.period for p in chart.points if p.signals]
    last = weeks[-1]
    alt = gettext(
        "Weekly share of school days missed, %(weeks)d weeks; the latest week, from %(start)s, "
        "%(share)s."
    ) % {
        "weeks": len(weeks),
        "start": last.week_start.isoformat(),
        "share": _percent(float(last.days_absent) / last.student_days),
    }
    if signals:
        alt += " " + gettext("Weeks with a signal: %(weeks)s.") % {"weeks": ", ".join(signals)}
    return image(svg, alt)
