"""The report through the year: each month's chronic-absence rate to date and absence rate (this
year and, where the input has it, last year), and the students who crossed into chronic absence
in the last 30 days. Both come from the engine's trends (engine/trends.py), which give what
`rollcall report --as-of` a given day would report, without re-running the engine."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from textwrap import dedent
from typing import Any

import duckdb
import ibis.expr.types as ir

from rollcall.engine import trends
from rollcall.engine.backend import connect
from rollcall.engine.checks import parse_date
from rollcall.engine.micro import MICRO
from rollcall.engine.results import Computed
from rollcall.errors import RollcallError
from rollcall.formats.canonical.format import _header, _source_sql, find_format
from rollcall.period import parse_school_year, school_year_name
from rollcall.report.build import support_table
from rollcall.report.records import MonthRow, Ratio, Unit, exact_text

MONTHS = tuple(date(2000, n, 1).strftime("%B") for n in range(1, 13))
CROSSED_DAYS = 30
# Months whose rate to date rests on few days a student, so it swings: read it from October on.
EARLY_MONTHS = (7, 8, 9)


@dataclass(frozen=True)
class Month:
    month: int
    end: date
    student_days: int
    absent_micro: int
    eligible: int
    chronic: int

    @property
    def rate(self) -> Ratio | None:
        return Ratio.of(self.chronic, self.eligible)

    @property
    def absence_rate(self) -> Ratio | None:
        return Ratio.of(Fraction(self.absent_micro, MICRO), self.student_days)


def scoped(computed: Computed, unit: Unit) -> Computed:
    """``computed`` with the trends' inputs cut to ``unit``: its schools' windows and absences,
    and only its own membership, grades and shared dates, so the trends count nothing else."""

    def mine(table: ir.Table) -> ir.Table:
        return table.filter((table.level == unit.level) & (table.unit_id == unit.unit_id))

    units = mine(computed.units)
    schools = units.select("sch")
    merged, _, absences, shared = computed.day_tables()
    return replace(
        computed,
        units=units,
        grades=mine(computed.grades),
        shared=mine(shared),
        merged=merged.filter(merged.sch.isin(schools.sch)),
        absences=absences.filter(absences.sch.isin(schools.sch)),
    )


def months_of(computed: Computed, unit: Unit) -> dict[int, Month]:
    """The unit's months with school, by calendar month number (none for per-student totals,
    which hold no dates)."""
    if not computed.day_level:
        return {}
    table = trends.unit_trends(scoped(computed, unit), trends.months(computed.period))
    mine = table.filter(
        (table.level == unit.level) & (table.unit_id == unit.unit_id) & (table.student_days > 0)
    )
    return {
        r["bin_end"].month: Month(
            r["bin_end"].month,
            r["bin_end"],
            int(r["student_days"]),
            int(r["absent_micro"]),
            int(r["eligible"]),
            int(r["chronically_absent"]),
        )
        for r in computed.backend.rows(mine)
    }


@dataclass(frozen=True)
class LastYear:
    """Last school year's months for the reported unit, for the comparison."""

    school_year: str
    months: dict[int, Month]


def last_year_of(last: Computed, unit: Unit) -> LastYear:
    """``last`` is the engine's run for the previous school year."""
    return LastYear(last.period.school_year, months_of(last, unit))


def combine(this: dict[int, Month], last: dict[int, Month]) -> list[MonthRow]:
    """This year's months beside last year's, July to June."""
    order = [7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]
    result = []
    for number in order:
        now, before = this.get(number), last.get(number)
        if now is None and before is None:
            continue
        result.append(
            MonthRow(
                month=MONTHS[number - 1],
                month_end=now.end if now else before.end,  # type: ignore[union-attr]
                eligible=now.eligible if now else 0,
                chronic=now.chronic if now else 0,
                rate=now.rate if now else None,
                student_days=now.student_days if now else 0,
                days_absent=exact_text(now.absent_micro) if now else "",
                absence_rate=now.absence_rate if now else None,
                last_rate=before.rate if before else None,
                last_absence_rate=before.absence_rate if before else None,
                early=number in EARLY_MONTHS,
            )
        )
    return result


def crossed_since(reference: date | None, computed: Computed) -> date | None:
    """The day 30 days before ``reference`` (the unit's last school day), if inside the period."""
    if reference is None:
        return None
    day = reference - timedelta(days=CROSSED_DAYS)
    return day if day >= computed.period.start else None


def as_of(computed: Computed, unit: Unit, since: date) -> ir.Table:
    """The unit's students as ``rollcall report --as-of since`` would count them (``sid``,
    ``days_enrolled``, ``days_absent``, ``eligible``, ``chronically_absent``, ``tier``): the
    period cut at ``since`` is one trends bin, decided by the engine's own rules."""
    bins = [trends.Bin(0, computed.period.start, since)]
    cut = scoped(computed, unit)
    before = trends.to_date(cut, trends.bin_rows(cut, bins), bins)
    return before.filter((before.level == unit.level) & (before.unit_id == unit.unit_id))


def crossed(computed: Computed, unit: Unit, since: date) -> list[dict[str, Any]]:
    """Students chronically absent now who were not chronically absent (or not yet counted) as
    of ``since``."""
    before = as_of(computed, unit, since)
    before = before.filter(before.chronically_absent)
    students = computed.students
    newly = students.filter(students.chronically_absent & ~students.sid.isin(before.sid))
    return computed.backend.rows(support_table(computed, unit, newly))


def previous_year(computed: Computed) -> str | None:
    """Last school year's name when ``calendar.csv`` has a valid date in it, else None (always
    for per-student totals: they have no calendar, and no months to compare)."""
    if not computed.day_level:
        return None
    first = parse_school_year(computed.period.school_year) - 1
    start, end = date(first, 7, 1), date(first + 1, 6, 30)
    raw = computed.backend.table(computed.raw["calendar"].table)
    dates = parse_date(raw.date)
    found = computed.backend.count(raw.filter(dates.between(start, end)))
    return school_year_name(first) if found else None


def _dates_sql(source: str) -> str:
    return dedent(
        f"""\
        SELECT DISTINCT d FROM (SELECT try_cast(trim(CAST("date" AS VARCHAR)) AS DATE) AS d
        FROM {source}) WHERE d IS NOT NULL"""
    )


def calendar_dates(input_dir: Path) -> list[date]:
    """The distinct dates in the calendar file, read quickly and loosely (no other checks):
    enough to guess which school years the input holds before the engine runs."""
    backend = connect()
    try:
        kind = find_format(input_dir)
        path = input_dir / f"calendar.{kind}"
        names = _header(path, kind, backend.con)
        if "date" not in names:
            return []
        found = backend.con.execute(_dates_sql(_source_sql(path, kind, names))).fetchall()
        return [row[0] for row in found]
    except (duckdb.Error, RollcallError):
        return []
    finally:
        backend.close()
