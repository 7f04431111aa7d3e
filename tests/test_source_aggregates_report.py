"""``rollcall report`` and ``rollcall inspect`` on published aggregate files: exit codes and
messages, summary.csv in the engine's columns, aggregate.csv reading back, and the page, which
leaves out (and says so) every section that needs student rows."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from report_page import read_page
from state_files import CALIFORNIA, CO_2223, CT_RAW_1819, need

from rollcall import api
from rollcall.api import Published
from rollcall.errors import OptionError
from rollcall.formats.aggregates.reader import READER
from rollcall.formats.sources import load
from rollcall.notes import NOTE_COLUMNS
from rollcall.output import SUMMARY_COLUMNS
from rollcall.report.aggregate_page import LEFT_OUT, Figures, change
from rollcall.report.records import Ratio


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def rollcall(capsys, monkeypatch):
    """Run the ``rollcall`` command in this process (its entry point, with its exit status)."""
    from rollcall.cli import main

    def run(*args: str) -> Done:
        monkeypatch.setattr(sys, "argv", ["rollcall", *args])
        code = 0
        try:
            main()
        except SystemExit as exit:
            code = int(exit.code or 0)
        captured = capsys.readouterr()
        return Done(code, captured.out, captured.err)

    return run


def summary(folder: Path) -> list[dict[str, str]]:
    with (folder / "summary.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def one(rows: list[dict[str, str]], **key: str) -> dict[str, str]:
    found = [r for r in rows if all(r[k] == v for k, v in key.items())]
    assert len(found) == 1, key
    return found[0]


GENERIC = (
    "school_year,level,unit_id,unit_name,district_id,dimension,group,eligible_students,"
    "chronically_absent,chronic_absence_rate\n"
    "2024-25,total,total,Network,,all,all,1000,150,0.15\n"
    "2024-25,district,D1,Riverside,D1,all,all,600,120,0.2\n"
    "2024-25,district,D2,Hillside,D2,all,all,400,30,0.075\n"
    "2024-25,school,A,Adams,D1,all,all,300,90,0.3\n"
    "2024-25,school,B,Baker,D1,all,all,300,30,0.1\n"
    "2024-25,school,A,Adams,D1,race_ethnicity,Asian,*,*,\n"
    "2024-25,school,A,Adams,D1,race_ethnicity,White,200,50,0.25\n"
    "2023-24,school,A,Adams,D1,all,all,290,58,0.2\n"
)


# --- the command -------------------------------------------------------------------------------


@pytest.mark.slow
def test_report_on_the_california_file_prints_what_it_read_skipped_and_wrote(rollcall, tmp_path):
    need(CALIFORNIA)
    done = rollcall("report", "--input", str(CALIFORNIA), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Published figures, school years 2016-17, 2017-18: 138 school, 25 district, 1 total" in (
        " ".join(out.split())
    )
    assert "Note: Read as the CDE chronic absenteeism with a column pair per year." in out
    assert "Skipped 24 county rows" in out and "Skipped 271 unit-years" in out
    assert "refused: 0" in out
    assert "Wrote summary.csv, aggregate.csv, rejects.csv, notes.csv" in " ".join(out.split())
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "aggregate.csv", "notes.csv", "rejects.csv", "summary.csv",
    ]  # fmt: skip
    notes = (tmp_path / "out" / "notes.csv").read_text(encoding="utf-8")
    assert "Read as the CDE chronic absenteeism with a column pair per year." in notes


@pytest.mark.slow
def test_report_on_a_colorado_workbook_prints_the_state_total(rollcall, tmp_path):
    need(CO_2223)
    done = rollcall("report", "--input", str(CO_2223), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "Colorado, 2022-23: eligible: 866,788; chronically absent: 269,582 (31.1%)." in (
        " ".join(done.stdout.split())
    )


def test_inspect_on_a_state_file_lists_its_layout_and_categories(rollcall, tmp_path):
    need(CALIFORNIA)
    done = rollcall("inspect", "--input", str(CALIFORNIA))
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "aggregate (aggregate-level data)" in text
    assert "cde-wide" in text and "ReportingCategory RB" in text
    assert "race_ethnicity: Black or African American" in text
    assert "AggregateLevel C" in text and "skipped: county" in text
    assert "1,633 suppressed by the publisher" in text
    assert "not used: CumulativeEnrollment1718" in text


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (GENERIC.replace("race_ethnicity,White", "race_ethnicity,White").replace(
            "2024-25,school,B", "2024-25,region,B"), (),
         "codes not mapped: level 'region' (1 rows)"),
        (GENERIC, ("--year", "2019-20"), "the file has no figures for 2019-20"),
        (GENERIC, ("--as-of", "2025-01-31"), "--as-of needs day-level data"),
        (GENERIC, ("--district", "D9"), "district 'D9' is not in the file"),
    ],
)  # fmt: skip
def test_bad_input_or_options_exit_2_with_one_line(rollcall, tmp_path, content, args, message):
    path = tmp_path / "network.csv"
    path.write_text(content)
    done = rollcall("report", "--input", str(path), "--out", str(tmp_path / "out"), *args)
    assert done.returncode == 2, done.stdout
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("error: ")
    assert not (tmp_path / "out").exists()  # nothing is written before the input is known good


def test_a_rate_off_its_counts_is_refused_and_the_command_says_where(rollcall, tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(GENERIC.replace("300,90,0.3", "300,90,0.4"))
    done = rollcall("report", "--input", str(path), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "1 rows refused: see" in done.stdout and "refused: 1" in done.stdout
    with (tmp_path / "out" / "rejects.csv").open(newline="") as handle:
        assert list(csv.DictReader(handle)) == [
            {"file": "network.csv", "line": "5", "column": "chronic_absence_rate",
             "value": "0.4", "reason": "rate does not match counts"},
        ]  # fmt: skip


# --- the tables --------------------------------------------------------------------------------


def test_summary_csv_has_the_engines_columns_tiers_empty_and_suppressed_never_zero(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(GENERIC)
    result = api.report(path, tmp_path / "out")
    assert isinstance(result.published, Published) and result.students is None
    rows = summary(tmp_path / "out")
    assert tuple(rows[0]) == SUMMARY_COLUMNS
    assert all(r[t] == "" for r in rows for t in ("satisfactory", "at_risk", "moderate", "severe"))
    adams = one(rows, school_year="2024-25", unit_id="A", dimension="all")
    assert (adams["eligible_students"], adams["chronically_absent"]) == ("300", "90")
    assert adams["chronic_absence_rate"] == "0.3"
    hidden = one(rows, unit_id="A", group="Asian")
    assert (hidden["eligible_students"], hidden["chronically_absent"]) == ("", "")
    assert hidden["chronic_absence_rate"] == ""
    # Rows in the engine's order: schools, districts, then the total.
    levels = [r["level"] for r in rows if r["school_year"] == "2024-25"]
    assert levels == sorted(levels, key=["school", "district", "total"].index)


def test_summary_csv_of_a_rates_only_file_carries_the_published_rate(tmp_path):
    need(CALIFORNIA)
    api.report(CALIFORNIA, tmp_path / "out", year="2017-18")
    rows = summary(tmp_path / "out")
    assert {r["school_year"] for r in rows} == {"2017-18"}
    state = one(rows, level="total", dimension="all")
    assert state["chronic_absence_rate"] == "0.111" and state["eligible_students"] == ""


def test_aggregate_csv_reads_back_to_the_same_table(tmp_path):
    need(CT_RAW_1819)
    api.report(CT_RAW_1819, tmp_path / "out")
    import duckdb

    first = load(CT_RAW_1819, duckdb.connect())
    again = load(tmp_path / "out" / "aggregate.csv", duckdb.connect())
    assert again.aggregate is not None and again.aggregate.equals(first.aggregate)


def test_parquet_output_writes_the_same_tables_as_parquet(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(GENERIC)
    result = api.report(path, tmp_path / "out", output_format="parquet")
    assert [p.name for p in result.files] == [
        "summary.parquet", "aggregate.parquet", "rejects.parquet", "notes.parquet",
    ]  # fmt: skip
    assert pq.read_table(tmp_path / "out" / "notes.parquet").column_names == list(NOTE_COLUMNS)
    assert pq.read_table(tmp_path / "out" / "summary.parquet").column_names == list(SUMMARY_COLUMNS)
    assert pq.read_table(tmp_path / "out" / "aggregate.parquet").num_rows == 8


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_page_leaves_out_every_section_that_needs_student_rows_and_says_why(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(GENERIC)
    result = api.report(path, tmp_path / "out", html=True)
    assert result.html is not None
    page = read_page(result.html)
    assert page.sections == ["headline", "units", "left-out", "quality"]
    school = read_page(api.report(path, tmp_path / "a", school="A").html)  # type: ignore[arg-type]
    assert school.sections == ["headline", "years", "groups", "left-out", "quality"]
    for student_section in ("tiers", "year", "support", "reasons"):
        assert student_section not in page.sections + school.sections
    text = unescape(page.text)
    for what, why in LEFT_OUT:
        assert f"{what}</strong>: {why}." in text
    assert "data-student" not in text and "support-table" not in text
    assert "Made from published figures, not from student rows" in text


def test_the_pages_numbers_are_the_tables_and_suppressed_cells_say_so(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(GENERIC)
    page = read_page(api.report(path, tmp_path / "out", html=True).html)  # type: ignore[arg-type]
    headline = page.rows(level="total", unit="total", dimension="all", group="all")
    assert headline == {"eligible_students": "1000", "chronic_absence_rate": "0.15",
                        "chronically_absent": "150"}  # fmt: skip
    riverside = page.rows(level="district", unit="D1", dimension="all", group="all")
    assert riverside["chronic_absence_rate"] == "0.2" and riverside["category"].startswith("high")
    # The district page lists its schools; Adams's Asian students were suppressed.
    district = read_page(
        api.report(path, tmp_path / "d1", district="D1").html  # type: ignore[arg-type]
    )
    assert (
        district.rows(level="school", unit="A", dimension="all", group="all")["eligible_students"]
        == "300"
    )
    school = read_page(api.report(path, tmp_path / "a", school="A").html)  # type: ignore[arg-type]
    asian = school.rows(level="school", unit="A", dimension="race_ethnicity", group="Asian")
    assert asian == {"eligible_students": "", "chronically_absent": "", "chronic_absence_rate": ""}
    assert "suppressed" in school.text and "last year" in school.text.lower()


@pytest.mark.slow
def test_the_colorado_page_draws_a_funnel_of_districts_and_lists_them(tmp_path):
    need(CO_2223)
    page = read_page(api.report(CO_2223, tmp_path / "out", html=True).html)  # type: ignore[arg-type]
    assert page.sections[:2] == ["headline", "units"]
    assert any(f["svg"] is not None for f in page.figures)
    assert "Funnel plot (Laney p′) of 185 units" in page.text
    mapleton = page.rows(level="district", unit="0010", dimension="all", group="all")
    assert mapleton["chronic_absence_rate"] == "0.427152"  # 2967 / 6946, the counts' own
    assert mapleton["chronically_absent"] == "2967"


@pytest.mark.slow
def test_the_connecticut_page_shows_districts_by_group_when_there_is_no_total(tmp_path):
    need(CT_RAW_1819)
    page = read_page(api.report(CT_RAW_1819, tmp_path / "out", html=True).html)  # type: ignore[arg-type]
    assert "it publishes figures by group only" in page.text
    hartford = page.rows(level="district", unit="0640011", dimension="race_ethnicity")
    # Each cell names its group; the rate is as published (Connecticut has no denominator).
    assert hartford["chronic_absence_rate:Black or African American"] == "0.221"
    assert hartford["chronic_absence_rate:White"] == "0.099"
    assert "No funnel plot" not in page.text  # no members table, so no funnel to explain


@pytest.mark.slow
def test_the_california_page_compares_the_two_years_and_says_why_there_is_no_funnel(tmp_path):
    need(CALIFORNIA)
    page = read_page(api.report(CALIFORNIA, tmp_path / "out", html=True).html)  # type: ignore[arg-type]
    assert "Chronic absence: California" in page.text and "School year 2017-18" in page.text
    assert "No funnel plot: fewer than 3 districts" in page.text
    earlier = read_page(
        api.report(CALIFORNIA, tmp_path / "y", html=True, year="2016-17").html  # type: ignore[arg-type]
    )
    assert "25 districts with a size and a rate" in earlier.text
    assert "estimated as rate × eligible students" in earlier.text


def test_choosing_both_a_school_and_a_district_is_refused(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(GENERIC)
    with pytest.raises(OptionError, match="not both"):
        api.report(path, tmp_path / "out", school="A", district="D1")


# --- the funnel's rate beside the headline; changes of small groups ---------------------------

TWO_YEARS = """\
school_year,level,unit_id,unit_name,district_id,dimension,group,eligible_students,chronically_absent
2023-24,total,total,Valley Network,,all,all,1000,300
2023-24,district,D1,Riverside,D1,all,all,300,90
2023-24,district,D2,Hillside,D2,all,all,300,80
2023-24,district,D3,Lakeside,D3,all,all,300,95
2023-24,district,D3,Lakeside,D3,race_ethnicity,Asian,15,12
2023-24,district,D3,Lakeside,D3,race_ethnicity,White,40,10
2024-25,total,total,Valley Network,,all,all,1000,311
2024-25,district,D1,Riverside,D1,all,all,300,100
2024-25,district,D2,Hillside,D2,all,all,300,90
2024-25,district,D3,Lakeside,D3,all,all,300,92
2024-25,district,D3,Lakeside,D3,race_ethnicity,Asian,11,0
2024-25,district,D3,Lakeside,D3,race_ethnicity,White,30,12
"""


def test_the_page_says_why_the_funnels_rate_is_not_the_headlines(tmp_path):
    # Headline: 311 of 1,000 = 31.1%. The funnel pools its three districts: (100 + 90 + 92) of
    # 900 = 31.33…% = 31.3%; the network counts 100 students in none of them.
    path = tmp_path / "network.csv"
    path.write_text(TWO_YEARS)
    page = read_page(api.report(path, tmp_path / "out", html=True).html)  # type: ignore[arg-type]
    assert (
        "The funnel's overall rate, 31.3%, pools the 3 districts drawn (their chronically "
        "absent students ÷ their eligible students); the 31.1% at the top is the file's own "
        "figure for Valley Network." in unescape(page.text)
    )


def test_the_page_says_nothing_of_the_sort_when_the_two_agree(tmp_path):
    # The network is exactly its districts: 282 of 900 = 31.3% both ways.
    path = tmp_path / "network.csv"
    network = "2024-25,total,total,Valley Network,,all,all,"
    path.write_text(TWO_YEARS.replace(network + "1000,311", network + "900,282"))
    page = read_page(api.report(path, tmp_path / "out", html=True).html)  # type: ignore[arg-type]
    assert "funnel's overall rate" not in unescape(page.text)


def test_a_change_of_a_small_group_carries_a_caution():
    # Asian students of Lakeside: 12 of 15 (80%) then 0 of 11: −80.0 points, fewer than 30
    # students, so a caution. White: 10 of 40 (25%) then 12 of 30 (40%): +15.0, 30 students
    # this year and 40 last: no caution. The district: 95 then 92 of 300: −1.0, none.
    def fig(n, c):
        return Figures(n, c, Ratio.of(c, n), True, False)

    assert change(fig(11, 0), fig(15, 12)) == (
        "−80.0 pts (small group: changes of this size happen by chance)"
    )
    assert change(fig(30, 12), fig(40, 10)) == "+15.0 pts"
    assert change(fig(29, 12), fig(40, 10)) == (
        "+16.4 pts (small group: changes of this size happen by chance)"
    )
    assert change(fig(300, 92), fig(300, 95)) == "−1.0 pts"
    assert change(fig(11, 0), None) == ""


def test_the_district_page_shows_the_caution_beside_the_small_groups_change(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(TWO_YEARS)
    page = api.report(path, tmp_path / "d3", district="D3").html
    text = unescape(page.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert "−80.0 pts (small group: changes of this size happen by chance)" in text
    assert "+15.0 pts<" in text


# --- a folder of a state's files, one a year ------------------------------------------------


def two_files(folder: Path) -> Path:
    """TWO_YEARS split into one generic CSV a year, as a state's downloads sit in a folder."""
    folder.mkdir()
    header, *lines = TWO_YEARS.splitlines()
    for year in ("2023-24", "2024-25"):
        mine = [line for line in lines if line.startswith(year)]
        (folder / f"figures{year[:4]}.csv").write_text("\n".join([header, *mine]) + "\n")
    return folder


