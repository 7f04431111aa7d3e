"""School years and district calendars: instructional days, holidays, breaks and day weights.

Each district draws its own calendar for each school year: a first day between mid-August and
early September, the usual US holidays (some taken by every district, some by a few), a winter
break, a spring break in a week of its choosing, a few teacher work days of its own, and as many
instructional days (175 to 182) as it needs to end between late May and mid-June.

Days are held as numpy ``int32`` day numbers (days since 1970-01-01), which index the shared table
of ISO date strings built by :func:`date_strings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from rollcall.errors import OptionError
from rollcall.period import nth_weekday

EPOCH = date(1970, 1, 1)

_YEAR_NAME = re.compile(r"(\d{4})-(\d{2})")

# Relative absence by weekday (Monday first) and by month (index 1..12): Mondays and Fridays are
# higher; winter (December to February) is higher, early autumn lower.
WEEKDAY_WEIGHT = np.array([1.15, 0.93, 0.90, 0.93, 1.20, 0.0, 0.0], dtype=np.float32)
MONTH_WEIGHT = np.array(
    [0, 1.20, 1.15, 1.00, 0.95, 1.05, 1.20, 1.0, 0.80, 0.80, 0.90, 1.00, 1.15], dtype=np.float32
)
# The school day before a long weekend, and before a break of a week or more.
BEFORE_LONG_WEEKEND = 1.35
BEFORE_BREAK = 1.6


def day_number(day: date) -> int:
    """Days since 1970-01-01."""
    return (day - EPOCH).days


@dataclass(frozen=True)
class SchoolYear:
    """A school year, 1 July to 30 June, named like ``2025-26``."""

    start_year: int

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        match = _YEAR_NAME.fullmatch(text.strip())
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            raise OptionError(
                f"school year {text!r} is not a year name like 2025-26",
                hint="write the year it starts and the last two digits of the next: 2025-26",
            )
        return cls(int(match.group(1)))

    @property
    def name(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first(self) -> date:
        return date(self.start_year, 7, 1)

    @property
    def last(self) -> date:
        return date(self.start_year + 1, 6, 30)

    def earlier(self, years: int) -> SchoolYear:
        return SchoolYear(self.start_year - years)


@dataclass(frozen=True)
class DistrictCalendar:
    """One district's instructional days in one school year, with a relative absence weight each.

    ``closed`` holds the weekdays between the first and the last day that are not instructional
    (holidays, breaks, teacher work days).
    """

    days: np.ndarray  # int32 day numbers, sorted
    weights: np.ndarray  # float32, mean 1 over the days
    closed: np.ndarray  # int32 day numbers


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _week(monday: date, days: int = 5) -> list[date]:
    return [monday + timedelta(days=i) for i in range(days)]


def _holidays(y: int, rng: np.random.Generator) -> set[date]:
    """The district's non-instructional weekdays of the school year starting in ``y``."""
    closed = {nth_weekday(y, 9, 0, 1), date(y, 12, 25), date(y + 1, 1, 1)}  # Labor Day
    if rng.random() < 0.45:
        closed.add(nth_weekday(y, 10, 0, 2))  # Indigenous Peoples' / Columbus Day
    if rng.random() < 0.55:
        closed.add(date(y, 11, 11))  # Veterans Day
    thanksgiving = nth_weekday(y, 11, 3, 4)
    style = rng.choice(3, p=[0.45, 0.35, 0.20])
    closed.update(thanksgiving + timedelta(days=i) for i in range((0, -1, -3)[style], 2))
    dec22 = date(y, 12, 22)
    monday = dec22 - timedelta(days=dec22.weekday()) + timedelta(days=7 * (dec22.weekday() >= 5))
    start = monday - timedelta(days=3 * int(rng.random() < 0.25))
    end = monday + timedelta(days=13 + int(rng.random() < 0.3))
    closed.update(start + timedelta(days=i) for i in range((end - start).days + 1))
    closed.add(nth_weekday(y + 1, 1, 0, 3))  # Martin Luther King Jr. Day
    presidents = nth_weekday(y + 1, 2, 0, 3)
    closed.update(_week(presidents) if rng.random() < 0.2 else [presidents])
    easter = _easter(y + 1)
    if rng.random() < 0.35:
        spring = easter + timedelta(days=1)  # the week after Easter
    else:
        spring = nth_weekday(y + 1, 3, 0, 2) + timedelta(days=7 * int(rng.integers(0, 5)))
    closed.update(_week(spring))
    if rng.random() < 0.3:
        closed.add(easter - timedelta(days=2))  # Good Friday
    closed.add(nth_weekday(y + 1, 5, 0, -1))  # Memorial Day
    closed.add(date(y + 1, 6, 19))  # Juneteenth
    if rng.random() < 0.25:
        closed.add(nth_weekday(y, 11, 1, 1) + timedelta(days=7 * (date(y, 11, 1).weekday() == 1)))
    # The district's own teacher work days, spread through the year.
    for month in rng.choice([9, 10, 11, 1, 2, 3, 4], size=int(rng.integers(2, 5)), replace=False):
        year = y if month >= 7 else y + 1
        closed.add(date(year, int(month), 1) + timedelta(days=int(rng.integers(0, 27))))
    return closed


