"""Write a synthetic state, chunk by chunk, in bounded memory.

The districts, schools and calendars are drawn first from ``(seed, 0)``. Students are then made in
chunks of 50,000 seats; chunk ``k`` draws everything from its own random streams
``(seed, 1, k, year, purpose)``, so its rows depend only on the seed, the options and ``k``, never
on what other chunks did. Two worker threads make chunks (numpy and pyarrow release the GIL) while
the calling thread writes them in chunk order; at most ``AHEAD`` chunks are held at once, so memory
does not grow with the number of students.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from rollcall.errors import OptionError
from rollcall.synth import messy as messy_rows
from rollcall.synth import tables
from rollcall.synth.absence import draw_attendance
from rollcall.synth.calendars import SchoolYear, YearCalendars, date_strings, year_calendars
from rollcall.synth.contacts import contact_columns
from rollcall.synth.districts import State, build_state
from rollcall.synth.mobility import YearPaths, enroll_year, next_year
from rollcall.synth.patterns import add_patterns, new_habits, renew
from rollcall.synth.population import ID_SPACE, assign_traits, draw_students, new_cohort
from rollcall.synth.writer import FORMATS, Folder

CHUNK = 50_000
WORKERS = 2
AHEAD = 3
POPULATION, ABSENCE, MESSY, PATTERNS, HABITS, CONTACTS = 0, 1, 2, 3, 4, 5

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SynthSummary:
    """What was written: rows per file, and the size of the synthetic state."""

    out: Path
    format: str
    years: tuple[str, ...]
    districts: int
    schools: int
    students: int
    enrollments: int
    calendar: int
    attendance: int
    bad_rows: int

    def rows(self) -> dict[str, int]:
        """Rows written per file, in the order of the format's table."""
        return {
            f"schools.{self.format}": self.schools,
            f"students.{self.format}": self.students,
            f"enrollments.{self.format}": self.enrollments,
            f"calendar.{self.format}": self.calendar,
            f"attendance.{self.format}": self.attendance,
        }


@dataclass(frozen=True)
class _Plan:
    seed: int
    seats: int
    state: State
    calendars: tuple[YearCalendars, ...]
    dates: tables.Dates
    messy: bool


def _check(students: int, seed: int, fmt: str, years: int) -> None:
    if students < 1:
        raise OptionError(f"--students must be at least 1, not {students}")
    if years < 1:
        raise OptionError(f"--years must be at least 1, not {years}")
    if students * years >= ID_SPACE // 2:
        raise OptionError(
            f"{students} students over {years} years is too many for 10-digit student ids",
            hint="ask for fewer than 500 million student-years",
        )
    if seed < 0:
        raise OptionError(f"--seed must be zero or more, not {seed}")
    if fmt not in FORMATS:
        raise OptionError(f"unknown format {fmt!r}", hint="use --format csv or --format parquet")


def write_synthetic(
    out: Path,
    *,
    students: int,
    seed: int = 0,
    fmt: str = "csv",
    year: str = "2025-26",
    years: int = 1,
    messy: bool = False,
    progress: Progress | None = None,
) -> SynthSummary:
    """Write a synthetic state of about ``students`` students per school year into ``out``.

    ``years`` consecutive school years end with ``year``. The same arguments give the same bytes.
    With ``messy``, a small share of deliberately bad rows is mixed in. ``progress`` is called
    with (seats done, seats in all) after each chunk.
    """
    _check(students, seed, fmt, years)
    last = SchoolYear.parse(year)
    school_years = [last.earlier(years - 1 - i) for i in range(years)]
    world = np.random.default_rng(np.random.SeedSequence([seed, 0]))
    state = build_state(students, world)
    calendars = tuple(
        year_calendars(y, state.districts, state.school_district, world) for y in school_years
    )
    first_day = date(school_years[0].start_year - 22, 1, 1)
    dates = date_strings(first_day, last.last + timedelta(days=366))
    plan = _Plan(seed, students, state, calendars, dates, messy)
    bad = 0
    with Folder(Path(out), fmt) as folder:
        folder.write("schools", tables.schools_table(state))
        for calendar in calendars:
            folder.write("calendar", tables.calendar_table(state, calendar, dates))
        # Two workers make chunks while this thread writes them, in chunk order; at most
        # AHEAD chunks are held in memory at once.
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            pending: deque[Future[_Chunk]] = deque()

            def write_next() -> int:
                chunk = pending.popleft().result()
                for name, table in chunk.tables:
                    folder.write(name, table)
                if progress is not None:
                    progress(chunk.end, students)
                return chunk.bad

            for index, start in enumerate(range(0, students, CHUNK)):
                size = min(CHUNK, students - start)
                pending.append(pool.submit(_make_chunk, plan, index, start, size))
                if len(pending) >= AHEAD:
                    bad += write_next()
            while pending:
                bad += write_next()
        rows = folder.rows()
    return SynthSummary(
        out=Path(out),
        format=fmt,
        years=tuple(y.name for y in school_years),
        districts=state.districts,
        schools=state.schools,
        students=rows["students"],
        enrollments=rows["enrollments"],
        calendar=rows["calendar"],
        attendance=rows["attendance"],
        bad_rows=bad,
    )


