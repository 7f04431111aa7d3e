"""How days are counted: enrolled days from calendars, and the absence of each day.

Enrolled days are never listed student by student and day by day. Each school's calendar becomes
a running count of instructional days (``day_index``), so the days inside an enrollment window are
one subtraction. Only the rare dates on which a student was enrolled at two schools of the same
district (or of the input) are looked at one by one (``shared_day_corrections``).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from rollcall.engine.micro import MICRO
from rollcall.levels import DISTRICT, SCHOOL, TOTAL
from rollcall.period import Period
from rollcall.policy import Policy
from rollcall.tables import union_all

KEY = ("sid", "sch")
UNIT = ("sid", "level", "unit_id")
CATEGORIES = ("excused", "unexcused", "suspension")
MEASURES = ("days_absent", "days_excused", "days_unexcused", "days_suspension", "wholly_absent")


def period_dates(period: Period) -> ir.Table:
    """One row per calendar date of the period (at most 366)."""
    # ISO texts cast to dates: a list of date literals (or of one-field rows, literal_table's
    # way) costs DuckDB and Ibis ten times as long for a year's 366 dates.
    texts = ibis.literal([d.isoformat() for d in period.dates()], type="array<string>")
    spine = texts.unnest().name("_date").as_table()
    return spine.select(date=spine._date.cast("date"))


def day_index(calendar: ir.Table, period: Period) -> ir.Table:
    """For every school and every date of the period: ``school_day`` (1 or 0) and ``running``,
    the number of the school's instructional days up to and including that date."""
    spine = period_dates(period)
    grid = calendar.select("sch").distinct().cross_join(spine)
    days = calendar.select(_school=calendar.sch, _date=calendar.date)
    flagged = grid.left_join(days, [grid.sch == days._school, grid.date == days._date]).select(
        "sch",
        "date",
        school_day=ibis.cases((ibis._._school.notnull(), 1), else_=0),
    )
    running = ibis.cumulative_window(group_by=flagged.sch, order_by=flagged.date)
    return flagged.mutate(running=flagged.school_day.sum().over(running))


def clip(windows: ir.Table, period: Period) -> ir.Table:
    """Enrollment windows (``entry``, ``exit``) cut to the period as ``start`` and ``end``;
    windows with no date in the period are dropped."""
    start = ibis.greatest(windows.entry, ibis.literal(period.start))
    end = ibis.least(windows.exit.fill_null(ibis.literal(period.end)), ibis.literal(period.end))
    clipped = windows.mutate(start=start, end=end)
    return clipped.filter(clipped.start <= clipped.end)


def count_days(windows: ir.Table, index: ir.Table) -> ir.Table:
    """Add ``days``: the instructional days of each window's school from ``start`` to ``end``.

    A window at a school with no calendar day in the period has no row in the result.
    """
    at_start = index.select(
        _s_school=index.sch,
        _s_date=index.date,
        _s_running=index.running,
        _s_day=index.school_day,
    )
    at_end = index.select(_e_school=index.sch, _e_date=index.date, _e_running=index.running)
    joined = windows.inner_join(
        at_start, [windows.sch == at_start._s_school, windows.start == at_start._s_date]
    )
    joined = joined.inner_join(
        at_end, [joined.sch == at_end._e_school, joined.end == at_end._e_date]
    )
    return joined.mutate(days=joined._e_running - joined._s_running + joined._s_day).drop(
        "_s_school", "_s_date", "_s_running", "_s_day", "_e_school", "_e_date", "_e_running"
    )


def merge_windows(clipped: ir.Table) -> ir.Table:
    """Overlapping windows of one student at one school merged, so a day counts once."""
    order = ["start", "end"]
    so_far = ibis.cumulative_window(group_by=list(KEY), order_by=order)
    reach = clipped.mutate(_reach=clipped.end.max().over(so_far))
    previous = ibis.window(group_by=list(KEY), order_by=order)
    starts = reach.mutate(_before=reach._reach.lag().over(previous))
    starts = starts.mutate(
        _new=ibis.cases((starts._before.isnull() | (starts.start > starts._before), 1), else_=0)
    )
    islands = starts.mutate(_island=starts._new.sum().over(so_far))
    merged = islands.group_by([*KEY, "_island"]).agg(
        start=islands.start.min(), end=islands.end.max()
    )
    return merged.drop("_island")


