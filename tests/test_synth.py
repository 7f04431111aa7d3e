"""`rollcall synth`: a synthetic state that looks like a real extract and keeps the rules."""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from rollcall import cli
from rollcall.grades import GRADES
from rollcall.synth import SynthSummary, generator, write_synthetic

TABLES = ("schools", "students", "enrollments", "calendar", "attendance")
REQUIRED = {
    "schools": {"school_id"},
    "students": {"student_id"},
    "enrollments": {"student_id", "school_id", "grade", "entry_date"},
    "calendar": {"school_id", "date"},
    "attendance": {"student_id", "school_id", "date", "status"},
}
ABSENCES = {"excused", "unexcused", "suspension"}
PRESENCES = {"tardy", "early_departure", "in_school_suspension"}
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_parquet(folder: Path, name: str) -> list[dict[str, str]]:
    rows = pq.read_table(folder / f"{name}.parquet").to_pylist()
    return [{k: "" if v is None else v for k, v in row.items()} for row in rows]


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SynthSummary]:
    """A seeded synthetic district of 2,000 students, one school year, clean."""
    out = tmp_path_factory.mktemp("district")
    return out, write_synthetic(out, students=2000, seed=7)


@pytest.fixture(scope="module")
def tables(district: tuple[Path, SynthSummary]) -> dict[str, list[dict[str, str]]]:
    return {name: read(district[0], name) for name in TABLES}


def windows(tables: dict[str, list[dict[str, str]]]) -> dict[tuple[str, str], list]:
    result: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for row in tables["enrollments"]:
        result[row["student_id"], row["school_id"]].append(
            (row["entry_date"], row["exit_date"] or "9999-12-31")
        )
    return result


def enrolled_days(tables: dict[str, list[dict[str, str]]]) -> Counter[str]:
    days_of: dict[str, list[str]] = defaultdict(list)
    for row in tables["calendar"]:
        days_of[row["school_id"]].append(row["date"])
    enrolled: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in tables["enrollments"]:
        last = row["exit_date"] or "9999-12-31"
        for day in days_of[row["school_id"]]:
            if row["entry_date"] <= day <= last:
                enrolled[row["student_id"]].add((row["school_id"], day))
    return Counter({student: len(days) for student, days in enrolled.items()})


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_synthetic(tmp_path / name, students=300, seed=seed, messy=True)
    for table in TABLES:
        same = (tmp_path / "a" / f"{table}.csv").read_bytes()
        assert same == (tmp_path / "b" / f"{table}.csv").read_bytes()
    other = (tmp_path / "c" / "attendance.csv").read_bytes()
    assert other != (tmp_path / "a" / "attendance.csv").read_bytes()


def test_every_file_has_its_required_columns_and_the_summary_counts_its_rows(
    district: tuple[Path, SynthSummary], tables: dict[str, list[dict[str, str]]]
) -> None:
    _, summary = district
    for name in TABLES:
        assert REQUIRED[name] <= set(tables[name][0])
        assert summary.rows()[f"{name}.csv"] == len(tables[name])
    assert {"gender", "race_ethnicity", "economically_disadvantaged", "homeless"} <= set(
        tables["students"][0]
    )
    assert summary.students == 2000
    assert summary.districts >= 2
    assert summary.schools == len({row["school_id"] for row in tables["schools"]})


