"""CALPADS Student Absence Summary (STAS) files: every rule, with hand-computed examples
(docs/sources/calpads.md)."""

from __future__ import annotations

import pytest
from totals_files import run_totals, write_stas, write_totals

from rollcall.errors import InputError
from rollcall.formats.sources import inspect

CDS = "19647330112345"  # Reporting LEA 1964733 + School of Attendance 0112345


@pytest.mark.slow
def test_absences_are_suspension_excused_unexcused_and_non_ada_study(tmp_path):
    # 160 in person + 2 OSS + 3 ISS + 5 excused + 6 unexcused + 4 non-ADA study + 0 ADA study
    # = 180 expected. Absent: 2 + 5 + 6 + 4 = 17; 17 × 10 = 170 < 180: not chronic (9.44%).
    path = write_stas(
        tmp_path / "stas.txt",
        [dict(in_person="160", oss="2", iss="3", excused="5", unexcused="6", non_ada_study="4")],
    )
    out = run_totals(path)
    school = out.student("school", CDS, "1000000001")
    assert (school["days_enrolled"], school["days_absent"]) == ("180", "17")
    assert (school["days_excused"], school["days_unexcused"], school["days_suspension"]) == (
        "5",
        "6",
        "2",
    )
    assert (school["absence_rate"], school["chronically_absent"]) == ("0.094444", "false")


@pytest.mark.slow
def test_in_school_suspension_and_ada_study_are_days_attended(tmp_path):
    # 150 in person + 10 ISS + 20 ADA-generating study = 180: no absence at all.
    path = write_stas(tmp_path / "stas.txt", [dict(in_person="150", iss="10", ada_study="20")])
    school = run_totals(path).student("school", CDS, "1000000001")
    assert (school["days_enrolled"], school["days_absent"]) == ("180", "0")


@pytest.mark.slow
def test_exempt_record_is_skipped_and_counted(tmp_path):
    path = write_stas(
        tmp_path / "stas.txt",
        [
            dict(ssid="1000000001"),
            dict(ssid="1000000002", exempt="Y", expected="", in_person=""),
        ],
    )
    out = run_totals(path)
    assert out.result.skipped == {"exempt records (13.13 exemption indicator Y)": 1}
    assert not out.has_student("school", CDS, "1000000002")
    assert out.result.counts["stas.txt"].read == 1 and out.rejects == []


@pytest.mark.slow
def test_record_whose_parts_do_not_add_up_is_refused_with_the_difference(tmp_path):
    # 170 in person + 5 excused = 175 of 180 expected: 5 days short.
    path = write_stas(
        tmp_path / "stas.txt",
        [dict(ssid="1000000001"), dict(ssid="1000000002", in_person="170", excused="5")],
    )
    out = run_totals(path)
    assert out.reasons() == [
        (
            "stas.txt",
            "2",
            "13.15 Expected Attendance Days",
            "parts add up to 175, not 180 (5 days short)",
            "parts do not add up",
        )
    ]


@pytest.mark.slow
def test_a_file_counting_in_school_suspension_twice_is_short_by_those_days(tmp_path):
    # Before 2022 "Days Attended" included in-school suspension; counted again in 13.18 the
    # parts run over by exactly the in-school suspension days.
    path = write_stas(tmp_path / "stas.txt", [dict(in_person="180", iss="3")])
    [refused] = run_totals(path).rejects
    assert refused["value"] == "parts add up to 183, not 180 (3 days over)"


def test_school_is_the_cds_code_and_its_district_the_reporting_lea(tmp_path):
    # The same student at two schools of the district: 100 days (8 absent) and 80 (10 absent).
    path = write_stas(
        tmp_path / "stas.txt",
        [
            dict(school="0112345", expected="100", in_person="92", unexcused="8"),
            dict(school="0199999", expected="80", in_person="70", excused="10"),
        ],
    )
    out = run_totals(path)
    assert out.has_student("school", "19647330199999", "1000000001")
    district = out.student("district", "1964733", "1000000001")
    assert (district["days_enrolled"], district["days_absent"]) == ("180", "18")
    assert district["chronically_absent"] == "true"


@pytest.mark.slow
def test_a_csv_extract_with_field_names_reads_like_the_caret_file(tmp_path):
    records = [
        dict(ssid="1000000001", in_person="160", oss="2", excused="8", unexcused="10"),
        dict(ssid="1000000002", in_person="170", excused="5", unexcused="4"),  # 1 day short
        dict(ssid="1000000003", exempt="Y"),
    ]
    caret = run_totals(write_stas(tmp_path / "a" / "stas.txt", records))
    extract = run_totals(write_stas(tmp_path / "b" / "stas.csv", records, header=True))
    assert caret.students == extract.students and caret.summary == extract.summary
    assert extract.reasons() == [
        (
            "stas.csv",
            "3",
            "Expected Attendance Days",
            "parts add up to 179, not 180 (1 day short)",
            "parts do not add up",
        )
    ]
    assert extract.result.skipped == caret.result.skipped


@pytest.mark.slow
def test_the_academic_year_is_the_school_year_and_other_years_are_ignored(tmp_path):
    path = write_stas(
        tmp_path / "stas.txt",
        [dict(ssid="1000000001", year="2024-2025"), dict(ssid="1000000002", year="2023-2024")],
    )
    out = run_totals(path)
    assert out.result.school_year == "2024-25"
    assert out.result.counts["stas.txt"].ignored == 1
    assert not out.has_student("school", CDS, "1000000002")
    last = run_totals(path, year="2023-24", out=tmp_path / "last")
    assert last.has_student("school", CDS, "1000000002")


