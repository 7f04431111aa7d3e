"""The engine on per-student totals agrees with a plain-Python reference on random totals, and
with its own day-level run when the totals are counted from a synthetic district's days.

The reference below is the rule as docs/sources/totals.md states it, written out by hand:
enrolled days and absences added up over a unit's schools, the grade of the student's later row,
eligibility at the policy's minimum (and a day attended: absences fewer than enrolled days),
chronic absence at the threshold and the Attendance Works bands, all in exact fractions.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest
from budget import examples
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from totals_files import run_totals, write_totals

from rollcall.policy import POLICIES, Policy
from rollcall.synth import write_synthetic

EXAMPLES = max(1, int(os.environ.get("ROLLCALL_PROPERTY_EXAMPLES", examples(30))) // 2)
BANDS = (
    (Fraction(1, 20), "satisfactory"),
    (Fraction(1, 10), "at_risk"),
    (Fraction(1, 5), "moderate"),
)
KINDS = ("excused", "unexcused", "suspension")
YEAR = "2024-25"


@dataclass(frozen=True)
class Row:
    student: str
    school: str
    district: str
    grade: str
    enrolled: int
    excused: Fraction
    unexcused: Fraction
    suspension: Fraction

    @property
    def absent(self) -> Fraction:
        return self.excused + self.unexcused + self.suspension


def days_text(value: Fraction) -> str:
    """As the output writes days: ``17``, ``0.5``, ``2.25``."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.6f}".rstrip("0")


def tier(absent: Fraction, enrolled: int) -> str:
    rate = absent / enrolled
    return next((name for bound, name in BANDS if rate < bound), "severe")


def reference(rows: list[Row], policy: Policy) -> tuple[Counter, Counter]:
    """Student rows and summary rows (``all`` and ``grade``) as multisets of tuples."""
    units: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:  # in file order: the last row of a unit gives the grade
        if row.enrolled == 0:
            continue
        units[("school", row.school, row.student)].append(row)
        units[("district", row.district, row.student)].append(row)
        units[("total", "total", row.student)].append(row)
    students = Counter()
    groups: dict[tuple[str, str, str, str], Counter] = defaultdict(Counter)
    for (level, unit, student), mine in units.items():
        grade = mine[-1].grade
        if not policy.includes_grade(grade):
            continue
        enrolled = sum(r.enrolled for r in mine)
        absent = sum((r.absent for r in mine), Fraction(0))
        eligible = enrolled >= policy.minimum_enrolled_days
        if policy.require_attended_day:
            eligible &= absent < enrolled
        chronic = eligible and absent >= policy.threshold * enrolled
        band = tier(absent, enrolled) if eligible else ""
        students[
            (level, unit, student, grade, str(enrolled), days_text(absent),
             *(days_text(sum((getattr(r, k) for r in mine), Fraction(0))) for k in KINDS),
             str(eligible).lower(), (str(chronic).lower() if eligible else ""), band)
        ] += 1  # fmt: skip
        for dimension, group in (("all", "all"), ("grade", grade)):
            counts = groups[(level, unit, dimension, group)]
            counts["eligible"] += eligible
            counts["chronic"] += chronic
            counts[band] += 1 if band else 0
    summary = Counter(
        (*key, str(c["eligible"]), str(c["chronic"]),
         *(str(c[name]) for name in ("satisfactory", "at_risk", "moderate", "severe")))
        for key, c in groups.items()
    )  # fmt: skip
    return students, summary


QUARTERS = st.integers(0, 12).map(lambda q: Fraction(q, 4))


@st.composite
def totals(draw: st.DrawFn) -> list[Row]:
    schools = {f"S{n}": f"D{draw(st.integers(1, 2))}" for n in range(draw(st.integers(1, 4)))}
    students = [f"p{n}" for n in range(draw(st.integers(1, 8)))]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(students), st.sampled_from(sorted(schools))),
            min_size=1,
            max_size=14,
            unique=True,
        )
    )
    rows = []
    for student, school in pairs:
        enrolled = draw(st.integers(0, 40))
        parts = [draw(QUARTERS) for _ in KINDS]
        while sum(parts) > enrolled:  # absences never exceed the enrolled days
            parts = [p / 2 for p in parts] if enrolled else [Fraction(0)] * 3
        grade = draw(st.sampled_from(["K", "1", "5", "9", "12", "UG"]))
        rows.append(Row(student, school, schools[school], grade, enrolled, *parts))
    return rows


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    named = draw(st.sampled_from(sorted(POLICIES)))
    if draw(st.booleans()):
        return POLICIES[named]
    return Policy(
        name="custom",
        description="",
        minimum_enrolled_days=draw(st.integers(1, 20)),
        require_attended_day=draw(st.booleans()),
        threshold=Fraction(draw(st.integers(1, 10)), 20),
        grades=draw(st.sampled_from([None, frozenset(["K", "1", "5"])])),
    )


