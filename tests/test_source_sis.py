"""An SIS export read with a mapping file (docs/sources/sis.md): the round trip against the
canonical folder, and each rule of the mapping on a small hand-written export."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from command import rollcall
from sis_small import (
    ATTENDANCE,
    SCHOOL_DAYS,
    base_mapping,
    raw_rows,
    report,
    write_export,
)

from rollcall import api
from rollcall.errors import InputError, OptionError
from rollcall.formats.sis.reader import READER
from rollcall.formats.sources import ReadOptions, Source, choose_reader
from rollcall.formats.sources import inspect as inspect_source
from rollcall.synth import write_synthetic
from rollcall.synth.sis_export import write_sis_export

# --- The round trip --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small synthetic district and its canonical report."""
    base = tmp_path_factory.mktemp("synthetic")
    write_synthetic(base / "canonical", students=300, seed=3, messy=False)
    api.report(base / "canonical", base / "canonical-out")
    return base / "canonical", base / "canonical-out"


def same_outputs(expected: Path, found: Path) -> None:
    for name in ("student_metrics.csv", "summary.csv"):
        assert (found / name).read_bytes() == (expected / name).read_bytes(), name
    assert (found / "rejects.csv").read_text() == "file,line,column,value,reason\n"


@pytest.mark.slow
def test_absence_only_export_with_a_workbook_and_no_calendar_gives_the_canonical_results(
    synthetic, tmp_path
):
    canonical, expected = synthetic
    mapping = write_sis_export(canonical, tmp_path / "export", excel=True, split=True)
    result = api.report(Source(tmp_path / "export", "sis", ReadOptions(mapping)), tmp_path / "out")
    same_outputs(expected, tmp_path / "out")
    assert "enrollment.xlsx, sheet Enrollment" in result.counts
    assert any("No calendar file" in note for note in result.notes)
    assert any("exception rows only" in note for note in result.notes)


@pytest.mark.slow
def test_daily_export_with_present_rows_gives_the_canonical_results(synthetic, tmp_path):
    canonical, expected = synthetic
    mapping = write_sis_export(canonical, tmp_path / "export", excel=False, daily=True, split=False)
    assert (tmp_path / "export" / "attendance.csv").read_text().splitlines()[0].count("|") == 3
    # --mapping alone chooses the SIS reader.
    result = api.report(Source(tmp_path / "export", None, ReadOptions(mapping)), tmp_path / "out")
    same_outputs(expected, tmp_path / "out")
    assert any("rows marking a day present" in note for note in result.notes)


# --- Crosswalks ---------------------------------------------------------------------------------


def test_status_codes_become_canonical_statuses_with_their_fraction(tmp_path):
    attendance = raw_rows(write_export(tmp_path))["attendance"]
    assert [(r["date"], r["status"], r["absent_fraction"]) for r in attendance] == [
        ("2024-09-03", "unexcused", None),
        ("2024-09-04", "unexcused", "0.5"),
        ("2024-09-05", "excused", None),
    ]
    assert [(r["_file"], r["_line"]) for r in attendance] == [
        ("attendance.csv", 2),
        ("attendance.csv", 3),
        ("attendance.csv", 4),
    ]


@pytest.mark.slow
def test_a_half_day_code_counts_half_a_day(tmp_path):
    # s1: A (1) + H (0.5) of 8 school days; s2: E (1) of 8.
    found = report(write_export(tmp_path / "in"), tmp_path / "out")
    assert found.total("s1")["days_enrolled"] == str(SCHOOL_DAYS)
    assert found.total("s1")["days_absent"] == "1.5"
    assert found.total("s1")["days_unexcused"] == "1.5"
    assert found.total("s1")["absence_rate"] == "0.1875"
    assert found.total("s2")["days_excused"] == "1"


def test_a_fraction_column_of_the_row_wins_over_the_code_fraction(tmp_path):
    mapping = base_mapping()
    mapping["attendance"]["columns"]["absent_fraction"] = "Portion"
    attendance = (
        ATTENDANCE.replace("AbsenceCode\n", "AbsenceCode,Portion\n")
        .replace(",H\n", ",H,0.25\n")
        .replace(",A\n", ",A,\n")
        .replace(",E\n", ",E,\n")
    )
    rows = raw_rows(write_export(tmp_path, mapping, {"attendance.csv": attendance}))
    assert [r["absent_fraction"] for r in rows["attendance"]] == [None, "0.25", None]


