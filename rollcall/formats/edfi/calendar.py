"""School days from Ed-Fi sessions and calendars.

Ed-Fi describes a school's year twice: each Session has a BeginDate, an EndDate and the number
of instructional days it holds (TotalInstructionalDays), and each Calendar lists CalendarDates
with their events (Instructional day, Holiday, …). A complete calendar lists every school day;
many extracts list only a few dates, or none.

The rule, per school and session: when the school's calendars list instructional dates on at
least half of the session's weekdays, the calendar is taken as complete and its instructional
dates are the school days. Otherwise the school days are derived: every weekday (Monday to
Friday) from BeginDate to EndDate, less the dates the calendar marks as not instructional. Any
instructional date the calendar lists is a school day either way. Each session's count is then
checked against its TotalInstructionalDays and the difference is reported.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from rollcall.formats.edfi.descriptors import Crosswalk
from rollcall.formats.edfi.model import CalendarDateRow, CalendarRow, SessionRow
from rollcall.notes import Note


@dataclass(frozen=True)
class DayRow:
    """One school day of one school, and the element it comes from."""

    school_id: str | None
    date: str
    file: str
    line: int


@dataclass(frozen=True)
class SessionCheck:
    """A session's school days, counted, against what the session says it holds."""

    school_id: str
    name: str
    begin: date
    end: date
    derived: bool  # from the weekdays (True) or from a complete calendar (False)
    days: int
    stated: int | None  # TotalInstructionalDays


@dataclass
class SchoolDays:
    rows: list[DayRow] = field(default_factory=list)
    checks: list[SessionCheck] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)  # calendar event descriptors
    seen: Counter[str] = field(default_factory=Counter)  # every calendar event descriptor
    bad_dates: int = 0  # calendar dates or sessions without ISO dates (or a session's school)
    listed: int = 0  # calendar dates read
    listed_instructional: int = 0  # of which instructional

    @property
    def derived_schools(self) -> list[str]:
        return sorted({check.school_id for check in self.checks if check.derived})


def school_days(
    sessions: list[SessionRow],
    calendars: list[CalendarRow],
    dates: list[CalendarDateRow],
    crosswalk: Crosswalk,
) -> SchoolDays:
    """Every school day of every school (see the module's docstring for the rule)."""
    found = SchoolDays()
    listed: dict[str, dict[date, DayRow]] = defaultdict(dict)  # school → instructional dates
    off: dict[str, set[date]] = defaultdict(set)  # school → dates marked not instructional
    owners = _calendar_schools(calendars)
    for row in dates:
        instructional = _instructional(row.events, crosswalk, found)
        found.listed += 1
        found.listed_instructional += instructional is not False
        schools: list[str | None] = (
            [row.school_id] if row.school_id else list(owners.get((row.code, row.school_year), []))
        ) or [None]
        day = _date(row.date)
        if day is None:
            found.bad_dates += 1
            if instructional is not False:  # left as written: the engine refuses the date
                found.rows += [DayRow(s, row.date or "", row.file, row.line) for s in schools]
            continue
        for school in schools:
            if instructional is False:
                off[school or ""].add(day)
            else:
                listed[school or ""].setdefault(
                    day, DayRow(school, row.date or "", row.file, row.line)
                )
    days: dict[str, dict[date, DayRow]] = {school: dict(rows) for school, rows in listed.items()}
    for session in sessions:
        begin, end = _date(session.begin), _date(session.end)
        if begin is None or end is None or session.school_id is None:
            found.bad_dates += 1
            continue
        school = session.school_id
        weekdays = [d for d in _span(begin, end) if d.weekday() < 5]
        inside = [d for d in listed.get(school, {}) if begin <= d <= end]
        derived = 2 * len(inside) < len(weekdays)
        chosen = set(inside) | (set(weekdays) - off.get(school, set()) if derived else set())
        for day in chosen:
            days.setdefault(school, {}).setdefault(
                day, DayRow(school, day.isoformat(), session.file, session.line)
            )
        found.checks.append(
            SessionCheck(school, session.name or "", begin, end, derived, len(chosen),
                         _whole(session.total_days))
        )  # fmt: skip
    for school in sorted(days):
        found.rows += [days[school][d] for d in sorted(days[school])]
    return found


def _calendar_schools(
    calendars: list[CalendarRow],
) -> dict[tuple[str | None, str | None], list[str]]:
    """(calendar code, school year) → the schools with such a calendar."""
    owners: dict[tuple[str | None, str | None], list[str]] = defaultdict(list)
    for calendar in calendars:
        if (
            calendar.school_id
            and calendar.school_id not in owners[(calendar.code, calendar.school_year)]
        ):
            owners[(calendar.code, calendar.school_year)].append(calendar.school_id)
    return owners


