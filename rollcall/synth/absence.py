"""Daily attendance exceptions: absences, suspensions, tardies, early departures.

For every enrollment row and every instructional day of its window, one uniform draw decides the
day: absent with the student's daily rate times the day's weight (weekday, month, before a break),
else tardy, else an early departure. The rates multiply:

- the student's lasting propensity (lognormal, see :mod:`rollcall.synth.population`) and risk
  factors;
- the grade (higher in PK, TK and kindergarten, lowest in grades 2–5, rising through high school);
- the district and the school (each a lognormal effect).

Some absences start an illness run of 2–5 school days (these are full days, mostly excused). About
one absence in ten is a partial day (0.25, 0.5 or 0.75). Out-of-school suspensions come in episodes
of 1–5 days (1 in 50 episodes is a long one of 10–45 days), far more often in middle and high
school; in-school suspensions last a day or two. The whole matrix is drawn at once with numpy: no
Python loop runs per student or per day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rollcall.synth.calendars import YearCalendars
from rollcall.synth.districts import State, grade_index
from rollcall.synth.mobility import Enrollments
from rollcall.synth.population import Cohort

STATUSES = (
    "excused",
    "unexcused",
    "suspension",
    "tardy",
    "early_departure",
    "in_school_suspension",
)
EXCUSED, UNEXCUSED, SUSPENSION, TARDY, EARLY, IN_SCHOOL = range(6)
FRACTIONS = (None, "0.25", "0.5", "0.75")

# The median student's daily absence rate, before grade and risk factors; the spread of the
# lognormal propensity.
BASE_RATE = 0.035
SPREAD = 0.85
MAX_RATE = 0.8
BASE_TARDY = 0.023
TARDY_SPREAD = 1.0
BASE_EARLY = 0.005
RUN_START = 0.12  # share of absences that start a run
RUN_EXTRA = np.array([1, 2, 3, 4])  # extra days in a run
RUN_EXTRA_CHANCE = np.array([0.45, 0.3, 0.15, 0.1])
PARTIAL_SHARE = 0.1
SUSPENSION_EPISODES = 0.035  # per student-year, before risk and grade
IN_SCHOOL_EPISODES = 0.05

# By grade index: PK, TK, K, 1..12
GRADE_ABSENCE = np.array(
    [1.45, 1.35, 1.25, 1.0, 0.9, 0.88, 0.88, 0.9, 0.95, 1.0, 1.08, 1.2, 1.3, 1.42, 1.6, 1.2],
    dtype=np.float32,
)
GRADE_TARDY = np.array(
    [1.2, 1.1, 1.0, 0.9, 0.85, 0.85, 0.85, 0.9, 1.0, 1.05, 1.1, 1.3, 1.4, 1.5, 1.6, 1.3],
    dtype=np.float32,
)
GRADE_SUSPENSION = np.array(
    [0.02, 0.02, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 1.3, 1.6, 1.7, 1.8, 1.6, 1.3, 1.0, 1.5],
    dtype=np.float32,
)
HIGH_SCHOOL = grade_index(9)


@dataclass(frozen=True)
class Attendance:
    """Exception rows, as parallel arrays: enrollment row, day number, status, fraction code."""

    enrollment: np.ndarray
    day: np.ndarray
    status: np.ndarray
    fraction: np.ndarray

    def __len__(self) -> int:
        return len(self.enrollment)


def daily_rates(cohort: Cohort, rows: Enrollments, state: State) -> np.ndarray:
    """Each enrollment row's average daily absence rate."""
    seat = rows.seat
    rate = (
        BASE_RATE
        * np.exp(SPREAD * cohort.z[seat])
        * cohort.risk[seat]
        * GRADE_ABSENCE[rows.grade]
        * state.district_effect[rows.district]
        * state.school_effect[rows.school]
    )
    return np.minimum(rate, MAX_RATE).astype(np.float32)


