"""The sessions table: England's half-day sessions per period, unit and phase, as the DfE
published them (docs/sources/england.md). It sits beside the aggregate table (persistent
absence) because it holds what no other source publishes: sessions possible, attended and
missed, authorised and unauthorised, by reason, week by week and for the year to date.

Counts are whole numbers or null (null never means zero); ``suppressed`` is true when the DfE
hid the row's figures (``c``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from rollcall.formats.england.dfe import REASONS

# The session counts, rollcall's name → the DfE's column.
COUNTS = {
    "possible_sessions": "possible_sessions",
    "attended_sessions": "overall_attendance",
    "absent_sessions": "overall_absence",
    "authorised_sessions": "authorised_absence",
    "unauthorised_sessions": "unauthorised_absence",
}

SCHEMA = pa.schema(
    [
        ("school_year", pa.string()),
        ("period", pa.string()),
        ("week_start", pa.date32()),
        ("level", pa.string()),
        ("unit_id", pa.string()),
        ("unit_name", pa.string()),
        ("region", pa.string()),
        ("dimension", pa.string()),
        ("group", pa.string()),
        ("enrolments", pa.float64()),
        *((name, pa.int64()) for name in COUNTS),
        *((column, pa.int64()) for column in REASONS),
        ("suppressed", pa.bool_()),
    ]
)
COLUMNS = tuple(SCHEMA.names)


def table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """A sessions table from dicts; a missing figure is null."""
    return pa.Table.from_pylist(
        [{name: row.get(name) for name in COLUMNS} for row in rows], schema=SCHEMA
    )