def _instructional(events: tuple[str, ...], crosswalk: Crosswalk, found: SchoolDays) -> bool | None:
    """True when any event is instructional, False when every event is mapped and none is,
    None when an event is not mapped (the load stops on it) or there is no event (a date listed
    without an event is taken as a school day)."""
    meanings = []
    for event in events:
        found.seen[event] += 1
        meaning = crosswalk.instructional(event)
        if meaning is None:
            found.unmapped[event] += 1
        meanings.append(meaning)
    if any(meanings):
        return True
    if meanings and all(m is False for m in meanings):
        return False
    return None


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        return None
    return value if value.isoformat() == text else None


def _whole(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None


def _span(begin: date, end: date) -> list[date]:
    return [begin + timedelta(days=n) for n in range((end - begin).days + 1)]


def session_notes(found: SchoolDays, schools: int) -> list[str]:
    """What the calendar rule did, in words: which schools' days were derived, and each
    session's days against its TotalInstructionalDays (sessions alike at several schools are
    said once)."""
    notes: list[str] = []
    derived = found.derived_schools
    if derived:
        notes.append(
            Note(
                f"The calendar lists {_count(found.listed, 'date')} "
                f"({found.listed_instructional:,} instructional): too few for {len(derived)} of "
                f"{_count(schools, 'school')}, whose school days are derived from the sessions: "
                "every weekday from BeginDate to EndDate, less the dates the calendar marks as "
                "not instructional.",
                kind="assumed",
                plain=f"School days are assumed: the calendar lists {_count(found.listed, 'date')}"
                f", too few for {len(derived)} of {_count(schools, 'school')}, so every weekday "
                "of each term is counted as a school day, less the days the calendar marks as "
                "off.",
                size=len(derived),
                out_of=schools,
            )
        )
    groups: dict[tuple[str, date, date, bool, int, int | None], list[str]] = defaultdict(list)
    for check in found.checks:
        key = (check.name, check.begin, check.end, check.derived, check.days, check.stated)
        groups[key].append(check.school_id)
    checked = Counter(check.school_id for check in found.checks if check.stated is not None)
    for (name, begin, end, was_derived, days, stated), ids in groups.items():
        where = f"{name} ({begin} to {end}) at {_schools(ids)}"
        how = "derived from the weekdays" if was_derived else "from the calendar"
        text = f"{where}: {days} school days {how}; " + _against(days, stated)
        if stated is not None and days != stated and all(checked[i] == 1 for i in ids):
            # The school's only session: this note is the caution (no sum of sessions says it).
            notes.append(_conflict(text, days, stated, ids))
        else:
            notes.append(Note(text, kind="calendar", caution=False))
    return notes + conflict_notes(found, checked)


def conflict_notes(found: SchoolDays, checked: Counter[str]) -> list[str]:
    """The school year's days counted here against the sessions' TotalInstructionalDays, added
    up over the sessions of each school that has several: one caution for the schools alike (the
    per-session notes give the detail)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for check in found.checks:
        if check.stated is not None and checked[check.school_id] > 1:
            totals[check.school_id][0] += check.days
            totals[check.school_id][1] += check.stated
    alike: dict[tuple[int, int], list[str]] = defaultdict(list)
    for school, (days, stated) in sorted(totals.items()):
        if days != stated:
            alike[(days, stated)].append(school)
    return [
        _conflict(
            f"The sessions give {days:,} school days at {_schools(ids)} where their "
            f"TotalInstructionalDays say {stated:,} ({abs(days - stated):,} "
            f"{'more' if days > stated else 'fewer'}).",
            days,
            stated,
            ids,
        )
        for (days, stated), ids in alike.items()
    ]


def _conflict(text: str, days: int, stated: int, ids: list[str]) -> Note:
    """A caution: the school days counted disagree with the days the calendar states."""
    more = days > stated
    effect = (
        "Days off the calendar does not list are counted as school days, so students' enrolled "
        "days are overstated and their absence rates understated: the true rates are likely "
        "higher."
        if more
        else "Students' enrolled days are understated and their absence rates overstated."
    )
    return Note(
        text,
        kind="calendar",
        plain=f"Absence rates are likely {'under' if more else 'over'}stated, because the calendar "
        f"disagrees with itself: the terms' dates give {days:,} school days at "
        f"{_schools(ids)} where the calendar's own count says {stated:,} "
        f"({abs(days - stated):,} {'more' if more else 'fewer'}). {effect}",
        size=days,
        out_of=stated,
    )


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _schools(ids: list[str]) -> str:
    return f"school {ids[0]}" if len(ids) == 1 else f"{len(ids)} schools"


def _against(days: int, stated: int | None) -> str:
    if stated is None:
        return "the session gives no TotalInstructionalDays to check them against."
    if days == stated:
        return f"TotalInstructionalDays says {stated} too."
    if days > stated:
        return (
            f"TotalInstructionalDays says {stated}: {days - stated} more here (days off the "
            "calendar does not list are counted as school days, so days enrolled are overstated "
            "and absence rates understated)."
        )
    return (
        f"TotalInstructionalDays says {stated}: {stated - days} fewer here (days enrolled are "
        "understated and absence rates overstated)."
    )
