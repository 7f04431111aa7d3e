"""Enrollment windows: who stays the year, who arrives late, transfers, leaves, or comes back.

Within a school year each student follows one path, drawn with these chances:

| path | chance | enrollment rows |
|---|---|---|
| stays the year | the rest | one, first to last day |
| late entry | 4% of new students (30% of newcomers after the first year) | one, from a later day |
| leaves the state | 2.5% | one, ending mid-year |
| transfers within the district | 4.2% | two: an exit, then another school a few days later |
| transfers to another district | 2.2% | two, the second on the other district's calendar |
| re-enrolls at the same school | 0.6% | two at the same school, with a gap of 2–8 weeks |
| concurrent enrollment | 0.4% | the full year plus 3–8 weeks at a second school |

Between years students move up a grade (2.5% are held back), change school when their grade leaves
their school's span (to a school of the district that teaches it), and some move: 4% to another
school of the district, 3% to another district, 3% out of the state. Graduates and leavers are
replaced by new students, so each year has about the same number of students.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rollcall.synth.calendars import YearCalendars
from rollcall.synth.districts import GRADE_COUNT, PK, TK, UG, State, grade_index
from rollcall.synth.population import Cohort

LATE, EXIT, WITHIN, ACROSS, REENROLL, CONCURRENT, STAY = range(7)
PATH_CHANCE = {EXIT: 0.025, WITHIN: 0.042, ACROSS: 0.022, REENROLL: 0.006, CONCURRENT: 0.004}
GRADE_12 = grade_index(12)
K = grade_index("K")


@dataclass(frozen=True)
class Enrollments:
    """Enrollment rows of one school year, as parallel arrays.

    ``first``/``last`` index the instructional days of the school's district calendar (inclusive);
    ``entry``/``exit`` are day numbers, ``exit`` -1 when still enrolled.
    """

    seat: np.ndarray
    school: np.ndarray
    district: np.ndarray
    grade: np.ndarray
    first: np.ndarray
    last: np.ndarray
    entry: np.ndarray
    exit: np.ndarray

    def __len__(self) -> int:
        return len(self.seat)


@dataclass(frozen=True)
class YearPaths:
    """Each seat's path through the year, and its enrollment rows."""

    path: np.ndarray
    end_school: np.ndarray
    enrollments: Enrollments


def _other_school(
    rng: np.random.Generator, state: State, district: np.ndarray, grade: np.ndarray, school
) -> np.ndarray:
    """Another school of the district teaching the grade; the same school when there is none."""
    picked = state.pick_school(rng, district, grade)
    again = picked == school
    picked[again] = state.pick_school(rng, district[again], grade[again])
    return picked


def _draw_paths(rng: np.random.Generator, cohort: Cohort, late_chance: np.ndarray) -> np.ndarray:
    chances = np.zeros((len(cohort), 6), dtype=np.float64)
    chances[:, LATE] = np.where(cohort.new, late_chance, 0.0)
    for path, chance in PATH_CHANCE.items():
        chances[:, path] = chance
    return (rng.random(len(cohort))[:, None] >= np.cumsum(chances, axis=1)).sum(axis=1)


