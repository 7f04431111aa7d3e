"""Hand-computed examples that pin the reference (tests/reference.py) to docs/rules.md."""

from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from rollcall.policy import POLICIES, Policy
from tests.canonical import write_canonical
from tests.reference import (
    ReferenceRunError,
    format_decimal,
    parse_fraction,
    reference_report,
)

AW = POLICIES["attendance-works"]
ONE_DISTRICT = [
    {"school_id": "A", "school_name": "Adams", "district_id": "D1"},
    {"school_id": "B", "school_name": "Baker", "district_id": "D1"},
]


def weekdays(start: datetime.date, count: int) -> list[datetime.date]:
    days: list[datetime.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


DAYS = weekdays(datetime.date(2024, 8, 26), 200)


def calendar_of(*schools: str, days: list[datetime.date]) -> list[dict[str, object]]:
    return [{"school_id": school, "date": day} for school in schools for day in days]


def absences(student: str, school: str, days, status="unexcused", fraction=""):
    return [
        {
            "student_id": student,
            "school_id": school,
            "date": day,
            "status": status,
            "absent_fraction": fraction,
        }
        for day in days
    ]


def custom(minimum: int = 1, **changes) -> Policy:
    return Policy(name="custom", description="test", minimum_enrolled_days=minimum, **changes)


def metric(report, level: str, unit_id: str, student_id: str) -> dict[str, str]:
    found = [
        row
        for row in report["student_metrics"]
        if (row["level"], row["unit_id"], row["student_id"]) == (level, unit_id, student_id)
    ]
    assert len(found) == 1, found
    return found[0]


def units_of(report, student_id: str) -> set[tuple[str, str]]:
    return {
        (row["level"], row["unit_id"])
        for row in report["student_metrics"]
        if row["student_id"] == student_id
    }


def decisions(row: dict[str, str]) -> tuple[str, ...]:
    return (
        row["days_enrolled"],
        row["days_absent"],
        row["absence_rate"],
        row["eligible"],
        row["chronically_absent"],
        row["tier"],
    )


def test_transfer_student_is_chronic_at_district_but_not_at_new_school(tmp_path: Path) -> None:
    days = DAYS[:178]
    write_canonical(
        tmp_path,
        schools=ONE_DISTRICT,
        students=[{"student_id": "s1"}],
        enrollments=[
            {
                "student_id": "s1",
                "school_id": "A",
                "grade": "3",
                "entry_date": days[0],
                "exit_date": days[81],
            },
            {
                "student_id": "s1",
                "school_id": "B",
                "grade": "3",
                "entry_date": days[82],
                "exit_date": "",
            },
        ],
        calendar=calendar_of("A", "B", days=days),
        attendance=absences("s1", "A", days[:37]) + absences("s1", "B", days[82:89]),
    )
    report = reference_report(tmp_path, policy=AW)
    assert decisions(metric(report, "school", "A", "s1")) == (
        "82",
        "37",
        "0.45122",
        "true",
        "true",
        "severe",
    )
    assert decisions(metric(report, "school", "B", "s1")) == (
        "96",
        "7",
        "0.072917",
        "true",
        "false",
        "at_risk",
    )
    assert decisions(metric(report, "district", "D1", "s1")) == (
        "178",
        "44",
        "0.247191",
        "true",
        "true",
        "severe",
    )
    assert decisions(metric(report, "total", "total", "s1")) == (
        "178",
        "44",
        "0.247191",
        "true",
        "true",
        "severe",
    )
    assert metric(report, "district", "D1", "s1")["school_year"] == "2024-25"
    assert report["rejects"] == []


def test_17_of_170_days_is_chronic_but_16_9_is_not(tmp_path: Path) -> None:
    days = DAYS[:170]
    write_canonical(
        tmp_path,
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}, {"student_id": "s2"}],
        enrollments=[
            {"student_id": s, "school_id": "A", "grade": "5", "entry_date": days[0]}
            for s in ("s1", "s2")
        ],
        calendar=calendar_of("A", days=days),
        attendance=absences("s1", "A", days[:17], "excused")
        + absences("s2", "A", days[:16], "excused")
        + absences("s2", "A", days[16:17], "excused", "0.9"),
    )
    report = reference_report(tmp_path, policy=AW)
    s1 = metric(report, "school", "A", "s1")
    s2 = metric(report, "school", "A", "s2")
    assert decisions(s1) == ("170", "17", "0.1", "true", "true", "moderate")
    assert decisions(s2) == ("170", "16.9", "0.099412", "true", "false", "at_risk")
    assert (s2["days_excused"], s2["days_unexcused"], s2["days_suspension"]) == ("16.9", "0", "0")
    # Without a district_id column every school is in the district "district".
    assert decisions(metric(report, "district", "district", "s1"))[4] == "true"


