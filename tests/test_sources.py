"""The reading layer: choosing a reader, inspecting an input, and reporting a translated row at
the file, line and column of its source."""

from __future__ import annotations

from pathlib import Path

import pytest
from canonical import write_canonical
from command import rollcall
from translated_reader import LINE_OFFSET

from rollcall import api
from rollcall.errors import InputError, OptionError
from rollcall.formats import sources
from rollcall.formats.sources import ReadOptions, Source

ENROLLMENTS = "student_id,school_id,grade,entry_date,exit_date\ns1,A,3,2024-09-02,\n"
CALENDAR = "school_id,date\nA,2024-09-02\nA,2024-09-03\nA,2024-09-04\n"
ATTENDANCE = (
    "student_id,school_id,date,status,absent_fraction\n"
    "s1,A,2024-09-02,excused,\n"  # line 2
    "s1,A,2024-09-03,vacation,\n"  # line 3: unknown status
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_canonical(
        tmp_path / "in",
        schools="school_id\nA\n",
        students="student_id\ns1\n",
        enrollments=ENROLLMENTS,
        calendar=CALENDAR,
        attendance=ATTENDANCE,
    )


@pytest.fixture
def translated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sources.READERS, "translated", "translated_reader")


def test_a_canonical_folder_is_recognised_without_source(folder):
    assert sources.choose_reader(Source(folder)).kind == "canonical"


def test_a_folder_with_one_canonical_file_is_canonical_so_the_missing_ones_are_named(tmp_path):
    (tmp_path / "attendance.csv").write_text("student_id\n")
    assert sources.choose_reader(Source(tmp_path)).kind == "canonical"


def test_an_input_no_reader_recognises_stops_with_a_hint(tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("hello\n")
    with pytest.raises(InputError, match="cannot tell what kind") as caught:
        sources.choose_reader(Source(odd))
    assert "--source" in (caught.value.hint or "")


def test_an_unknown_source_kind_lists_the_kinds(folder):
    with pytest.raises(OptionError, match="is not one of canonical"):
        sources.choose_reader(Source(folder, kind="sims"))


def test_a_missing_input_is_named(tmp_path):
    with pytest.raises(InputError, match="input not found"):
        sources.choose_reader(Source(tmp_path / "nowhere"))


@pytest.mark.slow
def test_a_translated_row_is_refused_at_its_source_file_line_and_column(
    folder, tmp_path, translated
):
    result = api.report(Source(folder, kind="translated"), tmp_path / "out")
    rejects = (tmp_path / "out" / "rejects.csv").read_text().splitlines()
    # Canonical line 3 is "line 103 of export.txt"; its status column is called AttCode there.
    assert rejects[1:] == [f"export.txt,{3 + LINE_OFFSET},AttCode,vacation,unknown status"]
    assert result.counts["export.txt"].rejected == 1
    # The reader's note, then the engine's: the refused row, at the user's own file, with its size.
    assert result.notes == (
        "read as a translated source",
        "export.txt: 1 of 2 rows refused (each in rejects.csv, with its reason).",
    )
    refused = result.notes[1]
    assert (refused.kind, refused.size, refused.out_of, refused.file) == (  # type: ignore[attr-defined]
        "refused", 1, 2, "export.txt",
    )  # fmt: skip
    assert result.skipped == {"test rows": 2}


@pytest.mark.slow
def test_a_canonical_row_is_still_refused_at_its_own_line(folder, tmp_path):
    api.report(folder, tmp_path / "out")
    rejects = (tmp_path / "out" / "rejects.csv").read_text().splitlines()
    assert rejects[1:] == ["attendance.csv,3,status,vacation,unknown status"]


def test_inspect_counts_each_code_and_says_which_are_not_mapped(folder):
    found = sources.inspect(Source(folder))
    statuses = {c.code: (c.count, c.mapped_to) for c in found.codes if c.column == "status"}
    assert statuses == {"excused": (1, "excused"), "vacation": (1, None)}
    assert [c.code for c in found.unmapped] == ["vacation"]
    grades = {c.code: c.mapped_to for c in found.codes if c.column == "grade"}
    assert grades == {"3": "3"}
    assert (str(found.first_date), str(found.last_date)) == ("2024-09-02", "2024-09-04")
    assert "schools.csv has no district_id column" in found.missing


def test_inspect_command_prints_the_kind_files_and_unmapped_codes(folder):
    done = rollcall("inspect", "--input", str(folder))
    assert done.returncode == 0, done.stderr
    assert "canonical (days-level data)" in done.stdout
    assert "attendance: 2 rows" in done.stdout
    assert "Not mapped: 'vacation' (1)" in done.stdout


def test_inspect_of_an_unknown_input_exits_2_with_one_line(tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("hello\n")
    done = rollcall("inspect", "--input", str(odd))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "cannot tell what kind of attendance data this is" in done.stderr


def test_reading_options_reach_the_reader():
    source = Source(Path("x"), options=ReadOptions(enrollment_from_sessions=True))
    assert source.options.enrollment_from_sessions
    assert Source.of(source) is source


@pytest.mark.slow
def test_weekly_measures_carry_the_readers_notes(folder, tmp_path, translated):
    from rollcall.measures import write_measures

    result = write_measures(Source(folder, kind="translated"), tmp_path / "out")
    assert result.notes == ("read as a translated source",)


@pytest.mark.slow
def test_publishing_carries_the_readers_notes(folder, tmp_path, translated):
    result = api.publish(Source(folder, kind="translated"), tmp_path / "out")
    assert result.notes == ("read as a translated source",)
    assert result.school_years == ("2024-25",)


def test_inspect_with_a_source_kind_uses_that_reader(folder, translated):
    found = sources.inspect(Source(folder, kind="translated"))
    assert found.kind == "translated"
    assert [c.code for c in found.unmapped] == ["vacation"]