def enroll_year(
    rng: np.random.Generator,
    cohort: Cohort,
    state: State,
    calendars: YearCalendars,
    *,
    late_chance: np.ndarray,
    final: bool,
) -> YearPaths:
    """Draw each seat's path through the year and the enrollment rows it leaves behind.

    In the ``final`` year a student still enrolled on the last day has an empty exit date; in
    earlier years the exit date is the last instructional day. ``late_chance`` is each seat's
    chance of a late entry, when its student is new this year.
    """
    n = len(cohort)
    path = _draw_paths(rng, cohort, late_chance)
    district, school, grade = cohort.district, cohort.school, cohort.grade
    days = calendars.count[district]
    first = np.zeros(n, dtype=np.int32)
    last = days - 1
    u = rng.random(n)
    first = np.where(path == LATE, 5 + (u * (days * 0.8 - 5)).astype(np.int32), first)
    last = np.where(path == EXIT, 10 + (u * (days - 20)).astype(np.int32), last)
    moved = (path == WITHIN) | (path == ACROSS) | (path == REENROLL)
    last = np.where(moved, 15 + (u * days * 0.6).astype(np.int32), last)

    # Where the second enrollment is: another district, another school, or the same school.
    to_district = district.copy()
    across = np.flatnonzero(path == ACROSS)
    other = state.pick_district(rng, len(across))
    other = np.where(other == district[across], (other + 1) % state.districts, other)
    usable = state.has_school(other, grade[across])
    to_district[across[usable]] = other[usable]
    to_school = school.copy()
    second = np.flatnonzero((path == WITHIN) | (path == ACROSS) | (path == CONCURRENT))
    to_school[second] = _other_school(
        rng, state, to_district[second], grade[second], school[second]
    )
    # A district with one school for the grade: the move or second school is in another district.
    alone = np.flatnonzero((to_school == school) & ((path == WITHIN) | (path == CONCURRENT)))
    other = state.pick_district(rng, len(alone))
    other = np.where(other == district[alone], (other + 1) % state.districts, other)
    usable = state.has_school(other, grade[alone])
    alone, other = alone[usable], other[usable]
    to_district[alone] = other
    to_school[alone] = state.pick_school(rng, other, grade[alone])
    stuck = (to_school == school) & (path != REENROLL)
    path = np.where(stuck & (path != STAY) & (path != LATE) & (path != EXIT), STAY, path)
    last = np.where(stuck & (path == STAY), days - 1, last)

    primary = Enrollments(
        seat=np.arange(n, dtype=np.int32),
        school=school,
        district=district,
        grade=np.where(cohort.ungraded, UG, grade).astype(np.int8),
        first=first,
        last=last,
        entry=np.zeros(n, dtype=np.int32),
        exit=np.zeros(n, dtype=np.int32),
    )
    extra = _second_enrollments(rng, path, primary, to_school, to_district, calendars)
    rows = _with_dates(_concat(primary, extra), calendars, final=final)
    order = np.lexsort((rows.entry, rows.seat))
    transferred = (path == WITHIN) | (path == ACROSS)
    end_school = np.where(transferred, to_school, school).astype(np.int32)
    return YearPaths(path=path, end_school=end_school, enrollments=_take(rows, order))


def _second_enrollments(
    rng: np.random.Generator,
    path: np.ndarray,
    primary: Enrollments,
    to_school: np.ndarray,
    to_district: np.ndarray,
    calendars: YearCalendars,
) -> Enrollments:
    """The enrollment after a transfer or a re-enrollment, and the concurrent one."""
    seats = np.flatnonzero((path == WITHIN) | (path == ACROSS) | (path == REENROLL))
    seats = np.concatenate([seats, np.flatnonzero(path == CONCURRENT)])
    n = len(seats)
    kind = path[seats]
    old = primary.district[seats]
    new = to_district[seats]
    count = calendars.count[new]
    left_on = calendars.days[old, primary.last[seats]]
    gap = np.minimum(1 + rng.geometric(0.35, n), 21)
    start = (calendars.days[new] < (left_on + gap)[:, None]).sum(axis=1).astype(np.int32)
    back = primary.last[seats] + 10 + rng.integers(0, 31, n)
    start = np.where(kind == REENROLL, back, start)
    concurrent_start = (10 + rng.random(n) * (count - 60)).astype(np.int32)
    start = np.where(kind == CONCURRENT, concurrent_start, start)
    end = np.where(kind == CONCURRENT, start + 15 + rng.integers(0, 26, n), count - 1)
    start = np.minimum(start, count - 1)
    return Enrollments(
        seat=seats.astype(np.int32),
        school=to_school[seats],
        district=new,
        grade=primary.grade[seats],
        first=start.astype(np.int32),
        last=np.minimum(end, count - 1).astype(np.int32),
        entry=np.zeros(n, dtype=np.int32),
        exit=np.zeros(n, dtype=np.int32),
    )


