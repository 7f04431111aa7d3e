"""Trends through the year agree with the report run as of each bin's end."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from canonical import write_canonical
from outputs import absences, calendar_rows, school_days

from rollcall.engine import trends
from rollcall.engine.backend import connect
from rollcall.engine.pipeline import compute
from rollcall.period import reporting_period
from rollcall.policy import get_policy
from rollcall.synth import write_synthetic


def test_weeks_run_monday_to_sunday_and_cover_the_period():
    weeks = trends.weeks(reporting_period("2024-25"))
    assert weeks[0].start == date(2024, 7, 1) and weeks[0].end == date(2024, 7, 7)
    assert weeks[1].start == date(2024, 7, 8) and weeks[1].start.weekday() == 0
    assert weeks[-1].end == date(2025, 6, 30)
    assert all(b.start == a.end + timedelta(days=1) for a, b in pairwise(weeks))
    assert sum((w.end - w.start).days + 1 for w in weeks) == 365


def test_months_are_calendar_months_cut_at_as_of():
    months = trends.months(reporting_period("2024-25", date(2024, 12, 15)))
    assert [(m.start.month, m.end.day) for m in months] == [
        (7, 31),
        (8, 31),
        (9, 30),
        (10, 31),
        (11, 30),
        (12, 15),
    ]


def unit_trends(folder, bins_of, **options):
    backend = connect()
    computed = compute(backend, folder, policy=get_policy("attendance-works"), **options)
    bins = bins_of(computed.period)
    rows = backend.ibis.to_pyarrow(trends.unit_trends(computed, bins)).to_pylist()
    backend.close()
    return bins, rows


@pytest.mark.slow
def test_a_transfer_by_week_counts_days_once_and_the_rate_to_date(tmp_path):
    days = school_days(20, date(2024, 9, 2))  # four weeks, Monday 2 September on
    folder = write_canonical(
        tmp_path,
        schools=[{"school_id": "A", "district_id": "D"}, {"school_id": "B", "district_id": "D"}],
        students=[{"student_id": "s1"}],
        enrollments=[
            {
                "student_id": "s1",
                "school_id": "A",
                "grade": "3",
                "entry_date": days[0].isoformat(),
                "exit_date": days[11].isoformat(),
            },
            # Overlaps A on days 10 and 11 (shared dates count once in the district).
            {
                "student_id": "s1",
                "school_id": "B",
                "grade": "3",
                "entry_date": days[10].isoformat(),
                "exit_date": "",
            },
        ],
        calendar=calendar_rows(["A", "B"], days),
        attendance=absences("s1", "A", days[:2])
        + absences("s1", "B", days[15:16], "excused", "0.5"),
    )
    _, rows = unit_trends(folder, trends.weeks)
    district = {r["bin_start"]: r for r in rows if r["level"] == "district"}
    week = [days[0], days[5], days[10], days[15]]
    assert [district[w]["student_days"] for w in week] == [5, 5, 5, 5]
    assert [district[w]["absent_micro"] for w in week] == [2_000_000, 0, 0, 500_000]
    # Eligible from 10 days enrolled (end of week 2); 2 of 10 days is chronic, 2.5 of 20 is not.
    assert [district[w]["eligible"] for w in week] == [0, 1, 1, 1]
    assert [district[w]["chronically_absent"] for w in week] == [0, 1, 1, 1]
    school_a = {r["bin_start"]: r for r in rows if r["unit_id"] == "A"}
    assert school_a[days[10]]["student_days"] == 2


@pytest.mark.slow
def test_rate_to_date_matches_the_report_as_of_each_month_end(tmp_path):
    write_synthetic(tmp_path, students=300, seed=11)
    months, rows = unit_trends(tmp_path, trends.months)
    for month in months[2:11:4]:
        backend = connect()
        computed = compute(
            backend, tmp_path, policy=get_policy("attendance-works"), as_of=month.end
        )
        summary = backend.ibis.to_pyarrow(
            computed.summary.filter(computed.summary.dimension == "all")
        ).to_pylist()
        backend.close()
        expected = {
            (r["level"], r["unit_id"]): (r["eligible_students"], r["chronically_absent"])
            for r in summary
        }
        got = {
            (r["level"], r["unit_id"]): (r["eligible"], r["chronically_absent"])
            for r in rows
            if r["bin"] == month.number
        }
        assert got == expected, month


@pytest.mark.slow
def test_student_days_and_absences_add_up_to_the_whole_year(tmp_path):
    write_synthetic(tmp_path, students=200, seed=5)
    _, rows = unit_trends(tmp_path, trends.weeks)
    backend = connect()
    computed = compute(backend, tmp_path, policy=get_policy("attendance-works"))
    totals = backend.ibis.to_pyarrow(computed.students).to_pylist()
    backend.close()
    for level in ("school", "district", "total"):
        year_days = sum(r["days_enrolled"] for r in totals if r["level"] == level)
        year_absent = sum(r["days_absent"] for r in totals if r["level"] == level)
        assert sum(r["student_days"] for r in rows if r["level"] == level) == year_days
        assert sum(r["absent_micro"] for r in rows if r["level"] == level) == year_absent
