"""The `rollcall report` command: exit codes, messages, and what it prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from canonical import write_canonical
from command import rollcall
from outputs import absences, calendar_rows, school_days

DAYS = school_days(20)


def small_folder(folder: Path) -> Path:
    return write_canonical(
        folder,
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1", "last_name": "Private"}],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "5", "entry_date": DAYS[0].isoformat()}
        ],
        calendar=calendar_rows("A", DAYS),
        attendance=absences("s1", "A", DAYS[:3]) + absences("s1", "A", DAYS[3:4], "bogus"),
    )


@pytest.mark.slow
def test_report_succeeds_and_prints_counts_that_add_up(tmp_path):
    folder = small_folder(tmp_path / "in")
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "School year 2024-25, policy attendance-works" in done.stdout
    assert "attendance.csv" in done.stdout and "1 rows refused" in done.stdout
    assert "chronically absent: 1 (100.0%)" in done.stdout
    for name in ("student_metrics.csv", "summary.csv", "rejects.csv"):
        assert (tmp_path / "out" / name).is_file()


@pytest.mark.slow
def test_report_never_prints_a_student_id_or_name(tmp_path):
    folder = small_folder(tmp_path / "in")
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "out"))
    assert "s1" not in done.stdout + done.stderr
    assert "Private" not in done.stdout + done.stderr


def test_missing_file_exits_2_naming_it(tmp_path):
    folder = small_folder(tmp_path / "in")
    (folder / "calendar.csv").unlink()
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "calendar.csv: missing file calendar.csv" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_required_column_exits_2_naming_file_and_column(tmp_path):
    folder = small_folder(tmp_path / "in")
    (folder / "enrollments.csv").write_text("student_id,school_id,grade\ns1,A,5\n")
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert (
        "enrollments.csv, column 'entry_date': missing required column 'entry_date'" in done.stderr
    )
    assert len(done.stderr.strip().splitlines()) == 1  # one line, with what to try
    assert "(hint: enrollments.csv needs the columns" in done.stderr


def test_unknown_policy_exits_2_with_the_known_ones(tmp_path):
    folder = small_folder(tmp_path / "in")
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "o"), "--policy", "x")
    assert done.returncode == 2
    assert "unknown policy 'x'" in done.stderr and "edfacts" in done.stderr


def test_bad_year_and_as_of_exit_2(tmp_path):
    folder = small_folder(tmp_path / "in")
    out = str(tmp_path / "o")
    bad_year = rollcall("report", "--input", str(folder), "--out", out, "--year", "2024-26")
    assert bad_year.returncode == 2 and "2024-26" in bad_year.stderr
    outside = rollcall("report", "--input", str(folder), "--out", out, "--as-of", "2026-01-01")
    assert outside.returncode == 2 and "outside the school year 2024-25" in outside.stderr
    not_a_date = rollcall("report", "--input", str(folder), "--out", out, "--as-of", "1/2/2025")
    assert not_a_date.returncode == 2 and "is not a YYYY-MM-DD date" in not_a_date.stderr


def test_file_that_is_not_utf8_exits_2(tmp_path):
    folder = small_folder(tmp_path / "in")
    (folder / "students.csv").write_bytes("student_id,name\ns1,Jos\xe9\n".encode("latin-1"))
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "students.csv" in done.stderr


@pytest.mark.slow
def test_an_output_path_that_is_a_file_exits_2(tmp_path):
    folder = small_folder(tmp_path / "in")
    (tmp_path / "taken").write_text("")
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "taken"))
    assert done.returncode == 2 and "is a file, not a folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_calendar_without_a_valid_date_exits_2(tmp_path):
    folder = small_folder(tmp_path / "in")
    (folder / "calendar.csv").write_text("school_id,date\nA,09/03/2024\n")
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "calendar.csv, column 'date': has no valid date" in done.stderr


@pytest.mark.slow
def test_the_installed_command_runs_in_a_new_process(tmp_path):
    # The one test that starts a process: the entry point itself (the others run in-process).
    from command import rollcall_process

    folder = small_folder(tmp_path / "in")
    done = rollcall_process("report", "--input", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "chronically absent: 1 (100.0%)" in done.stdout


def test_report_on_spark_refuses_the_page_with_exit_2(tmp_path):
    folder = small_folder(tmp_path / "in")
    done = rollcall(
        "report", str(folder), "--out", str(tmp_path / "out"), "--engine", "spark", "--html"
    )
    assert done.returncode == 2
    assert "--engine spark writes the tables only, not report.html" in done.stderr
    assert "make the page with the default engine" in done.stderr


def test_spark_master_without_the_spark_engine_exits_2(tmp_path):
    folder = small_folder(tmp_path / "in")
    done = rollcall(
        "report", str(folder), "--out", str(tmp_path / "out"), "--spark-master", "local[1]"
    )
    assert done.returncode == 2
    assert "--spark-master is for --engine spark" in done.stderr


def test_an_unknown_engine_is_a_usage_error(tmp_path):
    folder = small_folder(tmp_path / "in")
    done = rollcall("report", str(folder), "--out", str(tmp_path / "out"), "--engine", "polars")
    assert done.returncode == 2
    assert "'polars' is not one of 'duckdb', 'spark'" in done.stderr
