"""The report's data-quality findings: refused rows by reason, calendars that look wrong,
students counted nowhere, duplicates."""

from __future__ import annotations

from datetime import date

import pytest
from canonical import write_canonical
from outputs import absences, calendar_rows, school_days

from rollcall.engine.backend import connect
from rollcall.engine.pipeline import compute
from rollcall.policy import get_policy
from rollcall.report.quality import findings, holidays

DAYS = school_days(30, date(2024, 9, 3))  # the day after Labor Day 2024
SATURDAY, THANKSGIVING, LABOR_DAY = date(2024, 9, 7), date(2024, 11, 28), date(2024, 9, 2)


def found(tmp_path, **tables):
    folder = write_canonical(tmp_path / "in", **tables)
    backend = connect()
    try:
        computed = compute(backend, folder, policy=get_policy("attendance-works"))
        return {(f.topic, f.what): f for f in findings(computed)}
    finally:
        backend.close()


def base(calendar_a, calendar_b=DAYS, extra_attendance=()):
    return dict(
        schools=[{"school_id": "A"}, {"school_id": "B"}, {"school_id": "C"}],
        students=[{"student_id": s} for s in ("s1", "s2", "s3", "gone")],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "5", "entry_date": "2024-08-01"},
            {"student_id": "s2", "school_id": "B", "grade": "5", "entry_date": "2024-08-01"},
            {"student_id": "s3", "school_id": "C", "grade": "5", "entry_date": "2024-08-01"},
        ],
        calendar=calendar_rows("A", calendar_a)
        + calendar_rows("B", calendar_b)
        + calendar_rows("C", DAYS),
        attendance=absences("s1", "A", DAYS[-1:])
        + absences("s2", "B", DAYS[:2])
        + absences("s2", "B", DAYS[:1])
        + absences("s3", "C", DAYS[-1:])
        + list(extra_attendance),
    )


@pytest.mark.slow
def test_weekends_and_holidays_as_school_days_are_found(tmp_path):
    result = found(tmp_path, **base([*DAYS, SATURDAY, THANKSGIVING, LABOR_DAY]))
    weekend = result[("calendar", "school days on a Saturday or Sunday")]
    assert weekend.count == 1 and weekend.examples == ("school A, 2024-09-07",)
    holiday = result[("calendar", "school days on a public holiday")]
    assert holiday.count == 2


@pytest.mark.slow
def test_a_school_with_far_fewer_days_than_its_peers_is_found(tmp_path):
    result = found(tmp_path, **base(DAYS, calendar_b=DAYS[:20]))
    (odd,) = [f for (topic, what), f in result.items() if "median school" in what]
    assert odd.count == 1 and odd.examples == ("school B: 20 days",)


@pytest.mark.slow
def test_days_after_the_last_recorded_absence_are_found(tmp_path):
    result = found(tmp_path, **base(DAYS))
    (late,) = [f for (topic, what), f in result.items() if "last recorded absence" in what]
    # School B's last absence is on its second day, 28 school days before the end.
    assert late.count == 1 and late.examples[0].startswith("school B: 28 days after 2024-09-04")


@pytest.mark.slow
def test_refused_rows_duplicates_and_students_counted_nowhere(tmp_path):
    result = found(tmp_path, **base(DAYS))
    assert result[("rows refused", "attendance.csv: duplicate")].count == 1
    assert result[("duplicates", "attendance.csv: repeated rows")].count == 1
    (nowhere,) = [f for (topic, _), f in result.items() if topic == "students"]
    assert nowhere.count == 1


def test_holidays_of_a_school_year():
    days = holidays(2024)
    assert days[date(2024, 11, 28)] == "Thanksgiving"
    assert days[date(2025, 1, 20)] == "Martin Luther King Jr. Day"
    assert days[date(2025, 5, 26)] == "Memorial Day"
    assert days[date(2024, 9, 2)] == "Labor Day"