def test_a_folder_of_two_years_of_files_is_read_as_one_file_of_both(rollcall, tmp_path):
    folder = two_files(tmp_path / "state")
    done = rollcall("report", str(folder), "--out", str(tmp_path / "out"), "--html")
    assert done.returncode == 0, done.stderr
    assert "school years 2023-24, 2024-25" in done.stdout
    assert "figures2023.csv: Read as the generic aggregate CSV." in done.stdout
    assert "not read" not in done.stdout
    years = {r["school_year"] for r in summary(tmp_path / "out")}
    assert years == {"2023-24", "2024-25"}
    # The year-over-year view: 300 of 1,000 (30.0%) then 311 (31.1%): +1.1 points.
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Last year (2023-24)" in page and "change: +1.1 pts" in page


def test_a_year_in_two_files_of_the_folder_is_refused_naming_both(rollcall, tmp_path):
    folder = two_files(tmp_path / "state")
    (folder / "again.csv").write_text((folder / "figures2024.csv").read_text())
    done = rollcall("report", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "2024-25 is in two files: again.csv and figures2024.csv" in done.stderr


def test_a_folder_with_another_kind_of_file_is_not_read_as_published_figures(tmp_path):
    folder = two_files(tmp_path / "state")
    assert READER.detect(folder)
    (folder / "schools.csv").write_text("school_id,school_name\nA,Adams\n")
    assert not READER.detect(folder)
