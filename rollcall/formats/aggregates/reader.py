"""Published aggregates as a source (kind ``aggregate``): a state's or network's file of chronic
absence counts by school, district and group, read into the aggregate table of
rollcall/formats/aggregates/table.py (docs/sources/aggregates.md).

One module per publisher's layout holds its columns, codes and quirks; this one finds which
layout a file is (from its header, cheaply) and dispatches:

| layout | module | what |
|---|---|---|
| ``cde`` | cde | California Department of Education download (tab-delimited) |
| ``cde-wide`` | cde_wide | CDE figures with a column pair per year |
| ``ct-raw`` | connecticut | Connecticut's EdSight download |
| ``ct-long`` | connecticut | CT Data Collaborative's long layout |
| ``co-district`` | colorado | Colorado's district workbook |
| ``co-state`` | colorado | Colorado's statewide workbook |
| ``generic`` | generic | rollcall's own aggregate CSV |
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb

from rollcall.errors import InputError
from rollcall.formats.aggregates import cde, cde_wide, colorado, connecticut, generic
from rollcall.formats.aggregates import table as aggregate
from rollcall.formats.aggregates.layout import (
    DELIMITERS,
    SNIFF_BYTES,
    SNIFF_ROWS,
    SPREADSHEETS,
    TEXT,
    Layout,
    Sniff,
    quoting_for,
)
from rollcall.formats.aggregates.published import Reading
from rollcall.formats.sources import CodeSeen, FileSeen, Grain, Inspection, Loaded, ReadOptions
from rollcall.formats.textfiles import decode, delimiter_of, read_bytes


def layouts() -> tuple[Layout, ...]:
    """Every layout, the most specific first (the generic CSV last)."""
    return (
        *cde.LAYOUTS,
        *cde_wide.LAYOUTS,
        *connecticut.LAYOUTS,
        *colorado.LAYOUTS,
        *generic.LAYOUTS,
    )


def sniff(path: Path) -> Sniff | None:
    """The first rows of ``path`` if it is a file rollcall could read as an aggregate."""
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    if suffix in SPREADSHEETS:
        return _sniff_workbook(path)
    if suffix not in TEXT:
        return None
    data = read_bytes(path, SNIFF_BYTES)
    text = decode(data)
    if len(data) == SNIFF_BYTES:  # cut at the last whole line
        text = text[: text.rfind("\n") + 1] or text
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = delimiter_of(first, DELIMITERS)
    rows = []
    quoting = quoting_for(delimiter)
    for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting):
        rows.append(tuple(values))
        if len(rows) == SNIFF_ROWS:
            break
    return Sniff(path, tuple(rows), delimiter)


def _sniff_workbook(path: Path) -> Sniff | None:
    try:
        rows = colorado.first_rows(path, SNIFF_ROWS)
    except Exception:  # not a workbook openpyxl can read: not ours to claim
        return None
    return Sniff(path, rows, None)


def find_layout(path: Path) -> tuple[Layout, Sniff] | None:
    """The layout ``path`` is written in, or None."""
    seen = sniff(path)
    if seen is None:
        return None
    for layout in layouts():
        if layout.recognise(seen):
            return layout, seen
    return None


def read(path: Path, *, strict: bool = True) -> Reading:
    """Read ``path`` in its layout; an InputError names what is wrong and where."""
    found = find_layout(path)
    if found is None:
        names = ", ".join(layout.title for layout in layouts())
        raise InputError(
            "not a published aggregate layout rollcall knows",
            path=path,
            hint=f"rollcall reads: {names}; or write the generic aggregate CSV "
            "(docs/sources/aggregates.md)",
        )
    layout, seen = found
    return layout.read(path, seen).finish(strict=strict)


# --- the reader ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AggregateReader:
    kind: str = "aggregate"
    grain: Grain = "aggregate"

    def detect(self, path: Path) -> bool:
        # Only a file whose header is one of the layouts: never a folder, XML or a student file.
        return find_layout(path) is not None

    def load(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Loaded:
        reading = read(path)
        years = reading.years()
        return Loaded(
            kind=self.kind,
            grain=self.grain,
            aggregate=aggregate.table(reading.table_rows()),
            notes=tuple(notes(reading)),
            skipped=dict(reading.skipped),
            school_year=years[0] if len(years) == 1 else None,
            rejects=tuple(reading.rejects),
        )

    def inspect(self, path: Path, options: ReadOptions) -> Inspection:
        reading = read(path, strict=False)
        return Inspection(
            kind=self.kind,
            grain=self.grain,
            files=(
                FileSeen(
                    path=path,
                    rows=reading.lines,
                    role=f"aggregate ({reading.layout}: {reading.title})",
                    matched=reading.matched,
                    unmatched=reading.unmatched,
                ),
            ),
            codes=tuple(
                CodeSeen(
                    column=column, code=code, count=n, mapped_to=reading.mapped[(column, code)]
                )
                for (column, code), n in reading.codes.items()
            ),
            missing=tuple(
                f"no {name} column: this layout does not publish it"
                for name in ("eligible_students", "chronically_absent", "published_rate")
                if name not in reading.matched
            ),
            notes=(*notes(reading), *summary_lines(reading)),
        )


def notes(reading: Reading) -> list[str]:
    """What the user must be told about a reading: the layout's own notes, then refusals."""
    found = [f"Read as the {reading.title}.", *reading.notes]
    if reading.mismatched:
        first = ", ".join(f"line {line} ({rate})" for line, _, rate in reading.mismatched[:5])
        found.append(
            f"{len(reading.mismatched):,} rows whose published rate does not match their counts "
            f"were refused (rejects.csv): {first}" + (" …" if len(reading.mismatched) > 5 else "")
        )
    return found


def summary_lines(reading: Reading) -> list[str]:
    """What ``rollcall inspect`` says about an aggregate file beyond its codes."""
    levels = ", ".join(f"{n:,} {level}" for level, n in sorted(reading.levels().items()))
    skipped = sum(reading.skipped.values())
    return [
        f"School years: {', '.join(reading.years()) or 'none'}. Units: {levels or 'none'}.",
        f"{reading.lines:,} rows read: {len(reading.rows):,} figures kept "
        f"({reading.suppressed:,} suppressed by the publisher, kept as suppressed), "
        f"{len(reading.rejects):,} refused, {skipped:,} skipped.",
        f"Rates checked against counts: {reading.checked:,}; not matching: "
        f"{len(reading.mismatched):,}.",
    ]


READER = AggregateReader()