def district_calendar(year: SchoolYear, rng: np.random.Generator) -> DistrictCalendar:
    """Draw one district's calendar for a school year."""
    y = year.start_year
    closed = _holidays(y, rng)
    if rng.random() < 0.15:  # after Labor Day, as some northeastern districts start
        first, target = nth_weekday(y, 9, 0, 1), int(rng.integers(175, 179))
    else:
        first = date(y, 8, 11) + timedelta(days=int(rng.integers(0, 21)))
        target = int(rng.integers(175, 183))
    while first.weekday() >= 5 or first in closed:
        first += timedelta(days=1)
    weekdays = np.arange(
        np.datetime64(first, "D"), np.datetime64(year.last, "D") + 1, dtype="datetime64[D]"
    )
    weekdays = weekdays[np.is_busday(weekdays)]
    closed_days = np.array(sorted(closed), dtype="datetime64[D]")
    is_open = ~np.isin(weekdays, closed_days)
    days = weekdays[is_open][:target]
    shut = weekdays[~is_open]
    shut = shut[shut < days[-1]]
    return DistrictCalendar(
        days=days.astype(np.int32),
        weights=_day_weights(days),
        closed=shut.astype(np.int32),
    )


def _day_weights(days: np.ndarray) -> np.ndarray:
    """Relative absence on each instructional day, normalised to mean 1."""
    numbers = days.astype(np.int64)
    weekday = (numbers + 3) % 7  # 1970-01-01 was a Thursday
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    weights = WEEKDAY_WEIGHT[weekday] * MONTH_WEIGHT[month]
    gap = np.diff(numbers, append=numbers[-1] + 1)
    weights = np.where(gap >= 4, weights * BEFORE_LONG_WEEKEND, weights)
    weights = np.where(gap >= 8, weights * (BEFORE_BREAK / BEFORE_LONG_WEEKEND), weights)
    return (weights / weights.mean()).astype(np.float32)


@dataclass(frozen=True)
class YearCalendars:
    """Every district's calendar for one school year, stacked for vectorised lookups.

    ``days[d, j]`` is district ``d``'s j-th instructional day (padded past ``count[d]`` with a day
    after the year ends, weight 0); ``closure[s]`` is the index of a school's one extra closure day
    in its district calendar, or -1.
    """

    year: SchoolYear
    calendars: tuple[DistrictCalendar, ...]
    days: np.ndarray
    weights: np.ndarray
    count: np.ndarray
    closure: np.ndarray


def year_calendars(
    year: SchoolYear, districts: int, school_district: np.ndarray, rng: np.random.Generator
) -> YearCalendars:
    """All district calendars of a year, and the occasional school with one extra closure day."""
    calendars = tuple(district_calendar(year, rng) for _ in range(districts))
    count = np.array([len(c.days) for c in calendars], dtype=np.int32)
    width = int(count.max())
    pad = day_number(year.last) + 1
    days = np.full((districts, width), pad, dtype=np.int32)
    weights = np.zeros((districts, width), dtype=np.float32)
    for d, calendar in enumerate(calendars):
        days[d, : count[d]] = calendar.days
        weights[d, : count[d]] = calendar.weights
    school_days = count[school_district]
    has_closure = rng.random(len(school_district)) < 0.05
    picked = (rng.random(len(school_district)) * (school_days - 20)).astype(np.int32) + 10
    closure = np.where(has_closure, picked, -1).astype(np.int32)
    return YearCalendars(year, calendars, days, weights, count, closure)


def date_strings(first: date, last: date) -> tuple[int, pa.Array]:
    """ISO strings for every day from ``first`` to ``last``: (day number of the first, strings)."""
    count = (last - first).days + 1
    strings = [(first + timedelta(days=i)).isoformat() for i in range(count)]
    return day_number(first), pa.array(strings, type=pa.string())
