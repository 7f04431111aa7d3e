"""Per-student totals (the Attendance Works workbook rows): every rule, with hand-computed
examples (docs/sources/totals.md)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from totals_files import run_totals, write_totals

from rollcall import api
from rollcall.errors import InputError, OptionError


def row(student: str, school: str = "A", grade: str = "3", **days: object) -> dict[str, object]:
    """A workbook row: present 0 and no absence unless given (keys as the workbook names them)."""
    values: dict[str, object] = {"Student ID": student, "School": school, "Grade": grade}
    values["Days Present"] = days.pop("present", 0)
    values["Excused"] = days.pop("excused", 0)
    values["Unexcused"] = days.pop("unexcused", 0)
    values["Suspension"] = days.pop("suspension", 0)
    values.update(days)
    return values


@pytest.mark.slow
def test_enrolled_days_are_present_plus_absent(tmp_path):
    # 160 present + (10 excused + 8 unexcused + 2 suspension) absent = 180 enrolled;
    # 20 / 180 = 0.111111…: 20 × 10 = 200 ≥ 180, chronically absent, moderate (10% to 20%).
    path = write_totals(tmp_path / "totals.csv", [row("s1", present=160, excused=10,
                                                      unexcused=8, suspension=2)])  # fmt: skip
    out = run_totals(path, year="2024-25")
    school = out.student("school", "A", "s1")
    assert (school["days_enrolled"], school["days_absent"]) == ("180", "20")
    assert (school["days_excused"], school["days_unexcused"], school["days_suspension"]) == (
        "10",
        "8",
        "2",
    )
    assert (school["absence_rate"], school["chronically_absent"], school["tier"]) == (
        "0.111111",
        "true",
        "moderate",
    )
    assert out.rejects == []


@pytest.mark.slow
def test_a_student_at_two_schools_is_counted_at_the_district_as_the_sum(tmp_path):
    # School A: 92 present + 8 absent = 100 days, 8% (not chronic). School B: 70 + 10 = 80
    # days, 12.5% (chronic). District: 180 days, 18 absent = 10%: chronic (18 × 10 = 180).
    path = write_totals(
        tmp_path / "totals.csv",
        [row("s1", "A", present=92, unexcused=8), row("s1", "B", present=70, excused=10)],
    )
    out = run_totals(path, year="2024-25")
    assert out.student("school", "A", "s1")["chronically_absent"] == "false"
    assert out.student("school", "B", "s1")["chronically_absent"] == "true"
    district = out.student("district", "district", "s1")
    assert (district["days_enrolled"], district["days_absent"]) == ("180", "18")
    assert (district["days_excused"], district["days_unexcused"]) == ("10", "8")
    assert district["chronically_absent"] == "true"
    assert any("cannot be found" in note for note in out.result.notes)


@pytest.mark.slow
def test_eligibility_starts_at_the_policy_minimum_of_enrolled_days(tmp_path):
    # Attendance Works: at least 10 enrolled days. California: at least 31.
    path = write_totals(
        tmp_path / "totals.csv",
        [
            row("nine", present=8, unexcused=1),
            row("ten", present=9, unexcused=1),
            row("thirty", present=29, unexcused=1),
            row("thirty-one", present=30, unexcused=1),
        ],
    )
    aw = run_totals(path, year="2024-25", out=tmp_path / "aw")
    assert aw.student("school", "A", "nine")["eligible"] == "false"
    assert aw.student("school", "A", "ten")["eligible"] == "true"
    ca = run_totals(path, year="2024-25", policy="california", out=tmp_path / "ca")
    assert ca.student("school", "A", "thirty")["eligible"] == "false"
    assert ca.student("school", "A", "thirty-one")["eligible"] == "true"


@pytest.mark.slow
def test_attended_a_day_means_fewer_absences_than_enrolled_days(tmp_path):
    # California requires a day attended: 31 of 31 days absent is not eligible; 30.5 of 31
    # means some day was not wholly missed.
    path = write_totals(
        tmp_path / "totals.csv",
        [
            row("never", **{"Days Enrolled": 31, "Days Present": ""}, unexcused=31),
            row("half", **{"Days Enrolled": 31, "Days Present": ""}, unexcused=30.5),
        ],
    )
    out = run_totals(path, year="2024-25", policy="california")
    assert out.student("school", "A", "never")["eligible"] == "false"
    assert out.student("school", "A", "half")["eligible"] == "true"


@pytest.mark.slow
def test_a_policy_with_a_partial_day_rule_is_told_totals_cannot_apply_it(tmp_path):
    # EDFacts would count a half day as a whole day; totals keep 0.5 as written, and say so.
    path = write_totals(tmp_path / "totals.csv", [row("s1", present=18.5, excused=1.5)])
    edfacts = run_totals(path, year="2024-25", policy="edfacts", out=tmp_path / "ed")
    assert edfacts.student("school", "A", "s1")["days_absent"] == "1.5"
    [note] = [n for n in edfacts.result.notes if n.startswith("Policy edfacts")]
    assert "totals cannot apply this rule" in note and "half of it or more" in note
    fraction = run_totals(path, year="2024-25", out=tmp_path / "aw")
    assert not any(n.startswith("Policy") for n in fraction.result.notes)


@pytest.mark.slow
def test_the_policy_grade_filter_applies(tmp_path):
    path = write_totals(
        tmp_path / "totals.csv",
        [row("s8", grade="8", present=40), row("s9", grade="9", present=40)],
    )
    out = run_totals(path, year="2024-25", policy="california-dashboard")
    assert out.has_student("school", "A", "s8")
    assert not out.has_student("school", "A", "s9")


@pytest.mark.slow
def test_parts_that_do_not_add_up_are_refused_with_the_difference(tmp_path):
    # Enrolled 180, but 170 present + 5 excused = 175: 5 days short.
    path = write_totals(
        tmp_path / "totals.csv",
        [row("s1", present=170, excused=5, **{"Days Enrolled": 180})],
    )
    out = run_totals(path, year="2024-25")
    assert out.reasons() == [
        (
            "totals.csv",
            "2",
            "Days Enrolled",
            "parts add up to 175, not 180 (5 days short)",
            "parts do not add up",
        )
    ]
    assert out.students == []


@pytest.mark.slow
def test_absences_by_kind_must_add_up_to_a_stated_total(tmp_path):
    # 4 + 3 + 0 = 7 absences by kind, but Days Absent says 8.
    path = write_totals(
        tmp_path / "totals.csv",
        [row("s1", present=20, excused=4, unexcused=3, **{"Days Absent": 8})],
    )
    out = run_totals(path, year="2024-25")
    assert out.reasons() == [
        (
            "totals.csv",
            "2",
            "Days Absent",
            "absences by kind add up to 7, not 8 (1 day short)",
            "parts do not add up",
        )
    ]


@pytest.mark.slow
def test_a_total_of_absences_without_kinds_counts_in_no_kind(tmp_path):
    path = write_totals(
        tmp_path / "totals.csv",
        [{"Student ID": "s1", "School": "A", "Grade": "K", "Days Enrolled": 20, "Absences": 3}],
    )
    out = run_totals(path, year="2024-25")
    school = out.student("school", "A", "s1")
    assert (school["days_enrolled"], school["days_absent"], school["days_excused"]) == (
        "20",
        "3",
        "0",
    )
    assert any("does not split absences" in note for note in out.result.notes)


def test_each_refused_row_names_its_line_source_column_value_and_reason(tmp_path):
    path = write_totals(
        tmp_path / "totals.csv",
        [
            row("ok", present=20),
            row("", present=20),  # line 3
            row("s3", grade="13", present=20),  # line 4
            row("s4", present=20, excused="ten"),  # line 5
            {**row("s5", present=20), "Days Enrolled": 19.5},  # line 6
            {**row("s6", present=0, unexcused=30), "Days Enrolled": 20},  # line 7
            row("s7", present=19.5, excused=1),  # line 8
            row("ok", present=5),  # line 9: the same student and school again
        ],
    )
    out = run_totals(path, year="2024-25")
    assert out.reasons() == [
        ("totals.csv", "3", "Student ID", "", "missing value"),
        ("totals.csv", "4", "Grade", "13", "unknown grade"),
        ("totals.csv", "5", "Excused", "ten", "invalid number"),
        ("totals.csv", "6", "Days Enrolled", "19.5", "invalid number"),
        (
            "totals.csv",
            "7",
            "Days Enrolled",
            "parts add up to 30, not 20 (10 days over)",
            "parts do not add up",
        ),
        (
            "totals.csv",
            "8",
            "Days Present",
            "enrolled days would be 20.5, not a whole number",
            "parts do not add up",
        ),
        ("totals.csv", "9", "Student ID", "ok", "duplicate"),
    ]
    assert out.result.counts["totals.csv"].rejected == 7
    assert out.student("school", "A", "ok")["days_enrolled"] == "20"


@pytest.mark.slow
def test_more_absences_than_enrolled_days_are_refused(tmp_path):
    path = write_totals(
        tmp_path / "totals.csv",
        [{"Student ID": "s1", "School": "A", "Grade": "1", "Enrolled": 10, "Unexcused": 11}],
    )
    out = run_totals(path, year="2024-25")
    assert out.reasons() == [
        (
            "totals.csv",
            "2",
            "Enrolled",
            "absences 11 are more than the 10 enrolled days",
            "parts do not add up",
        )
    ]


@pytest.mark.slow
def test_the_year_is_the_option_or_the_files_else_an_error(tmp_path):
    plain = write_totals(tmp_path / "plain.csv", [row("s1", present=20)])
    with pytest.raises(InputError, match="states no school year") as raised:
        api.report(plain, tmp_path / "out")
    assert "--year" in (raised.value.hint or "")
    dated = write_totals(
        tmp_path / "dated" / "totals.csv",
        [
            {**row("s1", present=20), "School Year": "2024-2025"},
            {**row("s2", present=20), "School Year": "2023-24"},
            {**row("s3", present=20), "School Year": "2024"},
        ],
    )
    out = run_totals(dated)
    assert out.result.school_year == "2024-25"
    assert [r["student_id"] for r in out.students if r["level"] == "school"] == ["s1"]
    assert out.result.counts["totals.csv"].ignored == 1
    assert out.reasons() == [
        ("totals.csv", "4", "School Year", "2024", "invalid school year"),
    ]
    earlier = run_totals(dated, year="2023-24", out=tmp_path / "earlier")
    assert [r["student_id"] for r in earlier.students if r["level"] == "school"] == ["s2"]


def test_as_of_cannot_apply_to_totals(tmp_path):
    import datetime

    path = write_totals(tmp_path / "totals.csv", [row("s1", present=20)])
    with pytest.raises(OptionError, match="--as-of cannot apply to per-student totals"):
        api.report(path, tmp_path / "out", year="2024-25", as_of=datetime.date(2025, 1, 31))


@pytest.mark.slow
def test_the_other_columns_are_student_groups_but_names_and_rates_are_not(tmp_path):
    path = write_totals(
        tmp_path / "totals.csv",
        [
            {**row("s1", present=18, unexcused=2), "Last Name": "Private", "English Learner": "Y",
             "Attendance Rate": "0.9", "Chronic?": "Y"},
            {**row("s2", present=20), "Last Name": "Hidden", "English Learner": "N",
             "Attendance Rate": "1", "Chronic?": "N"},
        ],
    )  # fmt: skip
    out = run_totals(path, year="2024-25")
    assert {r["dimension"] for r in out.summary} == {"all", "grade", "english_learner"}
    assert out.group("school", "A", "english_learner", "Y")["chronically_absent"] == "1"
    assert not any("Private" in str(r) for r in out.students + out.summary)


@pytest.mark.slow
def test_a_students_file_gives_the_groups_and_the_grade(tmp_path):
    path = write_totals(
        tmp_path / "totals.csv",
        [{"Student ID": "s1", "School": "A", "Days Present": 18, "Unexcused": 2, "Gender": "F"}],
    )
    students = write_totals(
        tmp_path / "students.csv", [{"student_id": "s1", "grade": "05", "homeless": "Y"}]
    )
    out = run_totals(path, year="2024-25", students_file=students)
    assert out.student("school", "A", "s1")["grade"] == "5"
    assert {r["dimension"] for r in out.summary} == {"all", "grade", "homeless"}


@pytest.mark.slow
def test_without_a_grade_every_student_is_ungraded_and_told_so(tmp_path):
    path = write_totals(
        tmp_path / "totals.csv",
        [{"Student ID": "s1", "School": "A", "Days Present": 18, "Unexcused": 2}],
    )
    out = run_totals(path, year="2024-25")
    assert out.student("school", "A", "s1")["grade"] == "UG"
    assert any("counted as UG" in note for note in out.result.notes)


@pytest.mark.slow
def test_an_xlsx_sheet_is_read_below_its_title_and_rows_are_its_row_numbers(tmp_path):
    book = Workbook()
    book.active.title = "Read me"
    book.active.append(["This workbook tracks attendance."])
    sheet = book.create_sheet("Data")
    sheet.append(["Chronic absence tracker, 2024-25"])
    sheet.append([])
    sheet.append(["Student ID", "School", "Grade", "Days Present", "Excused", "Unexcused",
                  "Suspension"])  # fmt: skip
    sheet.append([1001, "A", 3, 160, 10, 8.5, 1.5])
    sheet.append([1002, "A", "K", 100, "many", 0, 0])  # row 5
    path = tmp_path / "book.xlsx"
    book.save(path)
    out = run_totals(path, year="2024-25")
    school = out.student("school", "A", "1001")
    assert (school["days_enrolled"], school["days_absent"], school["days_unexcused"]) == (
        "180",
        "20",
        "8.5",
    )
    assert out.reasons() == [("book.xlsx, sheet Data", "5", "Excused", "many", "invalid number")]
    assert any("header is on line 3" in note for note in out.result.notes)