def _concat(a: Enrollments, b: Enrollments) -> Enrollments:
    return Enrollments(
        *(np.concatenate([getattr(a, f), getattr(b, f)]) for f in Enrollments.__dataclass_fields__)
    )


def _take(rows: Enrollments, order: np.ndarray) -> Enrollments:
    return Enrollments(*(getattr(rows, f)[order] for f in Enrollments.__dataclass_fields__))


def _with_dates(rows: Enrollments, calendars: YearCalendars, *, final: bool) -> Enrollments:
    entry = calendars.days[rows.district, rows.first]
    exit_ = calendars.days[rows.district, rows.last]
    open_ended = final & (rows.last == calendars.count[rows.district] - 1)
    return Enrollments(
        seat=rows.seat,
        school=rows.school,
        district=rows.district,
        grade=rows.grade,
        first=rows.first,
        last=rows.last,
        entry=entry,
        exit=np.where(open_ended, -1, exit_).astype(np.int32),
    )


def next_year(
    rng: np.random.Generator, cohort: Cohort, state: State, paths: YearPaths
) -> tuple[np.ndarray, np.ndarray]:
    """Move the cohort into the next school year, in place.

    Returns the seats taken by new students and, for each, whether it replaces a graduate (a new
    kindergartner or preschooler) rather than a student who left (a newcomer of any grade).
    """
    n = len(cohort)
    cohort.school = paths.end_school.copy()
    cohort.district = state.school_district[cohort.school]

    graduate = (cohort.grade == GRADE_12) & ~cohort.ungraded
    u = rng.random(n)
    leaves = (paths.path == EXIT) | graduate | (u < 0.03)
    leaves |= cohort.ungraded & (u < 0.25)
    held_back = rng.random(n) < 0.025
    to_tk = (rng.random(n) < 0.5) & state.has_school(cohort.district, np.full(n, TK))
    grade = np.where(cohort.grade == PK, np.where(to_tk, TK, K), cohort.grade + 1)
    grade = np.where(cohort.grade == TK, K, grade)
    cohort.grade = np.where(held_back, cohort.grade, np.minimum(grade, GRADE_COUNT - 1))
    cohort.grade = cohort.grade.astype(np.int8)

    move = rng.random(n)
    across = move < 0.03
    new_district = state.pick_district(rng, n)
    cohort.district = np.where(across, new_district, cohort.district).astype(np.int32)
    must_change = (move < 0.07) | ~state.serves[cohort.school, cohort.grade]
    must_change |= state.school_district[cohort.school] != cohort.district
    changing = np.flatnonzero(must_change)
    cohort.school[changing] = state.pick_school(
        rng, cohort.district[changing], cohort.grade[changing]
    )
    cohort.z = (0.8 * cohort.z + 0.6 * rng.standard_normal(n, dtype=np.float32)).astype(np.float32)

    seats = np.flatnonzero(leaves)
    starter = graduate[seats]
    district = np.where(starter, cohort.district[seats], state.pick_district(rng, len(seats)))
    grade = state.pick_grade(rng, district)
    starting = np.where(rng.random(len(seats)) < 0.8, K, PK).astype(np.int8)
    starting = np.where(state.has_school(district, starting), starting, K)
    grade = np.where(starter, starting, grade).astype(np.int8)
    cohort.district[seats] = district
    cohort.grade[seats] = grade
    cohort.school[seats] = state.pick_school(rng, district, grade)
    cohort.ungraded[seats] = rng.random(len(seats)) < 0.001
    cohort.generation[seats] += 1
    cohort.new[:] = False
    cohort.new[seats] = True
    return seats, starter
