"""School years and the reporting period: 1 July to 30 June, optionally cut at an as-of date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from rollcall.errors import OptionError

_YEAR = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Period:
    """The days that count: ``start`` to ``end``, both inclusive, inside ``school_year``."""

    school_year: str
    start: date
    end: date

    def dates(self) -> list[date]:
        """Every calendar date of the period, in order (at most 366)."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def school_year_name(start_year: int) -> str:
    """``2024`` → ``"2024-25"``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def school_year_of(day: date) -> str:
    """The school year a date belongs to: July to December start a year, January to June end it."""
    return school_year_name(day.year if day.month >= 7 else day.year - 1)


def parse_school_year(text: str) -> int:
    """The first calendar year of a school year written like ``2024-25``."""
    match = _YEAR.fullmatch(text.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise OptionError(
            f"school year {text!r} is not like 2024-25",
            hint="write the school year as YYYY-YY, the second year following the first",
        )
    return int(match.group(1))


def reporting_period(school_year: str, as_of: date | None = None) -> Period:
    """The period of ``school_year``, ending at ``as_of`` when it is given."""
    first = parse_school_year(school_year)
    start, end = date(first, 7, 1), date(first + 1, 6, 30)
    if as_of is not None:
        if not start <= as_of <= end:
            raise OptionError(
                f"--as-of {as_of.isoformat()} is outside the school year {school_year} "
                f"({start.isoformat()} to {end.isoformat()})"
            )
        end = as_of
    return Period(school_year=school_year_name(first), start=start, end=end)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th (1-based; -1 the last) ``weekday`` (Monday 0) of a month: how most US school
    holidays are fixed (Labor Day, Thanksgiving, Martin Luther King Jr. Day, Memorial Day)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)
