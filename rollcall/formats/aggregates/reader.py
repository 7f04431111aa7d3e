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
from collections import Counter
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


def published_files(path: Path) -> list[Path]:
    """The files a folder holds (not its subfolders), when every one of them that could be a
    table (CSV, text, workbook) is a published aggregate layout: a state's files of several
    years side by side. Empty for a file, or a folder with anything else in it (a canonical
    folder, a student export), which is another reader's."""
    if not path.is_dir():
        return []
    tables = [
        p
        for p in sorted(path.iterdir())
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in (*TEXT, *SPREADSHEETS)
    ]
    if not tables or any(find_layout(p) is None for p in tables):
        return []
    return tables


def read_all(path: Path, *, strict: bool = True) -> list[Reading]:
    """``read`` of the file ``path``, or of every file of the folder ``path`` (one school year
    per file or several; a year in two files is refused, since which figure is right cannot be
    told)."""
    readings = [read(p, strict=strict) for p in published_files(path)] or [
        read(path, strict=strict)
    ]
    seen: dict[str, Path] = {}
    for reading in readings:
        for year in reading.years():
            if year in seen:
                raise InputError(
                    f"{year} is in two files: {seen[year].name} and {reading.path.name}",
                    path=path,
                    hint="keep one file per school year in the folder",
                )
            seen[year] = reading.path
    return readings


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
        # A file whose header is one of the layouts, or a folder of such files only: never
        # XML, a student file or a folder with anything else in it.
        return find_layout(path) is not None or bool(published_files(path))

    def load(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Loaded:
        readings = read_all(path)
        years = sorted({year for reading in readings for year in reading.years()})
        skipped: Counter[str] = Counter()
        for reading in readings:
            skipped.update(reading.skipped)
        return Loaded(
            kind=self.kind,
            grain=self.grain,
            aggregate=aggregate.table(row for r in readings for row in r.table_rows()),
            notes=tuple(_named_notes(readings)),
            skipped=dict(skipped),
            school_year=years[0] if len(years) == 1 else None,
            rejects=tuple(reject for reading in readings for reject in reading.rejects),
            files=tuple(reading.path for reading in readings),
        )

    def inspect(self, path: Path, options: ReadOptions) -> Inspection:
        readings = read_all(path, strict=False)
        codes: Counter[tuple[str, str]] = Counter()
        mapped: dict[tuple[str, str], str | None] = {}
        for reading in readings:
            codes.update(reading.codes)
            mapped |= reading.mapped
        return Inspection(
            kind=self.kind,
            grain=self.grain,
            files=tuple(
                FileSeen(
                    path=reading.path,
                    rows=reading.lines,
                    role=f"aggregate ({reading.layout}: {reading.title})",
                    matched=reading.matched,
                    unmatched=reading.unmatched,
                )
                for reading in readings
            ),
            codes=tuple(
                CodeSeen(column=column, code=code, count=n, mapped_to=mapped[(column, code)])
                for (column, code), n in codes.items()
            ),
            missing=tuple(
                f"no {name} column: this layout does not publish it"
                for name in ("eligible_students", "chronically_absent", "published_rate")
                if any(name not in reading.matched for reading in readings)
            ),
            notes=tuple(
                note
                for reading in readings
                for note in _named(readings, reading, [*notes(reading), *summary_lines(reading)])
            ),
        )


def _named(readings: list[Reading], reading: Reading, said: list[str]) -> list[str]:
    """What was said of one file, with its name in front when a folder held several."""
    return said if len(readings) == 1 else [f"{reading.path.name}: {note}" for note in said]


def _named_notes(readings: list[Reading]) -> list[str]:
    return [note for reading in readings for note in _named(readings, reading, notes(reading))]


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
