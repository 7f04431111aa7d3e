"""Per-student totals through the command line: exit codes, one-line errors, what is printed;
which reader claims which file; and the HTML report, which leaves out what needs days."""

from __future__ import annotations

from pathlib import Path

import pytest
from canonical import write_canonical
from command import rollcall
from outputs import calendar_rows, school_days
from totals_files import write_stas, write_totals

from rollcall import api
from rollcall.formats.sources import Source, choose_reader

DATA = Path("/work/shared/data/state-public")
ROWS = [
    {"Student ID": "s1", "School": "A", "Grade": "3", "Days Present": 160, "Excused": 10,
     "Unexcused": 8, "Suspension": 2, "Gender": "F"},
    {"Student ID": "s2", "School": "A", "Grade": "3", "Days Present": 178, "Excused": 2,
     "Unexcused": 0, "Suspension": 0, "Gender": "M"},
]  # fmt: skip


@pytest.mark.slow
def test_report_on_a_stas_file_prints_notes_skipped_records_and_no_student_id(tmp_path):
    path = write_stas(
        tmp_path / "stas.txt",
        [dict(ssid="1000000001"), dict(ssid="1000000002", exempt="Y")],
    )
    done = rollcall("report", "--input", str(path), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "School year 2024-25" in done.stdout
    assert "Note: CALPADS STAS: absences = out-of-school suspension" in done.stdout
    assert "Skipped 1 exempt records" in done.stdout
    assert "1000000001" not in done.stdout + done.stderr


def test_totals_without_a_year_exit_2_asking_for_one(tmp_path):
    path = write_totals(tmp_path / "totals.csv", ROWS)
    done = rollcall("report", "--input", str(path), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "totals.csv: states no school year" in done.stderr
    assert "(hint: give the school year with --year 2024-25)" in done.stderr


def test_as_of_on_totals_exits_2(tmp_path):
    path = write_totals(tmp_path / "totals.csv", ROWS)
    done = rollcall("report", "--input", str(path), "--out", str(tmp_path / "out"),
                    "--year", "2024-25", "--as-of", "2025-01-31")  # fmt: skip
    assert done.returncode == 2 and "--as-of cannot apply to per-student totals" in done.stderr
    assert "Traceback" not in done.stderr


def test_measures_refuse_totals_with_exit_2(tmp_path):
    path = write_totals(tmp_path / "totals.csv", ROWS)
    done = rollcall("measures", "--input", str(path), "--out", str(tmp_path / "out"),
                    "--year", "2024-25")  # fmt: skip
    assert done.returncode == 2
    assert "is totals data (totals), which this command cannot use" in done.stderr


def test_a_file_without_a_totals_header_exits_2_naming_it(tmp_path):
    path = write_totals(tmp_path / "other.csv", [{"name": "x", "value": "1"}])
    done = rollcall("report", "--input", str(path), "--out", str(tmp_path / "out"),
                    "--source", "totals", "--year", "2024-25")  # fmt: skip
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "other.csv, line 1: no header row this reader knows" in done.stderr


def test_inspect_prints_columns_codes_and_the_partial_day_note(tmp_path):
    path = write_totals(tmp_path / "totals.csv", ROWS)
    done = rollcall("inspect", "--input", str(path))
    assert done.returncode == 0, done.stderr
    assert "totals (totals-level data)" in done.stdout
    assert "days_present ← Days Present" in done.stdout
    assert "group gender ← Gender" in done.stdout
    assert "Missing: no days_enrolled column" in done.stdout
    assert "partial-day rule" in done.stdout


@pytest.mark.parametrize(
    ("name", "kind"),
    [("stas.txt", "calpads"), ("stas.csv", "calpads"), ("totals.csv", "totals")],
)
def test_each_file_is_claimed_by_its_own_reader(tmp_path, name, kind):
    if name == "totals.csv":
        path = write_totals(tmp_path / name, ROWS)
    else:
        path = write_stas(tmp_path / name, [{}], header=name.endswith(".csv"))
    assert choose_reader(Source(path)).kind == kind


def test_neither_reader_claims_a_canonical_folder_or_its_files(tmp_path):
    from rollcall.formats.calpads.reader import READER as CALPADS
    from rollcall.formats.totals.reader import READER as TOTALS

    days = school_days(5)
    start = days[0].isoformat()
    folder = write_canonical(
        tmp_path / "canonical",
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}],
        enrollments=[{"student_id": "s1", "school_id": "A", "grade": "3", "entry_date": start}],
        calendar=calendar_rows("A", days),
    )
    for path in (folder, *sorted(folder.glob("*.csv"))):
        assert not CALPADS.detect(path) and not TOTALS.detect(path), path
    assert choose_reader(Source(folder)).kind == "canonical"


@pytest.mark.skipif(not DATA.is_dir(), reason="the shared state files are not here")
def test_neither_reader_claims_a_state_aggregate_file():
    from rollcall.formats.calpads.reader import READER as CALPADS
    from rollcall.formats.totals.reader import READER as TOTALS

    for path in sorted(DATA.iterdir()):
        assert not CALPADS.detect(path) and not TOTALS.detect(path), path.name


@pytest.mark.slow
def test_the_html_report_on_totals_leaves_out_what_needs_days(tmp_path):
    path = write_totals(tmp_path / "totals.csv", ROWS)
    result = api.report(path, tmp_path / "out", year="2024-25", school="A")
    assert result.html is not None
    page = result.html.read_text(encoding="utf-8")
    assert "from per-student totals (days already counted, no dates)" in page
    assert 'data-left-out="day-level"' in page and "Month by month" not in page
    assert "Left out: per-student totals have no dates to look back 30 days." in page
    assert "Chronic absence by grade" in page and "Chronic absence: Gender" in page
    assert 'data-student="s1"' in page  # moderate: 20 of 180 days
    assert "calendars look ordinary" not in page


@pytest.mark.slow
def test_the_data_quality_section_never_shows_a_student_id_under_the_sources_name(tmp_path):
    # A repeated row is refused as a duplicate in column "Student ID", value the id.
    path = write_totals(tmp_path / "totals.csv", [*ROWS, ROWS[0]])
    result = api.report(path, tmp_path / "out", year="2024-25", html=True)
    assert result.html is not None
    page = result.html.read_text(encoding="utf-8")
    assert "totals.csv: duplicate" in page and "line 4, column Student ID" in page
    assert "“s1”" not in page