def day_absences(attendance: ir.Table, policy: Policy) -> ir.Table:
    """Each kept attendance row's absence under ``policy``, in millionths of a day, by category.

    ``wholly_absent`` is 1 when the row, as written, is a whole day absent (fraction 1).
    """
    fraction = attendance.fraction
    if policy.partial_day == "fraction":
        absent = fraction
    else:
        cutoff = policy.partial_day_cutoff
        assert cutoff is not None  # the Policy checks this when it is built
        # fraction / MICRO >= p / q, in whole numbers.
        counts = fraction * cutoff.denominator >= cutoff.numerator * MICRO
        absent = ibis.cases((counts, ibis.literal(MICRO)), else_=ibis.literal(0))
    absent = ibis.cases((attendance.is_absence, absent), else_=ibis.literal(0))
    by_category = {
        f"days_{category}": ibis.cases((attendance.status == category, absent), else_=0)
        for category in CATEGORIES
    }
    wholly = ibis.cases((attendance.is_absence & (fraction == MICRO), 1), else_=0)
    return attendance.select(
        *KEY,
        "date",
        "precedence",
        days_absent=absent,
        **by_category,
        wholly_absent=wholly,
    )


def school_totals(windows: ir.Table, absences: ir.Table) -> ir.Table:
    """One row per student and school with at least one enrolled day: days and absences."""
    enrolled = windows.group_by(list(KEY)).agg(days_enrolled=windows.days.sum())
    enrolled = enrolled.filter(enrolled.days_enrolled > 0)
    summed = absences.group_by(list(KEY)).agg(**{m: absences[m].sum() for m in MEASURES})
    joined = enrolled.left_join(summed, [enrolled.sid == summed.sid, enrolled.sch == summed.sch])
    return joined.select(
        enrolled.sid,
        enrolled.sch,
        enrolled.days_enrolled,
        **{m: joined[m].fill_null(0) for m in MEASURES},
    )


def unit_members(schools: ir.Table) -> ir.Table:
    """The unit each school is at each level: itself, its district, and ``total``."""
    school = schools.select("sch", level=ibis.literal(SCHOOL), unit_id=schools.school_id)
    district = schools.select("sch", level=ibis.literal(DISTRICT), unit_id=schools.district_id)
    total = schools.select("sch", level=ibis.literal(TOTAL), unit_id=ibis.literal("total"))
    return union_all(school, district, total)


def unit_totals(totals: ir.Table, units: ir.Table, corrections: ir.Table) -> ir.Table:
    """Student rows at the district and total levels: the schools' rows added up, less the
    double counting on dates shared by two schools of the unit."""
    joined = totals.inner_join(units, totals.sch == units.sch)
    summed = joined.group_by(list(UNIT)).agg(
        days_enrolled=joined.days_enrolled.sum(), **{m: joined[m].sum() for m in MEASURES}
    )
    fixed = summed.left_join(corrections, [summed[k] == corrections[k] for k in UNIT])
    return fixed.select(
        *[summed[k] for k in UNIT],
        days_enrolled=summed.days_enrolled - fixed.extra_days.fill_null(0),
        **{m: summed[m] - fixed[f"extra_{m}"].fill_null(0) for m in MEASURES},
    )


