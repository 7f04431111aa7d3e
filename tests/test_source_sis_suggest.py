"""`rollcall inspect --suggest-mapping`: a starting mapping from an export's headers and codes,
which loads once its TODO entries are decided (rollcall/formats/sis/suggest.py)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from command import rollcall
from sis_small import Export as SmallExport
from sis_small import csv_rows, raw_rows

from rollcall import api
from rollcall.errors import InputError, OptionError
from rollcall.formats.sis.mapping_file import read_mapping
from rollcall.formats.sis.suggest import suggest_mapping, write_suggestion
from rollcall.formats.sources import ReadOptions, Source
from rollcall.synth import write_synthetic
from rollcall.synth.sis_export import CODES, write_sis_export

ENROLLMENTS = "Student_ID,School ID,Grade Level,EntryDate,WithdrawalDate\ns1,S1,KG,9/3/2024,\n"
ATTENDANCE = "stu_id,SchoolCode,Attendance Date,AttCode\ns1,S1,9/3/2024,A\ns1,S1,9/13/2024,E\n"


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def suggested(folder: Path) -> dict:
    return tomllib.loads(suggest_mapping(folder).text)


def fill(text: str, meanings: dict[str, str]) -> str:
    """Decide the TODO codes: ``"H" = "TODO"`` becomes ``"H" = <meanings["H"]>``."""

    def decide(match: re.Match[str]) -> str:
        return f"{match.group(1)} = {meanings[match.group(2)]}"

    return re.sub(r'^("([^"]*)") = "TODO".*$', decide, text, flags=re.MULTILINE)


@pytest.mark.slow
def test_the_suggestion_for_a_typical_export_loads_once_its_todo_codes_are_decided(tmp_path):
    write_synthetic(tmp_path / "canonical", students=200, seed=5, messy=False)
    api.report(tmp_path / "canonical", tmp_path / "canonical-out")
    write_sis_export(tmp_path / "canonical", tmp_path / "export", excel=True, split=True)
    (tmp_path / "export" / "mapping.toml").unlink()  # the user has no mapping yet

    suggestion = write_suggestion(tmp_path / "export", tmp_path / "map.toml")
    text = suggestion.text
    assert suggestion.tables == {
        "attendance": ["attendance_fall.csv", "attendance_spring.csv"],
        "enrollments": ["enrollment.xlsx"],
        "students": ["demographics.txt"],
        "schools": ["Schools.csv"],
    }
    with pytest.raises(InputError, match="still TODO"):
        read_mapping(tmp_path / "map.toml")

    # The half- and part-day codes cannot be guessed; the user decides them.
    todo = re.findall(r'^"([^"]*)" = "TODO"', text, flags=re.MULTILINE)
    meanings = {
        code: f'{{ status = "{status}", fraction = {fraction} }}'
        for (status, fraction), code in CODES.items()
        if fraction is not None
    }
    assert sorted(todo) == sorted(meanings)
    assert suggestion.todo == len(meanings) + 1  # and the non-instructional days to check
    (tmp_path / "map.toml").write_text(fill(text, meanings), encoding="utf-8")

    source = Source(tmp_path / "export", "sis", ReadOptions(tmp_path / "map.toml"))
    result = api.report(source, tmp_path / "out")
    assert result.counts["2 files (attendance_fall.csv, attendance_spring.csv)"].rejected == 0
    assert result.students == 200
    # The calendar is only guessed (no holidays yet), so days enrolled differ; every absence
    # is read as it was.
    absent = {
        (r["student_id"], r["days_absent"], r["days_excused"], r["days_suspension"])
        for r in csv_rows(tmp_path / "out" / "student_metrics.csv")
        if r["level"] == "total"
    }
    expected = {
        (r["student_id"], r["days_absent"], r["days_excused"], r["days_suspension"])
        for r in csv_rows(tmp_path / "canonical-out" / "student_metrics.csv")
        if r["level"] == "total"
    }
    assert absent == expected


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("StudentID", "student_id"),
        ("Student_ID", "student_id"),
        ("stu_id", "student_id"),
        ("LocalID", "student_id"),
        ("Student Number", "student_id"),
        ("SchoolCode", "school_id"),
        ("School ID", "school_id"),
        ("SiteID", "school_id"),
        ("AttDate", "date"),
        ("Attendance Date", "date"),
        ("AbsenceDate", "date"),
        ("AbsenceCode", "status"),
        ("Attendance Code", "status"),
    ],
)
@pytest.mark.slow
def test_common_attendance_header_spellings_are_recognised(tmp_path, header, canonical):
    columns = {"student_id": "StudentID", "school_id": "SchoolCode", "date": "AttDate",
               "status": "AbsenceCode"} | {canonical: header}  # fmt: skip
    attendance = ",".join(columns.values()) + "\ns1,S1,9/3/2024,A\n"
    folder = write(tmp_path, {"enrollments.csv": ENROLLMENTS, "attendance.csv": attendance})
    assert suggested(folder)["attendance"]["columns"] == columns


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("Grade Level", "grade"),
        ("GradeLevel", "grade"),
        ("EntryDate", "entry_date"),
        ("Enroll Date", "entry_date"),
        ("WithdrawalDate", "exit_date"),
        ("Exit_Date", "exit_date"),
    ],
)
def test_common_enrollment_header_spellings_are_recognised(tmp_path, header, canonical):
    columns = {
        "student_id": "Student_ID",
        "school_id": "School ID",
        "grade": "Grade Level",
        "entry_date": "EntryDate",
        "exit_date": "WithdrawalDate",
    } | {canonical: header}
    enrollments = ",".join(columns.values()) + "\ns1,S1,KG,9/3/2024,\n"
    folder = write(tmp_path, {"enrollments.csv": enrollments, "attendance.csv": ATTENDANCE})
    assert suggested(folder)["enrollments"]["columns"] == columns


def test_plain_codes_are_guessed_and_the_others_left_todo(tmp_path):
    attendance = "StudentID,SchoolCode,AttDate,AbsenceCode\n" + "".join(
        f"s1,S1,9/{day}/2024,{code}\n"
        for day, code in enumerate(["P", "A", "E", "T", "OSS", "H", "", "excused", "Zed"], 3)
    )
    folder = write(tmp_path, {"enrollments.csv": ENROLLMENTS, "attendance.csv": attendance})
    text = suggest_mapping(folder).text
    codes = tomllib.loads(text)["codes"]["status"]
    assert codes == {
        "P": "present",
        "A": "unexcused",
        "E": "excused",
        "T": "tardy",
        "OSS": "suspension",
        "H": "TODO",
        "Zed": "TODO",
    }  # "excused" is canonical: read without mapping
    assert '1 row without a code: refused unless you map ""' in text


def test_grade_codes_are_guessed_and_the_others_left_todo(tmp_path):
    enrollments = "StudentID,SchoolCode,Grade,EntryDate\n" + "".join(
        f"s{n},S1,{grade},9/3/2024\n" for n, grade in enumerate(["KG", "07", "PS", "GR01", "13"])
    )
    folder = write(tmp_path, {"enrollments.csv": enrollments, "attendance.csv": ATTENDANCE})
    assert suggested(folder)["codes"]["grade"] == {"PS": "PK", "GR01": "1", "13": "TODO"}


def test_student_columns_become_groups_and_personal_columns_are_never_read(tmp_path):
    students = "StudentID,FirstName,LastName,DOB,Gender,ELL,FRL Status,Home Room\n"
    students += "".join(f"s{n},Ann,Lee,2015-01-01,F,{'Y' if n % 2 else 'N'},0,R{n}\n"
                        for n in range(20))  # fmt: skip
    folder = write(tmp_path, {"enrollments.csv": ENROLLMENTS, "attendance.csv": ATTENDANCE,
                              "students.csv": students})  # fmt: skip
    text = suggest_mapping(folder).text
    groups = tomllib.loads(text)["students"]["groups"]
    assert groups == {
        "gender": "Gender",
        "english_learner": {"column": "ELL", "values": "yes_no"},
        "economically_disadvantaged": {"column": "FRL Status", "values": "yes_no"},
    }
    assert "# Personal columns, never read: FirstName, LastName, DOB" in text
    assert "left out (add any that is a group): Home Room" in text


def test_without_a_calendar_file_the_first_and_last_attendance_dates_are_proposed(tmp_path):
    folder = write(tmp_path, {"enrollments.csv": ENROLLMENTS, "attendance.csv": ATTENDANCE})
    suggestion = suggest_mapping(folder)
    calendar = tomllib.loads(suggestion.text)["calendar"]
    assert (str(calendar["first_day"]), str(calendar["last_day"])) == ("2024-09-03", "2024-09-13")
    assert "non_instructional = []  # TODO" in suggestion.text


def test_a_calendar_file_and_schools_from_the_enrollments_district_column(tmp_path):
    enrollments = "StudentID,SchoolCode,DistrictCode,Grade,EntryDate\ns1,S1,D1,KG,2024-09-03\n"
    calendar = "SchoolCode,CalendarDate\nS1,9/3/2024\n"
    folder = write(tmp_path, {"enrollments.csv": enrollments, "attendance.csv": ATTENDANCE,
                              "school_calendar.csv": calendar})  # fmt: skip
    mapping = suggested(folder)
    assert mapping["calendar"] == {
        "file": "school_calendar.csv",
        "columns": {"school_id": "SchoolCode", "date": "CalendarDate"},
    }
    assert mapping["schools"] == {"district_column": "DistrictCode"}
    assert mapping["date_format"] == "%m/%d/%Y"
    assert "date_format" not in mapping["enrollments"]  # ISO dates are read in any case
    export = SmallExport(folder, tmp_path / "map.toml")
    (tmp_path / "map.toml").write_text(suggest_mapping(folder).text, encoding="utf-8")
    rows = raw_rows(export)
    assert rows["schools"][0]["district_id"] == "D1"
    assert [r["date"] for r in rows["calendar"]] == ["2024-09-03"]


def test_one_workbook_with_a_sheet_per_table(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Enrollment"
    for row in [["StudentID", "SchoolCode", "Grade", "EntryDate"], ["s1", "S1", "01", "9/3/2024"]]:
        book["Enrollment"].append(row)
    book.create_sheet("Absences")
    for row in [
        ["StudentID", "SchoolCode", "AttDate", "AbsenceCode"],
        ["s1", "S1", "9/4/2024", "A"],
    ]:
        book["Absences"].append(row)
    book.save(tmp_path / "export.xlsx")
    text = suggest_mapping(tmp_path / "export.xlsx").text
    mapping = tomllib.loads(text)
    assert mapping["attendance"]["sheet"] == "Absences" and "file" not in mapping["attendance"]
    assert mapping["enrollments"]["sheet"] == "Enrollment"
    (tmp_path / "map.toml").write_text(text, encoding="utf-8")
    rows = raw_rows(SmallExport(tmp_path / "export.xlsx", tmp_path / "map.toml"))
    assert rows["attendance"][0]["date"] == "2024-09-04"


def test_an_existing_mapping_file_is_never_overwritten(tmp_path):
    folder = write(tmp_path / "in", {"enrollments.csv": ENROLLMENTS, "attendance.csv": ATTENDANCE})
    (tmp_path / "map.toml").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(OptionError, match="exists"):
        write_suggestion(folder, tmp_path / "map.toml")
    assert (tmp_path / "map.toml").read_text() == "# mine\n"


def test_the_command_writes_the_file_and_says_what_to_do_next(tmp_path):
    folder = write(tmp_path / "in", {"enrollments.csv": ENROLLMENTS, "attendance.csv": ATTENDANCE})
    done = rollcall(
        "inspect", "--input",
         str(folder), "--suggest-mapping", str(tmp_path / "map.toml"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "attendance: attendance.csv" in done.stdout
    assert "1 entry is marked TODO" in done.stdout
    assert f"--mapping {tmp_path / 'map.toml'}" in done.stdout
    assert read_mapping(tmp_path / "map.toml").tables["attendance"].files == ("attendance.csv",)