def test_nine_enrolled_days_is_not_eligible_but_ten_with_nine_absent_is(tmp_path: Path) -> None:
    write_canonical(
        tmp_path,
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}, {"student_id": "s2"}],
        enrollments=[
            {
                "student_id": "s1",
                "school_id": "A",
                "grade": "k",
                "entry_date": DAYS[0],
                "exit_date": DAYS[8],
            },
            {
                "student_id": "s2",
                "school_id": "A",
                "grade": "KG",
                "entry_date": DAYS[0],
                "exit_date": DAYS[9],
            },
        ],
        calendar=calendar_of("A", days=DAYS[:20]),
        attendance=absences("s1", "A", DAYS[:9]) + absences("s2", "A", DAYS[:9]),
    )
    report = reference_report(tmp_path, policy=AW)
    assert decisions(metric(report, "school", "A", "s1")) == ("9", "9", "1", "false", "", "")
    assert decisions(metric(report, "school", "A", "s2")) == (
        "10",
        "9",
        "0.9",
        "true",
        "true",
        "severe",
    )
    assert metric(report, "school", "A", "s1")["grade"] == "K"


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("attendance-works", ("20", "1", "0.05", "true", "false", "at_risk")),
        ("edfacts", ("20", "2", "0.1", "true", "true", "moderate")),
        ("california", ("20", "0", "0", "false", "", "")),
    ],
)
def test_half_days_under_each_policy(tmp_path: Path, policy: str, expected) -> None:
    write_canonical(
        tmp_path,
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}],
        enrollments=[{"student_id": "s1", "school_id": "A", "grade": "2", "entry_date": DAYS[0]}],
        calendar=calendar_of("A", days=DAYS[:20]),
        attendance=absences("s1", "A", DAYS[3:5], "excused", "0.5"),
    )
    report = reference_report(tmp_path, policy=POLICIES[policy])
    assert decisions(metric(report, "school", "A", "s1")) == expected


def test_concurrent_enrollment_counts_the_smaller_absence_once(tmp_path: Path) -> None:
    days = DAYS[:10]
    write_canonical(
        tmp_path,
        schools=ONE_DISTRICT,
        students=[{"student_id": "s1"}],
        enrollments=[
            {"student_id": "s1", "school_id": school, "grade": "7", "entry_date": days[0]}
            for school in ("A", "B")
        ],
        calendar=calendar_of("A", "B", days=days),
        attendance=[
            # day 0: absent at A, nothing at B -> present at the district.
            *absences("s1", "A", days[0:1], "unexcused"),
            # day 1: 0.5 excused at A, 0.25 unexcused at B -> 0.25 unexcused.
            *absences("s1", "A", days[1:2], "excused", "0.5"),
            *absences("s1", "B", days[1:2], "unexcused", "0.25"),
            # day 2: 0.5 suspension at A, 0.5 unexcused at B -> 0.5 suspension (tie).
            *absences("s1", "A", days[2:3], "suspension", "0.5"),
            *absences("s1", "B", days[2:3], "unexcused", "0.5"),
            # day 3: a whole excused day at both -> 1 excused.
            *absences("s1", "A", days[3:4], "excused"),
            *absences("s1", "B", days[3:4], "excused"),
        ],
    )
    report = reference_report(tmp_path, policy=custom(1))
    a = metric(report, "school", "A", "s1")
    b = metric(report, "school", "B", "s1")
    district = metric(report, "district", "D1", "s1")
    category = ("days_absent", "days_excused", "days_unexcused", "days_suspension")
    assert [a[c] for c in category] == ["3", "1.5", "1", "0.5"]
    assert [b[c] for c in category] == ["1.75", "1", "0.75", "0"]
    assert [district[c] for c in category] == ["1.75", "1", "0.25", "0.5"]
    assert district["days_enrolled"] == "10"
    assert district["absence_rate"] == "0.175"
    assert decisions(metric(report, "total", "total", "s1")) == decisions(district)


