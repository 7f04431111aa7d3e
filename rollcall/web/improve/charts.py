"""A project's measures week by week, each on the chart that suits it (``rollcall.spc``), with its
signals in words and the PDSA cycles marked on the week each started.

* the chronic-absence rate to date: the latest refresh's weeks of the project's school or
  district, on a run chart (median, IHI rules);
* the share of school days missed: the same weeks, on a Laney p′ chart (thousands of
  student-days a week);
* flagged students with a plan within 10 school days: one point per refresh with an early
  warning, on a p-chart;
* the team's counts: the weeks entered, on a run chart below 12 weeks, then a p-chart (with a
  denominator) or an XmR chart (a plain count).

Control limits from fewer than 12 points move too much to judge by, so a team's own counts stay
on a run chart until then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import number_format
from django.utils.translation import gettext

from rollcall.levels import DISTRICT, SCHOOL
from rollcall.spc import Annotation, Chart, chart_svg, p_chart, p_prime_chart, run_chart, xmr_chart
from rollcall.web.front.charts import Picture, image
from rollcall.web.front.lists import latest_snapshot
from rollcall.web.front.warnings import flagged_at
from rollcall.web.improve.models import Cycle, Measure, MeasureSource, Project
from rollcall.web.plans.followthrough import with_plan_within
from rollcall.web.snapshots.models import Snapshot, WeeklyMeasure

#: Points below which a team's counts stay on a run chart.
CONTROL_FROM = 12


@dataclass(frozen=True)
class Week:
    """One period of a measure: the dates it covers and its numbers (``denominator`` None for a
    plain count)."""

    start: date
    end: date
    value: float
    numerator: float | None = None
    denominator: float | None = None

    @property
    def text(self) -> str:
        """The value as shown: a percentage for a share, else a count."""
        if self.denominator:
            return f"{number_format(round(self.value * 100, 1), 1)}%"
        return number_format(self.value, 0)


@dataclass(frozen=True)
class MeasureChart:
    measure: Measure
    weeks: tuple[Week, ...]
    chart: Chart | None
    picture: Picture | None
    sentences: tuple[str, ...]
    marked: tuple[Cycle, ...]
    unmarked: tuple[Cycle, ...]
    is_share: bool


def _unit(project: Project) -> tuple[str, str]:
    if project.school is not None:
        return SCHOOL, project.school.school_id
    return DISTRICT, project.district.district_id


def refresh_weeks(project: Project) -> list[WeeklyMeasure]:
    """The project's school's (or district's) weeks in its district's latest refresh."""
    snapshot = latest_snapshot(project.district_id)
    if snapshot is None:
        return []
    level, unit_id = _unit(project)
    return list(WeeklyMeasure.objects.filter(snapshot=snapshot, level=level, unit_id=unit_id))


def _plan_weeks(project: Project) -> list[Week]:
    """At each refresh with an early warning: of the students it flagged at the project's
    school(s), those with a plan open within 10 school days (rollcall.web.plans.followthrough)."""
    schools = [project.school] if project.school else list(project.district.schools.all())
    weeks: list[Week] = []
    snapshots = Snapshot.objects.filter(district=project.district_id).order_by("period_end", "pk")
    for snapshot in snapshots:
        flagged = [pk for school in schools for pk in flagged_at(snapshot, school)]
        if not flagged:
            continue
        done = with_plan_within(flagged, snapshot)
        monday = snapshot.period_end - timedelta(days=snapshot.period_end.weekday())
        if weeks and weeks[-1].start == monday:
            weeks.pop()  # two refreshes in one week: the later one counts
        weeks.append(Week(monday, snapshot.period_end, done / len(flagged), done, len(flagged)))
    return weeks


def measure_weeks(measure: Measure) -> list[Week]:
    """The measure's periods, in order (rows above)."""
    source = measure.source
    weeks: list[Week] = []
    if source in (MeasureSource.CHRONIC, MeasureSource.ABSENCE):
        for w in refresh_weeks(measure.project):
            if source == MeasureSource.CHRONIC and w.eligible:
                share = w.chronically_absent / w.eligible
                weeks.append(
                    Week(w.week_start, w.week_end, share, w.chronically_absent, w.eligible)
                )
            elif source == MeasureSource.ABSENCE and w.student_days:
                absent = float(w.days_absent)
                weeks.append(
                    Week(w.week_start, w.week_end, absent / w.student_days, absent, w.student_days)
                )
        return weeks
    if source == MeasureSource.PLANS:
        return _plan_weeks(measure.project)
    for c in measure.counts.all():
        end = c.week_start + timedelta(days=6)
        if c.denominator:
            weeks.append(Week(c.week_start, end, c.count / c.denominator, c.count, c.denominator))
        else:
            weeks.append(Week(c.week_start, end, float(c.count)))
    return weeks


def _annotations(
    weeks: Sequence[Week], cycles: Sequence[Cycle]
) -> tuple[list[Annotation], list[Cycle], list[Cycle]]:
    """A PDSA mark on the period each cycle started in; the cycles that started outside the
    chart's periods are listed apart."""
    notes, marked, unmarked = [], [], []
    for cycle in cycles:
        week = next((w for w in weeks if w.start <= cycle.start_date <= w.end), None)
        if week is None:
            unmarked.append(cycle)
            continue
        marked.append(cycle)
        label = f"{cycle.number} {cycle.change_idea.name}"
        notes.append(Annotation(week.start.isoformat(), label[:28], "pdsa"))
    return notes, marked, unmarked


def build_chart(measure: Measure, weeks: Sequence[Week], notes: Sequence[Annotation]) -> Chart:
    """The chart of the module's table for ``measure``'s ``weeks``."""
    periods = [w.start.isoformat() for w in weeks]
    values = [w.value for w in weeks]
    shares = all(w.denominator for w in weeks)
    x = [w.numerator for w in weeks]
    n = [w.denominator for w in weeks]
    title = measure.name
    if measure.source == MeasureSource.ABSENCE:
        return p_prime_chart(x, n, periods=periods, annotations=notes, title=title)
    if measure.source == MeasureSource.PLANS:
        return p_chart(x, n, periods=periods, annotations=notes, title=title)
    if measure.source == MeasureSource.COUNTED and len(weeks) >= CONTROL_FROM:
        if shares:
            return p_chart(x, n, periods=periods, annotations=notes, title=title)
        return xmr_chart(values, periods=periods, annotations=notes, title=title)
    return run_chart(values, periods=periods, annotations=notes, title=title)


def _weeks_text(chart: Chart, signal: str) -> str:
    return ", ".join(p.period for p in chart.points if signal in p.signals)


def signal_sentences(chart: Chart) -> tuple[str, ...]:
    """What the chart's signals say, one sentence per kind of signal."""
    centre = gettext("median") if chart.kind == "run" else gettext("centre line")
    words = {
        "outside": gettext(
            "Beyond a limit in the weeks of %(weeks)s: something happened those weeks worth "
            "asking about."
        ),
        "shift": gettext(
            "A shift (weeks of %(weeks)s): a run of weeks on one side of the %(centre)s, so the "
            "measure has changed and stayed changed, not one odd week."
        ),
        "trend": gettext(
            "A trend (weeks of %(weeks)s): weeks going the same way one after another."
        ),
        "two_of_three": gettext(
            "Two of three weeks far from the %(centre)s on one side (weeks of %(weeks)s): an "
            "early sign of a change."
        ),
    }
    found = [
        text % {"weeks": _weeks_text(chart, signal), "centre": centre}
        for signal, text in words.items()
        if any(signal in p.signals for p in chart.points)
    ]
    if not found:
        found = [
            gettext(
                "No signal: the measure moved only as much as it does from week to week by chance."
            )
        ]
    return tuple(found)


def measure_chart(measure: Measure, cycles: Sequence[Cycle]) -> MeasureChart:
    """``measure`` with its chart (from two periods), signals in words and PDSA marks."""
    weeks = measure_weeks(measure)
    notes, marked, unmarked = _annotations(weeks, cycles)
    shares = bool(weeks) and all(w.denominator for w in weeks)
    if len(weeks) < 2:
        return MeasureChart(measure, tuple(weeks), None, None, (), (), tuple(cycles), shares)
    chart = build_chart(measure, weeks, notes)
    y_label = gettext("share") if shares else gettext("count")
    svg = chart_svg(chart, title=measure.name, y_label=y_label)
    sentences = signal_sentences(chart)
    alt = gettext("%(name)s, %(weeks)d periods from %(start)s to %(end)s.") % {
        "name": measure.name,
        "weeks": len(weeks),
        "start": weeks[0].start.isoformat(),
        "end": weeks[-1].end.isoformat(),
    }
    if marked:
        alt += " " + gettext("PDSA cycles marked: %(cycles)s.") % {
            "cycles": "; ".join(f"{c.number} ({c.start_date.isoformat()})" for c in marked)
        }
    alt += " " + " ".join(sentences)
    return MeasureChart(
        measure, tuple(weeks), chart, image(svg, alt), sentences, tuple(marked),
        tuple(unmarked), shares,
    )  # fmt: skip
