"""Every refusal reason of docs/rules.md, with the file, line, column and value it names."""

from __future__ import annotations

import pytest
from canonical import write_canonical
from outputs import run

SCHOOLS = "school_id,district_id\nA,D1\nB,D1\nA,D2\n,D1\nZ,\n"
STUDENTS = "student_id,gender\ns1,F\ns2,M\ns1,M\n,F\n"
ENROLLMENTS = (
    "student_id,school_id,grade,entry_date,exit_date\n"
    "s1,A,3,2024-09-02,\n"  # line 2: fine
    "s2,A,14,2024-09-02,\n"  # 3: unknown grade
    "s2,A,3,09/02/2024,\n"  # 4: invalid entry date
    "s2,A,3,2024-09-02,2024-02-30\n"  # 5: invalid exit date
    "s9,A,3,2024-09-02,\n"  # 6: unknown student
    "s2,Q,3,2024-09-02,\n"  # 7: unknown school
    "s2,A,3,2024-09-10,2024-09-09\n"  # 8: exit before entry
    "s2,A,,2024-09-02,\n"  # 9: missing grade
    "s2,B,K,2024-09-02,2024-09-06\n"  # 10: fine
)
CALENDAR = (
    "school_id,date\n"
    "A,2024-09-02\nA,2024-09-03\nA,2024-09-04\nA,2024-09-05\n"  # lines 2-5
    "A,2024-09-03\n"  # 6: duplicate
    "Q,2024-09-03\n"  # 7: unknown school
    "A,2024-9-6\n"  # 8: invalid date
    "A,2023-09-05\n"  # 9: another year: ignored
    "B,2024-09-02\n"  # 10
)
ATTENDANCE = (
    "student_id,school_id,date,status,absent_fraction\n"
    "s1,A,2024-09-02,Excused,\n"  # 2: duplicate of line 12, which is kept (unexcused wins a tie)
    "s1,A,2024-09-03,vacation,\n"  # 3: unknown status
    "s1,A,2024-09-03,excused,1.5\n"  # 4: invalid fraction
    "s1,A,2024-09-03,excused,1e-1\n"  # 5: invalid fraction (not a plain decimal)
    "s1,A,2024-09-03,excused,0\n"  # 6: contradicts (absence with 0)
    "s1,A,2024-09-03,tardy,0.5\n"  # 7: contradicts (presence above 0)
    "s7,A,2024-09-03,excused,\n"  # 8: unknown student
    "s1,Q,2024-09-03,excused,\n"  # 9: unknown school
    "s1,A,2024-09-07,excused,\n"  # 10: a Saturday, not on the calendar
    "s2,A,2024-09-03,excused,\n"  # 11: s2 has no accepted enrollment at A
    "s1,A,2024-09-02,unexcused,\n"  # 12: kept
    "s1,A,2024-09-03,excused,0.5\n"  # 13: fine
    "s1,A,2023-09-05,excused,\n"  # 14: another year: ignored
    ",A,2024-09-03,excused,\n"  # 15: missing student
    "s1,A,03-09-2024,excused,\n"  # 16: invalid date
    "s1,A,2024-09-04,,\n"  # 17: missing status
)


def build(tmp_path):
    return write_canonical(
        tmp_path,
        schools=SCHOOLS,
        students=STUDENTS,
        enrollments=ENROLLMENTS,
        calendar=CALENDAR,
        attendance=ATTENDANCE,
    )


