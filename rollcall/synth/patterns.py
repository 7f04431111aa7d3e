"""Patterns of absence within a year that a student's steady daily rate does not make.

:mod:`rollcall.synth.absence` gives each student a rate that is the same all year, so a student's
absences are spread evenly through it. Real attendance is not like that, and an early warning
looks for exactly these departures (docs/early-warning.md's signals):

- **drift**: a few students disengage during a year, their absences rising from some point of
  the year to its end (Chicago's freshman-year studies saw attendance fall through the year,
  Allensworth and Easton 2007); a student who drifted last year is more likely to drift again;
- **recovery**: a few students' absences fall away from some point of the year;
- **a Monday/Friday habit**: a few students miss Mondays and Fridays far more than others (the
  pattern Attendance Works asks schools to look for), a habit that stays with the student;
- **illness**: an episode of several consecutive days, mostly excused, that befalls any student
  whatever their habits (the runs :mod:`~rollcall.synth.absence` makes grow with the student's
  rate; these do not).

Everything here draws from a random stream of its own (the generator's ``PATTERNS`` purpose), and
only adds rows on days the student had none, or removes absences: every other row is the one the
steady rates give, drawn exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rollcall.synth.absence import EXCUSED, UNEXCUSED, Attendance
from rollcall.synth.calendars import YearCalendars
from rollcall.synth.mobility import Enrollments

HABIT_SHARE = 0.06  # students with a Monday/Friday habit
HABIT_RATE = (0.08, 0.25)  # their extra chance of missing a Monday or a Friday
DRIFT_SHARE = 0.06  # students whose absences rise within a year
DRIFT_AGAIN = 0.3  # ... among those who drifted last year
DRIFT_PEAK = (0.08, 0.3)  # the extra daily chance of absence reached on the year's last day
RECOVER_SHARE = 0.04  # students whose absences fall away within a year
RECOVER_DROP = 0.8  # the chance an absence on the year's last day is gone
ONSET = 0.6  # drift and recovery start within the first 60% of the year's school days
ILLNESS_EPISODES = 0.2  # per student and year
ILLNESS_LENGTHS = np.array([2, 2, 3, 3, 4, 5])
UNEXCUSED_SHARE = {"drift": 0.6, "habit": 0.7, "illness": 0.1}


@dataclass
class Habits:
    """What a chunk's seats carry from year to year: the Monday/Friday habit (an extra daily
    chance, 0 without one) and whether the student drifted last year."""

    monday_friday: np.ndarray  # float32 per seat
    drifted: np.ndarray  # bool per seat


def new_habits(rng: np.random.Generator, size: int) -> Habits:
    habits = Habits(np.zeros(size, dtype=np.float32), np.zeros(size, dtype=bool))
    renew(rng, habits, np.arange(size))
    return habits


def renew(rng: np.random.Generator, habits: Habits, seats: np.ndarray) -> None:
    """New students in ``seats`` draw habits of their own."""
    has = rng.random(len(seats)) < HABIT_SHARE
    rate = rng.uniform(*HABIT_RATE, len(seats)).astype(np.float32)
    habits.monday_friday[seats] = np.where(has, rate, np.float32(0))
    habits.drifted[seats] = False


def add_patterns(
    rng: np.random.Generator,
    habits: Habits,
    rows: Enrollments,
    calendars: YearCalendars,
    attendance: Attendance,
) -> Attendance:
    """``attendance`` with the year's drift, recovery, Monday/Friday habits and illness."""
    seats = len(habits.drifted)
    width = calendars.days.shape[1]
    count = calendars.count[rows.district]
    onset = (rng.random(seats) * ONSET).astype(np.float32)[rows.seat] * count
    drifting = rng.random(seats) < np.where(habits.drifted, DRIFT_AGAIN, DRIFT_SHARE)
    peak = rng.uniform(*DRIFT_PEAK, seats).astype(np.float32)
    recovering = ~drifting & (rng.random(seats) < RECOVER_SHARE)

    def progress(row: np.ndarray, index: np.ndarray) -> np.ndarray:
        """How far through the year after the student's onset: 0 before it, 1 on the last day."""
        span = np.maximum(count[row] - onset[row], 1.0)
        return np.clip((index - onset[row]) / span, 0.0, 1.0)

    index = _day_index(calendars, rows.district[attendance.enrollment], attendance.day)
    taken = np.zeros((len(rows), width), dtype=bool)
    taken[attendance.enrollment, index] = True
    columns = np.arange(width)[None, :]

    drift_rows = np.flatnonzero(drifting[rows.seat])
    drift = peak[rows.seat[drift_rows]][:, None] * progress(drift_rows[:, None], columns)
    habit_rows = np.flatnonzero(habits.monday_friday[rows.seat] > 0)
    weekday = (calendars.days[rows.district[habit_rows]] + 3) % 7  # day 0 was a Thursday
    habit = np.where(
        (weekday == 0) | (weekday == 4), habits.monday_friday[rows.seat[habit_rows]][:, None], 0
    )
    added = [
        _cells(rng, rows, calendars, taken, drift_rows, drift, "drift"),
        _cells(rng, rows, calendars, taken, habit_rows, habit, "habit"),
        _illness(rng, rows, calendars, taken),
    ]
    absent = np.isin(attendance.status, (EXCUSED, UNEXCUSED))
    fading = RECOVER_DROP * progress(attendance.enrollment, index)
    drop = (
        recovering[rows.seat[attendance.enrollment]]
        & absent
        & (rng.random(len(attendance)) < fading)
    )
    habits.drifted[:] = drifting
    kept = Attendance(
        enrollment=attendance.enrollment[~drop],
        day=attendance.day[~drop],
        status=attendance.status[~drop],
        fraction=attendance.fraction[~drop],
    )
    return _sorted([kept, *added])