def test_district_day_is_wholly_absent_only_when_absent_at_every_school(tmp_path: Path) -> None:
    days = DAYS[:2]
    write_canonical(
        tmp_path,
        schools=ONE_DISTRICT,
        students=[{"student_id": "s1"}],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "7", "entry_date": days[0]},
            {"student_id": "s1", "school_id": "B", "grade": "7", "entry_date": days[1]},
        ],
        calendar=calendar_of("A", "B", days=days),
        attendance=absences("s1", "A", days) + absences("s1", "B", days[1:], "tardy"),
    )
    policy = custom(1, require_attended_day=True)
    report = reference_report(tmp_path, policy=policy)
    assert metric(report, "school", "A", "s1")["eligible"] == "false"
    assert metric(report, "school", "B", "s1")["eligible"] == "true"
    district = metric(report, "district", "D1", "s1")
    assert (district["days_absent"], district["eligible"]) == ("1", "true")


def test_california_requires_an_attended_day(tmp_path: Path) -> None:
    days = DAYS[:31]
    write_canonical(
        tmp_path,
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}, {"student_id": "s2"}],
        enrollments=[
            {"student_id": s, "school_id": "A", "grade": "4", "entry_date": days[0]}
            for s in ("s1", "s2")
        ],
        calendar=calendar_of("A", days=days),
        attendance=absences("s1", "A", days)
        + absences("s2", "A", days[:30])
        + absences("s2", "A", days[30:], "excused", "0.5"),
    )
    california = reference_report(tmp_path, policy=POLICIES["california"])
    assert decisions(metric(california, "school", "A", "s1")) == ("31", "31", "1", "false", "", "")
    assert decisions(metric(california, "school", "A", "s2")) == (
        "31",
        "30",
        "0.967742",
        "true",
        "true",
        "severe",
    )
    works = reference_report(tmp_path, policy=AW)
    assert decisions(metric(works, "school", "A", "s1"))[3:] == ("true", "true", "severe")
    assert metric(works, "school", "A", "s2")["days_absent"] == "30.5"


def test_re_enrollment_counts_both_windows_and_not_the_gap(tmp_path: Path) -> None:
    days = DAYS[:20]
    write_canonical(
        tmp_path,
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}],
        enrollments=[
            {
                "student_id": "s1",
                "school_id": "A",
                "grade": "3",
                "entry_date": days[0],
                "exit_date": days[4],
            },
            {
                "student_id": "s1",
                "school_id": "A",
                "grade": "04",
                "entry_date": days[10],
                "exit_date": "",
            },
            # A repeated, overlapping window counts its days once.
            {
                "student_id": "s1",
                "school_id": "A",
                "grade": "3",
                "entry_date": days[2],
                "exit_date": days[3],
            },
        ],
        calendar=calendar_of("A", days=days),
        attendance=absences("s1", "A", [days[1], days[6], days[12]]),
    )
    report = reference_report(tmp_path, policy=custom(1))
    row = metric(report, "school", "A", "s1")
    assert (row["days_enrolled"], row["days_absent"], row["grade"]) == ("15", "2", "4")
    assert report["rejects"] == [
        {
            "file": "attendance.csv",
            "line": "3",
            "column": "date",
            "value": str(days[6]),
            "reason": "not enrolled on this date",
        }
    ]


def test_grade_is_from_latest_entry_and_policy_grades_drop_a_level(tmp_path: Path) -> None:
    days = DAYS[:10]
    write_canonical(
        tmp_path,
        schools=ONE_DISTRICT,
        students=[{"student_id": "s1"}, {"student_id": "s2"}],
        enrollments=[
            {
                "student_id": "s1",
                "school_id": "A",
                "grade": "8",
                "entry_date": days[0],
                "exit_date": days[4],
            },
            {"student_id": "s1", "school_id": "B", "grade": "09", "entry_date": days[5]},
            # Same entry date: the later line wins.
            {"student_id": "s2", "school_id": "A", "grade": "1", "entry_date": days[0]},
            {"student_id": "s2", "school_id": "A", "grade": "02", "entry_date": days[0]},
            # Latest entry, but no enrolled day (a weekend): does not choose the grade.
            {
                "student_id": "s2",
                "school_id": "A",
                "grade": "5",
                "entry_date": "2024-09-07",
                "exit_date": "2024-09-08",
            },
        ],
        calendar=calendar_of("A", "B", days=days),
    )
    everyone = reference_report(tmp_path, policy=custom(1))
    assert metric(everyone, "district", "D1", "s1")["grade"] == "9"
    assert metric(everyone, "school", "A", "s1")["grade"] == "8"
    assert metric(everyone, "school", "A", "s2")["grade"] == "2"
    k8 = custom(1, grades=frozenset(["K", "1", "2", "3", "4", "5", "6", "7", "8"]))
    report = reference_report(tmp_path, policy=k8)
    assert units_of(report, "s1") == {("school", "A")}
    assert units_of(report, "s2") == {("school", "A"), ("district", "D1"), ("total", "total")}
    assert everyone["counts"]["enrollments.csv"] == {
        "read": 5,
        "accepted": 5,
        "ignored": 0,
        "rejected": 0,
    }