@pytest.mark.slow
def test_grade_and_groups_come_from_a_students_file(tmp_path):
    path = write_stas(tmp_path / "stas.txt", [dict(ssid="1000000001"), dict(ssid="1000000002")])
    students = write_totals(
        tmp_path / "sinf.csv",
        [
            {"SSID": "1000000001", "Student Legal Last Name": "Lee", "Grade Level Code": "KN",
             "Student Gender Code": "F"},
            {"SSID": "1000000002", "Student Legal Last Name": "Ng", "Grade Level Code": "07",
             "Student Gender Code": "M"},
        ],
    )  # fmt: skip
    # The gender code is no known dimension name: counted when declared (docs/format.md).
    out = run_totals(path, students_file=students, dimensions=["student_gender_code"])
    assert out.student("school", CDS, "1000000001")["grade"] == "K"
    assert out.student("school", CDS, "1000000002")["grade"] == "7"
    assert {r["dimension"] for r in out.summary} == {"all", "grade", "student_gender_code"}
    assert not any("counted as UG" in note for note in out.result.notes)


@pytest.mark.slow
def test_an_undeclared_column_of_the_students_file_is_kept_private(tmp_path):
    path = write_stas(tmp_path / "stas.txt", [dict(ssid="1000000001")])
    students = write_totals(
        tmp_path / "sinf.csv", [{"SSID": "1000000001", "Student Gender Code": "F"}]
    )
    out = run_totals(path, students_file=students)
    assert {r["dimension"] for r in out.summary} == {"all", "grade"}
    assert any("kept private" in n and "Student Gender Code" in n for n in out.result.notes)


@pytest.mark.slow
def test_without_a_students_file_every_student_is_ungraded_and_told_so(tmp_path):
    out = run_totals(write_stas(tmp_path / "stas.txt", [{}]))
    assert out.student("school", CDS, "1000000001")["grade"] == "UG"
    assert any("counted as UG" in note for note in out.result.notes)


@pytest.mark.slow
def test_a_student_missing_from_the_students_file_is_refused_as_unknown(tmp_path):
    path = write_stas(tmp_path / "stas.txt", [dict(ssid="1000000001"), dict(ssid="1000000002")])
    students = write_totals(tmp_path / "students.csv", [{"student_id": "1000000001"}])
    out = run_totals(path, students_file=students)
    assert out.reasons() == [("stas.txt", "2", "13.07 SSID", "1000000002", "unknown student")]


def test_an_exemption_indicator_neither_y_nor_n_stops_the_load_listing_each(tmp_path):
    path = write_stas(
        tmp_path / "stas.txt", [dict(exempt="X"), dict(exempt="X"), dict(exempt="maybe")]
    )
    with pytest.raises(InputError, match=r"'X' \(2\), 'MAYBE' \(1\)"):
        run_totals(path)


def test_a_record_of_another_type_stops_the_load_at_its_line(tmp_path):
    path = write_stas(tmp_path / "stas.txt", [{}, dict(record_type="SENR")])
    with pytest.raises(InputError, match=r"line 2.*is a SENR record, not a STAS record"):
        run_totals(path)


@pytest.mark.slow
def test_hourly_attendance_records_may_hold_fractions_and_are_noted(tmp_path):
    path = write_stas(
        tmp_path / "stas.txt",
        [dict(hourly="Y", in_person="170.25", unexcused="9.75")],
    )
    out = run_totals(path)
    assert out.student("school", CDS, "1000000001")["days_absent"] == "9.75"
    assert any("hourly-attendance schools" in note for note in out.result.notes)


def test_inspect_explains_the_fields_codes_and_what_totals_cannot_do(tmp_path):
    path = write_stas(tmp_path / "stas.txt", [{}, dict(ssid="1000000002", exempt="Y")])
    found = inspect(path)
    assert (found.kind, found.grain) == ("calpads", "totals")
    [stas] = found.files
    assert stas.matched["days_enrolled"] == "13.15 Expected Attendance Days"
    assert stas.matched["school_id"] == "13.04 Reporting LEA + 13.05 School of Attendance"
    assert "13.09 Student Legal First Name" in stas.unmatched
    codes = {(c.column, c.code): (c.count, c.mapped_to) for c in found.codes}
    assert codes[("exemption indicator (13.13)", "Y")] == (1, "exempt: skipped")
    assert codes[("grade", "UG")] == (1, "UG")
    assert codes[("school_year", "2024-25")] == (1, "2024-25")
    assert any("cannot be applied" in note for note in found.notes)
    assert any("1 exempt records" in note for note in found.notes)


@pytest.mark.slow
def test_fields_after_the_layout_are_not_read(tmp_path):
    # Later CALPADS years add fields after 13.22 (13.24 Attendance Recovery Days).
    path = tmp_path / "stas.txt"
    write_stas(path, [{}])
    path.write_text(path.read_text().replace("\r\n", "^^3\r\n"), encoding="utf-8")
    out = run_totals(path)
    assert out.rejects == [] and out.has_student("school", CDS, "1000000001")


@pytest.mark.slow
def test_an_empty_expected_days_field_is_the_sum_of_the_parts(tmp_path):
    path = write_stas(tmp_path / "stas.txt", [dict(expected="", in_person="170", excused="10")])
    school = run_totals(path).student("school", CDS, "1000000001")
    assert (school["days_enrolled"], school["days_absent"]) == ("180", "10")
