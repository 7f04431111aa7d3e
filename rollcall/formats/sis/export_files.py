"""The files of an SIS export (CSV with any common delimiter, Excel .xlsx, Parquet), each read into
a DuckDB table of text values with the line (or spreadsheet row) every row starts on.

CSV and Parquet are read by DuckDB as the canonical files are
(rollcall/formats/canonical/format.py); an .xlsx sheet is read with openpyxl in read-only mode, in
batches, so that a large workbook is
never held in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import duckdb
import pyarrow as pa

from rollcall import duck
from rollcall.errors import InputError
from rollcall.formats.canonical.format import (
    EXTRA_VALUES,
    TRIM_SQL,
    RawFile,
    _header,
    column_names,
    line_numbers,
    one_line_per_record,
    read_rows,
)
from rollcall.formats.origin import ORIGIN_LINE
from rollcall.formats.textfiles import cell_text, delimiter_of, first_line, open_workbook
from rollcall.sql import quote_identifier

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
SUFFIXES = (*CSV_SUFFIXES, ".xlsx", ".parquet")
_BATCH = 50_000  # spreadsheet rows handed to DuckDB at a time


@dataclass(frozen=True)
class SourceFile:
    """One file (or one sheet of a workbook) of the export, read into the DuckDB table ``table``:
    its own columns as text, ``_line``, and ``extra_values`` when a row is longer than the
    header."""

    path: Path
    name: str  # the file's path relative to the input folder: what rejects.csv calls it
    sheet: str | None
    table: str
    columns: tuple[str, ...]  # the file's own columns (and extra_values)
    rows: int
    # The line (or row) each row starts on, as SQL on ``table``: ``rowid + 2`` when every
    # record of a CSV file is one line, else a column computed once.
    line: str = f'"{ORIGIN_LINE}"'

    @property
    def label(self) -> str:
        return self.name if self.sheet is None else f"{self.name}, sheet {self.sheet}"

    @property
    def has_extra_values(self) -> bool:
        return EXTRA_VALUES in self.columns


def find_files(root: Path, patterns: tuple[str, ...], *, key: str, mapping: Path) -> list[Path]:
    """The files that ``patterns`` (globs relative to ``root``) match, in order, each once.

    A pattern that matches nothing is an error naming the mapping key (``attendance.file``), and
    so is one that reaches outside ``root`` through a link (the mapping file's checks refuse an
    absolute path or ``..``)."""
    found: list[Path] = []
    inside = root.resolve()
    for pattern in patterns:
        matched = sorted(p for p in root.glob(pattern) if p.is_file())
        outside = next((p for p in matched if not p.resolve().is_relative_to(inside)), None)
        if outside is not None:
            raise InputError(
                f"{key}: {pattern!r} matches {outside.name}, a link to a file outside the "
                "input folder",
                path=mapping,
                hint=f"copy the file into {root}",
            )
        if not matched:
            raise InputError(
                f"no file matches {key} = {pattern!r}",
                path=root / pattern,
                hint=f"the globs of {mapping.name} are relative to {root}",
            )
        found += [p for p in matched if p not in found]
    for path in found:
        check_suffix(path)
    return found


def check_suffix(path: Path) -> None:
    if path.suffix.lower() not in SUFFIXES:
        hint = "save it as .xlsx" if path.suffix.lower() == ".xls" else "export it as CSV"
        raise InputError(
            "is not a CSV, Excel (.xlsx) or Parquet file", path=path, hint=hint + " and try again"
        )


def read_source(
    path: Path,
    con: duckdb.DuckDBPyConnection,
    table: str,
    *,
    name: str,
    sheet: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
) -> SourceFile:
    """Read one file of the export into ``table``; ``delimiter`` None: told from the header."""
    suffix = path.suffix.lower()
    if sheet is not None and suffix != ".xlsx":
        raise InputError(f"has no sheets (sheet = {sheet!r} is for .xlsx files)", path=path)
    if suffix == ".xlsx":
        columns, rows = _read_sheet(path, con, table, sheet)
        return SourceFile(path, name, _sheet_name(path, sheet), table, columns, rows)
    if suffix == ".parquet":
        columns = _header(path, "parquet", con)
        rows = read_rows(path, "parquet", table, columns, con)
        return SourceFile(path, name, None, table, columns, rows, line="rowid + 1")  # row number
    delimiter = delimiter or detect_delimiter(path, encoding)
    columns = _header(path, "csv", con, delimiter=delimiter, encoding=encoding)
    rows = read_rows(path, "csv", table, columns, con, delimiter=delimiter, encoding=encoding)
    read = _described(con, table)  # with extra_values when a row is too long
    raw = RawFile("source", path, table, read, rows)
    if encoding != "utf-16" and one_line_per_record(raw):
        return SourceFile(path, name, None, table, read, rows, line="rowid + 2")
    _number_lines(con, raw, delimiter, encoding)
    return SourceFile(path, name, None, table, read, rows)


def detect_delimiter(path: Path, encoding: str = "utf-8") -> str:
    """The delimiter of a CSV file: the candidate (comma, tab, semicolon, pipe) found most often
    in its header line outside quotes; a comma when none is."""
    return delimiter_of(first_line(path, encoding))


def read_header(
    path: Path, *, sheet: str | None = None, delimiter: str | None = None, encoding: str = "utf-8"
) -> tuple[str, ...]:
    """A file's column names, read cheaply (the first line, or the sheet's header row)."""
    if path.suffix.lower() == ".xlsx":
        with open_workbook(path) as book:
            for _, values in _rows(book[_sheet_name(path, sheet, book)]):
                return column_names([cell_text(v) for v in values], path)
            return ()
    with duck.connect() as con:
        if path.suffix.lower() == ".parquet":
            return _header(path, "parquet", con)
        delimiter = delimiter or detect_delimiter(path, encoding)
        return _header(path, "csv", con, delimiter=delimiter, encoding=encoding)


def sheet_names(path: Path) -> list[str]:
    with open_workbook(path) as book:
        return list(book.sheetnames)


def _described(con: duckdb.DuckDBPyConnection, table: str) -> tuple[str, ...]:
    return tuple(row[0] for row in con.execute(f'DESCRIBE "{table}"').fetchall())


def _number_lines(
    con: duckdb.DuckDBPyConnection, raw: RawFile, delimiter: str, encoding: str
) -> None:
    """Add ``_line`` to a file whose records do not each take one line (blank lines, values that
    span lines): canonical.line_numbers scans the file once for every record's line."""
    lines = line_numbers(raw, list(range(raw.rows)), delimiter=delimiter, encoding=encoding)
    found = pa.table({"_rec": list(lines), "_at": list(lines.values())})
    table = raw.table
    con.register("_rollcall_lines", found)
    try:
        con.execute(
            f'CREATE OR REPLACE TABLE "{table}_lined" AS SELECT t.*, l._at AS {ORIGIN_LINE} '
            f'FROM (SELECT rowid AS _rec, * FROM "{table}") t '
            "LEFT JOIN _rollcall_lines l USING (_rec) ORDER BY _rec"
        )
    finally:
        con.unregister("_rollcall_lines")
    con.execute(f'ALTER TABLE "{table}_lined" DROP COLUMN _rec')
    con.execute(f'DROP TABLE "{table}"')
    con.execute(f'ALTER TABLE "{table}_lined" RENAME TO "{table}"')


