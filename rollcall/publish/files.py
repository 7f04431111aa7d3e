"""The public files: ``public_summary.csv``, ``equity.csv`` and ``public_summary.json``, written
from an aggregate table (``rollcall.formats.aggregates.table``) after the disclosure rules
(docs/publish.md).

Nothing else reaches these files: no student rows, ids, names or dates of birth (the aggregate
table has none), and no count the rules hide. Rows keep the aggregate table's order within a
school year (``summary.csv``'s order for the engine's tables); school years run oldest first.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import pyarrow as pa

from rollcall.levels import SCHOOL
from rollcall.period import parse_school_year
from rollcall.publish.audit import SOURCE, Cell
from rollcall.publish.equity import (
    EQUITY_COLUMNS,
    EquityRow,
    Shown,
    fraction_text,
    lowest,
    measures,
)
from rollcall.publish.relations import Key
from rollcall.publish.rules import NOTE_COMPLEMENTARY, NOTE_SOURCE_RATE, Rules
from rollcall.publish.suppression import first_rules, note, shown_range, suppress
from rollcall.writing import CsvWriter, prepare_folder

SUMMARY_FILE = "public_summary.csv"
JSON_FILE = "public_summary.json"
EQUITY_FILE = "equity.csv"

PUBLIC_COLUMNS = (
    "school_year",
    "level",
    "unit_id",
    "unit_name",
    "dimension",
    "group",
    "eligible_students",
    "chronically_absent",
    "chronic_absence_rate",
    "note",
)

# One published cell: school year, level, unit, dimension, group.
CellKey = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class PublicRow:
    """One row of ``public_summary``, with the unit's district for the site and the attack."""

    school_year: str
    level: str
    unit_id: str
    unit_name: str
    district_id: str | None
    dimension: str
    group: str
    eligible_students: int | None
    chronically_absent: int | None
    chronic_absence_rate: str
    note: str

    @property
    def key(self) -> CellKey:
        return (self.school_year, self.level, self.unit_id, self.dimension, self.group)

    @property
    def shown(self) -> Shown:
        return Shown(self.eligible_students, self.chronically_absent, self.note)


@dataclass(frozen=True)
class Published:
    """What ``publish_aggregate`` wrote and hid."""

    school_years: tuple[str, ...]
    rules: Rules
    files: tuple[Path, ...]
    cells: int
    hidden: dict[str, int]  # note → cells with that note
    withheld: frozenset[CellKey]  # cells with a hidden count
    loss: Loss


@dataclass(frozen=True)
class Loss:
    """What the disclosure rules cost: cells with a hidden count and the students in them (a
    student counts once per cell: in a school's grade and again in its district's), and of
    them those hidden to protect another group, which are all groups of ``minimum_students``
    or more."""

    cells: int
    students: int
    complementary_cells: int
    complementary_students: int

    def as_dict(self) -> dict[str, int]:
        return {
            "cells_hidden": self.cells,
            "students_in_hidden_cells": self.students,
            "cells_hidden_to_protect_another_group": self.complementary_cells,
            "students_in_them": self.complementary_students,
        }


def information_loss(table: pa.Table, rows: Sequence[PublicRow]) -> Loss:
    """The loss of ``rows`` (published from ``table``), from the table's own counts."""
    students = {
        (r["school_year"], r["level"], r["unit_id"], r["dimension"], r["group"]): (
            r["eligible_students"] or 0
        )
        for r in table.to_pylist()
    }
    hidden = [r for r in rows if r.note and r.note != NOTE_SOURCE_RATE]
    complementary = [r for r in hidden if r.note == NOTE_COMPLEMENTARY]
    return Loss(
        cells=len(hidden),
        students=sum(students[r.key] for r in hidden),
        complementary_cells=len(complementary),
        complementary_students=sum(students[r.key] for r in complementary),
    )


def public_rows(table: pa.Table, rules: Rules) -> list[PublicRow]:
    """The aggregate table's rows as published under ``rules``: school years oldest first,
    each suppressed on its own."""
    rows = table.to_pylist()
    years = sorted({r["school_year"] for r in rows}, key=parse_school_year)
    published: list[PublicRow] = []
    for year in years:
        published += _one_year([r for r in rows if r["school_year"] == year], rules)
    return published


def _one_year(rows: list[dict[str, Any]], rules: Rules) -> list[PublicRow]:
    keys = [Key(r["level"], r["unit_id"], r["dimension"], r["group"]) for r in rows]
    cells = [Cell(r["eligible_students"], r["chronically_absent"]) for r in rows]
    for row, cell in zip(rows, cells, strict=True):
        first_rules(cell, rules, suppressed=bool(row["suppressed"]))
    district_of = {r["unit_id"]: r["district_id"] for r in rows if r["level"] == SCHOOL}
    suppress(keys, cells, district_of, rules)
    return [
        PublicRow(
            school_year=r["school_year"],
            level=r["level"],
            unit_id=r["unit_id"],
            unit_name=r["unit_name"] or r["unit_id"],
            district_id=r["district_id"],
            dimension=r["dimension"],
            group=r["group"],
            eligible_students=None if cell.eligible_hidden else cell.eligible,
            chronically_absent=None if cell.chronic_hidden else cell.chronic,
            chronic_absence_rate=_rate_text(cell, rules) or _source_rate(r, cell),
            note=NOTE_SOURCE_RATE if _source_rate(r, cell) else note(cell, rules),
        )
        for r, cell in zip(rows, cells, strict=True)
    ]