def test_every_attendance_row_is_an_instructional_day_inside_an_enrollment_once(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    calendar = {(row["school_id"], row["date"]) for row in tables["calendar"]}
    spans = windows(tables)
    seen: set[tuple[str, str, str]] = set()
    for row in tables["attendance"]:
        key = (row["student_id"], row["school_id"], row["date"])
        assert key not in seen
        seen.add(key)
        assert (row["school_id"], row["date"]) in calendar
        assert any(
            entry <= row["date"] <= last
            for entry, last in spans[row["student_id"], row["school_id"]]
        )


def test_statuses_fractions_grades_and_dates_are_valid(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    statuses = Counter(row["status"] for row in tables["attendance"])
    assert set(statuses) == ABSENCES | PRESENCES
    assert statuses["tardy"] > statuses["suspension"]
    for row in tables["attendance"]:
        fraction = row["absent_fraction"]
        if row["status"] in PRESENCES:
            assert fraction == ""
        elif fraction:
            assert 0 < float(fraction) < 1
    fractions = Counter(row["absent_fraction"] for row in tables["attendance"])
    assert {"0.25", "0.5", "0.75"} <= set(fractions)
    assert {row["grade"] for row in tables["enrollments"]} <= set(GRADES)
    for row in tables["enrollments"]:
        assert ISO.fullmatch(row["entry_date"])
        assert not row["exit_date"] or row["entry_date"] <= row["exit_date"]
    students = {row["student_id"] for row in tables["students"]}
    assert {row["student_id"] for row in tables["enrollments"]} == students


def test_calendars_differ_by_district_and_run_mid_august_to_june(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    district = {row["school_id"]: row["district_id"] for row in tables["schools"]}
    days: dict[str, list[str]] = defaultdict(list)
    for row in tables["calendar"]:
        days[row["school_id"]].append(row["date"])
    for school_days in days.values():
        assert 174 <= len(school_days) <= 182
        assert "2025-08-10" < min(school_days) < "2025-09-10"
        assert "2026-05-20" < max(school_days) < "2026-06-30"
        assert all(date.fromisoformat(day).weekday() < 5 for day in school_days)
        assert "2025-12-25" not in school_days
    by_district = {district[school]: tuple(school_days) for school, school_days in days.items()}
    assert len(set(by_district.values())) == len(by_district) >= 2


def test_mobility_has_transfers_reenrollments_and_concurrent_enrollments(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    district = {row["school_id"]: row["district_id"] for row in tables["schools"]}
    by_student: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in tables["enrollments"]:
        by_student[row["student_id"]].append(row)
    transfers = across = reenrolled = concurrent = 0
    for rows in by_student.values():
        schools = [row["school_id"] for row in rows]
        transfers += len(set(schools)) > 1
        across += len({district[s] for s in schools}) > 1
        reenrolled += len(schools) > len(set(schools))
        concurrent += any(
            a["school_id"] != b["school_id"]
            and a["entry_date"] < b["entry_date"] <= (a["exit_date"] or "9999")
            for a in rows
            for b in rows
        )
    assert 0.04 * 2000 <= transfers <= 0.12 * 2000
    assert across > 0 and reenrolled > 0 and concurrent > 0
    exits = sum(1 for row in tables["enrollments"] if row["exit_date"])
    late = sum(1 for row in tables["enrollments"] if row["entry_date"] > "2025-09-30")
    assert exits > transfers and late > transfers


def test_chronic_share_is_in_a_plausible_band_with_real_group_gaps(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    absent: Counter[str] = Counter()
    for row in tables["attendance"]:
        if row["status"] in ABSENCES:
            absent[row["student_id"]] += float(row["absent_fraction"] or 1)
    enrolled = enrolled_days(tables)
    chronic = {s for s, days in enrolled.items() if absent[s] >= 0.1 * days}
    assert 0.12 <= len(chronic) / len(enrolled) <= 0.35
    rows_per_student = len(tables["attendance"]) / len(tables["students"])
    assert 14 <= rows_per_student <= 24

    def rate(column: str, value: str) -> float:
        group = [r["student_id"] for r in tables["students"] if r[column] == value]
        return sum(s in chronic for s in group) / len(group)

    assert rate("economically_disadvantaged", "Y") > rate("economically_disadvantaged", "N")
    assert rate("homeless", "Y") > rate("homeless", "N")


def test_mondays_and_fridays_have_more_absences_than_midweek(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    weekday = Counter(
        date.fromisoformat(row["date"]).weekday()
        for row in tables["attendance"]
        if row["status"] in {"excused", "unexcused"}
    )
    assert min(weekday[0], weekday[4]) > weekday[2]


def test_some_attribute_values_are_unknown_and_names_are_filled(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    students = tables["students"]
    assert any(row["race_ethnicity"] == "" for row in students)
    assert all(row["first_name"] and row["last_name"] for row in students)
    assert {row["gender"] for row in students} <= {"F", "M", "X", ""}


def test_csv_and_parquet_hold_the_same_content(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "csv", students=400, seed=5, years=2)
    write_synthetic(tmp_path / "pq", students=400, seed=5, years=2, fmt="parquet")
    for name in TABLES:
        assert read(tmp_path / "csv", name) == read_parquet(tmp_path / "pq", name)


def test_two_years_give_two_school_years_with_promotions_and_newcomers(tmp_path: Path) -> None:
    summary = write_synthetic(tmp_path, students=1000, seed=2, year="2024-25", years=2)
    assert summary.years == ("2023-24", "2024-25")
    assert summary.students > 1000
    calendar_years = {row["date"][:4] for row in read(tmp_path, "calendar")}
    assert calendar_years == {"2023", "2024", "2025"}
    grades: dict[str, dict[str, str]] = defaultdict(dict)
    for row in read(tmp_path, "enrollments"):
        year = "first" if row["entry_date"] < "2024-07-01" else "second"
        grades[row["student_id"]][year] = row["grade"]
        if year == "first":
            assert row["exit_date"], "earlier years end with an exit date"
    both = [g for g in grades.values() if {"first", "second"} <= set(g)]
    numbered = [g for g in both if g["first"].isdigit() and g["second"].isdigit()]
    promoted = sum(g["second"] == str(int(g["first"]) + 1) for g in numbered)
    assert 0.9 * len(numbered) < promoted < len(numbered)  # a few are held back
    assert len(both) > 800


def test_messy_yields_bad_rows_of_each_kind(tmp_path: Path) -> None:
    summary = write_synthetic(tmp_path, students=2000, seed=7, messy=True)
    assert 0.001 <= summary.bad_rows / summary.attendance <= 0.006
    attendance = read(tmp_path, "attendance")
    calendar = {(row["school_id"], row["date"]) for row in read(tmp_path, "calendar")}
    students = {row["student_id"] for row in read(tmp_path, "students")}
    keys = Counter(tuple(row.values()) for row in attendance)
    assert any(count > 1 for count in keys.values())
    assert any(row["status"] == "X" or row["status"] == "AB" for row in attendance)
    assert any(re.fullmatch(r"\d\d/\d\d/\d{4}", row["date"]) for row in attendance)
    assert any(
        ISO.fullmatch(row["date"]) and (row["school_id"], row["date"]) not in calendar
        for row in attendance
    )
    assert any(row["student_id"] not in students for row in attendance)
    enrollments = read(tmp_path, "enrollments")
    assert any(row["exit_date"] and row["exit_date"] < row["entry_date"] for row in enrollments)
    assert any(row["grade"] == "14" for row in enrollments)
    write_synthetic(tmp_path / "clean", students=2000, seed=7)
    clean = read(tmp_path / "clean", "enrollments")
    assert [row for row in enrollments if row in clean] == clean  # bad rows are only added


def test_one_student_is_enough(tmp_path: Path) -> None:
    summary = write_synthetic(tmp_path, students=1, seed=1)
    assert summary.students == 1 and summary.districts == 2
    assert len(read(tmp_path, "enrollments")) >= 1


def test_students_are_made_in_chunks_with_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "CHUNK", 500)
    seen: list[tuple[int, int]] = []
    summary = write_synthetic(
        tmp_path, students=1200, seed=1, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(500, 1200), (1000, 1200), (1200, 1200)]
    ids = [row["student_id"] for row in read(tmp_path, "students")]
    assert len(ids) == len(set(ids)) == summary.students == 1200


def test_chunks_made_on_worker_threads_give_the_same_bytes_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "CHUNK", 150)
    for name in ("a", "b"):
        write_synthetic(tmp_path / name, students=1000, seed=9, years=2, messy=True)
    for table in TABLES:
        same = (tmp_path / "a" / f"{table}.csv").read_bytes()
        assert same == (tmp_path / "b" / f"{table}.csv").read_bytes()


def run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["rollcall", *args])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
        raise SystemExit(0)
    return int(exit_info.value.code or 0)


def test_cli_synth_writes_the_folder_and_prints_rows_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    status = run(monkeypatch, "synth", "--students", "200", "--out", str(out), "--seed", "3")
    assert status == 0
    printed = capsys.readouterr().out
    assert "attendance.csv" in printed and "students.csv" in printed
    assert all((out / f"{name}.csv").exists() for name in TABLES)
    status = run(monkeypatch, "synth", "--students", "50", "--out", str(tmp_path / "p"),
                 "--format", "parquet", "--years", "2", "--messy")  # fmt: skip
    assert status == 0
    assert "made bad on purpose" in capsys.readouterr().out
    assert (tmp_path / "p" / "attendance.parquet").exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--students", "0", "--students must be at least 1"),
        ("--format", "xlsx", "unknown format"),
        ("--year", "2025", "not a year name"),
        ("--years", "0", "--years must be at least 1"),
        ("--seed", "-1", "--seed must be zero or more"),
    ],
)
def test_cli_synth_refuses_bad_options_with_status_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    option: str,
    value: str,
    message: str,
) -> None:
    args = {"--students": "10", "--out": str(tmp_path / "out"), option: value}
    status = run(monkeypatch, "synth", *(part for pair in args.items() for part in pair))
    assert status == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_cli_synth_requires_students_and_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(monkeypatch, "synth", "--out", str(tmp_path)) == 2
    assert run(monkeypatch, "synth", "--students", "5") == 2
