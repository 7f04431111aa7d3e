"""The early-warning signals of each student, from one engine run cut at the as-of date.

Every signal is computed from the engine's own tables for a run whose period ends on the as-of
date (``compute(..., as_of=...)``): the rows it counts were already cut to that date by the
engine, so nothing after it can leak in. Nothing here re-counts a day or decides chronic absence:
the days and absences come from the engine (``engine/trends.py``'s bins and ``engine/days.py``'s
windows, index and absences); this module only arranges them per student.

All signals are at the ``total`` level: a student's days at every school of the input, the dates
shared by two schools counted once (as the engine does).
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import ibis.expr.types as ir

from rollcall.engine import trends
from rollcall.engine.micro import MICRO
from rollcall.engine.results import Computed
from rollcall.levels import SCHOOL, TOTAL

FIRST_WEEKS = 4  # "the first month": the student's first four weeks with an enrolled day
RECENT_WEEKS = 2  # "recent": the last two weeks of the period
ONE_DAY = timedelta(days=1)

# The signals, in the order the model takes them; each one documented in docs/early-warning.md.
THIS_YEAR = (
    "days_enrolled",
    "days_absent",
    "share_absent",
    "days_excused",
    "days_unexcused",
    "days_suspension",
    "first_month_days",
    "first_month_absent",
    "recent_share",
    "earlier_share",
    "longest_run",
    "monday_friday_share",
    "schools",
    "days_since_entry",
    "grade_number",
)
LAST_YEAR = ("last_share", "last_chronic", "last_band", "last_trend")


def student_signals(computed: Computed) -> ir.Table:
    """One row per student enrolled in the period (``sid``, ``student_id``, ``school_id``,
    ``grade``) with this year's signals to the period's end, in days (floats):

    - ``days_enrolled``, ``days_absent``, ``share_absent`` (absent ÷ enrolled so far), and the
      days absent by reason (``days_excused``, ``days_unexcused``, ``days_suspension``);
    - ``first_month_days`` and ``first_month_absent``: enrolled and absent days in the student's
      first ``FIRST_WEEKS`` weeks with an enrolled day;
    - ``recent_share`` and ``earlier_share``: the share absent in the last ``RECENT_WEEKS`` weeks
      of the period, and before them (NULL without an enrolled day there);
    - ``longest_run``: the longest run of consecutive school days wholly absent at one school;
    - ``monday_friday_share``: the share of the days absent that fell on a Monday or a Friday;
    - ``schools``: schools attended; ``days_since_entry``: calendar days from the student's
      first enrolled day of the year to the period's end;
    - ``grade_number``: the grade as a number (PK −2, TK −1, K 0, UG NULL).
    """
    period = computed.period
    _merged, index, absences, _shared = computed.day_tables()
    students = computed.students
    total = students.filter(students.level == TOTAL)
    ids = computed.student_ids

    base = total.select(
        "sid",
        "grade",
        days_enrolled=total.days_enrolled.cast("float64"),
        days_absent=total.days_absent / MICRO,
        share_absent=total.days_absent / MICRO / total.days_enrolled,
        days_excused=total.days_excused / MICRO,
        days_unexcused=total.days_unexcused / MICRO,
        days_suspension=total.days_suspension / MICRO,
    )
    weekly = _weekly(computed)
    parts = [
        _first_month(weekly),
        _recent(weekly, len(trends.weeks(period))),
        _longest_run(absences, index),
        _monday_friday(absences),
        _mobility(computed, period.end),
        _current_school(computed),
    ]
    table = base
    for part in parts:
        table = _add(table, part)
    with_ids = _add(table, ids, how="inner")
    return with_ids.mutate(
        longest_run=with_ids.longest_run.fill_null(0.0),
        grade_number=_grade_number(with_ids.grade),
    )


def _add(left: ir.Table, right: ir.Table, *, how: str = "left") -> ir.Table:
    """``left`` with ``right``'s columns, matched on ``sid``."""
    joined = left.join(right, left.sid == right.sid, how=how)  # type: ignore[arg-type]
    return joined.select(
        *[left[c] for c in left.columns], *[right[c] for c in right.columns if c != "sid"]
    )


def _weekly(computed: Computed) -> ir.Table:
    """Days enrolled and absent per student and week, at the total level (the engine's bins)."""
    per_bin = trends.bin_rows(computed, trends.weeks(computed.period))
    return per_bin.filter(per_bin.level == TOTAL).select("sid", "bin", "days_enrolled",
                                                          "days_absent")  # fmt: skip


def _first_month(weekly: ir.Table) -> ir.Table:
    enrolled = weekly.filter(weekly.days_enrolled > 0)
    order = ibis.window(group_by=enrolled.sid, order_by=enrolled.bin)
    ranked = enrolled.mutate(_n=ibis.row_number().over(order))
    first = ranked.filter(ranked._n < FIRST_WEEKS)
    return first.group_by("sid").agg(
        first_month_days=first.days_enrolled.sum().cast("float64"),
        first_month_absent=first.days_absent.sum() / MICRO,
    )


def _recent(weekly: ir.Table, bins: int) -> ir.Table:
    recent = weekly.bin >= bins - RECENT_WEEKS

    def share(which: ir.BooleanValue) -> ir.FloatingValue:
        days = ibis.cases((which, weekly.days_enrolled), else_=0).sum()
        absent = ibis.cases((which, weekly.days_absent), else_=0).sum()
        return ibis.cases((days > 0, absent / MICRO / days), else_=ibis.null("float64"))

    return weekly.group_by("sid").agg(recent_share=share(recent), earlier_share=share(~recent))