def _rng(plan: _Plan, chunk: int, year: int, purpose: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([plan.seed, 1, chunk, year, purpose]))


@dataclass(frozen=True)
class _Chunk:
    tables: list[tuple[str, pa.Table]]
    bad: int
    end: int


def _make_chunk(plan: _Plan, chunk: int, start: int, size: int) -> _Chunk:
    """Make one chunk's students, enrollments and attendance tables, in writing order."""
    made: list[tuple[str, pa.Table]] = []
    state, bad = plan.state, 0
    rng = _rng(plan, chunk, 0, POPULATION)
    cohort = new_cohort(rng, state, first_number=start, size=size)
    seats = np.arange(size)
    late = np.full(size, 0.04)
    paths: YearPaths | None = None
    # Drift, recovery, Monday/Friday habits and illness draw from a stream of their own, so the
    # other streams draw exactly what they did before these patterns existed.
    habits = new_habits(_rng(plan, chunk, 0, HABITS), size)
    for y, calendars in enumerate(plan.calendars):
        patterns = _rng(plan, chunk, y, PATTERNS)
        if paths is not None:
            rng = _rng(plan, chunk, y, POPULATION)
            seats, starters = next_year(rng, cohort, state, paths)
            renew(patterns, habits, seats)
            cohort.number[seats] = cohort.generation[seats] * plan.seats + start + seats
            late = np.full(size, 0.3)
            late[seats[starters]] = 0.02  # new kindergartners start on time
        traits, students = draw_students(
            rng,
            state,
            numbers=cohort.number[seats],
            district=cohort.district[seats],
            grade=cohort.grade[seats],
            ungraded=cohort.ungraded[seats],
            start_year=calendars.year.start_year,
            dates=plan.dates,
        )
        assign_traits(cohort, seats, traits)
        contacts = contact_columns(_rng(plan, chunk, y, CONTACTS), students, cohort.district[seats])
        for name, values in contacts.items():
            students = students.append_column(name, values)
        made.append(("students", students))
        paths = enroll_year(
            rng, cohort, state, calendars, late_chance=late, final=y == len(plan.calendars) - 1
        )
        rows = paths.enrollments
        attendance = draw_attendance(_rng(plan, chunk, y, ABSENCE), cohort, rows, state, calendars)
        attendance = add_patterns(patterns, habits, rows, calendars, attendance)
        enrollments = tables.enrollments_table(cohort, rows, state, plan.dates)
        exceptions = tables.attendance_table(cohort, rows, attendance, state, plan.dates)
        if plan.messy:
            mess = messy_rows.Mess(_rng(plan, chunk, y, MESSY), state, calendars, plan.dates)
            enrollments = mess.enrollments(enrollments)
            exceptions = mess.attendance(exceptions, rows.district[attendance.enrollment],
                                         attendance.day)  # fmt: skip
            bad += mess.added
        made.append(("enrollments", enrollments))
        made.append(("attendance", exceptions))
    return _Chunk(made, bad, start + size)
