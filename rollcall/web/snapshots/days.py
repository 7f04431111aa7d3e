"""A student's school days from the newest snapshot's day-level rows: the attendance calendar
of the student page and the absence rate over any stretch of dates (the follow-through's "4
weeks before a plan and 4 weeks after").

The engine decided every day (docs/rules.md): which dates were instructional at each school,
which fell inside an enrollment window, how much of each was missed and why. This module only
reads those rows back, date by date; it counts a date once even when the student was enrolled
at two schools that day, as the district level does.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from rollcall.engine.micro import MICRO
from rollcall.web.snapshots.models import SchoolCalendar, Snapshot, Student, StudentDays

REASONS = ("excused", "unexcused", "suspension")

# What a date was for the student.
NO_SCHOOL = "no-school"  # not an instructional day at any of the student's schools
NOT_ENROLLED = "not-enrolled"  # a school day, but outside every enrollment window
PRESENT = "present"
ABSENT = "absent"  # the whole day
PART = "part"  # part of the day


@dataclass(frozen=True)
class Day:
    date: date
    kind: str
    absent: Decimal = Decimal(0)  # the share of the day missed
    reason: str = ""  # the larger category of the day's absence: excused, unexcused, suspension


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[Day | None]]  # Monday to Sunday; None outside the month


@dataclass(frozen=True)
class Stretch:
    """The school days a student was enrolled in a stretch of dates, and the days missed."""

    start: date
    end: date
    enrolled: int
    absent: Decimal

    @property
    def rate(self) -> Decimal | None:
        return self.absent / self.enrolled if self.enrolled else None


class StudentCalendar:
    """A student's days in a snapshot, across every school they attended in it."""

    def __init__(
        self,
        snapshot: Snapshot,
        rows: Iterable[StudentDays],
        school_days: dict[int, set[date]],
        hidden_reasons: frozenset[str] = frozenset(),
    ):
        self.snapshot = snapshot
        self._hidden = hidden_reasons  # reasons the reader may not see (a partner's suspensions)
        self._school_days: set[date] = set()  # instructional at one of the student's schools
        self._enrolled: set[date] = set()
        self._absent: dict[date, list[int]] = {}
        for row in rows:
            days = school_days.get(row.school_id, set())
            self._school_days |= days
            for start, end in row.windows:
                first, last = date.fromisoformat(start), date.fromisoformat(end)
                self._enrolled |= {d for d in days if first <= d <= last}
            for day, amounts in row.absences.items():
                found = self._absent.setdefault(date.fromisoformat(day), [0, 0, 0, 0])
                for n, amount in enumerate(amounts):
                    found[n] += amount

    def day(self, when: date) -> Day:
        if when not in self._school_days:
            return Day(when, NO_SCHOOL)
        if when not in self._enrolled:
            return Day(when, NOT_ENROLLED)
        amounts = self._absent.get(when)
        if not amounts or amounts[0] <= 0:
            return Day(when, PRESENT)
        # Two schools the same day count once, as at the district level: never more than a day.
        absent = min(amounts[0], MICRO)
        reasons = dict(zip(REASONS, amounts[1:], strict=True))
        reason = max(REASONS, key=lambda r: reasons[r]) if any(reasons.values()) else ""
        reason = "" if reason in self._hidden else reason
        return Day(when, ABSENT if absent == MICRO else PART, Decimal(absent) / MICRO, reason)

    def months(self) -> list[Month]:
        """The period's months with school days (at the student's schools), newest first, as
        Monday-to-Sunday weeks: the summer before the first day of school is left out."""
        with_school = {(d.year, d.month) for d in self._school_days}
        found = []
        first = self.snapshot.period_start.replace(day=1)
        while first <= self.snapshot.period_end:
            if (first.year, first.month) in with_school:
                found.append(Month(first, self._weeks(first)))
            first = (first + timedelta(days=32)).replace(day=1)
        return found[::-1]

    def _weeks(self, first: date) -> list[list[Day | None]]:
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
            weeks.append(
                [
                    self.day(d)
                    if d.month == first.month
                    and self.snapshot.period_start <= d <= self.snapshot.period_end
                    else None
                    for d in week
                ]
            )
        return weeks

    def stretch(self, start: date, end: date) -> Stretch:
        """The enrolled school days from ``start`` to ``end`` (inclusive) and the days missed,
        within what the snapshot holds (its period)."""
        enrolled = [d for d in self._enrolled if start <= d <= end]
        absent = sum((self.day(d).absent for d in enrolled), Decimal(0))
        return Stretch(start, end, len(enrolled), absent)


def calendars_for(
    students: Iterable[Student], snapshot: Snapshot, hidden_reasons: frozenset[str] = frozenset()
) -> dict[int, StudentCalendar]:
    """Each student's calendar in ``snapshot`` (empty for a snapshot without day-level rows:
    older snapshots, and refreshes from per-student totals), by student pk; the reasons in
    ``hidden_reasons`` are not told."""
    pks = [s.pk for s in students]
    rows: dict[int, list[StudentDays]] = {pk: [] for pk in pks}
    for row in StudentDays.objects.filter(snapshot=snapshot, student__in=pks):
        rows[row.student_id].append(row)
    schools = {row.school_id for found in rows.values() for row in found}  # theirs only
    school_days = {
        c.school_id: {date.fromisoformat(d) for d in c.days}
        for c in SchoolCalendar.objects.filter(snapshot=snapshot, school__in=schools)
    }
    return {
        pk: StudentCalendar(snapshot, found, school_days, hidden_reasons)
        for pk, found in rows.items()
    }


def has_days(snapshot: Snapshot) -> bool:
    """Whether ``snapshot`` holds day-level rows (the newest of a day-level refresh)."""
    return SchoolCalendar.objects.filter(snapshot=snapshot).exists()