# --- Excel ---------------------------------------------------------------------------------------


def _sheet_name(path: Path, sheet: str | None, book=None) -> str:  # type: ignore[no-untyped-def]
    names = sheet_names(path) if book is None else list(book.sheetnames)
    if sheet is None:
        if len(names) == 1:
            return names[0]
        raise InputError(
            'has several sheets: name the one to read with sheet = "..."',
            path=path,
            hint="its sheets are " + ", ".join(repr(n) for n in names),
        )
    if sheet not in names:
        raise InputError(
            f"has no sheet {sheet!r}", path=path, hint="its sheets are " + ", ".join(names)
        )
    return sheet


def _rows(worksheet) -> Iterator[tuple[int, tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    """(spreadsheet row number, values) of every row that is not blank."""
    for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        if any(v is not None and str(v).strip() != "" for v in values):
            yield number, values


def _read_sheet(
    path: Path, con: duckdb.DuckDBPyConnection, table: str, sheet: str | None
) -> tuple[tuple[str, ...], int]:
    """A sheet into ``table``: its first non-blank row is the header; blank rows are no records;
    ``_line`` is the spreadsheet row number."""
    with open_workbook(path) as book:
        rows = _rows(book[_sheet_name(path, sheet, book)])
        first = next(rows, None)
        if first is None:
            raise InputError("the sheet is empty: a header row is required", path=path, line=1)
        header = list(first[1])
        while header and (header[-1] is None or str(header[-1]).strip() == ""):
            header.pop()  # trailing empty header cells are formatting, not columns
        columns = column_names([cell_text(v) for v in header], path)
        width = len(columns)
        schema = pa.schema(
            [(c, pa.string()) for c in columns]
            + [(EXTRA_VALUES, pa.string()), (ORIGIN_LINE, pa.int64())]
        )
        quoted = [quote_identifier(c) for c in columns]
        select = ", ".join(TRIM_SQL.format(v=c) + f" AS {c}" for c in quoted)
        con.execute(f'CREATE OR REPLACE TABLE "{table}" ({_ddl(columns)})')
        total = 0
        while batch := list(islice(rows, _BATCH)):
            data = [
                [cell_text(v) or None for v in values[:width]] + [None] * (width - len(values))
                for _, values in batch
            ]
            extra = [
                next((text for v in values[width:] if (text := cell_text(v))), None)
                for _, values in batch
            ]
            arrays = [pa.array([row[i] for row in data], pa.string()) for i in range(width)]
            arrays += [pa.array(extra, pa.string()), pa.array([n for n, _ in batch], pa.int64())]
            con.register("_rollcall_batch", pa.Table.from_arrays(arrays, schema=schema))
            try:
                con.execute(
                    f'INSERT INTO "{table}" SELECT {select}, "{EXTRA_VALUES}", '
                    f'"{ORIGIN_LINE}" FROM _rollcall_batch'
                )
            finally:
                con.unregister("_rollcall_batch")
            total += len(batch)
        extras = con.execute(f'SELECT count("{EXTRA_VALUES}") FROM "{table}"').fetchall()[0][0]
        if not extras:  # as for CSV: the column exists only when some row is too long
            con.execute(f'ALTER TABLE "{table}" DROP COLUMN "{EXTRA_VALUES}"')
            return columns, total
        return (*columns, EXTRA_VALUES), total


def _ddl(columns: tuple[str, ...]) -> str:
    return ", ".join(
        [f"{quote_identifier(c)} VARCHAR" for c in columns]
        + [f'"{EXTRA_VALUES}" VARCHAR', f'"{ORIGIN_LINE}" BIGINT']
    )
