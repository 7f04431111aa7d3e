"""No CSV rollcall writes hands a spreadsheet a formula (docs/output.md, "Spreadsheets").

Values a spreadsheet would run (``=1+1``, ``+1``, ``-1+2``, ``@SUM(A1)``, a leading tab) are
written with a leading ``'``; plain numbers (``-3.2``, ``0.5``) are left alone. Each writer is
checked on a hand-built input, cell by cell; Parquet and JSON keep the values as they are.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import ibis
import pyarrow.parquet as pq
import pytest
from canonical import write_canonical
from outputs import absences, calendar_rows, read_csv, school_days

from rollcall import api
from rollcall.formats.aggregates import table as aggregate
from rollcall.formats.aggregates.generic import write as write_generic
from rollcall.publish.ca_dashboard import write_ca_dashboard
from rollcall.publish.files import publish_aggregate
from rollcall.publish.rules import PRESETS
from rollcall.writing import neutralised, neutralised_expr

HOSTILE = {
    "=1+1": "'=1+1",
    "+1": "'+1",
    "-1+2": "'-1+2",
    "@SUM(A1)": "'@SUM(A1)",
    "\tx": "'\tx",
    "\rx": "'\rx",
}
PLAIN = ("-3.2", "0.5", "12", "-7", "", "abc", "a=b", "'=x")


@pytest.mark.parametrize(("value", "expected"), [*HOSTILE.items(), *((v, v) for v in PLAIN)])
def test_a_value_that_starts_like_a_formula_gets_a_quote_and_a_number_does_not(value, expected):
    assert neutralised(value) == expected


def test_the_sql_expression_says_the_same_as_the_python_function():
    values = [*HOSTILE, *PLAIN, None]
    t = ibis.memtable({"v": values}, schema={"v": "string"})
    got = t.select(w=neutralised_expr(t.v)).to_pyarrow().column("w").to_pylist()
    assert got == [None if v is None else neutralised(v) for v in values]


# --- the engine's tables, measures ---------------------------------------------------------


def hostile_folder(folder: Path) -> Path:
    """School ``@SUM(A1)`` of district ``-1+2``; students ``=1+1`` (gender ``-3.2``) and ``+1``
    (gender ``0.5``); one attendance row whose status is ``+1`` (refused)."""
    days = school_days(20)
    first = days[0].isoformat()
    return write_canonical(
        folder,
        schools=[{"school_id": "@SUM(A1)", "school_name": "=1+1", "district_id": "-1+2"}],
        students=[
            {"student_id": "=1+1", "gender": "-3.2"},
            {"student_id": "+1", "gender": "0.5"},
        ],
        enrollments=[
            {"student_id": s, "school_id": "@SUM(A1)", "grade": "5", "entry_date": first}
            for s in ("=1+1", "+1")
        ],
        calendar=calendar_rows("@SUM(A1)", days),
        attendance=[
            *absences("=1+1", "@SUM(A1)", days[:3]),
            *absences("+1", "@SUM(A1)", days[3:4], status="+1"),
        ],
    )


@pytest.mark.slow
def test_the_engines_csv_tables_neutralise_ids_groups_and_refused_values(tmp_path):
    folder = hostile_folder(tmp_path / "in")
    api.report(folder, tmp_path / "out")
    students = read_csv(tmp_path / "out" / "student_metrics.csv")
    school = [r for r in students if r["level"] == "school"]
    assert {(r["unit_id"], r["student_id"]) for r in school} == {
        ("'@SUM(A1)", "'=1+1"),
        ("'@SUM(A1)", "'+1"),
    }
    assert {r["unit_id"] for r in students if r["level"] == "district"} == {"'-1+2"}
    summary = read_csv(tmp_path / "out" / "summary.csv")
    gender = {(r["level"], r["group"]) for r in summary if r["dimension"] == "gender"}
    # -3.2 and 0.5 are plain numbers: a spreadsheet shows them as numbers, never runs them.
    assert ("school", "-3.2") in gender and ("school", "0.5") in gender
    assert {r["unit_id"] for r in summary if r["level"] == "school"} == {"'@SUM(A1)"}
    (refused,) = read_csv(tmp_path / "out" / "rejects.csv")
    assert (refused["column"], refused["value"]) == ("status", "'+1")


@pytest.mark.slow
def test_parquet_keeps_the_values_as_they_are(tmp_path):
    folder = hostile_folder(tmp_path / "in")
    api.report(folder, tmp_path / "out", output_format="parquet")
    students = pq.read_table(tmp_path / "out" / "student_metrics.parquet").to_pylist()
    assert {r["student_id"] for r in students} == {"=1+1", "+1"}
    (refused,) = pq.read_table(tmp_path / "out" / "rejects.parquet").to_pylist()
    assert refused["value"] == "+1"


@pytest.mark.slow
def test_measures_csv_neutralises_unit_ids(tmp_path):
    from rollcall.measures import write_measures

    folder = hostile_folder(tmp_path / "in")
    write_measures(folder, tmp_path / "out")
    rows = read_csv(tmp_path / "out" / "measures.csv")
    assert {r["unit_id"] for r in rows if r["level"] == "school"} == {"'@SUM(A1)"}
    assert {r["unit_id"] for r in rows if r["level"] == "district"} == {"'-1+2"}


# --- the public files ------------------------------------------------------------------------


def hostile_table():
    """One school alone in its district, dimension ``@SUM(A1)``: all 1000/200 (20%); group
    ``=1+1`` 500/84 (16.8%, gap −3.2 points); ``+1`` 400/66 (16.5%, gap −3.5); ``\\tx`` 100/50
    (0.5, gap +30.0)."""
    groups = {"=1+1": (500, 84), "+1": (400, 66), "\tx": (100, 50)}
    rows = []
    for level, unit in (("school", "S"), ("district", "D"), ("total", "total")):
        base = {
            "school_year": "2024-25", "level": level, "unit_id": unit, "unit_name": "-1+2",
            "district_id": {"school": "D", "district": "D"}.get(level),
        }  # fmt: skip
        rows.append(base | {"dimension": "all", "group": "all", "eligible_students": 1000,
                            "chronically_absent": 200})  # fmt: skip
        for g, (n, c) in groups.items():
            cell = {"dimension": "@SUM(A1)", "group": g, "eligible_students": n}
            rows.append(base | cell | {"chronically_absent": c})
    return aggregate.table(rows)


def test_public_summary_and_equity_neutralise_names_and_groups_and_keep_numbers(tmp_path):
    publish_aggregate(hostile_table(), tmp_path, PRESETS["default"])
    summary = [r for r in read_csv(tmp_path / "public_summary.csv") if r["level"] == "school"]
    cells = {(r["dimension"], r["group"]): r for r in summary}
    assert set(cells) == {("all", "all"), *(("'@SUM(A1)", g) for g in ("'=1+1", "'+1", "'\tx"))}
    assert {r["unit_name"] for r in summary} == {"'-1+2"}
    assert cells[("'@SUM(A1)", "'\tx")]["chronic_absence_rate"] == "0.5"
    equity = {r["group"]: r for r in read_csv(tmp_path / "equity.csv") if r["level"] == "school"}
    assert equity["'=1+1"]["gap_to_overall_pp"] == "-3.2"
    assert equity["'+1"]["gap_to_overall_pp"] == "-3.5"
    assert equity["'\tx"]["gap_to_overall_pp"] == "30.0"
    # The JSON keeps values as they are: a program reads them as data.
    document = json.loads((tmp_path / "public_summary.json").read_text(encoding="utf-8"))
    groups = {r["group"] for r in document["summary"] if r["level"] == "school"}
    assert groups == {"all", "=1+1", "+1", "\tx"}
    assert document["units"][0]["unit_name"] == "-1+2"


def test_ca_dashboard_csv_neutralises_the_unit_id_and_keeps_a_negative_change(tmp_path):
    def year(school_year, chronic):
        return aggregate.table(
            [{"school_year": school_year, "level": "school", "unit_id": "=1+1",
              "unit_name": "x", "district_id": "D", "dimension": "all", "group": "all",
              "eligible_students": 500, "chronically_absent": chronic}]
        )  # fmt: skip

    # 50/500 = 10.0% now, 66/500 = 13.2% the year before: a change of −3.2 points.
    path = write_ca_dashboard(year("2024-25", 50), year("2023-24", 66), tmp_path)
    (row,) = read_csv(path)
    assert (row["unit_id"], row["currstatus"], row["change"]) == ("'=1+1", "10.0", "-3.2")


def test_the_generic_aggregate_csv_neutralises_text_and_keeps_the_rate(tmp_path):
    rows = [{"school_year": "2024-25", "level": "school", "unit_id": "+1", "unit_name": "\tx",
             "district_id": "@SUM(A1)", "dimension": "-1+2", "group": "=1+1",
             "eligible_students": 20, "chronically_absent": 10, "published_rate": 0.5}]  # fmt: skip
    path = write_generic(aggregate.table(rows), tmp_path / "aggregate.csv")
    (row,) = read_csv(path)
    assert (row["unit_id"], row["unit_name"], row["district_id"]) == ("'+1", "'\tx", "'@SUM(A1)")
    assert (row["dimension"], row["group"]) == ("'-1+2", "'=1+1")
    assert row["chronic_absence_rate"] == "0.5"


def test_a_report_on_a_published_file_neutralises_its_tables(tmp_path):
    source = tmp_path / "state.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")  # the hostile file, as a state wrote it
        writer.writerow(["school_year", "level", "unit_id", "unit_name", "dimension", "group",
                         "eligible_students", "chronically_absent"])  # fmt: skip
        writer.writerow(["2024-25", "school", "=1+1", "@SUM(A1)", "all", "all", "40", "10"])
        writer.writerow(["2024-25", "school", "=1+1", "@SUM(A1)", "gender", "-1+2", "40", "10"])
    api.report(source, tmp_path / "out")
    summary = read_csv(tmp_path / "out" / "summary.csv")
    assert {r["unit_id"] for r in summary} == {"'=1+1"}
    assert {r["group"] for r in summary} == {"all", "'-1+2"}
    whole = read_csv(tmp_path / "out" / "aggregate.csv")
    assert {r["unit_name"] for r in whole} == {"'@SUM(A1)"}


def test_spc_csv_neutralises_a_period(tmp_path):
    from rollcall.spc.series import write_spc

    series = tmp_path / "series.csv"
    series.write_text("period,value\n=1+1,3\n+1,-3.2\n@SUM(A1),0.5\n-1+2,4\n", encoding="utf-8")
    write_spc(series, tmp_path / "out", kind="run")
    rows = read_csv(tmp_path / "out" / "spc.csv")
    assert [r["period"] for r in rows] == ["'=1+1", "'+1", "'@SUM(A1)", "'-1+2"]
    assert [r["value"] for r in rows] == ["3.0", "-3.2", "0.5", "4.0"]
