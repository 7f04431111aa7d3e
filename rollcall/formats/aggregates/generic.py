"""The generic aggregate CSV: rollcall's own file of published figures, for any publisher whose
layout rollcall does not know (reshape it into these columns) and for rollcall's own
``aggregate.csv`` (the aggregate table written out, which reads back to the same table).

Columns (a header row, comma-separated, UTF-8):

| column | required | meaning |
|---|---|---|
| ``school_year`` | yes | ``2024-25`` (``2024-2025`` is read too) |
| ``level`` | yes | ``school``, ``district`` or ``total`` |
| ``unit_id`` | yes | the school's or district's id; ``total`` for the total |
| ``unit_name`` | yes | its name |
| ``dimension`` | yes | ``all``, ``grade``, or a group's attribute (``race_ethnicity``) |
| ``group`` | yes | ``all``, a grade, or the attribute's value |
| ``eligible_students`` | yes | the denominator; ``*`` when suppressed, empty when not published |
| ``chronically_absent`` | yes | the numerator; ``*`` when suppressed, empty when not published |
| ``district_id`` | no | a school's district |
| ``chronic_absence_rate`` | no | the published rate, a fraction (``0.107``); checked |
| ``suppressed`` | no | ``true`` when the publisher hid part of the row |
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from rollcall.errors import OptionError
from rollcall.formats.aggregates import table as aggregate
from rollcall.formats.aggregates.layout import Layout, Sniff, text_rows
from rollcall.formats.aggregates.published import Figure, Reading, Row, school_year
from rollcall.levels import LEVELS
from rollcall.writing import CsvWriter

TITLE = "generic aggregate CSV"
REQUIRED = (
    "school_year",
    "level",
    "unit_id",
    "unit_name",
    "dimension",
    "group",
    "eligible_students",
    "chronically_absent",
)
OPTIONAL = ("district_id", "chronic_absence_rate", "suppressed")
COLUMNS = (*REQUIRED[:4], "district_id", *REQUIRED[4:], "chronic_absence_rate", "suppressed")
TRUE, FALSE = ("true", "yes", "y", "1"), ("false", "no", "n", "0", "")


def recognise(seen: Sniff) -> bool:
    names = {name.strip().lower() for name in seen.first()}
    return seen.delimiter is not None and set(REQUIRED) <= names


def read(path: Path, seen: Sniff) -> Reading:
    reading = Reading(path, "generic", TITLE, percent=False, decimals=0)
    rows = ((line, v) for line, v in text_rows(path, seen.delimiter or ",") if any(v))
    _, header = next(rows)
    names = [name.strip().lower() for name in header]
    at = {name: names.index(name) for name in (*REQUIRED, *OPTIONAL) if name in names}
    reading.matched = {
        ("published_rate" if n == "chronic_absence_rate" else n): header[i] for n, i in at.items()
    }
    reading.unmatched = tuple(h for i, h in enumerate(header) if i not in at.values())
    for line, values in rows:
        reading.lines += 1
        if len(values) != len(header):
            column = header[len(values)] if len(values) < len(header) else "(beyond the header)"
            reading.refuse(line, column, "", "wrong number of values")
            continue
        cell = {name: values[i].strip() for name, i in at.items()}
        _add(reading, line, cell, header, at)
    return reading


def _add(
    reading: Reading, line: int, cell: dict[str, str], header: list[str], at: dict[str, int]
) -> None:
    year = school_year(cell["school_year"])
    if year is None:
        reading.refuse(line, header[at["school_year"]], cell["school_year"], "not a school year")
        return
    level = cell["level"].lower()
    reading.code("level", cell["level"], level if level in LEVELS else None)
    if level not in LEVELS:
        return
    for name in ("unit_id", "dimension", "group"):
        if not cell[name]:
            reading.refuse(line, header[at[name]], "", "missing value")
            return
    flag = cell.get("suppressed", "").lower()
    if flag not in TRUE + FALSE:
        reading.refuse(line, header[at["suppressed"]], cell["suppressed"], "not a number")
        return

    def figure(name: str) -> Figure | None:
        return Figure(cell[name], header[at[name]]) if name in at else None

    reading.add(
        Row(
            line,
            year,
            level,
            cell["unit_id"],
            cell["unit_name"] or cell["unit_id"],
            cell.get("district_id") or None,
            cell["dimension"],
            cell["group"],
            eligible=figure("eligible_students"),
            chronic=figure("chronically_absent"),
            rate=figure("chronic_absence_rate"),
            suppressed=flag in TRUE,
        )
    )


def write(table: pa.Table, path: Path) -> Path:
    """Write an aggregate table as a generic aggregate CSV (reads back to the same table)."""
    if table.schema != aggregate.SCHEMA:
        raise OptionError(
            "only an aggregate table (rollcall/formats/aggregates/table.py) can be written"
        )
    try:
        handle = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise OptionError(f"cannot write {path} ({exc.strerror})") from None
    with handle:
        writer = CsvWriter(handle)
        writer.writerow(COLUMNS)
        for row in table.to_pylist():
            writer.writerow([_text(row, name) for name in COLUMNS])
    return path


def _text(row: dict[str, object], name: str) -> str:
    if name == "chronic_absence_rate":
        rate = row["published_rate"]
        return "" if rate is None else repr(rate)
    if name == "suppressed":
        return "true" if row["suppressed"] else "false"
    value = row[name]
    return "" if value is None else str(value)


LAYOUTS = (Layout("generic", TITLE, recognise, read),)
