"""Each counting rule of docs/rules.md, with a hand-computed example."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from canonical import write_canonical
from outputs import absences, calendar_rows, run, school_days

from rollcall.policy import Policy

DAYS = school_days(180)
ONE_DISTRICT = [
    {"school_id": "A", "district_id": "D1"},
    {"school_id": "B", "district_id": "D1"},
    {"school_id": "C", "district_id": "D2"},
]


def enrollment(student: str, school: str, first: date, last: date | None = None, grade: str = "3"):
    return {
        "student_id": student,
        "school_id": school,
        "grade": grade,
        "entry_date": first.isoformat(),
        "exit_date": last.isoformat() if last else "",
    }


def one_student(tmp_path: Path, enrollments, attendance, *, days=DAYS, students=None) -> Path:
    return write_canonical(
        tmp_path,
        schools=ONE_DISTRICT,
        students=students or [{"student_id": "s1"}],
        enrollments=enrollments,
        calendar=calendar_rows(["A", "B", "C"], days),
        attendance=attendance,
    )


def test_transfer_student_is_chronic_at_district_but_not_at_new_school(tmp_path):
    # 82 days at A with 37 absent, then 96 days at B with 7 absent.
    folder = one_student(
        tmp_path,
        [enrollment("s1", "A", DAYS[0], DAYS[81]), enrollment("s1", "B", DAYS[82], DAYS[177])],
        absences("s1", "A", DAYS[:37]) + absences("s1", "B", DAYS[82:89], "excused"),
    )
    out = run(folder)
    a, b = out.student("school", "A", "s1"), out.student("school", "B", "s1")
    district = out.student("district", "D1", "s1")
    assert (a["days_enrolled"], a["days_absent"], a["chronically_absent"]) == ("82", "37", "true")
    assert (b["days_enrolled"], b["days_absent"], b["chronically_absent"]) == ("96", "7", "false")
    assert (district["days_enrolled"], district["days_absent"]) == ("178", "44")
    assert district["chronically_absent"] == "true"
    assert district["days_unexcused"] == "37" and district["days_excused"] == "7"
    assert district["absence_rate"] == "0.247191"  # 44 / 178 = 0.2471910...
    assert out.student("total", "total", "s1")["days_enrolled"] == "178"
    assert not out.has_student("district", "D2", "s1")


@pytest.mark.slow
def test_seventeen_of_170_days_is_chronic(tmp_path):
    days = DAYS[:170]
    folder = one_student(
        tmp_path, [enrollment("s1", "A", days[0])], absences("s1", "A", days[:17]), days=days
    )
    row = run(folder).student("school", "A", "s1")
    assert (row["days_enrolled"], row["days_absent"], row["absence_rate"]) == ("170", "17", "0.1")
    assert row["chronically_absent"] == "true"
    assert row["tier"] == "moderate"


@pytest.mark.slow
def test_sixteen_point_nine_of_170_days_is_not_chronic(tmp_path):
    days = DAYS[:170]
    attendance = absences("s1", "A", days[:16]) + absences("s1", "A", days[16:17], fraction="0.9")
    folder = one_student(tmp_path, [enrollment("s1", "A", days[0])], attendance, days=days)
    row = run(folder).student("school", "A", "s1")
    assert row["days_absent"] == "16.9"
    assert row["absence_rate"] == "0.099412"
    assert row["chronically_absent"] == "false"
    assert row["tier"] == "at_risk"


@pytest.mark.parametrize(
    ("enrolled", "eligible"), [(9, "false"), (10, "true")], ids=["9-days", "10-days"]
)
@pytest.mark.slow
def test_nine_enrolled_days_is_not_eligible_and_ten_is(tmp_path, enrolled, eligible):
    days = DAYS[:enrolled]
    folder = one_student(
        tmp_path, [enrollment("s1", "A", days[0])], absences("s1", "A", days[:9]), days=days
    )
    row = run(folder).student("school", "A", "s1")
    assert row["eligible"] == eligible
    if eligible == "false":
        assert row["chronically_absent"] == "" and row["tier"] == ""
    else:
        assert (row["chronically_absent"], row["tier"]) == ("true", "severe")


@pytest.mark.parametrize(
    ("policy", "days_absent", "eligible", "chronic"),
    [
        ("attendance-works", "1.8", "true", "false"),  # 0.5 + 0.5 + 0.4 + 0.4 of 20: 9%
        ("edfacts", "2", "true", "true"),  # the halves count whole, the 0.4s not: 10%
        ("california", "0", "false", ""),  # no whole day; 20 days is fewer than 31
    ],
)
@pytest.mark.slow
def test_partial_days_under_each_policy(tmp_path, policy, days_absent, eligible, chronic):
    days = DAYS[:20]
    attendance = absences("s1", "A", days[:2], "excused", "0.5") + absences(
        "s1", "A", days[2:4], "unexcused", "0.4"
    )
    folder = one_student(tmp_path, [enrollment("s1", "A", days[0])], attendance, days=days)
    row = run(folder, policy=policy).student("school", "A", "s1")
    assert (row["days_absent"], row["eligible"], row["chronically_absent"]) == (
        days_absent,
        eligible,
        chronic,
    )


@pytest.mark.slow
def test_half_days_in_the_rules_page_example(tmp_path):
    days = DAYS[:20]
    attendance = absences("s1", "A", days[:2], "excused", "0.5")
    folder = one_student(tmp_path, [enrollment("s1", "A", days[0])], attendance, days=days)
    aw = run(folder).student("school", "A", "s1")
    assert (aw["days_absent"], aw["tier"], aw["chronically_absent"]) == ("1", "at_risk", "false")
    ed = run(folder, policy="edfacts").student("school", "A", "s1")
    assert (ed["days_absent"], ed["chronically_absent"]) == ("2", "true")
    ca = run(folder, policy="california").student("school", "A", "s1")
    assert (ca["days_absent"], ca["eligible"]) == ("0", "false")


def test_concurrent_enrollment_counts_a_date_once_and_takes_the_smaller_absence(tmp_path):
    days = DAYS[:40]
    # Enrolled at A all 40 days and at B for days 10..19 (10 shared days).
    # On days 10..14 absent at A but present at B: absent at neither in the district.
    # On days 15..16 absent at both (excused at A, suspension at B): absent once.
    attendance = (
        absences("s1", "A", days[10:17], "excused")
        + absences("s1", "B", days[15:17], "suspension")
        + absences("s1", "A", days[30:32], "unexcused")
    )
    folder = one_student(
        tmp_path,
        [enrollment("s1", "A", days[0]), enrollment("s1", "B", days[10], days[19])],
        attendance,
        days=days,
    )
    out = run(folder)
    assert out.student("school", "A", "s1")["days_absent"] == "9"
    assert out.student("school", "B", "s1")["days_absent"] == "2"
    district = out.student("district", "D1", "s1")
    assert district["days_enrolled"] == "40"
    # Days 15, 16 (smaller absence: both 1; tie goes to suspension) + days 30, 31 at A.
    assert district["days_absent"] == "4"
    assert (district["days_suspension"], district["days_unexcused"]) == ("2", "2")
    assert district["days_excused"] == "0"


@pytest.mark.slow
def test_concurrent_enrollment_in_two_districts_is_separate_but_shared_in_total(tmp_path):
    days = DAYS[:20]
    folder = one_student(
        tmp_path,
        [enrollment("s1", "A", days[0]), enrollment("s1", "C", days[0])],
        absences("s1", "C", days[:4]),
        days=days,
    )
    out = run(folder)
    assert out.student("district", "D2", "s1")["days_absent"] == "4"
    assert out.student("district", "D1", "s1")["days_absent"] == "0"
    total = out.student("total", "total", "s1")
    assert (total["days_enrolled"], total["days_absent"]) == ("20", "0")


def test_shared_date_counts_once_only_when_both_schools_have_school_that_day(tmp_path):
    days = DAYS[:20]
    calendar = calendar_rows("A", days) + calendar_rows("B", days[:10])
    folder = write_canonical(
        tmp_path,
        schools=ONE_DISTRICT,
        students=[{"student_id": "s1"}],
        enrollments=[enrollment("s1", "A", days[0]), enrollment("s1", "B", days[0])],
        calendar=calendar,
        attendance=absences("s1", "A", days[12:14]),
    )
    out = run(folder)
    assert out.student("school", "B", "s1")["days_enrolled"] == "10"
    district = out.student("district", "D1", "s1")
    # B has no school on days 10..19, so those days count at A only, absences included.
    assert (district["days_enrolled"], district["days_absent"]) == ("20", "2")


def test_re_enrollment_counts_both_windows_and_not_the_gap(tmp_path):
    folder = one_student(
        tmp_path,
        [enrollment("s1", "A", DAYS[0], DAYS[29]), enrollment("s1", "A", DAYS[60], DAYS[89])],
        absences("s1", "A", DAYS[:3]),
    )
    row = run(folder).student("school", "A", "s1")
    assert (row["days_enrolled"], row["days_absent"]) == ("60", "3")


@pytest.mark.slow
def test_overlapping_windows_at_one_school_count_a_day_once(tmp_path):
    folder = one_student(
        tmp_path,
        [
            enrollment("s1", "A", DAYS[0], DAYS[49]),
            enrollment("s1", "A", DAYS[20], DAYS[59]),
            enrollment("s1", "A", DAYS[10], DAYS[15]),
        ],
        [],
    )
    assert run(folder).student("school", "A", "s1")["days_enrolled"] == "60"


@pytest.mark.slow
def test_grade_is_that_of_the_latest_entry_with_a_day_in_the_period(tmp_path):
    folder = one_student(
        tmp_path,
        [
            enrollment("s1", "A", DAYS[0], DAYS[49], grade="04"),
            enrollment("s1", "B", DAYS[50], grade="5"),
            # Starts in the next year: no day in the period, so it does not set the grade.
            enrollment("s1", "C", date(2025, 9, 1), grade="6"),
        ],
        [],
    )
    out = run(folder)
    assert out.student("school", "A", "s1")["grade"] == "4"
    assert out.student("district", "D1", "s1")["grade"] == "5"
    assert out.student("total", "total", "s1")["grade"] == "5"
    assert out.result.counts["enrollments.csv"].ignored == 1


@pytest.mark.slow
def test_tier_lower_bounds_are_inclusive(tmp_path):
    days = DAYS[:100]
    students = [{"student_id": f"s{n}"} for n in (4, 5, 10, 20)]
    enrollments = [enrollment(s["student_id"], "A", days[0]) for s in students]
    attendance = []
    for n in (4, 5, 10, 20):
        attendance += absences(f"s{n}", "A", days[:n])
    folder = one_student(tmp_path, enrollments, attendance, days=days, students=students)
    out = run(folder)
    tiers = {n: out.student("school", "A", f"s{n}")["tier"] for n in (4, 5, 10, 20)}
    assert tiers == {4: "satisfactory", 5: "at_risk", 10: "moderate", 20: "severe"}


@pytest.mark.slow
def test_california_requires_a_day_attended(tmp_path):
    days = DAYS[:40]
    students = [{"student_id": "s1"}, {"student_id": "s2"}]
    attendance = absences("s1", "A", days) + absences("s2", "A", days[:39])
    attendance += absences("s2", "A", days[39:], "excused", "0.5")
    enrollments = [enrollment("s1", "A", days[0]), enrollment("s2", "A", days[0])]
    folder = one_student(tmp_path, enrollments, attendance, days=days, students=students)
    out = run(folder, policy="california")
    assert out.student("school", "A", "s1")["eligible"] == "false"
    s2 = out.student("school", "A", "s2")
    assert (s2["eligible"], s2["days_absent"], s2["chronically_absent"]) == ("true", "39", "true")


@pytest.mark.slow
def test_california_dashboard_reports_tk_to_eighth_grade_only(tmp_path):
    days = DAYS[:40]
    students = [{"student_id": "s8"}, {"student_id": "s9"}, {"student_id": "tk"}]
    enrollments = [
        enrollment("s8", "A", days[0], grade="8"),
        enrollment("s9", "A", days[0], grade="9"),
        enrollment("tk", "A", days[0], grade="tk"),
    ]
    folder = one_student(tmp_path, enrollments, [], days=days, students=students)
    out = run(folder, policy="california-dashboard")
    assert out.has_student("school", "A", "s8") and out.has_student("school", "A", "tk")
    assert not out.has_student("school", "A", "s9")
    assert out.group("school", "A", "all", "all")["eligible_students"] == "2"


def test_as_of_counts_only_days_up_to_that_date(tmp_path):
    folder = one_student(
        tmp_path, [enrollment("s1", "A", DAYS[0])], absences("s1", "A", DAYS[:2] + DAYS[30:32])
    )
    out = run(folder, as_of=DAYS[19])
    row = out.student("school", "A", "s1")
    assert (row["days_enrolled"], row["days_absent"]) == ("20", "2")
    assert out.result.counts["attendance.csv"].ignored == 2
    assert out.result.period_end == DAYS[19]


@pytest.mark.slow
def test_year_chooses_the_school_year_and_other_years_are_ignored(tmp_path):
    next_year = school_days(10, date(2025, 9, 1))
    folder = write_canonical(
        tmp_path,
        schools=ONE_DISTRICT,
        students=[{"student_id": "s1"}],
        enrollments=[enrollment("s1", "A", DAYS[0])],
        calendar=calendar_rows("A", DAYS[:20] + next_year),
        attendance=absences("s1", "A", DAYS[:3] + next_year[:1]),
    )
    latest = run(folder)
    assert latest.result.school_year == "2025-26"
    assert latest.student("school", "A", "s1")["days_enrolled"] == "10"
    chosen = run(folder, year="2024-25")
    row = chosen.student("school", "A", "s1")
    assert (row["school_year"], row["days_enrolled"], row["days_absent"]) == ("2024-25", "20", "3")
    assert chosen.result.counts["calendar.csv"].ignored == 10


def test_summary_counts_eligible_students_by_group_with_unknown_for_empty_values(tmp_path):
    days = DAYS[:20]
    students = [
        {"student_id": "s1", "gender": "F", "first_name": "Ana", "birth_date": "2015-01-01"},
        {"student_id": "s2", "gender": "", "first_name": "Ben", "birth_date": "2015-02-01"},
        {"student_id": "s3", "gender": "M", "first_name": "Cy", "birth_date": "2015-03-01"},
    ]
    enrollments = [
        enrollment("s1", "A", days[0]),
        enrollment("s2", "A", days[0], grade="K"),
        enrollment("s3", "A", days[15]),  # 5 days: not eligible
    ]
    attendance = absences("s1", "A", days[:2]) + absences("s3", "A", days[15:17])
    folder = one_student(tmp_path, enrollments, attendance, days=days, students=students)
    out = run(folder)
    everyone = out.group("school", "A", "all", "all")
    assert (everyone["eligible_students"], everyone["chronically_absent"]) == ("2", "1")
    assert everyone["chronic_absence_rate"] == "0.5"
    assert (everyone["moderate"], everyone["satisfactory"]) == ("1", "1")  # 2 of 20 days: 10%
    assert out.group("school", "A", "gender", "unknown")["eligible_students"] == "1"
    male = out.group("school", "A", "gender", "M")
    assert (male["eligible_students"], male["chronic_absence_rate"]) == ("0", "")
    assert out.group("school", "A", "grade", "K")["chronically_absent"] == "0"
    dimensions = {r["dimension"] for r in out.summary}
    assert dimensions == {"all", "grade", "gender"}


def test_custom_policy_object_with_a_fifteen_percent_threshold(tmp_path):
    days = DAYS[:20]
    folder = one_student(
        tmp_path, [enrollment("s1", "A", days[0])], absences("s1", "A", days[:2]), days=days
    )
    policy = Policy(
        name="strict", description="", minimum_enrolled_days=5, threshold=Fraction(15, 100)
    )
    row = run(folder, policy=policy).student("school", "A", "s1")
    assert (row["chronically_absent"], row["tier"]) == ("false", "moderate")