def test_duplicate_rows_keep_the_largest_absence_then_category_then_line(tmp_path: Path) -> None:
    d = DAYS
    write_canonical(
        tmp_path,
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}],
        enrollments=[{"student_id": "s1", "school_id": "A", "grade": "6", "entry_date": d[0]}],
        calendar=calendar_of("A", days=d[:10]),
        attendance=[
            ["student_id", "school_id", "date", "status", "absent_fraction"],
            ["s1", "A", d[0], "tardy", ""],  # line 2: duplicate
            ["s1", "A", d[0], "Unexcused", ""],  # line 3: kept
            ["s1", "A", d[1], "excused", "0.5"],  # line 4: duplicate
            ["s1", "A", d[1], "SUSPENSION", ".5"],  # line 5: kept (tie -> suspension)
            ["s1", "A", d[2], "excused", ""],  # line 6: kept (earliest)
            ["s1", "A", d[2], "excused", "1"],  # line 7: duplicate
            ["s1", "A", d[3], "excused", "0.3333335"],  # line 8: duplicate (0.333334)
            ["s1", "A", d[3], "unexcused", "0.333334"],  # line 9: kept
            ["s1", "A", d[4], "unexcused", "0.25"],  # line 10: duplicate
            ["s1", "A", d[4], "excused", "0.75"],  # line 11: kept (larger)
        ],
    )
    for policy in (AW, POLICIES["edfacts"], custom(1)):
        report = reference_report(tmp_path, policy=policy)
        assert sorted((r["line"], r["column"], r["reason"]) for r in report["rejects"]) == [
            ("10", "date", "duplicate"),
            ("2", "date", "duplicate"),
            ("4", "date", "duplicate"),
            ("7", "date", "duplicate"),
            ("8", "date", "duplicate"),
        ]
    row = metric(reference_report(tmp_path, policy=custom(1)), "school", "A", "s1")
    assert (row["days_excused"], row["days_unexcused"], row["days_suspension"]) == (
        "1.75",
        "1.333334",
        "0.5",
    )
    assert reference_report(tmp_path, policy=AW)["counts"]["attendance.csv"] == {
        "read": 10,
        "accepted": 5,
        "ignored": 0,
        "rejected": 5,
    }


