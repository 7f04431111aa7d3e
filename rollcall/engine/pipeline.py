"""The engine run from raw files to student rows, group counts and rejects, in that order:
checks, the period, days, students, groups. Intermediate tables are materialised once so that
DuckDB does not recompute them for each use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ibis.expr.types as ir

from rollcall.engine import checks, days, groups, students
from rollcall.engine.backend import Backend
from rollcall.errors import InputError
from rollcall.formats.canonical import PERSONAL_COLUMNS, RawFile, read_canonical
from rollcall.period import Period, reporting_period, school_year_of
from rollcall.policy import Policy


@dataclass(frozen=True)
class FileCounts:
    """What happened to the rows of one input file; the four numbers add up."""

    read: int
    accepted: int
    ignored: int
    rejected: int


@dataclass
class Computed:
    """The engine's results, as tables in ``backend``."""

    backend: Backend
    period: Period
    policy: Policy
    raw: dict[str, RawFile]
    students: ir.Table
    summary: ir.Table
    rejects: ir.Table
    counts: dict[str, FileCounts]
    attributes: tuple[str, ...]


def compute(
    backend: Backend,
    input_dir: Path,
    *,
    policy: Policy,
    year: str | None = None,
    as_of: date | None = None,
) -> Computed:
    """Run every rule of docs/rules.md on the canonical folder ``input_dir``."""
    raw = read_canonical(input_dir, backend.con)
    keep = backend.materialize
    table = {name: backend.table(file.table) for name, file in raw.items()}

    schools = checks.check_schools(table["schools"], has_district=raw["schools"].has("district_id"))
    school_ok = keep(schools.accepted)
    student_check = checks.check_students(table["students"])
    student_ok = keep(student_check.accepted)
    calendar_check = checks.calendar_dates(table["calendar"], school_ok)
    calendar_valid = keep(calendar_check.accepted)

    period = _period(backend, calendar_valid, raw["calendar"], year, as_of)
    calendar_in, calendar_out = checks.check_calendar_in_period(calendar_valid, period)
    calendar = keep(calendar_in.accepted)

    enrollment_check = checks.check_enrollments(
        table["enrollments"], student_ok, school_ok, has_exit=raw["enrollments"].has("exit_date")
    )
    enrollments = keep(enrollment_check.accepted)
    attendance_check = checks.attendance_values(table["attendance"], student_ok, school_ok)
    attendance_valid = attendance_check.accepted
    attendance_period = keep(
        attendance_valid.filter(checks.in_period(attendance_valid, "date_value", period))
    )
    attendance_ignored = attendance_valid.filter(
        ~checks.in_period(attendance_valid, "date_value", period)
    )
    placed = checks.attendance_on_school_days(attendance_period, calendar, enrollments, period.end)
    attendance = keep(placed.accepted)

    index = keep(days.day_index(calendar, period))
    enrollment_days = keep(days.count_days(days.clip(enrollments, period), index))
    merged = keep(days.count_days(days.merge_windows(days.clip(enrollments, period)), index))
    absences = keep(days.day_absences(attendance, policy))
    units = keep(days.unit_members(school_ok))
    school_level = keep(days.school_totals(merged, absences))
    corrections = days.shared_day_corrections(merged, units, calendar, absences, period)
    unit_level = days.unit_totals(school_level, units, corrections)
    unit_grades = students.grades(enrollment_days, units)
    student_table = keep(students.student_rows(school_level, unit_level, unit_grades, policy))

    attributes = tuple(
        c for c in raw["students"].columns if c not in ("student_id", "_record", *PERSONAL_COLUMNS)
    )
    memberships = groups.group_memberships(
        student_table, student_ok.select("student_id", *attributes), attributes
    )
    summary = keep(groups.group_counts(memberships))

    rejects = keep(
        _union(
            schools.rejects,
            student_check.rejects,
            calendar_check.rejects,
            calendar_in.rejects,
            enrollment_check.rejects,
            attendance_check.rejects,
            placed.rejects,
        )
    )
    used_enrollments = enrollment_days.filter(enrollment_days.days > 0).select("_record").distinct()
    ignored = {
        "calendar": backend.scalar(calendar_out.count()),
        "enrollments": backend.scalar(enrollments.count()) - backend.scalar(used_enrollments.count()),
        "attendance": backend.scalar(attendance_ignored.count()),
    }
    return Computed(
        backend=backend,
        period=period,
        policy=policy,
        raw=raw,
        students=student_table,
        summary=summary,
        rejects=rejects,
        counts=_counts(backend, raw, rejects, ignored),
        attributes=attributes,
    )


def _period(
    backend: Backend, calendar: ir.Table, raw: RawFile, year: str | None, as_of: date | None
) -> Period:
    if year is None:
        latest = backend.scalar(calendar.date.max())
        if latest is None and as_of is None:
            raise InputError(
                "has no valid date, so the school year cannot be chosen",
                path=raw.path,
                column="date",
                hint="check calendar.csv, or give the year with --year 2024-25",
            )
        year = school_year_of(latest if latest is not None else as_of)  # type: ignore[arg-type]
    return reporting_period(year, as_of)


def _union(*tables: ir.Table) -> ir.Table:
    result = tables[0]
    for table in tables[1:]:
        result = result.union(table)
    return result


def _counts(
    backend: Backend, raw: dict[str, RawFile], rejects: ir.Table, ignored: dict[str, object]
) -> dict[str, FileCounts]:
    per_file = dict(
        backend.ibis.execute(rejects.group_by("file").agg(n=rejects.count()))
        .itertuples(index=False, name=None)
    )
    counts = {}
    for name, file in raw.items():
        rejected = int(per_file.get(file.file_name, 0))
        skipped = int(ignored.get(name, 0))  # type: ignore[call-overload]
        counts[file.file_name] = FileCounts(
            read=file.rows, accepted=file.rows - rejected - skipped, ignored=skipped,
            rejected=rejected,
        )
    return counts
