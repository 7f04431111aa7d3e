"""The engine's summary as the aggregate table (``rollcall.formats.aggregates.table``): the shape
published state files are read into, so the report, publishing and the California indicator read
one table whatever the input was."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from rollcall.engine.results import Computed
from rollcall.formats.aggregates.table import table
from rollcall.grades import GRADE_ORDER
from rollcall.levels import DISTRICT, LEVELS, SCHOOL


def unit_names(computed: Computed) -> dict[tuple[str, str], str]:
    """School and district names from ``schools.csv`` where it has them (first row wins)."""
    raw = computed.backend.table(computed.raw["schools"].table)
    names: dict[tuple[str, str], str] = {}
    for level, id_col, name_col in (
        ("school", "school_id", "school_name"),
        ("district", "district_id", "district_name"),
    ):
        if id_col in raw.columns and name_col in raw.columns:
            t = raw.filter(raw[id_col].notnull() & raw[name_col].notnull() & (raw[name_col] != ""))
            found = t.group_by(unit_id=t[id_col]).agg(name=t[name_col].first())
            names |= {(level, r["unit_id"]): r["name"] for r in computed.backend.rows(found)}
    return names


def school_districts(computed: Computed) -> dict[str, str]:
    """Each school's district (school id to district id), from the engine's unit membership."""
    members = computed.backend.rows(computed.units)
    school_of = {m["sch"]: m["unit_id"] for m in members if m["level"] == SCHOOL}
    return {school_of[m["sch"]]: m["unit_id"] for m in members if m["level"] == DISTRICT}


def from_computed(computed: Computed) -> pa.Table:
    """The engine's summary as the aggregate table, in the order of ``summary.csv``: level
    (school, district, total), unit id, dimension (``all``, ``grade``, then the attributes in
    the order of ``students.csv``), group (grades in school order, then by name).

    A unit's name is its id where ``schools.csv`` gives none; a school's ``district_id`` comes
    from the engine's unit membership. Every count is known here: nothing is ``suppressed``.

    Every unit lists every group of every dimension (``every_category``), with zero counts
    where it has no student in the group, so that which groups a unit lists tells nothing."""
    backend = computed.backend
    names = unit_names(computed)
    district_of = school_districts(computed)
    dimension_order = {"all": 0, "grade": 1} | {
        name: 2 + n for n, name in enumerate(computed.attributes)
    }
    summary = every_category(backend.rows(computed.summary))
    summary.sort(
        key=lambda r: (
            LEVELS.index(r["level"]),
            r["unit_id"],
            dimension_order.get(r["dimension"], len(dimension_order)),
            GRADE_ORDER.get(r["group"], len(GRADE_ORDER)),
            r["group"],
        )
    )
    year = computed.period.school_year

    def district(level: str, unit_id: str) -> str | None:
        return {"school": district_of.get(unit_id), "district": unit_id}.get(level)

    return table(
        {
            "school_year": year,
            "level": r["level"],
            "unit_id": r["unit_id"],
            "unit_name": names.get((r["level"], r["unit_id"]), r["unit_id"]),
            "district_id": district(r["level"], r["unit_id"]),
            "dimension": r["dimension"],
            "group": r["group"],
            "eligible_students": int(r["eligible_students"]),
            "chronically_absent": int(r["chronically_absent"]),
        }
        for r in summary
    )


def every_category(summary: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The summary rows of one school year, with a row of zero counts for each group of a
    dimension that a unit has no student in: each dimension's groups are those seen at any unit,
    grades included (docs/decisions/0003-published-categories.md).

    Without it a school of two children lists English learner status only as ``Y``, and a
    public file says both are English learners whatever it hides; with it the groups are the
    same everywhere, and a zero is hidden like any small count."""
    groups: dict[str, dict[str, None]] = {}
    units: dict[tuple[str, str], None] = {}
    present = set()
    for row in summary:
        units[(row["level"], row["unit_id"])] = None
        present.add((row["level"], row["unit_id"], row["dimension"], row["group"]))
        if row["dimension"] != "all":
            groups.setdefault(str(row["dimension"]), {})[row["group"]] = None
    zero = {"eligible_students": 0, "chronically_absent": 0}
    added = [
        {"level": level, "unit_id": unit_id, "dimension": dimension, "group": group, **zero}
        for level, unit_id in units
        for dimension, listed in groups.items()
        for group in listed
        if (level, unit_id, dimension, group) not in present
    ]
    return summary + added
