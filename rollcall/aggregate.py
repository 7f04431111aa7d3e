"""The aggregate table: chronic absence counted per unit and group, from any source.

The engine's summary (from student rows) and the published aggregate files (a state's download)
meet here, in one shape, so that the report, publishing and the California indicator read one
table whatever the input was:

| column | meaning |
|---|---|
| ``school_year`` | ``2024-25`` |
| ``level`` | ``school``, ``district`` or ``total`` (a state file's state rows are ``total``) |
| ``unit_id`` / ``unit_name`` | the school's or district's id and name; ``total`` for the total |
| ``district_id`` | a school's district (a district's own id; empty for the total): the link that
  lets publishing protect a school through its district's total |
| ``dimension`` / ``group`` | ``all``/``all``, ``grade``/``03``, or an attribute and its value |
| ``eligible_students`` | the denominator; empty when the source suppressed it |
| ``chronically_absent`` | the numerator; empty when the source suppressed it |
| ``published_rate`` | the rate as the source printed it (a fraction 0–1), when it printed one |
| ``suppressed`` | true when the source hid this cell (never read as a zero) |

Counts are whole numbers or null; null never means zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from rollcall.grades import GRADE_ORDER

if TYPE_CHECKING:
    from rollcall.engine.pipeline import Computed

SCHEMA = pa.schema(
    [
        ("school_year", pa.string()),
        ("level", pa.string()),
        ("unit_id", pa.string()),
        ("unit_name", pa.string()),
        ("district_id", pa.string()),
        ("dimension", pa.string()),
        ("group", pa.string()),
        ("eligible_students", pa.int64()),
        ("chronically_absent", pa.int64()),
        ("published_rate", pa.float64()),
        ("suppressed", pa.bool_()),
    ]
)

COLUMNS = tuple(SCHEMA.names)

LEVELS = ("school", "district", "total")


def table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """An aggregate table from dicts; missing optional values become null (``suppressed``
    defaults to false), and a row with an unknown level or a negative count is a bug upstream."""
    listed = [dict(row) for row in rows]
    for row in listed:
        if row.get("level") not in LEVELS:
            raise ValueError(f"aggregate row with level {row.get('level')!r}")
        for name in ("eligible_students", "chronically_absent"):
            value = row.get(name)
            if value is not None and value < 0:
                raise ValueError(f"aggregate row with negative {name}: {row}")
        row.setdefault("suppressed", False)
    return pa.Table.from_pylist(
        [{name: row.get(name) for name in COLUMNS} for row in listed], schema=SCHEMA
    )


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
            names |= {
                (level, r["unit_id"]): r["name"]
                for r in computed.backend.ibis.to_pyarrow(found).to_pylist()
            }
    return names


def from_computed(computed: Computed) -> pa.Table:
    """The engine's summary as the aggregate table, in the order of ``summary.csv``: level
    (school, district, total), unit id, dimension (``all``, ``grade``, then the attributes in
    the order of ``students.csv``), group (grades in school order, then by name).

    A unit's name is its id where ``schools.csv`` gives none; a school's ``district_id`` comes
    from the engine's unit membership. Every count is known here: nothing is ``suppressed``."""
    backend = computed.backend
    names = unit_names(computed)
    members = backend.ibis.to_pyarrow(computed.units).to_pylist()
    school_of = {m["sch"]: m["unit_id"] for m in members if m["level"] == "school"}
    district_of = {school_of[m["sch"]]: m["unit_id"] for m in members if m["level"] == "district"}
    dimension_order = {"all": 0, "grade": 1} | {
        name: 2 + n for n, name in enumerate(computed.attributes)
    }
    summary = backend.ibis.to_pyarrow(computed.summary).to_pylist()
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