def test_canonical_statuses_and_grades_are_read_without_a_crosswalk(tmp_path):
    mapping = base_mapping()
    del mapping["codes"]
    attendance = (
        ATTENDANCE.replace(",A\n", ",Unexcused\n")
        .replace(",H\n", ",tardy\n")
        .replace(",E\n", ",excused\n")
    )
    rows = raw_rows(write_export(tmp_path, mapping, {"attendance.csv": attendance}))
    assert [r["status"] for r in rows["attendance"]] == ["Unexcused", "tardy", "excused"]
    assert [r["grade"] for r in rows["enrollments"]] == ["KG", "01"]  # the engine reads both


@pytest.mark.slow
def test_grade_codes_are_translated(tmp_path):
    mapping = base_mapping()
    mapping["codes"]["grade"] = {"KF": "K", "G1": "1"}
    enrollments = "StudentID,SchoolCode,Grade,EntryDate,ExitDate\ns1,S1,KF,09/03/2024,\n"
    enrollments += "s2,S1,G1,09/03/2024,09/10/2024\n"
    export = write_export(tmp_path / "in", mapping, {"enrollments.csv": enrollments})
    assert [r["grade"] for r in raw_rows(export)["enrollments"]] == ["K", "1"]
    found = report(export, tmp_path / "out")
    assert [r["grade"] for r in found.students if r["level"] == "total"] == ["K", "1"]
    assert found.total("s2")["days_enrolled"] == "5"  # 3, 4, 5, 6 and 10 September


@pytest.mark.slow
def test_groups_are_renamed_and_their_values_crosswalked(tmp_path):
    mapping = base_mapping()
    mapping["students"] = {
        "file": "students.csv",
        "columns": {"student_id": "StudentID"},
        "groups": {
            "english_learner": {"column": "ELL", "values": "yes_no"},
            "race_ethnicity": {"column": "Eth", "values": {"H": "Hispanic or Latino"}},
            "gender": "Sex",
        },
    }
    mapping["codes"]["yes_no"] = {"Current": "Y"}
    students = "StudentID,LastName,ELL,Eth,Sex\ns1,Private,Current,H,F\ns2,Private,0,,M\n"
    export = write_export(tmp_path / "in", mapping, {"students.csv": students})
    rows = raw_rows(export)["students"]
    assert [(r["english_learner"], r["race_ethnicity"], r["gender"]) for r in rows] == [
        ("Y", "Hispanic or Latino", "F"),
        ("N", None, "M"),
    ]
    assert "last_name" not in rows[0] and "LastName" not in rows[0]
    found = report(export, tmp_path / "out")
    groups = {(r["dimension"], r["group"]) for r in found.summary if r["level"] == "total"}
    assert ("english_learner", "Y") in groups and ("race_ethnicity", "unknown") in groups


# --- Unmapped codes -----------------------------------------------------------------------------


def test_every_unmapped_code_is_listed_with_its_count_file_and_column(tmp_path):
    attendance = ATTENDANCE + "s2,S1,09/06/2024,X\ns2,S1,09/10/2024,X\ns2,S1,09/11/2024,Z\n"
    enrollments = "StudentID,SchoolCode,Grade,EntryDate,ExitDate\ns1,S1,G9,09/03/2024,\n"
    enrollments += "s2,S1,01,09/03/2024,\n"
    export = write_export(tmp_path, None, {"attendance.csv": attendance,
                                            "enrollments.csv": enrollments})  # fmt: skip
    with pytest.raises(InputError) as raised:
        raw_rows(export)
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / 'attendance.csv'}, column 'AbsenceCode': 3 codes")
    assert "'X' (2 rows), 'Z' (1 row) in attendance.csv" in message
    assert "column 'Grade': 'G9' (1 row) in enrollments.csv" in message
    assert "[codes.status], [codes.grade]" in raised.value.hint


