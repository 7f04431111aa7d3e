"""The engine run from raw files to student rows, group counts and rejects, in that order:
checks, the period, days, students, groups. Intermediate tables are materialised once so that
DuckDB does not recompute them for each use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import ibis.expr.types as ir

from rollcall.engine import checks, days, students
from rollcall.engine.backend import Backend, Later
from rollcall.engine.reading import GRAINS, Reading
from rollcall.engine.results import Computed
from rollcall.engine.stages import (
    file_counts,
    group_summary,
    schools_and_students,
    student_names,
)
from rollcall.engine.totals import compute_totals
from rollcall.errors import InputError
from rollcall.formats.canonical.format import RawFile
from rollcall.formats.sources import Grain, Loaded, Source
from rollcall.levels import SCHOOL
from rollcall.period import Period, reporting_period, school_year_of
from rollcall.policy import Policy
from rollcall.tables import union_all


def compute(
    backend: Backend,
    source: Source | Path,
    *,
    policy: Policy,
    year: str | None = None,
    as_of: date | None = None,
    grains: tuple[Grain, ...] = GRAINS,
) -> Computed:
    """Run every rule of docs/rules.md on ``source``: a canonical folder, or any input a reader
    of rollcall/formats/ turns into the canonical tables. ``grains`` are the kinds of input the
    caller can use (weekly measures need days; a report can also use per-student totals)."""
    return read(backend, source, grains=grains).year(
        policy=policy, year=year, as_of=as_of, last=True
    )


def compute_years(
    backend: Backend,
    source: Source | Path,
    *,
    policy: Policy,
    years: Sequence[str | None],
    as_of: date | None = None,
) -> list[Computed]:
    """``compute`` for each of ``years`` from one read of ``source``: the files are read and
    the checks that do not depend on the year run once; each year's rules then run on the same
    tables. The results equal one ``compute`` a year."""
    found = read(backend, source)
    return [
        found.year(policy=policy, year=y, as_of=as_of, last=n == len(years) - 1)
        for n, y in enumerate(years)
    ]


def read(
    backend: Backend,
    source: Source | Path,
    *,
    grains: tuple[Grain, ...] = GRAINS,
    reading: Reading | None = None,
) -> Read:
    """Read ``source`` once into ``backend`` and run the checks every school year shares.
    ``reading``: ``source`` being read already into the backend's connection (with ``grains``:
    engine/reading.py)."""
    backend.stage("reading the input")
    loaded = reading.loaded() if reading else backend.load(source, grains=grains)
    if loaded.grain == "totals":
        return Read(backend, loaded)
    raw = dict(loaded.raw)
    table = {name: backend.table(file.table) for name, file in raw.items()}
    backend.stage("checking schools, students, calendar and enrollments")
    school_check, school_ok, student_check, student_ok = schools_and_students(backend, raw)
    enrollment_check = checks.check_enrollments(
        table["enrollments"], student_ok, school_ok, has_exit=raw["enrollments"].has("exit_date")
    ).kept(backend)
    enrollments = backend.materialize(checks.enrollment_windows(enrollment_check.accepted))
    date_check = checks.calendar_dates(table["calendar"], school_ok).kept(backend)
    # Asked for now, so that the school year's rules need not wait for the attendance checks.
    latest = backend.later(date_check.accepted.date_value.max())
    backend.stage("checking attendance values")
    value_check = checks.attendance_values(table["attendance"], student_ok, school_ok).kept(backend)
    return Read(
        backend,
        loaded,
        shared=Shared(
            table=table,
            latest=latest,
            school_check=school_check,
            school_ok=school_ok,
            student_check=student_check,
            student_ok=student_ok,
            date_check=date_check,
            enrollment_check=enrollment_check,
            enrollments=enrollments,
            value_check=value_check,
            value_rejects=backend.materialize(value_check.rejects),
        ),
    )


@dataclass
class Shared:
    """The checks of day-level input that no school year changes, each run once."""

    table: dict[str, ir.Table]  # the raw tables
    latest: Later  # the latest valid calendar date
    school_check: checks.Checked
    school_ok: ir.Table
    student_check: checks.Checked
    student_ok: ir.Table
    date_check: checks.Checked
    enrollment_check: checks.Checked
    enrollments: ir.Table
    value_check: checks.Checked
    value_rejects: ir.Table  # the refused attendance values, kept before the rows are freed


@dataclass
class Read:
    """An input read once (``read``): any of its school years computed from it (``year``)."""

    backend: Backend
    loaded: Loaded
    shared: Shared | None = None
    released: bool = False

    def year(
        self,
        *,
        policy: Policy,
        year: str | None = None,
        as_of: date | None = None,
        last: bool = False,
    ) -> Computed:
        """The rules for one school year (default: the calendar's latest). With ``last``, the
        largest raw tables are freed as soon as this year no longer needs them: no other year
        can be computed after."""
        if self.released:
            raise ValueError("the input's raw attendance was freed by its last year")
        if self.shared is None:
            return compute_totals(self.backend, self.loaded, policy=policy, year=year, as_of=as_of)
        self.released = last
        return _one_year(self, self.shared, policy, year, as_of, release=last)


def _one_year(
    found: Read, shared: Shared, policy: Policy, year: str | None, as_of: date | None, *,
    release: bool,
) -> Computed:  # fmt: skip
    backend, loaded = found.backend, found.loaded
    raw = dict(loaded.raw)
    keep = backend.materialize
    table = shared.table
    # Queued first, answered last: the students' groups checked while the rest is computed.
    dimensions = backend.dimensions(raw["students"], (*policy.dimensions, *loaded.dimensions))
    school_ok, student_ok = shared.school_ok, shared.student_ok
    date_check, enrollments, value_check = (
        shared.date_check,
        shared.enrollments,
        shared.value_check,
    )
    period = _period(shared.latest, raw["calendar"], year, as_of)
    calendar_check = checks.calendar_in_period(date_check.accepted, table["calendar"], period).kept(
        backend
    )
    calendar = keep(checks.school_days(calendar_check.accepted))
    index = keep(days.day_index(calendar, period))
    clipped = days.clip(enrollments, period)
    enrollment_days = keep(days.count_days(clipped, index))
    merged = keep(days.count_days(days.merge_windows(clipped), index))

    valid = value_check.accepted
    backend.stage("placing attendance on school days")
    placement = checks.attendance_on_school_days(
        valid.filter(checks.in_period(valid, "date_value", period)),
        table["attendance"],
        calendar,
        merged,
    ).kept(backend)
    attendance = checks.placed_attendance(placement.accepted)
    # The attendance rows as read, and as first checked, are the largest tables: keep their
    # rejects and counts now and let them go (after the last year read), so that a state's
    # year fits in memory.
    attendance_rejects = keep(shared.value_rejects.union(placement.rejects))
    attendance_counted = backend.later(valid.count()), backend.later(placement.marked.count())
    if release:
        backend.drop(value_check.marked)
        backend.drop_raw(raw["attendance"].table)

    backend.stage("counting days and students")
    absences = days.day_absences(attendance, policy)
    units = keep(days.unit_members(school_ok))
    above_school = units.filter(units.level != SCHOOL)
    school_level = keep(days.school_totals(merged, absences))
    shared_days = keep(days.shared_dates(merged, above_school, calendar, absences, period))
    corrections = days.shared_day_corrections(shared_days)
    unit_level = days.unit_totals(school_level, above_school, corrections)
    unit_grades = keep(students.grades(enrollment_days, units))
    student_table = keep(
        students.student_rows(school_level, unit_level, units, unit_grades, policy)
    )

    backend.stage("counting groups")
    attributes, with_attributes, summary, private = group_summary(
        backend, raw, student_table, student_ok, dimensions()
    )

    stages = (
        shared.school_check,
        shared.student_check,
        date_check,
        calendar_check,
        shared.enrollment_check,
    )
    rejects = keep(union_all(*(stage.rejects for stage in stages), attendance_rejects))
    ignored = {
        "calendar": backend.count(date_check.accepted) - backend.count(calendar_check.marked),
        # An enrollment is ignored when its dates miss the period altogether (clip drops it).
        "enrollments": backend.count(enrollments) - backend.count(clipped),
        "attendance": attendance_counted[0].scalar() - attendance_counted[1].scalar(),
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
        shared=shared_days,
        source=replace(loaded, notes=(*loaded.notes, *private)),
    )


def _period(latest_date: Later, raw: RawFile, year: str | None, as_of: date | None) -> Period:
    if year is None:
        latest = latest_date.scalar()
        if latest is None and as_of is None:
            raise InputError(
                "has no valid date, so the school year cannot be chosen",
                path=raw.path,
                column="date",
                hint="check calendar.csv, or give the year with --year 2024-25",
            )
        year = school_year_of(latest if latest is not None else as_of)  # type: ignore[arg-type]
    return reporting_period(year, as_of)
