"""``rollcall refresh`` and the platform: the engine's results as tables to store, for an
as-of date (the platform keeps them as dated snapshots; docs/platform.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from rollcall.api.reports import with_dimensions
from rollcall.engine.aggregate import from_computed, unit_names
from rollcall.engine.backend import connect
from rollcall.engine.pipeline import compute
from rollcall.engine.results import Computed, FileCounts
from rollcall.formats.sources import Source
from rollcall.levels import DISTRICT, SCHOOL
from rollcall.measures import WeekRow, week_rows
from rollcall.output import rejects, student_metrics, summary
from rollcall.policy import Policy, get_policy
from rollcall.publish.files import PublicRow, public_rows
from rollcall.publish.rules import get_rules

NAME_COLUMNS = ("first_name", "last_name")
ABSENCE_COLUMNS = ("days_absent", "days_excused", "days_unexcused", "days_suspension")


@dataclass(frozen=True)
class SnapshotTables:
    """The engine's results for one as-of date, as tables of text (the columns of
    docs/output.md), with the schools and the students' names the input gives."""

    school_year: str
    period_start: date
    period_end: date
    policy: str
    students: pa.Table  # student_metrics
    summary: pa.Table  # summary
    rejects: list[dict[str, str]]
    schools: list[dict[str, str]]  # school_id, school_name, district_id, district_name
    names: dict[str, tuple[str, str]]  # student_id → (first name, last name), where given
    # What may be published, under the default disclosure rules (docs/publish.md): the only
    # numbers a network coach sees.
    published: list[PublicRow] = field(default_factory=list)
    counts: Mapping[str, FileCounts] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    # Day-level inputs only (per-student totals hold no days): every unit's weeks, each school's
    # instructional days, and each student's enrollment windows and absences at each school.
    weeks: list[WeekRow] = field(default_factory=list)
    school_days: dict[str, list[date]] = field(default_factory=dict)
    student_days: list[StudentDays] = field(default_factory=list)


@dataclass(frozen=True)
class StudentDays:
    """One student's days at one school in the period: the enrollment windows (merged, cut to
    the period) and each day absent, in millionths of a day (``MICRO``): absent, excused,
    unexcused, suspension, as the policy counted them."""

    student_id: str
    school_id: str
    windows: list[tuple[date, date]]
    absences: dict[date, tuple[int, int, int, int]]


def snapshot(
    input_dir: Source | Path,
    *,
    policy: str | Policy = "attendance-works",
    year: str | None = None,
    as_of: date | None = None,
    dimensions: Sequence[str] = (),
) -> SnapshotTables:
    """Compute ``input_dir`` up to ``as_of`` and return what the platform stores."""
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    backend = connect()
    try:
        computed = compute(
            backend, with_dimensions(input_dir, dimensions), policy=chosen, year=year, as_of=as_of
        )
        return SnapshotTables(
            school_year=computed.period.school_year,
            period_start=computed.period.start,
            period_end=computed.period.end,
            policy=chosen.name,
            students=backend.ibis.to_pyarrow(student_metrics(computed)),
            summary=backend.ibis.to_pyarrow(summary(computed)),
            rejects=rejects(computed),
            schools=_schools(computed),
            names=_names(computed),
            published=public_rows(from_computed(computed), get_rules(None)),
            counts=computed.counts,
            notes=computed.notes,
            **(_day_level(computed) if computed.day_level else {}),
        )
    finally:
        backend.close()


def _day_level(computed: Computed) -> dict[str, Any]:
    """The weeks, school days and student days of a day-level run (SnapshotTables' fields)."""
    return {
        "weeks": week_rows(computed),
        "school_days": _school_days(computed),
        "student_days": _student_days(computed),
    }


def _school_days(computed: Computed) -> dict[str, list[date]]:
    """Each school's instructional days in the period, in order."""
    _, index, _, _ = computed.day_tables()
    school_of = _school_ids(computed)
    days = index.filter(index.school_day == 1).select("sch", "date").order_by(["sch", "date"])
    found: dict[str, list[date]] = {}
    for row in computed.backend.rows(days):
        found.setdefault(school_of[row["sch"]], []).append(row["date"])
    return found


def _student_days(computed: Computed) -> list[StudentDays]:
    """Each student's enrollment windows and days absent at each school, by student and school."""
    merged, _, absences, _ = computed.day_tables()
    to_rows = computed.backend.rows
    school_of = _school_ids(computed)
    ids = computed.student_ids
    found: dict[tuple[str, int], StudentDays] = {}

    def of(row: dict[str, Any]) -> StudentDays:
        key = (row["student_id"], row["sch"])
        if key not in found:
            found[key] = StudentDays(row["student_id"], school_of[row["sch"]], [], {})
        return found[key]

    windows = merged.inner_join(ids, merged.sid == ids.sid)
    for row in to_rows(windows.select("student_id", "sch", "start", "end")):
        of(row).windows.append((row["start"], row["end"]))
    absent = absences.filter(absences.days_absent > 0)
    absent = absent.group_by(["sid", "sch", "date"]).agg(
        **{c: absent[c].sum() for c in ABSENCE_COLUMNS}
    )
    absent = absent.inner_join(ids, absent.sid == ids.sid)
    for row in to_rows(absent.select("student_id", "sch", "date", *ABSENCE_COLUMNS)):
        days_absent, excused, unexcused, suspension = (int(row[c]) for c in ABSENCE_COLUMNS)
        of(row).absences[row["date"]] = (days_absent, excused, unexcused, suspension)
    for days in found.values():
        days.windows.sort()
    return sorted(found.values(), key=lambda d: (d.student_id, d.school_id))


def _school_ids(computed: Computed) -> dict[int, str]:
    """The engine's school codes and the input's school ids."""
    members = computed.backend.rows(computed.units)
    return {m["sch"]: m["unit_id"] for m in members if m["level"] == SCHOOL}


def _schools(computed: Computed) -> list[dict[str, str]]:
    """Each school with its district, and their names where ``schools`` gives them."""
    names = unit_names(computed)
    members = computed.backend.rows(computed.units)
    school_of = _school_ids(computed)
    district_of = {m["sch"]: m["unit_id"] for m in members if m["level"] == DISTRICT}
    return [
        {
            "school_id": school,
            "school_name": names.get((SCHOOL, school), school),
            "district_id": district_of[sch],
            "district_name": names.get((DISTRICT, district_of[sch]), district_of[sch]),
        }
        for sch, school in sorted(school_of.items(), key=lambda item: item[1])
    ]


def _names(computed: Computed) -> dict[str, tuple[str, str]]:
    """Students' first and last names, for the staff pages, where the input has them."""
    raw = computed.raw["students"]
    table = computed.backend.table(raw.table)
    present = [c for c in NAME_COLUMNS if c in table.columns]
    if "student_id" not in table.columns or not present:
        return {}
    rows = computed.backend.rows(table.select("student_id", *present))
    return {
        row["student_id"]: (row.get("first_name") or "", row.get("last_name") or "")
        for row in rows
        if row["student_id"]
    }