def _longest_run(absences: ir.Table, index: ir.Table) -> ir.Table:
    """Consecutive school days wholly absent at one school: the school days' running number
    (``day_index``) less the absence's order is constant along a run."""
    whole = absences.filter(absences.wholly_absent == 1)
    numbered = whole.inner_join(index, [whole.sch == index.sch, whole.date == index.date]).select(
        whole.sid, whole.sch, index.running
    )
    order = ibis.window(group_by=[numbered.sid, numbered.sch], order_by=numbered.running)
    islands = numbered.mutate(_island=numbered.running - ibis.row_number().over(order))
    runs = islands.group_by(["sid", "sch", "_island"]).agg(length=islands.count())
    return runs.group_by("sid").agg(longest_run=runs.length.max().cast("float64"))


def _monday_friday(absences: ir.Table) -> ir.Table:
    absent = absences.filter(absences.days_absent > 0)
    edge = absent.date.day_of_week.index().isin([0, 4])  # Monday 0 … Friday 4
    summed = absent.group_by("sid").agg(
        _edge=ibis.cases((edge, absent.days_absent), else_=0).sum(),
        _all=absent.days_absent.sum(),
    )
    return summed.select("sid", monday_friday_share=summed._edge / summed._all)


def _mobility(computed: Computed, end: date) -> ir.Table:
    merged = computed.merged
    assert merged is not None
    students = computed.students
    at_school = students.filter(students.level == SCHOOL)
    schools = at_school.group_by("sid").agg(schools=at_school.count().cast("float64"))
    first = merged.group_by("sid").agg(_entry=merged.start.min())
    entry = first.select(
        "sid", days_since_entry=(ibis.literal(end) - first._entry).cast("int64").cast("float64")
    )
    return _add(schools, entry, how="inner")


def _current_school(computed: Computed) -> ir.Table:
    """The school of the student's latest enrollment window (ties: the later start, then the
    school id), as ``school_id``."""
    merged = computed.merged
    assert merged is not None
    units = computed.units.filter(computed.units.level == SCHOOL)
    named = merged.inner_join(units, merged.sch == units.sch).select(
        merged.sid, merged.start, merged.end, school_id=units.unit_id
    )
    latest = ibis.window(
        group_by=named.sid,
        order_by=[named.end.desc(), named.start.desc(), named.school_id.desc()],
    )
    ranked = named.mutate(_n=ibis.row_number().over(latest))
    return ranked.filter(ranked._n == 0).select("sid", "school_id")


def _grade_number(grade: ir.StringValue) -> ir.FloatingValue:
    named = {"PK": -2.0, "TK": -1.0, "K": 0.0}
    cases = [(grade == name, ibis.literal(value)) for name, value in named.items()]
    numeric = grade.re_search(r"^[0-9]{1,2}$")
    cases.append((numeric, grade.cast("float64")))
    return ibis.cases(*cases, else_=ibis.null("float64"))


def last_year_signals(computed: Computed) -> ir.Table:
    """From a whole earlier school year's run: per ``student_id``, ``last_share`` (absent ÷
    enrolled), ``last_chronic`` (1.0 chronically absent, 0.0 not, NULL not eligible),
    ``last_band`` (0 satisfactory … 3 severe, NULL not eligible) and ``last_trend`` (the share
    absent in the year's second half less that in its first half, from the engine's bins)."""
    from rollcall.tiers import TIER_NAMES

    students = computed.students
    total = students.filter(students.level == TOTAL)
    band = ibis.cases(
        *[(total.tier == name, ibis.literal(float(n))) for n, name in enumerate(TIER_NAMES)],
        else_=ibis.null("float64"),
    )
    rows = total.select(
        "sid",
        last_share=total.days_absent / MICRO / total.days_enrolled,
        last_chronic=ibis.cases(
            (total.chronically_absent, 1.0),
            (~total.chronically_absent, 0.0),
            else_=ibis.null("float64"),
        ),
        last_band=band,
    )
    trend = _halves(computed)
    rows = _add(rows, trend)
    return _add(rows, computed.student_ids, how="inner").select(
        "student_id", "last_share", "last_chronic", "last_band", "last_trend"
    )


def _halves(computed: Computed) -> ir.Table:
    period = computed.period
    middle = period.start + timedelta(days=(period.end - period.start).days // 2)
    bins = [trends.Bin(0, period.start, middle), trends.Bin(1, middle + ONE_DAY, period.end)]
    per_bin = trends.bin_rows(computed, bins)
    rows = per_bin.filter(per_bin.level == TOTAL)

    def share(number: int) -> ir.FloatingValue:
        days = ibis.cases((rows.bin == number, rows.days_enrolled), else_=0).sum()
        absent = ibis.cases((rows.bin == number, rows.days_absent), else_=0).sum()
        return ibis.cases((days > 0, absent / MICRO / days), else_=ibis.null("float64"))

    halves = rows.group_by("sid").agg(_first=share(0), _second=share(1))
    return halves.select("sid", last_trend=halves._second - halves._first)


def outcome(computed: Computed) -> ir.Table:
    """Per ``student_id`` eligible at the total level of a whole year's run: ``chronic`` (1 or
    0), the engine's decision, and the student's groups (``computed.attributes``)."""
    groups = computed.student_groups
    total = groups.filter((groups.level == TOTAL) & groups.eligible)
    joined = _add(total, computed.student_ids, how="inner")
    return joined.select(
        "student_id",
        chronic=ibis.cases((joined.chronically_absent, 1), else_=0),
        outcome_grade=joined.grade,
        **{name: joined[name] for name in computed.attributes},
    )