def _episodes(
    rng: np.random.Generator,
    expected: np.ndarray,
    rows: Enrollments,
    lengths: np.ndarray,
    long_chance: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Cells (row, day index) covered by suspension-like episodes within each row's window."""
    count = rng.poisson(expected)
    row = np.repeat(np.arange(len(count)), count)
    span = rows.last[row] - rows.first[row] + 1
    start = rows.first[row] + (rng.random(len(row)) * span).astype(np.int32)
    length = lengths[rng.integers(0, len(lengths), len(row))]
    length = np.where(rng.random(len(row)) < long_chance, rng.integers(10, 46, len(row)), length)
    cell_row = np.repeat(row, length)
    offset = np.arange(len(cell_row)) - np.repeat(np.cumsum(length) - length, length)
    return cell_row, np.repeat(start, length) + offset


def _inside(
    rows: Enrollments, calendars: YearCalendars, row: np.ndarray, index: np.ndarray
) -> np.ndarray:
    """Whether each (row, day index) cell is an instructional day of the row's window and school."""
    return (
        (index >= rows.first[row])
        & (index <= rows.last[row])
        & (index != calendars.closure[rows.school[row]])
    )


def draw_attendance(
    rng: np.random.Generator,
    cohort: Cohort,
    rows: Enrollments,
    state: State,
    calendars: YearCalendars,
) -> Attendance:
    """The exception rows of every enrollment row of the year."""
    n, width = len(rows), calendars.days.shape[1]
    seat = rows.seat
    rate = daily_rates(cohort, rows, state)
    start = rate * np.float32(1 / (1 + RUN_START * 2.0))  # runs add about 2 days to a start
    tardy = (
        BASE_TARDY * np.exp(TARDY_SPREAD * cohort.tardy_z[seat] - 0.5) * GRADE_TARDY[rows.grade]
    ).astype(np.float32)
    early = np.float32(BASE_EARLY) * np.exp(0.7 * cohort.tardy_z[seat] - 0.25).astype(np.float32)
    # One uniform per row and day. Only draws under a row's highest threshold can be an exception,
    # so exact thresholds are computed for those few cells alone.
    heaviest = calendars.weights.max(axis=1)[rows.district]
    bound = start * heaviest + tardy * np.sqrt(heaviest) + early
    draw = rng.random((n, width), dtype=np.float32)
    row, index = np.nonzero(draw < bound[:, None])
    value = draw[row, index]
    del draw
    inside = _inside(rows, calendars, row, index)
    row, index, value = row[inside], index[inside], value[inside]
    weight = calendars.weights[rows.district[row], index]
    absent_below = start[row] * weight
    tardy_below = absent_below + tardy[row] * np.sqrt(weight)
    kind = np.select(
        [value < absent_below, value < tardy_below, value < tardy_below + early[row]],
        [EXCUSED + 1, TARDY + 1, EARLY + 1],
        0,
    ).astype(np.int8)
    code = np.zeros((n, width), dtype=np.int8)
    code[row, index] = kind
    absent = row * width + index
    absent = absent[kind == EXCUSED + 1]

    flat = code.reshape(-1)
    runs = absent[rng.random(len(absent)) < RUN_START]
    extra = rng.choice(RUN_EXTRA, size=len(runs), p=RUN_EXTRA_CHANCE)
    cells = np.repeat(runs, extra) + (
        np.arange(extra.sum()) - np.repeat(np.cumsum(extra) - extra, extra) + 1
    )
    within = (cells % width) >= (np.repeat(runs, extra) % width)  # stay within the row
    cells = cells[within & (cells < flat.size)]
    flat[np.concatenate([runs, cells])] = UNEXCUSED + 10  # marks a run day: full, mostly excused

    suspension_rate = (
        SUSPENSION_EPISODES
        * cohort.suspension_risk[seat]
        * GRADE_SUSPENSION[rows.grade]
        * np.sqrt(rate / BASE_RATE)
    )
    row, day = _episodes(rng, suspension_rate, rows, np.array([1, 1, 1, 2, 2, 3, 3, 5]), 0.02)
    keep = day < width
    code[row[keep], day[keep]] = SUSPENSION + 1
    row, day = _episodes(rng, suspension_rate * (IN_SCHOOL_EPISODES / SUSPENSION_EPISODES),
                         rows, np.array([1, 1, 2]), 0.0)  # fmt: skip
    keep = day < width
    row, day = row[keep], day[keep]
    free = code[row, day] == 0
    code[row[free], day[free]] = IN_SCHOOL + 1

    enrollment, index = np.nonzero(code)
    inside = _inside(rows, calendars, enrollment, index)
    enrollment, index = enrollment[inside], index[inside]
    status = code[enrollment, index]
    return _label(rng, rows, calendars, cohort, enrollment, index, status)


def _label(
    rng: np.random.Generator,
    rows: Enrollments,
    calendars: YearCalendars,
    cohort: Cohort,
    enrollment: np.ndarray,
    index: np.ndarray,
    code: np.ndarray,
) -> Attendance:
    """Turn codes into statuses: excused or unexcused by the student's habit; partial days."""
    seat = rows.seat[enrollment]
    high = rows.grade[enrollment] >= HIGH_SCHOOL
    logit = -0.5 + 0.9 * cohort.unexcused_z[seat] + np.where(high, 0.5, 0.0)
    unexcused_share = 1 / (1 + np.exp(-logit))
    u = rng.random(len(code))
    single = code == EXCUSED + 1
    run = code == UNEXCUSED + 10
    status = np.where(single | run, EXCUSED, code - 1).astype(np.int8)
    status[(single & (u < unexcused_share)) | (run & (u < unexcused_share * 0.3))] = UNEXCUSED
    partial = single & (rng.random(len(code)) < PARTIAL_SHARE)
    fraction = np.where(partial, rng.choice([1, 2, 3], len(code), p=[0.3, 0.45, 0.25]), 0)
    day = calendars.days[rows.district[enrollment], index]
    return Attendance(
        enrollment=enrollment.astype(np.int32),
        day=day.astype(np.int32),
        status=status,
        fraction=fraction.astype(np.int8),
    )
