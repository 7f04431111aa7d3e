"""The SQL each metric definition compiles to, snapshot-tested so a change in meaning shows in
review: the decisions and day absences of every policy on their own, and every expression a whole
engine run (days, per-student totals, weekly trends) materialises, in order.

A missing or changed snapshot fails. After a deliberate change, regenerate them with
``ROLLCALL_UPDATE_SNAPSHOTS=1 make test-fast`` (or this file alone) and read the diff."""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pytest
from canonical import write_canonical
from outputs import absences, calendar_rows, school_days

from rollcall.engine import days, students, trends
from rollcall.engine.backend import Backend, connect
from rollcall.engine.pipeline import compute
from rollcall.formats.sources import ReadOptions, Source
from rollcall.policy import POLICIES

SNAPSHOTS = Path(__file__).parent / "snapshots"

STUDENT_LEVEL = ibis.table(
    {
        "sid": "int64",
        "level": "string",
        "unit_id": "string",
        "grade": "string",
        "days_enrolled": "int64",
        "days_absent": "int64",
        "days_excused": "int64",
        "days_unexcused": "int64",
        "days_suspension": "int64",
        "wholly_absent": "int64",
    },
    name="student_level",
)
ATTENDANCE = ibis.table(
    {
        "sid": "int64",
        "sch": "int64",
        "date": "date",
        "status": "string",
        "is_absence": "boolean",
        "precedence": "int64",
        "fraction": "int64",
    },
    name="attendance",
)


def check_snapshot(name: str, expr: ibis.Expr) -> None:
    check_text(name, ibis.to_sql(expr, dialect="duckdb").strip() + "\n")


def check_text(name: str, sql: str) -> None:
    path = SNAPSHOTS / f"{name}.sql"
    if os.environ.get("ROLLCALL_UPDATE_SNAPSHOTS"):
        path.write_text(sql, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"snapshot {path.name} is missing: run with ROLLCALL_UPDATE_SNAPSHOTS=1")
    assert sql == path.read_text(encoding="utf-8"), f"{name}: compiled SQL changed"


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_decisions_compile_to_their_snapshot(policy):
    check_snapshot(f"decide-{policy}", students.decide(STUDENT_LEVEL, POLICIES[policy]))


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_day_absences_compile_to_their_snapshot(policy):
    check_snapshot(f"day-absences-{policy}", days.day_absences(ATTENDANCE, POLICIES[policy]))


# Names that change from run to run: materialised tables, Ibis's in-memory tables, raw inputs.
GENERATED = re.compile(r"_rollcall_\d+|ibis_\w*memtable_\w+|_ibis_\w+_[0-9a-z]{20,}")
EXCLUDED = re.compile(r"EXCLUDE \(([^()]*)\)")


def materialised_sql(monkeypatch: pytest.MonkeyPatch, run: Callable[[], object]) -> str:
    """The SQL of every expression ``run`` materialises, in order, each headed by the engine
    function that asked for it, with generated names numbered in order of appearance."""
    recorded: list[str] = []
    original = Backend.materialize

    def recording(self: Backend, expr: ir.Table, name: str | None = None) -> ir.Table:
        caller = next(
            f"{Path(frame.filename).stem}.{frame.function}"
            for frame in inspect.stack()[1:]
            if "rollcall" in Path(frame.filename).parts
        )
        recorded.append(f"-- {caller}\n{ibis.to_sql(expr, dialect='duckdb').strip()}\n")
        return original(self, expr, name)

    monkeypatch.setattr(Backend, "materialize", recording)
    run()
    numbers: dict[str, str] = {}
    text = "\n".join(recorded)
    text = GENERATED.sub(lambda m: numbers.setdefault(m[0], f"t{len(numbers)}"), text)
    # Ibis keeps dropped columns in a set: their order in EXCLUDE (…) changes from run to run.
    return EXCLUDED.sub(lambda m: f"EXCLUDE ({', '.join(sorted(m[1].split(', ')))})", text)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """A district small enough to compile quickly: two schools, a transfer, a half day."""
    days = school_days(10)
    return write_canonical(
        tmp_path_factory.mktemp("tiny"),
        schools=[{"school_id": "A", "district_id": "D"}, {"school_id": "B", "district_id": "D"}],
        students=[{"student_id": "s1", "gender": "F"}, {"student_id": "s2", "gender": "M"}],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "5", "entry_date": days[0].isoformat(),
             "exit_date": days[4].isoformat()},
            {"student_id": "s1", "school_id": "B", "grade": "5", "entry_date": days[5].isoformat()},
            {"student_id": "s2", "school_id": "A", "grade": "K", "entry_date": days[0].isoformat()},
        ],
        calendar=calendar_rows("A", days) + calendar_rows("B", days),
        attendance=absences("s1", "A", days[:2]) + absences("s2", "A", days[3:4], "excused"),
    )  # fmt: skip


@pytest.mark.parametrize("policy", sorted(POLICIES))
@pytest.mark.slow
def test_a_whole_run_materialises_its_snapshot(policy, tiny, monkeypatch):
    def run() -> None:
        backend = connect()
        try:
            computed = compute(backend, tiny, policy=POLICIES[policy])
            if policy == "attendance-works":  # the weekly trends: the same for every policy
                backend.ibis.to_pyarrow(trends.unit_trends(computed, trends.weeks(computed.period)))
        finally:
            backend.close()

    check_text(f"run-{policy}", materialised_sql(monkeypatch, run))


@pytest.mark.slow
def test_a_run_on_per_student_totals_materialises_its_snapshot(tmp_path, monkeypatch):
    totals = tmp_path / "totals.csv"
    totals.write_text(
        "student_id,school_id,grade,days_enrolled,days_absent\ns1,A,5,170,17\ns2,A,K,170,3\n"
    )

    def run() -> None:
        backend = connect()
        try:
            source = Source(totals, "totals", ReadOptions())
            compute(backend, source, policy=POLICIES["edfacts"], year="2024-25")
        finally:
            backend.close()

    check_text("run-totals-edfacts", materialised_sql(monkeypatch, run))
