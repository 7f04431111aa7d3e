"""School days from Ed-Fi sessions and calendars (rollcall/formats/edfi/calendar.py): examples,
and the rule against a day-by-day reference on random calendars."""

from __future__ import annotations

from datetime import date, timedelta

from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from rollcall.formats.edfi.calendar import school_days, session_notes
from rollcall.formats.edfi.descriptors import load_crosswalk
from rollcall.formats.edfi.model import CalendarDateRow, CalendarRow, SessionRow

CROSSWALK = load_crosswalk()
START = date(2024, 9, 2)  # a Monday
INSTRUCTIONAL = "uri://ed-fi.org/CalendarEventDescriptor#Instructional day"
HOLIDAY = "uri://ed-fi.org/CalendarEventDescriptor#Holiday"


def a_session(begin: date, end: date, total: int | None = None, school: str = "A") -> SessionRow:
    return SessionRow(school, "2024-2025", f"{begin}", begin.isoformat(), end.isoformat(),
                      None if total is None else str(total), "cal.xml", 3)  # fmt: skip


def a_date(day: date, *events: str, code: str = "C", school: str | None = None) -> CalendarDateRow:
    return CalendarDateRow(code, school, "2024-2025", day.isoformat(), events, "cal.xml", 9)


CALENDARS = [CalendarRow("C", "A", "2024-2025", "cal.xml", 5)]


def days_of(found, school: str = "A") -> list[str]:
    return [row.date for row in found.rows if row.school_id == school]


def test_a_calendar_date_named_by_code_and_year_belongs_to_its_calendar_school():
    found = school_days([], CALENDARS, [a_date(START, INSTRUCTIONAL)], CROSSWALK)
    assert [(r.school_id, r.date, r.line) for r in found.rows] == [("A", "2024-09-02", 9)]


def test_a_date_with_an_instructional_and_another_event_is_a_school_day():
    student_late = "uri://ed-fi.org/CalendarEventDescriptor#Student late arrival/early dismissal"
    found = school_days(
        [a_session(START, START + timedelta(4))],
        CALENDARS,
        [a_date(START, HOLIDAY, student_late)],
        CROSSWALK,
    )
    assert days_of(found)[0] == "2024-09-02"


def test_two_calendars_of_a_school_add_up():
    calendars = [*CALENDARS, CalendarRow("D", "A", "2024-2025", "cal.xml", 7)]
    found = school_days(
        [],
        calendars,
        [a_date(START, INSTRUCTIONAL), a_date(START + timedelta(1), INSTRUCTIONAL, code="D")],
        CROSSWALK,
    )
    assert days_of(found) == ["2024-09-02", "2024-09-03"]


def test_a_calendar_date_that_is_not_a_date_is_passed_on_for_the_engine_to_refuse():
    bad = CalendarDateRow("C", None, "2024-2025", "09/02/2024", (INSTRUCTIONAL,), "cal.xml", 9)
    found = school_days([], CALENDARS, [bad], CROSSWALK)
    assert days_of(found) == ["09/02/2024"]
    assert found.bad_dates == 1


def test_unmapped_events_are_counted():
    other = "uri://ed-fi.org/CalendarEventDescriptor#Other"
    found = school_days([], CALENDARS, [a_date(START, other), a_date(START, other)], CROSSWALK)
    assert found.unmapped == {other: 2}


def test_sessions_alike_at_several_schools_are_said_once():
    end = START + timedelta(11)  # two weeks: 10 weekdays
    sessions = [a_session(START, end, 9, school) for school in ("A", "B", "C")]
    found = school_days(sessions, [], [], CROSSWALK)
    notes = session_notes(found, 3)
    assert len(notes) == 2
    assert "too few for 3 of 3 schools" in notes[0]
    assert "at 3 schools: 10 school days derived from the weekdays" in notes[1]
    assert "TotalInstructionalDays says 9: 1 more here" in notes[1]


def reference(sessions, listed_on, listed_off) -> set[date]:
    """Day by day: a day is a school day when the calendar lists it as instructional, or when
    it is a weekday of a session the calendar does not describe (instructional dates on fewer
    than half its weekdays) and the calendar does not list it as a day off."""

    def weekdays(begin, end):
        return [begin + timedelta(n) for n in range((end - begin).days + 1)
                if (begin + timedelta(n)).weekday() < 5]  # fmt: skip

    def described(begin, end):
        inside = [d for d in listed_on if begin <= d <= end]
        return 2 * len(inside) >= len(weekdays(begin, end))

    days = set()
    for offset in range(80):
        day = START + timedelta(offset)
        if day in listed_on or (
            day.weekday() < 5
            and day not in listed_off
            and any(begin <= day <= end and not described(begin, end) for begin, end in sessions)
        ):
            days.add(day)
    return days


spans = st.tuples(st.integers(0, 60), st.integers(0, 19)).map(
    lambda t: (START + timedelta(t[0]), START + timedelta(t[0] + t[1]))
)


@settings(max_examples=examples(150), deadline=None)
@given(
    sessions=st.lists(spans, max_size=3),
    on=st.sets(st.integers(0, 79), max_size=40),
    off=st.sets(st.integers(0, 79), max_size=10),
)
def test_school_days_match_a_day_by_day_reference(sessions, on, off):
    listed_on = {START + timedelta(n) for n in on}
    listed_off = {START + timedelta(n) for n in off} - listed_on
    dates = [a_date(d, INSTRUCTIONAL) for d in listed_on]
    dates += [a_date(d, HOLIDAY) for d in listed_off]
    found = school_days([a_session(b, e) for b, e in sessions], CALENDARS, dates, CROSSWALK)
    assert {date.fromisoformat(d) for d in days_of(found)} == reference(
        sessions, listed_on, listed_off
    )
    assert len(days_of(found)) == len(set(days_of(found)))  # each day once


def test_days_against_the_stated_days_are_one_caution_with_their_numbers():
    end = START + timedelta(11)  # two weeks: 10 weekdays, the session says 9
    one = session_notes(school_days([a_session(START, end, 9, "A")], [], [], CROSSWALK), 1)
    cautions = [n for n in one if n.is_caution and n.kind == "calendar"]
    assert len(cautions) == 1 and (cautions[0].size, cautions[0].out_of) == (10, 9)
    assert "10 school days at school A where the calendar's own count says 9" in cautions[0].words
    # Two sessions at a school: each said in the detail, the year's sum as the one caution.
    later = end + timedelta(3)
    two = [a_session(START, end, 9, "A"), a_session(later, later + timedelta(11), 8, "A")]
    notes = session_notes(school_days(two, [], [], CROSSWALK), 1)
    cautions = [n for n in notes if n.is_caution and n.kind == "calendar"]
    assert [(n.size, n.out_of) for n in cautions] == [(20, 17)]
