"""The aggregate table: chronic absence counted per unit and group, from any source.

The engine's summary (from student rows, ``rollcall.engine.aggregate``) and the published
aggregate files (a state's download, read in this package) meet here, in one shape, so that the
report, publishing and the California indicator
read one table whatever the input was:

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
from typing import Any

import pyarrow as pa

from rollcall.levels import LEVELS

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