def shared_dates(
    windows: ir.Table,
    units: ir.Table,
    calendar: ir.Table,
    absences: ir.Table,
    period: Period,
) -> ir.Table:
    """The dates a student was enrolled at two or more schools of a unit, with what adding up
    the schools' rows counts twice on each (``extra_days``, ``extra_days_absent``, …).

    A date on which the student was enrolled at k ≥ 2 schools of the unit (each having school
    that day) is one enrolled day, not k; its absence is the smallest of the schools' absences
    (category of that school; ties: suspension, unexcused, excused), and it is wholly absent only
    when it is at every school. ``windows`` are merged windows (no overlap within a school).
    """
    every = windows.inner_join(units, windows.sch == units.sch).select(
        windows.sid,
        windows.sch,
        units.level,
        units.unit_id,
        windows.start,
        windows.end,
    )
    # Only students with windows at two or more schools of a unit can share a date; joining just
    # those keeps DuckDB from planning an inequality join over every window (gigabytes at 100k).
    several = every.group_by(list(UNIT)).agg(_schools=every.sch.nunique())
    several = several.filter(several._schools >= 2)
    placed = every.semi_join(several, list(UNIT))
    other = placed.view()
    overlaps = (
        placed.inner_join(
            other,
            [
                placed.sid == other.sid,
                placed.level == other.level,
                placed.unit_id == other.unit_id,
                placed.sch < other.sch,
                placed.start <= other.end,
                other.start <= placed.end,
            ],
        )
        .select(
            placed.sid,
            placed.level,
            placed.unit_id,
            start=ibis.greatest(placed.start, other.start),
            end=ibis.least(placed.end, other.end),
        )
        .view()
    )  # a fresh relation: Ibis would otherwise extend the join above
    spine = period_dates(period)
    dates = (
        overlaps.inner_join(spine, [spine.date >= overlaps.start, spine.date <= overlaps.end])
        .select(*UNIT, "date")
        .distinct()
        .view()
    )
    enrolled = (
        dates.inner_join(
            placed,
            [
                *[dates[k] == placed[k] for k in UNIT],
                dates.date >= placed.start,
                dates.date <= placed.end,
            ],
        )
        .select(*[dates[k] for k in UNIT], dates.date, placed.sch)
        .view()
    )
    enrolled = enrolled.semi_join(
        calendar,
        [enrolled.sch == calendar.sch, enrolled.date == calendar.date],
    )
    with_absence = enrolled.left_join(
        absences,
        [
            enrolled.sid == absences.sid,
            enrolled.sch == absences.sch,
            enrolled.date == absences.date,
        ],
    ).select(
        *[enrolled[k] for k in UNIT],
        enrolled.date,
        precedence=absences.precedence.fill_null(3),
        **{m: absences[m].fill_null(0) for m in MEASURES},
    )
    per_date_key = [*UNIT, "date"]
    smallest = ibis.window(
        group_by=[with_absence[k] for k in per_date_key],
        order_by=[with_absence.days_absent, with_absence.precedence],
    )
    ranked = with_absence.mutate(_chosen=ibis.row_number().over(smallest) == 0)
    chosen_measures = {
        f"chosen_{m}": ibis.cases((ranked._chosen, ranked[m]), else_=0).sum()
        for m in MEASURES
        if m != "wholly_absent"
    }
    per_date = ranked.group_by(per_date_key).agg(
        schools=ranked.count(),
        **{f"sum_{m}": ranked[m].sum() for m in MEASURES},
        **chosen_measures,
        kept_wholly_absent=ranked.wholly_absent.min(),
    )
    shared = per_date.filter(per_date.schools >= 2)
    return shared.select(
        *UNIT,
        "date",
        extra_days=shared.schools - 1,
        **{
            f"extra_{m}": shared[f"sum_{m}"] - shared[f"chosen_{m}"]
            for m in MEASURES
            if m != "wholly_absent"
        },
        extra_wholly_absent=shared.sum_wholly_absent - shared.kept_wholly_absent,
    )


EXTRAS = ("extra_days", *(f"extra_{m}" for m in MEASURES))


def shared_day_corrections(shared: ir.Table, by: Sequence[str] = UNIT) -> ir.Table:
    """What adding up a unit's schools counts twice, per student and unit (or per ``by``)."""
    return shared.group_by(list(by)).agg(**{extra: shared[extra].sum() for extra in EXTRAS})