def _day_index(calendars: YearCalendars, district: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The index of each day in its district's calendar."""
    index = np.zeros(len(day), dtype=np.int64)
    for d in np.unique(district):
        mine = district == d
        index[mine] = np.searchsorted(calendars.days[d], day[mine])
    return index


def _cells(
    rng: np.random.Generator,
    rows: Enrollments,
    calendars: YearCalendars,
    taken: np.ndarray,
    which: np.ndarray,
    chance: np.ndarray,
    kind: str,
) -> Attendance:
    """Whole-day absences of the enrollment rows ``which`` where a uniform draw falls under
    ``chance`` (one row of it per enrollment row, one column per day), on free school days."""
    draw = rng.random(chance.shape, dtype=np.float32)
    row, index = np.nonzero(draw < chance)
    return _absences(rng, rows, calendars, taken, which[row], index, kind)


def _illness(
    rng: np.random.Generator, rows: Enrollments, calendars: YearCalendars, taken: np.ndarray
) -> Attendance:
    span = rows.last - rows.first + 1
    count = rng.poisson(ILLNESS_EPISODES * span / calendars.count[rows.district])
    row = np.repeat(np.arange(len(rows)), count)
    start = rows.first[row] + (rng.random(len(row)) * span[row]).astype(np.int32)
    length = ILLNESS_LENGTHS[rng.integers(0, len(ILLNESS_LENGTHS), len(row))]
    cell_row = np.repeat(row, length)
    offset = np.arange(len(cell_row)) - np.repeat(np.cumsum(length) - length, length)
    return _absences(rng, rows, calendars, taken, cell_row, np.repeat(start, length) + offset,
                     "illness")  # fmt: skip


def _absences(
    rng: np.random.Generator,
    rows: Enrollments,
    calendars: YearCalendars,
    taken: np.ndarray,
    row: np.ndarray,
    index: np.ndarray,
    kind: str,
) -> Attendance:
    """Absences in the cells that are school days of the row's window with no row yet (marked
    taken), unexcused with the kind's chance."""
    inside = (
        (index >= rows.first[row])
        & (index <= rows.last[row])
        & (index != calendars.closure[rows.school[row]])
    )
    row, index = row[inside], index[inside]
    cell = np.unique(row.astype(np.int64) * taken.shape[1] + index)
    row, index = cell // taken.shape[1], cell % taken.shape[1]
    free = ~taken[row, index]
    row, index = row[free], index[free]
    taken[row, index] = True
    unexcused = rng.random(len(row)) < UNEXCUSED_SHARE[kind]
    return Attendance(
        enrollment=row.astype(np.int32),
        day=calendars.days[rows.district[row], index].astype(np.int32),
        status=np.where(unexcused, UNEXCUSED, EXCUSED).astype(np.int8),
        fraction=np.zeros(len(row), dtype=np.int8),
    )


def _sorted(parts: list[Attendance]) -> Attendance:
    """The rows of every part, by enrollment row and day (as the steady draw writes them)."""
    enrollment = np.concatenate([p.enrollment for p in parts])
    day = np.concatenate([p.day for p in parts])
    order = np.lexsort((day, enrollment))
    return Attendance(
        enrollment=enrollment[order],
        day=day[order],
        status=np.concatenate([p.status for p in parts])[order],
        fraction=np.concatenate([p.fraction for p in parts])[order],
    )