def test_each_refusal_reason_names_its_line_and_column(tmp_path: Path) -> None:
    write_canonical(
        tmp_path,
        schools=(
            "\ufeffschool_id,school_name,district_id\r\n"
            'A,"Adams,\r\nElementary",D1\r\n'  # lines 2-3
            ",Nameless,D1\r\n"  # line 4: missing school_id
            "B,Baker,\r\n"  # line 5: missing district_id
            "A,Again,D2\r\n"  # line 6: duplicate
            "\r\n"  # line 7: blank
            "B,Baker,D2\r\n"  # line 8: accepted (the first B was refused)
        ),
        students=(
            "student_id,gender,first_name\n"
            "s1,F,Ann\n"
            " ,M,Bob\n"  # line 3: missing
            "s1,M,Ann\n"  # line 4: duplicate
            "s2,,Cy\n"
        ),
        enrollments=[
            ["student_id", "school_id", "grade", "entry_date", "exit_date"],
            ["s1", "A", "3", "2024-09-02", ""],  # 2 ok
            ["", "A", "3", "2024-09-02", ""],  # 3 missing student_id
            ["s1", "A", "", "", ""],  # 4 missing grade (first empty in the listed order)
            ["s1", "A", "14", "2024-9-3", ""],  # 5 unknown grade before invalid date
            ["s1", "A", "3", "2024-9-3", ""],  # 6 invalid entry date
            ["s1", "A", "3", "2024-09-02", "09/03/2024"],  # 7 invalid exit date
            ["zz", "A", "3", "2024-02-30", ""],  # 8 invalid date before unknown student
            ["zz", "A", "3", "2024-09-02", ""],  # 9 unknown student
            ["s2", "Z", "3", "2024-09-02", ""],  # 10 unknown school
            ["s2", "B", "3", "2024-09-05", "2024-09-04"],  # 11 exit before entry
            ["s2", "B", "3", "2024-05-01", "2024-06-20"],  # 12 ignored (2023-24)
            ["s2", "B", "k", "2024-09-02", ""],  # 13 ok
        ],
        calendar=[
            ["school_id", "date"],
            ["A", "2024-09-02"],  # 2
            ["A", "2024-09-03"],  # 3
            ["A", "2024-09-04"],  # 4
            ["B", "2024-09-02"],  # 5
            ["B", "2024-09-03"],  # 6
            ["A", "2024-09-03"],  # 7 duplicate
            ["", "2024-09-03"],  # 8 missing
            ["A", "3 Sept"],  # 9 invalid
            ["Q", "2024-09-03"],  # 10 unknown school
            ["A", "2024-06-03"],  # 11 ignored
        ],
        attendance=(
            "student_id,school_id,date,status,absent_fraction,note\n"
            's1,A,2024-09-02,excused,,"two\n\nlines"\n'  # 2-4 ok
            "\n"  # 5 blank
            "s1,A,2024-09-03,,,\n"  # 6 missing status
            "s1,A,2024-9-3,sick,,\n"  # 7 invalid date before unknown status
            "s1,A,2024-09-03,sick,,\n"  # 8 unknown status
            "s1,A,2024-09-03,excused,1.5,\n"  # 9 invalid fraction
            "s1,A,2024-09-03,excused,1e-1,\n"  # 10 invalid fraction
            "s1,A,2024-09-03,excused,0,\n"  # 11 contradiction
            "s1,A,2024-09-03,Tardy,0.5,\n"  # 12 contradiction
            "zz,A,2024-09-03,tardy,,\n"  # 13 unknown student
            "s1,Z,2024-09-03,tardy,,\n"  # 14 unknown school
            "s1,A,2024-06-03,excused,,\n"  # 15 ignored
            "s1,A,2024-09-05,excused,,\n"  # 16 not an instructional day
            "s2,A,2024-09-03,excused,,\n"  # 17 not enrolled
            "s1,A,2024-09-02, EXCUSED ,1,\n"  # 18 duplicate
            "s1,A,2024-09-04,excused,abc,\n"  # 19 invalid fraction
        ),
    )
    report = reference_report(tmp_path, policy=AW)
    rejects = {
        (r["file"], int(r["line"]), r["column"], r["value"], r["reason"]) for r in report["rejects"]
    }
    assert rejects == {
        ("schools.csv", 4, "school_id", "", "missing value"),
        ("schools.csv", 5, "district_id", "", "missing value"),
        ("schools.csv", 6, "school_id", "A", "duplicate"),
        ("students.csv", 3, "student_id", "", "missing value"),
        ("students.csv", 4, "student_id", "s1", "duplicate"),
        ("enrollments.csv", 3, "student_id", "", "missing value"),
        ("enrollments.csv", 4, "grade", "", "missing value"),
        ("enrollments.csv", 5, "grade", "14", "unknown grade"),
        ("enrollments.csv", 6, "entry_date", "2024-9-3", "invalid date"),
        ("enrollments.csv", 7, "exit_date", "09/03/2024", "invalid date"),
        ("enrollments.csv", 8, "entry_date", "2024-02-30", "invalid date"),
        ("enrollments.csv", 9, "student_id", "zz", "unknown student"),
        ("enrollments.csv", 10, "school_id", "Z", "unknown school"),
        ("enrollments.csv", 11, "exit_date", "2024-09-04", "exit before entry"),
        ("calendar.csv", 7, "date", "2024-09-03", "duplicate"),
        ("calendar.csv", 8, "school_id", "", "missing value"),
        ("calendar.csv", 9, "date", "3 Sept", "invalid date"),
        ("calendar.csv", 10, "school_id", "Q", "unknown school"),
        ("attendance.csv", 6, "status", "", "missing value"),
        ("attendance.csv", 7, "date", "2024-9-3", "invalid date"),
        ("attendance.csv", 8, "status", "sick", "unknown status"),
        ("attendance.csv", 9, "absent_fraction", "1.5", "invalid fraction"),
        ("attendance.csv", 10, "absent_fraction", "1e-1", "invalid fraction"),
        ("attendance.csv", 11, "absent_fraction", "0", "fraction contradicts status"),
        ("attendance.csv", 12, "absent_fraction", "0.5", "fraction contradicts status"),
        ("attendance.csv", 13, "student_id", "zz", "unknown student"),
        ("attendance.csv", 14, "school_id", "Z", "unknown school"),
        ("attendance.csv", 16, "date", "2024-09-05", "not an instructional day"),
        ("attendance.csv", 17, "date", "2024-09-03", "not enrolled on this date"),
        ("attendance.csv", 18, "date", "2024-09-02", "duplicate"),
        ("attendance.csv", 19, "absent_fraction", "abc", "invalid fraction"),
    }
    assert len(report["rejects"]) == len(rejects)
    assert report["counts"] == {
        "schools.csv": {"read": 5, "accepted": 2, "ignored": 0, "rejected": 3},
        "students.csv": {"read": 4, "accepted": 2, "ignored": 0, "rejected": 2},
        "enrollments.csv": {"read": 12, "accepted": 2, "ignored": 1, "rejected": 9},
        "calendar.csv": {"read": 10, "accepted": 5, "ignored": 1, "rejected": 4},
        "attendance.csv": {"read": 15, "accepted": 1, "ignored": 1, "rejected": 13},
    }
    # School B is in D2 (its first accepted row); A in D1.
    assert units_of(report, "s2") == {("school", "B"), ("district", "D2"), ("total", "total")}


