"""Readers given broken or hostile files (issue #18): each is read, or refused with one line that
names the file (and the line and column where there is one) and exits 2; nothing is dropped
without a word. Every file is built here, small, in tmp_path."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from canonical import write_canonical
from command import rollcall
from outputs import read_csv
from sis_small import base_mapping, write_export
from test_edfi import district

from rollcall import api, duck
from rollcall.errors import InputError
from rollcall.formats import textfiles
from rollcall.formats.sis.mapping_file import read_mapping
from rollcall.formats.sources import ReadOptions, Source, choose_reader, inspect, load


def canonical(folder: Path, *, students=(("student_id",), ("s1",)), attendance=()) -> Path:
    return write_canonical(
        folder,
        schools=[("school_id",), ("A",)],
        students=list(students),
        enrollments=[
            ("student_id", "school_id", "grade", "entry_date"),
            ("s1", "A", "1", "2024-09-02"),
        ],
        calendar=[("school_id", "date"), ("A", "2024-09-02"), ("A", "2024-09-03")],
        attendance=[
            ("student_id", "school_id", "date", "status"),
            ("s1", "A", "2024-09-02", "excused"),
            *attendance,
        ],
    )


def refused(*args: str) -> str:
    """The one error line of a rollcall run that must exit 2."""
    done = rollcall(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


# --- 1. Ed-Fi whose root element comes after the first 4 KB ------------------------------------

PREAMBLE = (
    "<!--" + " licence text, repeated. " * 400 + "-->\n"
    "<?xml-stylesheet type='text/xsl' href='view.xsl'?>\n"
    "<!DOCTYPE InterchangeX [<!ENTITY owner 'Riverside'>]>\n"
)


def test_an_edfi_file_whose_root_starts_after_4_kb_is_detected_and_read(tmp_path):
    folder = district(tmp_path / "in")
    for path in folder.glob("*.xml"):
        declaration, rest = path.read_text(encoding="utf-8").split("\n", 1)
        path.write_text(declaration + "\n" + PREAMBLE + rest, encoding="utf-8")
    assert len(PREAMBLE) > 8192
    assert choose_reader(Source(folder)).kind == "edfi"
    seen = inspect(folder)
    assert {found.path.name for found in seen.files} >= {"StudentSchoolAttendance.xml"}
    assert not any(note.startswith("not read") for note in seen.notes)
    with duck.connect() as con:
        loaded = load(Source(folder), con)
        districts = con.execute("SELECT DISTINCT district_name FROM raw_schools").fetchall()
    assert loaded.kind == "edfi"
    assert districts == [("Riverside",)]


# --- 2. files no reader claims -----------------------------------------------------------------


@pytest.mark.slow
def test_files_no_reader_claims_are_named_by_inspect_and_by_the_run(tmp_path):
    folder = canonical(tmp_path / "in")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not really")
    (folder / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / ".hidden").write_text("x", encoding="utf-8")
    note = "not read: extra.csv, notes.docx (no reader recognises them)"
    assert note in inspect(folder).notes
    with duck.connect() as con:
        assert note in load(Source(folder), con).notes
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert f"Note: {note}" in done.stdout


# --- 3. limits ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_students_file_with_many_attribute_columns_is_counted(tmp_path):
    # 68 or more attributes used to exceed Python's recursion limit (a chain of unions).
    names = tuple(f"group_{n}" for n in range(70))
    folder = canonical(tmp_path / "in", students=[("student_id", *names), ("s1", *("Y",) * 70)])
    # Declared, as any attribute that is not a known dimension must be to be counted.
    api.report(folder, tmp_path / "out", dimensions=names)
    summary = read_csv(tmp_path / "out" / "summary.csv")
    assert {row["dimension"] for row in summary} >= {"group_0", "group_69"}


def test_a_value_over_the_limit_is_refused_at_its_line_and_column(tmp_path):
    folder = canonical(tmp_path / "in")
    path = folder / "attendance.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("s1,A,2024-09-03," + "x" * (3 * 1024 * 1024) + "\n")
    line = refused("report", "--input", str(folder), "--out", str(tmp_path / "out"))
    assert line.startswith(
        f"error: {path}, line 3, column 'status': a value is longer than the limit of "
        "1,048,576 characters"
    )


def test_a_value_over_the_limit_in_a_totals_file_is_refused_at_its_line_and_column(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text(
        "Student ID,School,Days Enrolled,Days Absent\ns1,A,170," + "9" * (1024 * 1024 + 1) + "\n",
        encoding="utf-8",
    )
    line = refused("report", "--input", str(path), "--source", "totals", "--out", str(tmp_path))
    assert line.startswith(
        f"error: {path}, line 2, column 'value 4': a value is longer than the limit of 1,048,576"
    )


def bomb(path: Path, size: int) -> Path:
    """An .xlsx-shaped zip whose one sheet is ``size`` zero bytes, compressed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return path


def test_a_workbook_that_expands_too_many_times_is_refused_before_it_is_opened(tmp_path):
    path = bomb(tmp_path / "totals.xlsx", 5 * 1024 * 1024)
    assert path.stat().st_size < 20_000
    line = refused("report", "--input", str(path), "--source", "totals", "--out", str(tmp_path))
    assert line.startswith(
        f"error: {path}: part xl/worksheets/sheet1.xml would expand 1,0"
    )  # about a thousand times
    assert "more than the limit of 100 times for a workbook" in line


