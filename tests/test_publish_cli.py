"""`rollcall publish` end to end on a synthetic state of three school years: what it prints,
that nothing about a student reaches the public files, that every shown value is the internal
summary's, and its errors."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from canonical import write_canonical
from command import Ran, rollcall
from outputs import absences, calendar_rows, school_days

from rollcall import api
from rollcall.engine import aggregate
from rollcall.engine.backend import connect
from rollcall.engine.pipeline import compute
from rollcall.policy import get_policy
from rollcall.synth import write_synthetic

# Each test here runs whole commands on a synthetic state: the full suite only.
pytestmark = pytest.mark.slow

YEARS = ("2023-24", "2024-25", "2025-26")


# The Dashboard's policy, so that its two years reuse the public summary's engine runs (the
# public site and other policies are run end to end in tests/test_publish_site*.py).
POLICY = "california-dashboard"


@pytest.fixture(scope="module")
def state(tmp_path_factory) -> Path:
    """A synthetic state (two districts, about 1,200 students) over three school years."""
    folder = tmp_path_factory.mktemp("state") / "input"
    write_synthetic(folder, students=1200, seed=5, years=3)
    return folder


@pytest.fixture(scope="module")
def published(state, tmp_path_factory) -> tuple[Path, Ran]:
    out = tmp_path_factory.mktemp("public")
    done = rollcall("publish", "--input", str(state), "--out", str(out), "--policy", POLICY,
                    "--ca-dashboard")  # fmt: skip
    return out, done


@pytest.fixture(scope="module")
def internal(state, tmp_path_factory) -> dict[str, list[dict[str, str]]]:
    """The internal summary.csv of each school year, from `rollcall report`."""
    found = {}
    for year in YEARS:
        out = tmp_path_factory.mktemp(f"report{year}")
        api.report(state, out, year=year, policy=POLICY)
        with (out / "summary.csv").open(encoding="utf-8", newline="") as handle:
            found[year] = list(csv.DictReader(handle))
    return found


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_publish_prints_the_years_the_rules_the_hidden_cells_and_the_files(published):
    out, done = published
    assert done.returncode == 0, done.stderr
    assert f"School years 2023-24, 2024-25, 2025-26, policy {POLICY}, rules default" in done.stdout
    assert re.search(r"fewer than 11 students\s+[\d,]+", done.stdout)
    assert re.search(r"hidden to protect another group\s+[\d,]+", done.stdout)
    assert "public_summary.csv" in done.stdout and "ca_dashboard.csv" in done.stdout
    for name in ("public_summary.csv", "public_summary.json", "equity.csv", "ca_dashboard.csv"):
        assert (out / name).is_file()


def test_the_public_files_carry_every_school_year_for_the_trend(published):
    out, _ = published
    assert {r["school_year"] for r in read_csv(out / "public_summary.csv")} == set(YEARS)
    document = json.loads((out / "public_summary.json").read_text(encoding="utf-8"))
    assert document["school_years"] == list(YEARS)


def test_no_written_file_holds_a_student_id_name_or_birth_date(state, published):
    out, done = published
    with (state / "students.csv").open(encoding="utf-8", newline="") as handle:
        students = list(csv.DictReader(handle))
    with (state / "schools.csv").open(encoding="utf-8", newline="") as handle:
        schools = list(csv.DictReader(handle))
    # Words that are public anyway: school and district names and ids, group values, and the
    # site's own wording. A student's last name can be "White" or "Washington" too.
    public_words = set()
    for school in schools:
        public_words |= set(re.findall(r"\w+", " ".join(school.values())))
    for student in students:
        public_words |= {v for k, v in student.items() if k not in PERSONAL and v}
    secrets = {s["student_id"] for s in students} | {s["birth_date"] for s in students}
    names = {s[k] for s in students for k in ("first_name", "last_name")} - public_words
    full_names = {f"{s['first_name']} {s['last_name']}" for s in students}
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) == 4
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        words = set(re.findall(r"[\w-]+", text))
        assert not words & secrets, f"{path.name} holds a student id or birth date"
        assert not any(name in text for name in full_names), f"{path.name} holds a name"
        if path.suffix in (".csv", ".json"):
            # Data files hold no prose: no word of them may be a student's name.
            assert not set(re.findall(r"\w+", text)) & names, f"{path.name} holds a name"
    assert not set(re.findall(r"[\w-]+", done.stdout)) & secrets


PERSONAL = ("student_id", "first_name", "last_name", "birth_date")


@pytest.mark.slow
def test_every_row_of_the_internal_summary_is_published_in_its_order(published, internal):
    out, _ = published
    rows = read_csv(out / "public_summary.csv")
    for year in YEARS:
        mine = [(r["level"], r["unit_id"], r["dimension"], r["group"]) for r in rows
                if r["school_year"] == year]  # fmt: skip
        theirs = [(r["level"], r["unit_id"], r["dimension"], r["group"]) for r in internal[year]]
        known = set(theirs)
        assert [key for key in mine if key in known] == theirs


def test_every_unit_lists_every_group_of_the_year_and_a_group_it_lacks_is_hidden(
    published, internal
):
    # docs/decisions/0003-published-categories.md: the groups of every unit are the same.
    out, _ = published
    rows = read_csv(out / "public_summary.csv")
    for year in YEARS:
        categories = {(r["dimension"], r["group"]) for r in internal[year]}
        by_unit: dict[tuple[str, str], set[tuple[str, str]]] = {}
        for r in rows:
            if r["school_year"] == year:
                by_unit.setdefault((r["level"], r["unit_id"]), set()).add(
                    (r["dimension"], r["group"])
                )
        assert all(groups == categories for groups in by_unit.values())
        had = {(r["level"], r["unit_id"], r["dimension"], r["group"]) for r in internal[year]}
        added = [r for r in rows if r["school_year"] == year
                 and (r["level"], r["unit_id"], r["dimension"], r["group"]) not in had]  # fmt: skip
        assert added, "a synthetic state has schools without some grades"
        assert all(r["eligible_students"] == "" and r["note"] for r in added)


def test_every_shown_value_equals_the_internal_summary(published, internal):
    out, _ = published
    truth = {
        (year, r["level"], r["unit_id"], r["dimension"], r["group"]): r
        for year, rows in internal.items()
        for r in rows
    }
    shown = 0
    # A group a unit has no student in is not in the internal summary: its counts are zero.
    zero = {"eligible_students": "0", "chronically_absent": "0", "chronic_absence_rate": ""}
    for r in read_csv(out / "public_summary.csv"):
        key = (r["school_year"], r["level"], r["unit_id"], r["dimension"], r["group"])
        real = truth.get(key, zero)
        for column in ("eligible_students", "chronically_absent", "chronic_absence_rate"):
            value = r[column]
            if value and not value.startswith(("≤", "≥")):
                assert value == real[column], (column, r["note"])
                shown += 1
            elif value:  # a range holds the real rate
                percent = int(value[1:-1]) / 100
                rate = float(real["chronic_absence_rate"])
                assert rate <= percent if value[0] == "≤" else rate >= percent
        if r["note"] == "":
            assert r["eligible_students"] and r["chronically_absent"]
    assert shown > 500


def test_no_hidden_count_of_the_published_state_can_be_recovered(published):
    from test_publish_attack import recovered

    out, _ = published
    assert recovered(out) == []


@pytest.mark.slow
def test_the_aggregate_table_names_units_and_gives_each_school_its_district(state):
    backend = connect()
    try:
        table = aggregate.from_computed(compute(backend, state, policy=get_policy("edfacts")))
    finally:
        backend.close()
    rows = table.to_pylist()
    with (state / "schools.csv").open(encoding="utf-8", newline="") as handle:
        schools = {s["school_id"]: s for s in csv.DictReader(handle)}
    for r in rows:
        assert r["school_year"] == "2025-26" and r["suppressed"] is False
        if r["level"] == "school":
            assert r["district_id"] == schools[r["unit_id"]]["district_id"]
            assert r["unit_name"] == schools[r["unit_id"]]["school_name"]
        elif r["level"] == "district":
            assert r["district_id"] == r["unit_id"]
        else:
            assert (r["unit_id"], r["district_id"]) == ("total", None)


# --- errors ----------------------------------------------------------------------------------


def one_year(folder: Path) -> Path:
    days = school_days(20)
    return write_canonical(
        folder,
        schools=[{"school_id": "A", "district_id": "D"}],
        students=[{"student_id": "s1"}],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "5", "entry_date": days[0].isoformat()}
        ],
        calendar=calendar_rows("A", days),
        attendance=absences("s1", "A", days[:3]),
    )


def test_the_dashboard_without_last_year_exits_2_saying_what_is_missing(tmp_path):
    folder = one_year(tmp_path / "in")
    done = rollcall("publish", "--input", str(folder), "--out", str(tmp_path / "o"),
                    "--ca-dashboard")  # fmt: skip
    assert done.returncode == 2
    assert "--ca-dashboard needs the school year before 2024-25" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_dashboard_with_a_gap_before_this_year_exits_2(tmp_path):
    folder = one_year(tmp_path / "in")
    with (folder / "calendar.csv").open("a", encoding="utf-8") as handle:
        handle.write("A,2022-09-06\n")  # 2022-23, then nothing in 2023-24
    done = rollcall("publish", "--input", str(folder), "--out", str(tmp_path / "o"),
                    "--ca-dashboard")  # fmt: skip
    assert done.returncode == 2
    assert "--ca-dashboard needs the school year before 2024-25" in done.stderr


def test_a_year_the_calendar_does_not_have_exits_2(tmp_path):
    folder = one_year(tmp_path / "in")
    done = rollcall("publish", "--input", str(folder), "--out", str(tmp_path / "o"),
                    "--year", "2019-20")  # fmt: skip
    assert done.returncode == 2
    assert "--year 2019-20: the calendar has no date in that school year" in done.stderr


def test_a_bad_rules_file_exits_2_naming_the_key(tmp_path):
    folder = one_year(tmp_path / "in")
    rules = tmp_path / "rules.toml"
    rules.write_text('name = "x"\nminimum_students = 3\n', encoding="utf-8")
    done = rollcall("publish", "--input", str(folder), "--out", str(tmp_path / "o"),
                    "--rules", str(rules))  # fmt: skip
    assert done.returncode == 2
    assert "minimum_students must be from 5 to 30, not 3" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_small_input_publishes_with_its_one_student_hidden(tmp_path):
    folder = one_year(tmp_path / "in")
    done = rollcall("publish", "--input", str(folder), "--out", str(tmp_path / "o"),
                    "--rules", "california")  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = read_csv(tmp_path / "o" / "public_summary.csv")
    assert rows and all(r["eligible_students"] == "" for r in rows)
    assert all(r["note"] == "fewer than 11 students" for r in rows)
    assert "s1" not in (tmp_path / "o" / "public_summary.csv").read_text(encoding="utf-8")