def test_unmapped_codes_stop_the_command_with_one_line_and_exit_2(tmp_path):
    export = write_export(
        tmp_path / "in", None, {"attendance.csv": ATTENDANCE + "s2,S1,09/06/2024,Q\n"}
    )
    done = rollcall("report", "--input", str(export.folder), "--mapping", str(export.mapping),
                    "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "'Q' (1 row)" in done.stderr and "s2" not in done.stderr
    assert not (tmp_path / "out" / "student_metrics.csv").exists()


def test_an_unmapped_group_value_stops_the_load(tmp_path):
    mapping = base_mapping()
    mapping["students"] = {
        "file": "students.csv",
        "columns": {"student_id": "StudentID"},
        "groups": {"english_learner": {"column": "ELL", "values": "yes_no"}},
    }
    students = "StudentID,ELL\ns1,Y\ns2,Maybe\n"
    with pytest.raises(InputError, match=r"'Maybe' \(1 row\)"):
        raw_rows(write_export(tmp_path, mapping, {"students.csv": students}))


@pytest.mark.slow
def test_an_empty_code_is_refused_as_a_missing_value_where_it_is(tmp_path):
    attendance = ATTENDANCE + "s2,S1,09/06/2024,\n"  # line 5
    found = report(write_export(tmp_path / "in", None, {"attendance.csv": attendance}),
                   tmp_path / "out")  # fmt: skip
    assert found.reasons() == [("attendance.csv", "5", "AbsenceCode", "", "missing value")]


def test_an_empty_code_can_be_mapped_to_present(tmp_path):
    mapping = base_mapping()
    mapping["codes"]["status"][""] = "present"
    attendance = ATTENDANCE + "s2,S1,09/06/2024,\n"
    rows = raw_rows(write_export(tmp_path, mapping, {"attendance.csv": attendance}))
    assert rows["attendance"][-1]["status"] == "present"


@pytest.mark.slow
def test_a_code_mapped_to_ignore_is_left_out_and_counted(tmp_path):
    mapping = base_mapping()
    mapping["codes"]["status"]["NE"] = "ignore"
    attendance = ATTENDANCE + "s2,S1,09/06/2024,NE\ns2,S1,09/10/2024,NE\n"
    found = report(write_export(tmp_path / "in", mapping, {"attendance.csv": attendance}),
                   tmp_path / "out")  # fmt: skip
    assert found.result.skipped == {"attendance rows whose code is mapped to \"ignore\" ('NE')": 2}
    assert found.result.counts["attendance.csv"].read == 3
    assert found.rejects == []


# --- Where a refused row is ------------------------------------------------------------------


@pytest.mark.slow
def test_a_date_not_in_the_format_is_refused_at_its_file_line_and_column(tmp_path):
    attendance = ATTENDANCE + "s2,S1,2024/09/06,E\ns2,S1,13/09/2024,E\ns2,S1,9/10/24,E\n"
    found = report(write_export(tmp_path / "in", None, {"attendance.csv": attendance}),
                   tmp_path / "out")  # fmt: skip
    assert found.reasons() == [
        ("attendance.csv", "5", "AttDate", "2024/09/06", "invalid date"),
        ("attendance.csv", "6", "AttDate", "13/09/2024", "invalid date"),
        # %Y would read the year 24: a two-digit year is refused, not read as 0024
        ("attendance.csv", "7", "AttDate", "9/10/24", "invalid date"),
    ]


def test_an_iso_date_is_read_whatever_the_format(tmp_path):
    attendance = ATTENDANCE + "s2,S1,2024-09-06,E\n"
    rows = raw_rows(write_export(tmp_path, None, {"attendance.csv": attendance}))
    assert rows["attendance"][-1]["date"] == "2024-09-06"


@pytest.mark.slow
def test_lines_are_right_with_blank_lines_and_quoted_line_breaks(tmp_path):
    attendance = (
        "StudentID,SchoolCode,AttDate,AbsenceCode,Note\n"
        's1,S1,09/03/2024,A,"two\nlines"\n'  # lines 2 and 3
        "\n"  # line 4: blank
        "s1,S9,09/04/2024,A,\n"  # line 5: refused (unknown school)
    )
    found = report(write_export(tmp_path / "in", None, {"attendance.csv": attendance}),
                   tmp_path / "out")  # fmt: skip
    assert found.reasons() == [("attendance.csv", "5", "SchoolCode", "S9", "unknown school")]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


@pytest.mark.slow
def test_a_workbook_row_is_reported_at_its_spreadsheet_row(tmp_path):
    (tmp_path / "in").mkdir()
    workbook(
        tmp_path / "in" / "export.xlsx",
        {
            "Notes": [["not attendance"]],
            "Absences": [
                [],  # row 1: blank, above the header
                ["StudentID", "SchoolCode", "AttDate", "AbsenceCode"],  # row 2
                ["s1", "S1", datetime(2024, 9, 3), "A"],  # row 3: a date cell
                [],  # row 4: blank
                ["s1", "S1", "09/04/2024", "H"],  # row 5: date as text
                ["s2", "S1", "31/09/2024", "E"],  # row 6: refused
                ["s2", "S1", "09/06/2024", "E", "extra"],  # row 7: refused
            ],
        },
    )
    mapping = base_mapping()
    mapping["attendance"] |= {"file": "export.xlsx", "sheet": "Absences"}
    export = write_export(tmp_path / "in", mapping, {"attendance.csv": None})
    found = report(export, tmp_path / "out")
    assert found.reasons() == [
        ("export.xlsx", "6", "AttDate", "31/09/2024", "invalid date"),
        ("export.xlsx", "7", "extra_values", "extra", "too many values"),
    ]
    assert found.total("s1")["days_absent"] == "1.5"
    assert "export.xlsx, sheet Absences" in found.result.counts


@pytest.mark.slow
def test_a_parquet_row_is_reported_at_its_row_number(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    (tmp_path / "in").mkdir()
    pq.write_table(
        pa.table({
            "StudentID": ["s1", "s1", "s2"],
            "SchoolCode": ["S1", "S1", "S1"],
            "AttDate": ["09/03/2024", "09/04/2024", "9/99/2024"],
            "AbsenceCode": ["A", "H", "E"],
        }),
        tmp_path / "in" / "attendance.parquet",
    )  # fmt: skip
    mapping = base_mapping()
    mapping["attendance"]["file"] = "*.parquet"
    export = write_export(tmp_path / "in", mapping)
    found = report(export, tmp_path / "out")
    assert found.reasons() == [("attendance.parquet", "3", "AttDate", "9/99/2024", "invalid date")]


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_the_delimiter_is_told_from_the_header(tmp_path, delimiter):
    attendance = ATTENDANCE.replace(",", delimiter)
    enrollments = "StudentID;SchoolCode;Grade;EntryDate;ExitDate\ns1;S1;KG;09/03/2024;\n"
    enrollments += "s2;S1;01;09/03/2024;\n"  # semicolons here, whatever the attendance has
    export = write_export(tmp_path, None, {"attendance.csv": attendance,
                                           "enrollments.csv": enrollments})  # fmt: skip
    rows = raw_rows(export)
    assert [r["status"] for r in rows["attendance"]] == ["unexcused", "unexcused", "excused"]
    assert [r["grade"] for r in rows["enrollments"]] == ["KG", "01"]


def test_the_delimiter_can_be_given_in_the_mapping(tmp_path):
    # A header without any delimiter in it (one column) cannot tell; the mapping can.
    mapping = base_mapping()
    mapping["attendance"]["delimiter"] = "|"
    attendance = ATTENDANCE.replace(",", "|")
    rows = raw_rows(write_export(tmp_path, mapping, {"attendance.csv": attendance}))
    assert len(rows["attendance"]) == 3


def test_a_latin_1_export_is_read_when_the_mapping_says_so(tmp_path):
    mapping = base_mapping()
    mapping["encoding"] = "latin-1"
    mapping["schools"] = {"file": "schools.csv", "columns": {"school_id": "Code",
                                                            "school_name": "Name"}}  # fmt: skip
    schools = "Code,Name\nS1,École Saint-Jean\n".encode("latin-1")
    rows = raw_rows(write_export(tmp_path, mapping, {"schools.csv": schools}))
    assert rows["schools"][0]["school_name"] == "École Saint-Jean"


# --- Tables the export lacks ---------------------------------------------------------------------


def test_the_calendar_is_the_weekdays_from_first_to_last_day_less_holidays(tmp_path):
    rows = raw_rows(write_export(tmp_path))["calendar"]
    assert [r["date"] for r in rows] == [
        "2024-09-03", "2024-09-04", "2024-09-05", "2024-09-06",  # Tuesday to Friday
        "2024-09-10", "2024-09-11", "2024-09-12", "2024-09-13",  # Monday the 9th is off
    ]  # fmt: skip
    assert {r["school_id"] for r in rows} == {"S1"}


def test_a_school_can_have_its_own_days_and_week(tmp_path):
    mapping = base_mapping()
    mapping["calendar"]["schools"] = {
        "S2": {"last_day": date(2024, 9, 6), "weekdays": ["Mon", "Tue", "Wed", "Thu", "Sat"]}
    }
    enrollments = "StudentID,SchoolCode,Grade,EntryDate,ExitDate\ns1,S1,KG,09/03/2024,\n"
    enrollments += "s2,S2,01,09/03/2024,\n"
    rows = raw_rows(write_export(tmp_path, mapping, {"enrollments.csv": enrollments}))
    days = [(r["school_id"], r["date"]) for r in rows["calendar"]]
    assert [d for s, d in days if s == "S2"] == ["2024-09-03", "2024-09-04", "2024-09-05"]
    assert len([d for s, d in days if s == "S1"]) == SCHOOL_DAYS


def test_a_calendar_for_a_school_the_export_lacks_is_an_error(tmp_path):
    mapping = base_mapping()
    mapping["calendar"]["schools"] = {"S7": {"last_day": date(2024, 9, 6)}}
    with pytest.raises(InputError, match=r"calendar\.schools names 1 school id"):
        raw_rows(write_export(tmp_path, mapping))


def test_without_a_calendar_and_without_days_the_load_stops(tmp_path):
    mapping = base_mapping()
    del mapping["calendar"]
    with pytest.raises(InputError, match="the export has no calendar"):
        raw_rows(write_export(tmp_path, mapping))


def test_a_calendar_file_is_read_with_its_own_date_format(tmp_path):
    mapping = base_mapping()
    mapping["calendar"] = {"file": "days.csv", "date_format": "%Y%m%d",
                           "columns": {"school_id": "Site", "date": "Day"}}  # fmt: skip
    rows = raw_rows(write_export(tmp_path, mapping, {"days.csv": "Site,Day\nS1,20240903\n"}))
    assert rows["calendar"] == [
        {"school_id": "S1", "date": "2024-09-03", "_file": "days.csv", "_line": 2}
    ]


@pytest.mark.slow
def test_schools_are_the_enrollments_school_ids_with_their_district(tmp_path):
    mapping = base_mapping()
    mapping["schools"] = {"district_column": "Dist"}
    enrollments = "StudentID,SchoolCode,Grade,EntryDate,ExitDate,Dist\n"
    enrollments += "s1,S1,KG,09/03/2024,,D1\ns2,S2,01,09/03/2024,,D2\ns3,S1,01,09/03/2024,,D1\n"
    export = write_export(tmp_path / "in", mapping, {"enrollments.csv": enrollments})
    rows = raw_rows(export)
    assert [(r["school_id"], r["district_id"], r["_line"]) for r in rows["schools"]] == [
        ("S1", "D1", 2),
        ("S2", "D2", 3),
    ]
    assert [r["student_id"] for r in rows["students"]] == ["s1", "s2", "s3"]
    found = report(export, tmp_path / "out")
    assert {r["unit_id"] for r in found.students if r["level"] == "district"} == {"D1", "D2"}
    assert any("No schools file" in n and "'Dist'" in n for n in found.result.notes)
    assert any("No students file" in n for n in found.result.notes)


def test_a_column_can_be_one_value_for_every_row(tmp_path):
    mapping = base_mapping()
    mapping["attendance"]["columns"]["school_id"] = {"value": "S1"}
    attendance = "StudentID,AttDate,AbsenceCode\ns1,09/03/2024,A\n"
    rows = raw_rows(write_export(tmp_path, mapping, {"attendance.csv": attendance}))
    assert rows["attendance"][0]["school_id"] == "S1"


def test_several_files_feed_one_table_in_file_and_line_order(tmp_path):
    mapping = base_mapping()
    mapping["attendance"]["file"] = ["term2/*.csv", "term1/*.csv"]
    files = {
        "attendance.csv": None,
        "term1/a.csv": "StudentID,SchoolCode,AttDate,AbsenceCode\ns1,S1,09/03/2024,A\n",
        "term2/b.csv": "AbsenceCode,AttDate,SchoolCode,StudentID\nE,09/05/2024,S1,s2\n",
    }
    rows = raw_rows(write_export(tmp_path, mapping, files))["attendance"]
    assert [(r["_file"], r["student_id"], r["status"]) for r in rows] == [
        ("term2/b.csv", "s2", "excused"),
        ("term1/a.csv", "s1", "unexcused"),
    ]


# --- Errors that name what to fix -------------------------------------------------------------


def test_a_mapped_column_the_file_lacks_names_the_file_and_column(tmp_path):
    mapping = base_mapping()
    mapping["attendance"]["columns"]["date"] = "AbsDate"
    with pytest.raises(InputError) as raised:
        raw_rows(write_export(tmp_path, mapping))
    assert str(raised.value) == (
        f"{tmp_path / 'attendance.csv'}, column 'AbsDate': has no column 'AbsDate' "
        "(mapped to attendance.date)"
    )
    assert "StudentID, SchoolCode, AttDate, AbsenceCode" in raised.value.hint


def test_a_glob_that_matches_nothing_is_an_error(tmp_path):
    mapping = base_mapping()
    mapping["attendance"]["file"] = "absences_*.csv"
    with pytest.raises(InputError, match=r"no file matches attendance\.file = 'absences_"):
        raw_rows(write_export(tmp_path, mapping))


def test_sis_needs_a_mapping_file(tmp_path):
    export = write_export(tmp_path)
    with pytest.raises(OptionError, match="give --mapping FILE"):
        api.report(Source(export.folder, "sis"), tmp_path / "out")


def test_an_export_is_never_taken_for_sis_without_being_named(tmp_path):
    export = write_export(tmp_path)
    assert READER.detect(export.folder) is False
    assert choose_reader(Source(export.folder, None, ReadOptions(export.mapping))) is READER


# --- inspect -------------------------------------------------------------------------------------


def test_inspect_shows_files_columns_codes_dates_and_what_is_missing(tmp_path):
    mapping = base_mapping()
    del mapping["calendar"]
    attendance = ATTENDANCE + "s2,S1,9/6/2024,X\ns2,S1,2024/09/10,E\n"
    export = write_export(tmp_path, mapping, {"attendance.csv": attendance})
    found = inspect_source(export.source)
    assert found.kind == "sis"
    attendance_file = next(f for f in found.files if f.role == "attendance")
    assert attendance_file.rows == 5
    assert attendance_file.matched["date"] == "AttDate"
    codes = {(c.column, c.code): (c.count, c.mapped_to) for c in found.codes}
    assert codes[("status", "H")] == (1, "unexcused × 0.5")
    assert codes[("status", "X")] == (1, None)
    assert codes[("grade", "KG")] == (1, "K")
    assert [c.code for c in found.unmapped] == ["X"]
    assert (str(found.first_date), str(found.last_date)) == ("2024-09-03", "2024-09-06")
    assert any("no calendar file and no first/last day" in m for m in found.missing)
    assert any("1 value is not a date in %m/%d/%Y" in m for m in found.missing)


def test_inspect_on_the_command_line_prints_unmapped_codes(tmp_path):
    export = write_export(tmp_path, None, {"attendance.csv": ATTENDANCE + "s2,S1,9/6/2024,X\n"})
    done = rollcall("inspect", "--input", str(export.folder), "--mapping", str(export.mapping))
    assert done.returncode == 0, done.stderr
    assert "AttDate" in done.stdout and "unexcused × 0.5" in done.stdout
    assert "Not mapped: 'X' (1)." in done.stdout
    assert "Note: No calendar file" in done.stdout


def test_source_tables_are_dropped_after_loading(tmp_path):
    export = write_export(tmp_path)
    con = duckdb.connect()
    READER.load(export.folder, con, ReadOptions(mapping=export.mapping))
    tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    assert not any(name.startswith("_rollcall_src") for name in tables)
    assert {"raw_attendance", "raw_calendar_data"} <= tables


@pytest.mark.slow
def test_a_csv_row_with_too_many_values_is_refused_at_its_line(tmp_path):
    attendance = ATTENDANCE + "s2,S1,09/06/2024,E,oops\ns2,S1,09/10/2024,E\n"  # lines 5 and 6
    found = report(write_export(tmp_path / "in", None, {"attendance.csv": attendance}),
                   tmp_path / "out")  # fmt: skip
    assert found.reasons() == [("attendance.csv", "5", "extra_values", "oops", "too many values")]