def engine(rows: list[Row], policy: Policy) -> tuple[Counter, Counter]:
    with tempfile.TemporaryDirectory() as folder:
        path = write_totals(
            Path(folder) / "totals.csv",
            [
                {"Student ID": r.student, "School": r.school, "District": r.district,
                 "Grade": r.grade, "Days Enrolled": r.enrolled,
                 **{k.capitalize(): days_text(getattr(r, k)) for k in KINDS}}
                for r in rows
            ],
        )  # fmt: skip
        out = run_totals(path, year=YEAR, policy=policy)
    assert out.rejects == []
    students = Counter(
        (r["level"], r["unit_id"], r["student_id"], r["grade"], r["days_enrolled"],
         r["days_absent"], r["days_excused"], r["days_unexcused"], r["days_suspension"],
         r["eligible"], r["chronically_absent"], r["tier"])
        for r in out.students
    )  # fmt: skip
    summary = Counter(
        (r["level"], r["unit_id"], r["dimension"], r["group"], r["eligible_students"],
         r["chronically_absent"], r["satisfactory"], r["at_risk"], r["moderate"], r["severe"])
        for r in out.summary
    )  # fmt: skip
    return students, summary


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[p for p in Phase if p not in (Phase.shrink, Phase.explain)],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(rows=totals(), policy=policies())
def test_engine_counts_random_totals_as_the_reference_does(rows, policy):
    expected_students, expected_summary = reference(rows, policy)
    students, summary = engine(rows, policy)
    assert students == expected_students
    assert summary == expected_summary


# --- the same district counted from days and from totals ---------------------------------


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.slow
def test_a_synthetic_district_gives_the_same_summary_from_days_and_from_totals(tmp_path):
    """Students at one school each, with whole-day absences only: their totals, counted here
    from the days, give the day-level run's summary and student rows exactly."""
    synth = tmp_path / "synth"
    write_synthetic(synth, students=300, seed=3, messy=False)
    tables = {name: read(synth / f"{name}.csv") for name in
              ("schools", "students", "enrollments", "calendar", "attendance")}  # fmt: skip
    schools_of = defaultdict(set)
    for e in tables["enrollments"]:
        schools_of[e["student_id"]].add(e["school_id"])
    partial = {
        a["student_id"] for a in tables["attendance"] if a["absent_fraction"] not in ("", "1")
    }
    kept = {s for s, at in schools_of.items() if len(at) == 1 and s not in partial}
    assert len(kept) > 100  # over half the district

    folder = tmp_path / "days"
    folder.mkdir()
    for name, rows in tables.items():
        if name in ("students", "enrollments", "attendance"):
            rows = [r for r in rows if r["student_id"] in kept]
        write(folder / f"{name}.csv", rows, list(tables[name][0]))
    from_days = run_totals(folder, kind="canonical", out=tmp_path / "out-days")
    assert from_days.rejects == []

    school_days = defaultdict(set)
    for c in tables["calendar"]:
        school_days[c["school_id"]].add(c["date"])
    district = {s["school_id"]: s["district_id"] for s in tables["schools"]}
    absences = defaultdict(Counter)
    for a in tables["attendance"]:
        if a["student_id"] in kept and a["status"] in KINDS:
            absences[a["student_id"]][a["status"]] += 1
    totals = []
    for student in sorted(kept):
        mine = [e for e in tables["enrollments"] if e["student_id"] == student]
        school = mine[0]["school_id"]
        enrolled = {
            day
            for e in mine
            for day in school_days[school]
            if e["entry_date"] <= day and (not e["exit_date"] or day <= e["exit_date"])
        }
        latest = max(mine, key=lambda e: e["entry_date"])
        totals.append(
            {"Student ID": student, "School": school, "District": district[school],
             "Grade": latest["grade"], "Days Enrolled": len(enrolled),
             **{k.capitalize(): absences[student][k] for k in KINDS}}
        )  # fmt: skip
    path = write_totals(tmp_path / "totals" / "totals.csv", totals)
    from_totals = run_totals(path, year="2025-26", students_file=folder / "students.csv")
    assert from_totals.rejects == []
    schools = [r for r in from_days.summary if r["level"] == "school"]
    assert [r for r in from_totals.summary if r["level"] == "school"] == schools
    assert from_totals.summary == from_days.summary
    assert from_totals.students == from_days.students
