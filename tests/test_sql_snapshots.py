"""The SQL each metric definition compiles to, snapshot-tested so a change in meaning shows in
review. Regenerate with ROLLCALL_UPDATE_SNAPSHOTS=1 after a deliberate change, and read the diff."""

from __future__ import annotations

import os
from pathlib import Path

import ibis
import pytest

from rollcall.engine import days, students
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
    sql = ibis.to_sql(expr, dialect="duckdb").strip() + "\n"
    path = SNAPSHOTS / f"{name}.sql"
    if os.environ.get("ROLLCALL_UPDATE_SNAPSHOTS") or not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"snapshot {path.name} is missing: generate it and commit it")
        path.write_text(sql, encoding="utf-8")
    assert sql == path.read_text(encoding="utf-8"), f"{name}: compiled SQL changed"


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_decisions_compile_to_their_snapshot(policy):
    check_snapshot(f"decide-{policy}", students.decide(STUDENT_LEVEL, POLICIES[policy]))


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_day_absences_compile_to_their_snapshot(policy):
    check_snapshot(f"day-absences-{policy}", days.day_absences(ATTENDANCE, POLICIES[policy]))
