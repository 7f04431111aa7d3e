"""The engine run from raw files to student rows, group counts and rejects, in that order:
checks, the period, days, students, groups. Intermediate tables are materialised once so that
DuckDB does not recompute them for each use."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import ibis.expr.types as ir

from rollcall.engine import checks, days, students
from rollcall.engine.backend import Backend
from rollcall.engine.results import Computed
from rollcall.engine.stages import (
    file_counts,
    group_summary,
    schools_and_students,
    student_names,
)
from rollcall.engine.tables import union_all
from rollcall.engine.totals import compute_totals
from rollcall.errors import InputError
from rollcall.formats.canonical.format import RawFile
from rollcall.formats.sources import Grain, Source
from rollcall.levels import SCHOOL
from rollcall.period import Period, reporting_period, school_year_of
from rollcall.policy import Policy


def compute(
    backend: Backend,
    source: Source | Path,
    *,
    policy: Policy,
    year: str | None = None,
    as_of: date | None = None,
    grains: tuple[Grain, ...] = ("days", "totals"),
) -> Computed:
    """Run every rule of docs/rules.md on ``source``: a canonical folder, or any input a reader
    of rollcall/formats/ turns into the canonical tables. ``grains`` are the kinds of input the
    caller can use (weekly measures need days; a report can also use per-student totals)."""
    loaded = backend.load(source, grains=grains)
    if loaded.grain == "totals":
        return compute_totals(backend, loaded, policy=policy, year=year, as_of=as_of)
    raw = dict(loaded.raw)
    keep = backend.materialize
    table = {name: backend.table(file.table) for name, file in raw.items()}

    school_check, school_ok, student_check, student_ok = schools_and_students(backend, raw)
    date_check = checks.calendar_dates(table["calendar"], school_ok).kept(backend)
    period = _period(backend, date_check.accepted.date_value, raw["calendar"], year, as_of)
    calendar_check = checks.calendar_in_period(date_check.accepted, table["calendar"], period).kept(
        backend
    )
    calendar = keep(checks.school_days(calendar_check.accepted))

    enrollment_check = checks.check_enrollments(
        table["enrollments"], student_ok, school_ok, has_exit=raw["enrollments"].has("exit_date")
    ).kept(backend)
    enrollments = keep(checks.enrollment_windows(enrollment_check.accepted))
    value_check = checks.attendance_values(table["attendance"], student_ok, school_ok).kept(backend)
    index = keep(days.day_index(calendar, period))
    clipped = days.clip(enrollments, period)
    enrollment_days = keep(days.count_days(clipped, index))
    merged = keep(days.count_days(days.merge_windows(clipped), index))

    valid = value_check.accepted
    placement = checks.attendance_on_school_days(
        valid.filter(checks.in_period(valid, "date_value", period)),
        table["attendance"],
        calendar,
        merged,
    ).kept(backend)
    attendance = checks.placed_attendance(placement.accepted)
    # The attendance rows as read, and as first checked, are the largest tables: keep their
    # rejects and counts now and let them go, so that a state's year fits in memory.
    attendance_rejects = keep(value_check.rejects.union(placement.rejects))
    attendance_ignored = backend.count(valid) - backend.count(placement.marked)
    backend.drop(value_check.marked)
    backend.drop_raw(raw["attendance"].table)

    absences = days.day_absences(attendance, policy)
    units = keep(days.unit_members(school_ok))
    above_school = units.filter(units.level != SCHOOL)
    school_level = keep(days.school_totals(merged, absences))
    shared = keep(days.shared_dates(merged, above_school, calendar, absences, period))
    corrections = days.shared_day_corrections(shared)
    unit_level = days.unit_totals(school_level, above_school, corrections)
    unit_grades = keep(students.grades(enrollment_days, units))
    student_table = keep(
        students.student_rows(school_level, unit_level, units, unit_grades, policy)
    )

    attributes, with_attributes, summary, private = group_summary(
        backend, raw, student_table, student_ok, (*policy.dimensions, *loaded.dimensions)
    )

    stages = (
        school_check,
        student_check,
        date_check,
        calendar_check,
        enrollment_check,
    )
    rejects = keep(union_all(*(stage.rejects for stage in stages), attendance_rejects))
    ignored = {
        "calendar": backend.count(date_check.accepted) - backend.count(calendar_check.marked),
        # An enrollment is ignored when its dates miss the period altogether (clip drops it).
        "enrollments": backend.count(enrollments) - backend.count(clipped),
        "attendance": attendance_ignored,
    }
    return Computed(
        backend=backend,
        period=period,
        policy=policy,
        raw=raw,
        students=student_table,
        student_ids=student_ok.select("sid", "student_id"),
        names=student_names(student_ok),
        summary=summary,
        rejects=rejects,
        counts=file_counts(backend, raw, rejects, ignored),
        attributes=attributes,
        student_groups=with_attributes,
        merged=merged,
        index=index,
        absences=absences,
        units=units,
        grades=unit_grades,
        shared=shared,
        source=replace(loaded, notes=(*loaded.notes, *private)),
    )


def _period(
    backend: Backend, dates: ir.DateColumn, raw: RawFile, year: str | None, as_of: date | None
) -> Period:
    if year is None:
        latest = backend.scalar(dates.max())
        if latest is None and as_of is None:
            raise InputError(
                "has no valid date, so the school year cannot be chosen",
                path=raw.path,
                column="date",
                hint="check calendar.csv, or give the year with --year 2024-25",
            )
        year = school_year_of(latest if latest is not None else as_of)  # type: ignore[arg-type]
    return reporting_period(year, as_of)