def test_every_refused_row_names_its_file_line_column_value_and_reason(tmp_path):
    out = run(build(tmp_path), year="2024-25")
    assert out.reasons() == [
        ("schools.csv", "4", "school_id", "A", "duplicate"),
        ("schools.csv", "5", "school_id", "", "missing value"),
        ("schools.csv", "6", "district_id", "", "missing value"),
        ("students.csv", "4", "student_id", "s1", "duplicate"),
        ("students.csv", "5", "student_id", "", "missing value"),
        ("enrollments.csv", "3", "grade", "14", "unknown grade"),
        ("enrollments.csv", "4", "entry_date", "09/02/2024", "invalid date"),
        ("enrollments.csv", "5", "exit_date", "2024-02-30", "invalid date"),
        ("enrollments.csv", "6", "student_id", "s9", "unknown student"),
        ("enrollments.csv", "7", "school_id", "Q", "unknown school"),
        ("enrollments.csv", "8", "exit_date", "2024-09-09", "exit before entry"),
        ("enrollments.csv", "9", "grade", "", "missing value"),
        ("calendar.csv", "6", "date", "2024-09-03", "duplicate"),
        ("calendar.csv", "7", "school_id", "Q", "unknown school"),
        ("calendar.csv", "8", "date", "2024-9-6", "invalid date"),
        ("attendance.csv", "2", "date", "2024-09-02", "duplicate"),
        ("attendance.csv", "3", "status", "vacation", "unknown status"),
        ("attendance.csv", "4", "absent_fraction", "1.5", "invalid fraction"),
        ("attendance.csv", "5", "absent_fraction", "1e-1", "invalid fraction"),
        ("attendance.csv", "6", "absent_fraction", "0", "fraction contradicts status"),
        ("attendance.csv", "7", "absent_fraction", "0.5", "fraction contradicts status"),
        ("attendance.csv", "8", "student_id", "s7", "unknown student"),
        ("attendance.csv", "9", "school_id", "Q", "unknown school"),
        ("attendance.csv", "10", "date", "2024-09-07", "not an instructional day"),
        ("attendance.csv", "11", "date", "2024-09-03", "not enrolled on this date"),
        ("attendance.csv", "15", "student_id", "", "missing value"),
        ("attendance.csv", "16", "date", "03-09-2024", "invalid date"),
        ("attendance.csv", "17", "status", "", "missing value"),
    ]


def test_counts_of_read_accepted_ignored_and_rejected_add_up(tmp_path):
    out = run(build(tmp_path), year="2024-25")
    counts = {name: vars(c) for name, c in out.result.counts.items()}
    assert counts["schools.csv"] == {"read": 5, "accepted": 2, "ignored": 0, "rejected": 3}
    assert counts["calendar.csv"] == {"read": 9, "accepted": 5, "ignored": 1, "rejected": 3}
    assert counts["attendance.csv"] == {"read": 16, "accepted": 2, "ignored": 1, "rejected": 13}
    for c in out.result.counts.values():
        assert c.read == c.accepted + c.ignored + c.rejected


@pytest.mark.slow
def test_the_kept_duplicate_decides_the_day(tmp_path):
    out = run(build(tmp_path), year="2024-25")
    row = out.student("school", "A", "s1")
    # 2024-09-02: excused and unexcused both 1: unexcused is kept. 2024-09-03: 0.5 excused.
    assert (row["days_unexcused"], row["days_excused"], row["days_absent"]) == ("1", "0.5", "1.5")
    assert row["days_enrolled"] == "4"


@pytest.mark.slow
def test_line_numbers_follow_blank_lines_crlf_bom_and_quoted_line_breaks(tmp_path):
    attendance = (
        "\ufeffstudent_id,school_id,date,status\r\n"
        "s1,A,2024-09-02,excused\r\n"  # line 2
        "\r\n"  # line 3: blank
        '"s1",A,2024-09-03,"ex\r\ncused"\r\n'  # lines 4-5: a status spanning two lines
        "  s1 ,A,2024-09-04,  Unexcused \r\n"  # line 6: trimmed, accepted
        "s1,A,2024-09-05,bad\r\n"  # line 7
    )
    folder = write_canonical(
        tmp_path,
        schools="school_id\nA\n",
        students="student_id\ns1\n",
        enrollments="student_id,school_id,grade,entry_date\ns1,A,3,2024-09-02\n",
        calendar="school_id,date\nA,2024-09-02\nA,2024-09-03\nA,2024-09-04\nA,2024-09-05\n",
        attendance=attendance,
    )
    out = run(folder)
    assert [(r[1], r[4]) for r in out.reasons()] == [
        ("4", "unknown status"),
        ("7", "unknown status"),
    ]
    assert out.student("school", "A", "s1")["days_absent"] == "2"


@pytest.mark.slow
def test_a_row_with_values_beyond_the_header_is_refused_but_trailing_commas_pass(tmp_path):
    folder = write_canonical(
        tmp_path,
        schools="school_id\nA\n",
        students="student_id,gender\ns1,F,,\ns2,M,oops\n",
        enrollments="student_id,school_id,grade,entry_date\ns1,A,3,2024-09-02\n",
        calendar="school_id,date\nA,2024-09-02\nA,2024-09-03\n",
        attendance=(
            "student_id,school_id,date,status\n"
            "s1,A,2024-09-02,excused,extra\n"
            "s1,A,2024-09-03,excused,,\n"
        ),
    )
    out = run(folder)
    assert out.reasons() == [
        ("students.csv", "3", "extra_values", "oops", "too many values"),
        ("attendance.csv", "2", "extra_values", "extra", "too many values"),
    ]
    assert out.student("school", "A", "s1")["days_absent"] == "1"