def test_summary_groups_count_eligible_students_of_the_unit(tmp_path: Path) -> None:
    days = DAYS[:10]
    write_canonical(
        tmp_path,
        schools=[{"school_id": "A"}],
        students=[
            {"student_id": "s1", "gender": "F", "last_name": "Ng", "el": "Y"},
            {"student_id": "s2", "gender": "", "last_name": "Ox", "el": "Y"},
            {"student_id": "s3", "gender": "F", "last_name": "Po", "el": "N"},
            {"student_id": "s4", "gender": "X", "last_name": "Qu", "el": "N"},
        ],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "1", "entry_date": days[0]},
            {"student_id": "s2", "school_id": "A", "grade": "1", "entry_date": days[0]},
            {"student_id": "s3", "school_id": "A", "grade": "2", "entry_date": days[8]},
        ],
        calendar=calendar_of("A", days=days),
        attendance=absences("s1", "A", days[:1]) + absences("s2", "A", days[:3], "excused"),
    )
    # "el" is no known dimension: declared, it is counted; last_name is never a group.
    report = reference_report(tmp_path, policy=custom(3, dimensions=("el",)))
    school = {
        (r["dimension"], r["group"]): r
        for r in report["summary"]
        if (r["level"], r["unit_id"]) == ("school", "A")
    }
    assert set(school) == {
        ("all", "all"),
        ("grade", "1"),
        ("grade", "2"),
        ("gender", "F"),
        ("gender", "unknown"),
        ("el", "Y"),
        ("el", "N"),
    }
    counted = (
        "eligible_students",
        "chronically_absent",
        "chronic_absence_rate",
        "satisfactory",
        "at_risk",
        "moderate",
        "severe",
    )
    assert [school["all", "all"][c] for c in counted] == ["2", "2", "1", "0", "0", "1", "1"]
    assert [school["gender", "F"][c] for c in counted] == ["1", "1", "1", "0", "0", "1", "0"]
    assert [school["el", "N"][c] for c in counted] == ["0", "0", "", "0", "0", "0", "0"]
    assert [school["grade", "2"][c] for c in counted] == ["0", "0", "", "0", "0", "0", "0"]
    levels = {(r["level"], r["unit_id"]) for r in report["summary"]}
    assert levels == {("school", "A"), ("district", "district"), ("total", "total")}
    assert len(report["summary"]) == 3 * 7


