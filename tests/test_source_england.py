"""England's DfE attendance files (docs/sources/england.md): small hand-computed DfE-shaped files,
then the real files in shared/data, checked against a plain-Python reading of the same rows."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from rollcall import duck
from rollcall.formats import sources
from rollcall.formats.england import dfe, files, reader, sessions
from tests.command import rollcall
from tests.state_files import need, shared_data

ENGLAND = shared_data() / "england-dfe"
YTD = ENGLAND / "EES_ytd_data.csv"
WEEKLY = ENGLAND / "EES_weekly_data_2025-autumn.csv"

HEADER = (
    "time_period,time_identifier,geographic_level,country_name,region_code,region_name,"
    "new_la_code,la_name,education_phase,enrolments,possible_sessions,overall_attendance,"
    "overall_absence,authorised_absence,unauthorised_absence,reason_i_authorised_illness,"
    "reason_o_other_unauthorised,overall_absence_perc,pa_perc"
)


def ytd_row(
    geography: str = "Local authority",
    code: str = "E09000001",
    name: str = "Camden",
    phase: str = "Total",
    sessions: tuple[str, ...] = ("1000", "940", "60", "40", "20", "40", "20"),
    absence_perc: str = "6",
    pa_perc: str = "12.5",
) -> str:
    region = ("E12000007", "London") if geography != "National" else ("", "")
    la = (code, name) if geography == "Local authority" else ("", "")
    cells = ["202526", "Academic year", geography, "England", *region, *la, phase, "480.5"]
    return ",".join([*cells, *sessions, absence_perc, pa_perc])


def write(folder: Path, *rows: str, name: str = "EES_ytd_data.csv") -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def load(path: Path) -> sources.Loaded:
    con = duck.connect()
    try:
        return sources.load(path, con)
    finally:
        con.close()


def rows_of(loaded: sources.Loaded) -> list[dict[str, object]]:
    assert loaded.aggregate is not None
    return loaded.aggregate.to_pylist()


def test_a_dfe_file_is_recognised_as_england_not_an_unknown_kind(tmp_path):
    path = write(tmp_path, ytd_row())
    assert sources.choose_reader(sources.Source(path)).kind == "england"
    assert sources.choose_reader(sources.Source(tmp_path)).kind == "england"


def test_national_is_the_total_a_local_authority_a_district_and_a_region_is_skipped(tmp_path):
    path = write(
        tmp_path,
        ytd_row("National", pa_perc="20"),
        ytd_row("Regional"),
        ytd_row(),
    )
    loaded = load(path)
    found = {(r["level"], r["unit_id"]): r for r in rows_of(loaded)}
    assert set(found) == {("total", "total"), ("district", "E09000001")}
    assert found[("total", "total")]["unit_name"] == "England"
    camden = found[("district", "E09000001")]
    assert (camden["unit_name"], camden["district_id"]) == ("Camden", "E09000001")
    # Persistent absence is the chronic measure, as a rate only: 12.5% → 0.125, no counts.
    assert camden["published_rate"] == pytest.approx(0.125)
    assert camden["eligible_students"] is None and camden["chronically_absent"] is None
    assert sum(loaded.skipped.values()) == 1


def test_phases_are_a_dimension_and_total_is_all_pupils(tmp_path):
    path = write(tmp_path, ytd_row(), ytd_row(phase="Primary", pa_perc="10"))
    groups = {(r["dimension"], r["group"]) for r in rows_of(load(path))}
    assert groups == {("all", "all"), ("education_phase", "Primary")}


def test_sessions_are_kept_with_their_reasons(tmp_path):
    loaded = load(write(tmp_path, ytd_row()))
    assert loaded.sessions is not None
    [row] = loaded.sessions.to_pylist()
    assert row["possible_sessions"] == 1000
    assert (row["absent_sessions"], row["authorised_sessions"]) == (60, 40)
    assert row["unauthorised_sessions"] == 20
    assert row["reason_i_authorised_illness"] == 40
    assert row["enrolments"] == pytest.approx(480.5)
    assert row["period"] == "year to date" and row["school_year"] == "2025-26"


def test_the_dfes_c_is_suppressed_and_x_is_not_published_never_zero(tmp_path):
    hidden = ("c",) * 7
    path = write(
        tmp_path,
        ytd_row(code="E09000001", sessions=hidden, absence_perc="c", pa_perc="c"),
        ytd_row(code="E09000002", name="Barnet", pa_perc="x"),
    )
    loaded = load(path)
    found = {r["unit_id"]: r for r in rows_of(loaded)}
    assert found["E09000001"]["suppressed"] is True
    assert found["E09000001"]["published_rate"] is None
    assert found["E09000002"]["suppressed"] is False
    assert found["E09000002"]["published_rate"] is None
    assert loaded.sessions is not None
    first = loaded.sessions.to_pylist()[0]
    assert first["possible_sessions"] is None and first["suppressed"] is True
    assert any("'c' (suppressed to protect pupils)" in note for note in loaded.notes)
    assert any("'x' (not available)" in note for note in loaded.notes)
    assert not loaded.rejects


def test_sessions_that_do_not_add_up_are_refused_at_their_line_and_column(tmp_path):
    # 40 authorised + 30 unauthorised is not the 60 sessions of absence.
    bad = ytd_row(sessions=("1000", "940", "60", "40", "30", "40", "20"))
    loaded = load(write(tmp_path, ytd_row(code="E09000002"), bad))
    assert loaded.rejects == (
        {
            "file": "EES_ytd_data.csv",
            "line": "3",
            "column": "overall_absence",
            "value": "60",
            "reason": "sessions do not add up",
        },
    )
    assert {r["unit_id"] for r in rows_of(loaded)} == {"E09000002"}


def test_a_rate_its_sessions_do_not_give_is_refused(tmp_path):
    # 60 of 1,000 sessions is 6%, not 7%.
    loaded = load(write(tmp_path, ytd_row(absence_perc="7")))
    [reject] = loaded.rejects
    assert (reject["line"], reject["column"], reject["reason"]) == (
        "2",
        "overall_absence_perc",
        "rate does not match counts",
    )


def test_a_count_that_is_not_a_number_is_refused(tmp_path):
    bad = ytd_row(sessions=("lots", "940", "60", "40", "20", "40", "20"))
    [reject] = load(write(tmp_path, bad)).rejects
    assert (reject["column"], reject["value"], reject["reason"]) == (
        "possible_sessions",
        "lots",
        "not a number",
    )


@pytest.mark.parametrize(
    ("time_period", "identifier", "expected"),
    [
        ("2025", "Week 37", ("2025-26", "week 37", date(2025, 9, 8))),
        ("2026", "Week 2", ("2025-26", "week 2", date(2026, 1, 5))),
        ("202526", "Academic year", ("2025-26", "year to date", None)),
        ("202527", "Academic year", None),
        ("2025", "Week 60", None),
    ],
)
def test_periods_are_school_years_and_iso_weeks(time_period, identifier, expected):
    found = dfe.period(time_period, identifier)
    assert (found and (found.school_year, found.name, found.week_start)) == expected


def test_report_writes_sessions_and_the_page_says_how_england_maps(tmp_path):
    path = write(tmp_path, ytd_row("National", pa_perc="20"), ytd_row())
    done = rollcall("report", str(path), "--out", str(tmp_path / "out"), "--html")
    assert done.returncode == 0, done.stderr
    with (tmp_path / "out" / "sessions.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["unit_id"] for r in rows] == ["total", "E09000001"]
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert 'id="sessions"' in page
    # 60 of 1,000 sessions missed: 6.0%; 40 authorised (4.0%), 20 unauthorised (2.0%).
    assert 'data-field="absence_rate" data-value="0.06"' in page
    assert "authorised 4.0%, unauthorised 2.0%" in page
    assert "persistently absent" in page and "10% or more" in page
    assert "Why days were missed" not in page


def test_inspect_takes_the_path_without_input(tmp_path):
    write(tmp_path, ytd_row())
    done = rollcall("inspect", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "england (aggregate-level data)" in done.stdout
    assert "cannot tell" not in done.stdout + done.stderr


def test_a_command_without_an_input_says_how_to_give_one():
    done = rollcall("inspect")
    assert done.returncode == 2
    assert "no input given" in done.stderr and "Missing option" not in done.stderr


def test_two_different_inputs_are_refused(tmp_path):
    done = rollcall("inspect", str(tmp_path), "--input", str(tmp_path / "other"))
    assert done.returncode == 2 and "two inputs given" in done.stderr


# --- the real files --------------------------------------------------------------------------


def _reference(path: Path) -> list[dict[str, str]]:
    """The file's rows as plain Python reads them, without regional rows."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["geographic_level"] != "Regional"]