def test_a_workbook_that_expands_past_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(textfiles, "MAX_WORKBOOK_BYTES", 1000)
    path = bomb(tmp_path / "book.xlsx", 2000)
    with pytest.raises(InputError) as refusal, textfiles.open_workbook(path):
        pass
    assert str(refusal.value) == (
        f"{path}: would expand to 2,008 bytes when opened, more than the limit of 1,000 bytes "
        "for a workbook"
    )


# --- 4. paths of an SIS mapping ----------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern", ["/etc/passwd", "../outside.csv", "export/../../x.csv", "C:\\x.csv"]
)
def test_a_mapping_path_outside_the_input_folder_is_refused(tmp_path, pattern):
    mapping = base_mapping()
    mapping["attendance"]["file"] = pattern
    export = write_export(tmp_path / "in", mapping)
    with pytest.raises(InputError) as refusal:
        read_mapping(export.mapping)
    assert str(refusal.value) == (
        f"{export.mapping}: attendance.file: {pattern!r} is not inside the input folder: give a "
        "path relative to it, without '..' and not starting at / or a drive"
    )
    line = refused(
        "report", "--input", str(export.folder), "--mapping", str(export.mapping),
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert line.startswith(f"error: {export.mapping}: attendance.file: {pattern!r} is not inside")


def test_a_link_out_of_the_input_folder_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.csv"
    export = write_export(tmp_path / "in")
    outside.write_text((export.folder / "attendance.csv").read_text(), encoding="utf-8")
    (export.folder / "attendance.csv").unlink()
    (export.folder / "attendance.csv").symlink_to(outside)
    with duck.connect() as con, pytest.raises(InputError) as refusal:
        load(Source(export.folder, None, ReadOptions(mapping=export.mapping)), con)
    assert "a link to a file outside the input folder" in str(refusal.value)


# --- 5. quotes and long rows -------------------------------------------------------------------


def test_an_unclosed_quote_is_refused_at_the_line_it_opens(tmp_path):
    folder = canonical(tmp_path / "in", attendance=[("s1", "A", "2024-09-03", "excused")])
    path = folder / "attendance.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write('s1,A,"2024-09-04,excused\n' + "s1,A,2024-09-02,excused\n" * 3)
    line = refused("report", "--input", str(folder), "--out", str(tmp_path / "out"))
    assert line.startswith(
        f"error: {path}, line 4, column 'date': a quoted value starts here and is never closed"
    )


@pytest.mark.slow
def test_a_row_with_too_many_values_near_the_end_is_refused_row_by_row(tmp_path):
    many = [("s1", "A", "2024-09-03", "excused")] * 25_000
    folder = canonical(
        tmp_path / "in", attendance=[*many, ("s1", "A", "2024-09-03", "excused", "EXTRA")]
    )
    api.report(folder, tmp_path / "out")
    rejects = read_csv(tmp_path / "out" / "rejects.csv")
    extra = [r for r in rejects if r["column"] == "extra_values"]
    assert extra == [
        {"file": "attendance.csv", "line": "25003", "column": "extra_values", "value": "EXTRA",
         "reason": "too many values"}
    ]  # fmt: skip


# --- 6. other broken files ---------------------------------------------------------------------

HINT = "open it in Excel and save it as an Excel Workbook (.xlsx)"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty (0 bytes)"),
        (
            b"Student ID,School,Days Enrolled,Days Absent\ns1,A,170,3\n",
            "it holds text (a CSV file?)",
        ),
        (b"\x00\x01\x02garbage" * 10, "it is not a zip archive"),
    ],
)
def test_an_xlsx_that_is_no_workbook_is_refused_in_one_line(tmp_path, content, reason):
    path = tmp_path / "totals.xlsx"
    path.write_bytes(content)
    line = refused("report", "--input", str(path), "--source", "totals", "--out", str(tmp_path))
    assert line.startswith(f"error: {path}: cannot be read as an Excel workbook (.xlsx): {reason}")
    assert HINT in line


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 8, "line 1: is not UTF-8 text"),
        (b"", "line 1: is empty: a header row is required"),
    ],
)
def test_a_canonical_file_that_is_no_text_is_refused_in_one_line(tmp_path, content, message):
    folder = canonical(tmp_path / "in")
    (folder / "attendance.csv").write_bytes(content)
    line = refused("report", "--input", str(folder), "--out", str(tmp_path / "out"))
    assert line.startswith(f"error: {folder / 'attendance.csv'}, {message}")


@pytest.mark.slow
def test_a_byte_order_mark_crlf_lines_and_a_nul_byte_are_read(tmp_path):
    folder = canonical(tmp_path / "in")
    (folder / "attendance.csv").write_bytes(
        b"\xef\xbb\xbfstudent_id,school_id,date,status\r\n"
        b"s1,A,2024-09-02,excused\r\ns1,A,2024-09-03,ex\x00cused\r\n"
    )
    api.report(folder, tmp_path / "out")
    rejects = read_csv(tmp_path / "out" / "rejects.csv")
    assert [(r["line"], r["column"]) for r in rejects] == [("3", "status")]