def _source_rate(row: dict[str, Any], cell: Cell) -> str:
    """The rate a published file printed without its count, shown as printed: it is public
    already, and hiding it protects no one. Never for a cell the source suppressed, nor for
    one whose count of students these rules hide (a small group)."""
    rate = row.get("published_rate")
    if rate is None or row["suppressed"] or cell.chronic_hidden != SOURCE:
        return ""
    if cell.eligible_hidden not in (None, SOURCE):
        return ""
    return fraction_text(Fraction(str(rate)))


def _rate_text(cell: Cell, rules: Rules) -> str:
    if cell.chronic_hidden is None and cell.eligible_hidden is None:
        assert cell.eligible is not None and cell.chronic is not None
        return fraction_text(Fraction(cell.chronic, cell.eligible)) if cell.eligible else ""
    return shown_range(cell, rules) or ""


def equity_rows(rows: Sequence[PublicRow]) -> list[tuple[PublicRow, EquityRow]]:
    """The equity measures of every group row (not the ``all`` rows), in the rows' order."""
    overall = {(r.school_year, r.level, r.unit_id): r.shown for r in rows if r.dimension == "all"}
    groups: dict[tuple[str, str, str, str], list[tuple[str, Shown]]] = {}
    for r in rows:
        if r.dimension != "all":
            groups.setdefault((r.school_year, r.level, r.unit_id, r.dimension), []).append(
                (r.group, r.shown)
            )
    low = {key: lowest(members) for key, members in groups.items()}
    missing = Shown(None, None, "no row for the whole unit")
    return [
        (
            r,
            measures(
                r.group,
                r.shown,
                overall.get((r.school_year, r.level, r.unit_id), missing),
                low[(r.school_year, r.level, r.unit_id, r.dimension)],
            ),
        )
        for r in rows
        if r.dimension != "all"
    ]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _summary_cells(row: PublicRow) -> list[str]:
    return [_text(getattr(row, column)) for column in PUBLIC_COLUMNS]


def _equity_cells(row: PublicRow, equity: EquityRow) -> list[str]:
    """The row's own columns (year, unit, group), then the measures."""
    return [
        _text(getattr(row, column)) if column in PUBLIC_COLUMNS[:6] else getattr(equity, column)
        for column in EQUITY_COLUMNS
    ]


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvWriter(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _json_value(column: str, text: str) -> Any:
    """A CSV cell as JSON: empty is null; counts are integers; rates, gaps, ratios and shares
    are numbers, except a range (``≤5%``), which stays text; names and notes stay text."""
    if text == "":
        return None if column != "note" else ""
    if column in ("eligible_students", "chronically_absent"):
        return int(text)
    numeric = column in ("chronic_absence_rate", "gap_to_overall_pp", "gap_to_lowest_pp")
    numeric = numeric or column.startswith(("rate_ratio", "share_of"))
    if numeric and text[0] not in "≤≥":
        return float(text)
    return text


def _json_rows(header: Sequence[str], rows: Iterable[list[str]]) -> list[dict[str, Any]]:
    return [
        {column: _json_value(column, text) for column, text in zip(header, row, strict=True)}
        for row in rows
    ]


def publish_aggregate(table: pa.Table, out_dir: Path, rules: Rules) -> Published:
    """Apply ``rules`` to the aggregate ``table`` (any number of school years) and write the
    public files into ``out_dir``."""
    out_dir = Path(out_dir)
    prepare_folder(out_dir)
    rows = public_rows(table, rules)
    equity = equity_rows(rows)
    summary_cells = [_summary_cells(r) for r in rows]
    equity_cells = [_equity_cells(r, e) for r, e in equity]
    _write_csv(out_dir / SUMMARY_FILE, PUBLIC_COLUMNS, summary_cells)
    _write_csv(out_dir / EQUITY_FILE, EQUITY_COLUMNS, equity_cells)
    years = tuple(dict.fromkeys(r.school_year for r in rows))
    units = {
        (r.school_year, r.level, r.unit_id): {
            "school_year": r.school_year,
            "level": r.level,
            "unit_id": r.unit_id,
            "unit_name": r.unit_name,
            "district_id": r.district_id,
        }
        for r in rows
    }
    loss = information_loss(table, rows)
    document = {
        "rules": rules.as_dict() | {"summary": rules.describe()},
        "information_loss": loss.as_dict(),
        "school_years": list(years),
        "units": list(units.values()),
        "summary": _json_rows(PUBLIC_COLUMNS, summary_cells),
        "equity": _json_rows(EQUITY_COLUMNS, equity_cells),
    }
    json_path = out_dir / JSON_FILE
    json_path.write_text(
        json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    hidden = Counter(r.note for r in rows if r.note)
    withheld = frozenset(
        r.key for r in rows if r.eligible_students is None or r.chronically_absent is None
    )
    return Published(
        school_years=years,
        rules=rules,
        files=(out_dir / SUMMARY_FILE, out_dir / EQUITY_FILE, json_path),
        cells=len(rows),
        hidden=dict(hidden),
        withheld=withheld,
        loss=loss,
    )
