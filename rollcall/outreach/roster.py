"""The students outreach looks at, as of a date: one row each, from one engine run.

Each student's days enrolled and absent this school year up to the date (every school together,
the ``total`` level), the band (docs/rules.md), the school of the latest enrollment and its
grade, the student's groups, and the raw students and schools files for the contact columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from rollcall.engine.aggregate import unit_names
from rollcall.engine.backend import connect
from rollcall.engine.pipeline import compute
from rollcall.engine.results import Computed
from rollcall.formats.canonical.format import RECORD, SCHOOL_CONTACT_COLUMNS, line_numbers
from rollcall.formats.origin import ORIGIN_FILE, ORIGIN_LINE
from rollcall.formats.sources import Source
from rollcall.levels import SCHOOL, TOTAL
from rollcall.policy import Policy
from rollcall.warn import signals

ROSTER_COLUMNS = ("student_id", "school_id", "grade", "days_enrolled", "days_absent",
                  "share_absent", "band", "chronic", "eligible")  # fmt: skip


@dataclass(frozen=True)
class School:
    school_id: str
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class Roster:
    """``students``: ``ROSTER_COLUMNS`` plus ``group_<attribute>`` columns, sorted by id.
    ``contacts``: the students file's rows (every column, as text) with ``_file``, ``_line``."""

    school_year: str
    start: date
    end: date
    students: pd.DataFrame
    contacts: pd.DataFrame
    schools: dict[str, School]
    students_file: Path


def roster(source: Source | Path, *, as_of: date, policy: Policy) -> Roster:
    """Run the engine on ``source`` from its school year's start to ``as_of``."""
    backend = connect()
    try:
        computed = compute(backend, source, policy=policy, as_of=as_of, grains=("days",))
        return Roster(
            school_year=computed.period.school_year,
            start=computed.period.start,
            end=computed.period.end,
            students=_students(computed),
            contacts=_contacts(computed),
            schools=_schools(computed),
            students_file=computed.raw["students"].path,
        )
    finally:
        backend.close()


def _frame(computed: Computed, expr: object) -> pd.DataFrame:
    return computed.backend.ibis.to_pyarrow(expr).to_pandas()


def _students(computed: Computed) -> pd.DataFrame:
    found = _frame(computed, signals.student_signals(computed))
    rows = computed.student_groups
    total = rows.filter(rows.level == TOTAL)
    ids = computed.student_ids
    joined = total.inner_join(ids, total.sid == ids.sid)
    extra = _frame(
        computed,
        joined.select(
            "student_id",
            band=joined.tier,
            chronic=joined.chronically_absent,
            eligible=joined.eligible,
            **{f"group_{a}": joined[a] for a in computed.attributes},
        ),
    )
    merged = found.drop(columns="sid").merge(extra, on="student_id", how="inner")
    keep = [*ROSTER_COLUMNS, *(c for c in merged.columns if c.startswith("group_"))]
    return merged[keep].sort_values("student_id", kind="stable").reset_index(drop=True)


def _contacts(computed: Computed) -> pd.DataFrame:
    """Every row of the students file as read (text), with the file and line it is on."""
    raw = computed.raw["students"]
    frame = computed.backend.con.execute(f"SELECT * FROM {raw.table}").fetch_df()
    if ORIGIN_FILE not in frame.columns:  # a canonical file: its own lines
        records = [int(r) for r in frame[RECORD]]
        lines = line_numbers(raw, records)
        frame[ORIGIN_FILE] = raw.file_name
        frame[ORIGIN_LINE] = [lines.get(r) for r in records]
    # (a translated source's rows carry the user's own file and line: formats/origin.py)
    frame = frame.drop(columns=RECORD)
    return frame.astype(object).where(frame.notna(), None)


def _schools(computed: Computed) -> dict[str, School]:
    names = unit_names(computed)
    raw = computed.raw["schools"]
    present = [c for c in SCHOOL_CONTACT_COLUMNS if raw.has(c)]
    contact: dict[str, dict[str, str]] = {}
    if present:
        select = ", ".join(["school_id", *present])
        for row in computed.backend.con.execute(f"SELECT {select} FROM {raw.table}").fetchall():
            contact.setdefault(row[0], dict(zip(present, (v or "" for v in row[1:]), strict=True)))
    units = _frame(computed, computed.units.filter(computed.units.level == SCHOOL))
    found = {}
    for school_id in sorted(set(units["unit_id"])):
        given = contact.get(school_id, {})
        found[school_id] = School(
            school_id=school_id,
            name=names.get((SCHOOL, school_id), school_id),
            phone=given.get("school_phone", ""),
            email=given.get("school_email", ""),
        )
    return found