def test_the_real_year_to_date_file_matches_a_plain_reading():
    need(YTD)
    loaded = load(YTD)
    assert not loaded.rejects
    expected = {
        ("total" if r["geographic_level"] == "National" else r["new_la_code"], r["education_phase"])
        : r for r in _reference(YTD)
    }  # fmt: skip
    found = rows_of(loaded)
    assert len(found) == len(expected) == 611
    for row in found:
        phase = "Total" if row["group"] == "all" else row["group"]
        source = expected[(row["unit_id"], phase)]
        if source["pa_perc"] == "c":
            assert row["suppressed"] and row["published_rate"] is None
        else:
            assert row["published_rate"] == pytest.approx(float(source["pa_perc"]) / 100)
    assert sum(r["suppressed"] for r in found) == 4  # City of London and the Isles of Scilly
    assert loaded.sessions is not None
    for row in loaded.sessions.to_pylist():
        if row["possible_sessions"] is None:
            continue
        phase = "Total" if row["group"] == "all" else row["group"]
        source = expected[(row["unit_id"], phase)]
        share = 100 * row["absent_sessions"] / row["possible_sessions"]
        assert share == pytest.approx(float(source["overall_absence_perc"]), abs=1e-9)


@pytest.mark.slow
def test_the_real_folder_reports_with_every_caveat_on_the_page(tmp_path):
    need(WEEKLY)
    out = tmp_path / "out"
    done = rollcall("report", str(ENGLAND), "--out", str(out), "--html")
    assert done.returncode == 0, done.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    for caveat in (
        "half-day sessions",
        "persistently absent",
        "no figures published for this week",
        "suppressed to protect pupils",
        "not a count of pupils",
        "not a whole year",
        "regional rows",
    ):
        assert caveat in page, caveat
    weekly = [r for r in reader.read(WEEKLY)[0].sessions if r["level"] == "total"]
    assert len(weekly) == 32  # 8 weeks × 4 phases: week 44 (half term) has no national row
    assert not (out / "rejects.csv").read_text(encoding="utf-8").strip().splitlines()[1:]


# --- the docs --------------------------------------------------------------------------------

PAGE = (Path(__file__).resolve().parents[1] / "docs" / "sources" / "england.md").read_text(
    encoding="utf-8"
)


@pytest.mark.parametrize("column", [*dfe.REASONS, *dfe.REQUIRED, dfe.PERSISTENT])
def test_every_dfe_column_read_is_documented(column):
    assert f"`{column}`" in PAGE


@pytest.mark.parametrize("reason", files.REASONS)
def test_every_refusal_reason_is_documented(reason):
    assert f"| `{reason}` |" in PAGE or reason == "more chronically absent than eligible"


@pytest.mark.parametrize("symbol", [dfe.SUPPRESSED, *(s for s in dfe.NOT_PUBLISHED if s)])
def test_every_dfe_symbol_is_documented(symbol):
    assert f"`{symbol}`" in PAGE


@pytest.mark.parametrize("column", sessions.COLUMNS)
def test_every_sessions_column_is_documented(column):
    assert f"`{column}`" in PAGE or column.startswith("reason_")