def test_year_defaults_to_latest_and_rows_outside_it_are_ignored(tmp_path: Path) -> None:
    june = [datetime.date(2024, 6, 24), datetime.date(2024, 6, 25)]
    july = [datetime.date(2024, 7, 1), datetime.date(2024, 7, 2), datetime.date(2024, 7, 3)]
    write_canonical(
        tmp_path,
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}],
        enrollments=[
            {
                "student_id": "s1",
                "school_id": "A",
                "grade": "UG",
                "entry_date": june[0],
                "exit_date": july[1],
            },
        ],
        calendar=[*calendar_of("A", days=june + july), {"school_id": "Z", "date": "2025-09-02"}],
        attendance=absences("s1", "A", june[:1] + july[:1]),
    )
    report = reference_report(tmp_path, policy=custom(1))
    row = metric(report, "school", "A", "s1")
    assert (row["school_year"], row["days_enrolled"], row["days_absent"]) == ("2024-25", "2", "1")
    assert report["counts"]["calendar.csv"] == {
        "read": 6,
        "accepted": 3,
        "ignored": 2,
        "rejected": 1,
    }
    assert report["counts"]["attendance.csv"]["ignored"] == 1
    earlier = reference_report(tmp_path, policy=custom(1), year="2023-24")
    row = metric(earlier, "school", "A", "s1")
    assert (row["school_year"], row["days_enrolled"], row["days_absent"]) == ("2023-24", "2", "1")
    assert earlier["counts"]["calendar.csv"]["ignored"] == 3
    cut = reference_report(tmp_path, policy=custom(1), as_of=july[0])
    assert metric(cut, "school", "A", "s1")["days_enrolled"] == "1"
    assert cut["counts"]["calendar.csv"]["ignored"] == 4
    with pytest.raises(ReferenceRunError):
        reference_report(tmp_path, policy=AW, year="2024-25", as_of=june[0])


def test_as_of_ignores_enrollments_that_start_after_it(tmp_path: Path) -> None:
    days = DAYS[:10]
    write_canonical(
        tmp_path,
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "1", "entry_date": days[0]},
            {"student_id": "s1", "school_id": "A", "grade": "2", "entry_date": days[6]},
        ],
        calendar=calendar_of("A", days=days),
        attendance=absences("s1", "A", days[7:8]),
    )
    report = reference_report(tmp_path, policy=custom(1), as_of=days[4])
    row = metric(report, "school", "A", "s1")
    assert (row["grade"], row["days_enrolled"], row["days_absent"]) == ("1", "5", "0")
    assert report["counts"]["enrollments.csv"] == {
        "read": 2,
        "accepted": 1,
        "ignored": 1,
        "rejected": 0,
    }
    assert report["counts"]["attendance.csv"]["ignored"] == 1


def test_fractions_are_plain_decimals_rounded_half_up_to_six_places() -> None:
    assert parse_fraction(".75") == Fraction(3, 4)
    assert parse_fraction("0.3333335") == Fraction(333334, 10**6)
    assert parse_fraction("1.0000004") == 1
    assert parse_fraction("1.0000005") == Fraction(1000001, 10**6)
    assert parse_fraction("0.0000004") == 0
    for bad in ("1e-1", "-0.5", "abc", "", ".", "1.2.3", "+1", "½"):
        assert parse_fraction(bad) is None, bad
    assert format_decimal(Fraction(0)) == "0"
    assert format_decimal(Fraction(17)) == "17"
    assert format_decimal(Fraction(2, 3)) == "0.666667"
    assert format_decimal(Fraction(1, 3)) == "0.333333"
    assert format_decimal(Fraction(5, 10**7)) == "0.000001"
    assert format_decimal(Fraction(9, 4)) == "2.25"


def test_blank_lines_are_skipped_even_in_a_one_column_file(tmp_path: Path) -> None:
    # Reading: a blank line is no record, also where an empty value would fill the only column.
    write_canonical(
        tmp_path,
        schools="school_id\r\n\r\nA\r\n",
        students="student_id\n\ns1\n\n",
        enrollments=[{"student_id": "s1", "school_id": "A", "grade": "1", "entry_date": DAYS[0]}],
        calendar=calendar_of("A", days=DAYS[:3]),
    )
    report = reference_report(tmp_path, policy=custom(1))
    assert report["rejects"] == []
    assert report["counts"]["students.csv"] == {
        "read": 1,
        "accepted": 1,
        "ignored": 0,
        "rejected": 0,
    }
    assert metric(report, "school", "A", "s1")["days_enrolled"] == "3"
