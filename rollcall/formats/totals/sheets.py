"""Rows of a delimited text file (comma, caret or tab) or of an ``.xlsx`` sheet, as text, each
with the line it starts on (the spreadsheet row for ``.xlsx``), ready to load into DuckDB.

The translating readers of per-student totals (CALPADS, the workbook totals) read their files
here: such files are small (one row per student and school), so Python reads them, and in return
every row knows its own line exactly, quoted line breaks and blank lines included.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from rollcall.errors import InputError
from rollcall.formats.canonical.format import EXTRA_VALUES
from rollcall.formats.origin import ORIGIN_FILE, ORIGIN_LINE
from rollcall.formats.textfiles import (
    cell_text,
    csv_problem,
    delimiter_of,
    first_line,
    open_workbook,
)

SPREADSHEET = (".xlsx", ".xlsm")
# How far down a sheet (or a text file) the header row is looked for: workbooks often have a
# title and a blank row above it.
HEADER_SEARCH = 20


@dataclass(frozen=True)
class SourceRows:
    """A file's rows: ``columns`` by name (the header, or a layout's names for a file without
    one), every value text or None when empty, ``_file`` and ``_line`` per row, and
    ``extra_values`` (the first non-empty value beyond the named columns) when any row has one.

    ``header_line`` is the line of the header (0 when the file has none); lines above it are
    titles, not rows.
    """

    path: Path
    label: str
    columns: tuple[str, ...]
    table: pa.Table
    header_line: int

    @property
    def rows(self) -> int:
        return self.table.num_rows


def normalized(name: str) -> str:
    """A column name reduced for matching spellings: ``Student #`` → ``studentnumber``,
    ``Days Absent (Excused)`` → ``daysabsentexcused``."""
    return re.sub(r"[^0-9a-z]", "", name.lower().replace("#", "number"))


def is_spreadsheet(path: Path) -> bool:
    return path.suffix.lower() in SPREADSHEET


# The delimiters per-student totals come in: caret (CALPADS), tab or comma.
DELIMITERS = ("^", "\t", ",")


def first_rows(path: Path, limit: int = HEADER_SEARCH) -> list[tuple[str, list[list[str]]]]:
    """The first ``limit`` rows of a file, cheaply, for telling what it is: one ``(sheet,
    rows)`` pair per sheet of a spreadsheet, one ``("", rows)`` for a text file. Unreadable
    files give nothing (detection must never fail)."""
    try:
        if is_spreadsheet(path):
            return list(_first_sheet_rows(path, limit))
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            head = [line for _, line in zip(range(limit), handle, strict=False)]
    except Exception:  # telling what a file is must never fail (an .xlsx that is no zip)
        return []
    if not head:
        return []
    rows = list(_text_rows(io.StringIO("".join(head)), delimiter_of(head[0], DELIMITERS)))
    return [("", [values for _, values in rows])]


def _first_sheet_rows(path: Path, limit: int) -> Iterator[tuple[str, list[list[str]]]]:
    with open_workbook(path) as book:
        for sheet in book.worksheets:
            rows = []
            for values in sheet.iter_rows(max_row=limit, values_only=True):
                rows.append([cell_text(v) for v in values])
            yield sheet.title, rows


def _text_rows(handle: io.TextIOBase, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, values) for each row of a delimited text; caret files are not
    quoted (CALPADS quotes nothing), the others follow CSV quoting."""
    if delimiter == "^":
        reader = csv.reader(handle, delimiter=delimiter, quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(handle, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
    last = 0
    for values in reader:
        start, last = last + 1, reader.line_num
        yield start, values


def read_rows(
    path: Path,
    *,
    is_header: Callable[[list[str]], bool] | None = None,
    names: Sequence[str] = (),
) -> SourceRows:
    """Read ``path``. With ``is_header``, the header is the first row (of the first
    ``HEADER_SEARCH``; in a spreadsheet, of the first sheet that has one) it accepts; without
    it, the file has no header, ``names`` name its columns by position and values past them are
    not read."""
    if is_spreadsheet(path):
        if is_header is None:
            raise ValueError("a spreadsheet is read by its header")
        return _read_sheet(path, is_header)
    delimiter = delimiter_of(first_line(path), DELIMITERS)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(_text_rows(handle, delimiter))
    except UnicodeDecodeError:
        raise InputError(
            "is not UTF-8 text", path=path, hint="save it as CSV UTF-8, or give its encoding"
        ) from None
    except csv.Error as exc:
        found = csv_problem(path, delimiter=delimiter, encoding="utf-8")
        raise found or InputError(f"cannot be read: {exc}", path=path) from None
    return _build(path, path.name, rows, is_header, names)


def _read_sheet(path: Path, is_header: Callable[[list[str]], bool]) -> SourceRows:
    with open_workbook(path) as book:
        for sheet in book.worksheets:
            head = [
                [cell_text(v) for v in values]
                for values in sheet.iter_rows(max_row=HEADER_SEARCH, values_only=True)
            ]
            if not any(is_header(row) for row in head):
                continue
            rows = [
                (number, [cell_text(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
            ]
            return _build(path, f"{path.name}, sheet {sheet.title}", rows, is_header, ())
    sheets = ", ".join(repr(s) for s in book.sheetnames)
    raise InputError(
        f"no sheet has a header row this reader knows (sheets: {sheets})",
        path=path,
        hint="see docs/sources/totals.md for the column names it reads",
    )


def _build(
    path: Path,
    label: str,
    rows: list[tuple[int, list[str]]],
    is_header: Callable[[list[str]], bool] | None,
    names: Sequence[str],
) -> SourceRows:
    header_line = 0
    if is_header is not None:
        found = next(
            (n for n, (_, values) in enumerate(rows[:HEADER_SEARCH]) if is_header(values)), None
        )
        if found is None:
            raise InputError(
                "no header row this reader knows in the first lines",
                path=path,
                line=1,
                hint="see docs/sources/ for the column names each source needs",
            )
        header_line, header = rows[found]
        names = _header_names(path, header, header_line)
        rows = rows[found + 1 :]
    columns: dict[str, list[str | None]] = {name: [] for name in names}
    lines: list[int] = []
    extras: list[str | None] = []
    width = len(names)
    for line, values in rows:
        stripped = [v.strip() for v in values]
        if not any(stripped) and (len(values) <= 1 or is_spreadsheet(path)):
            continue  # a blank line, or an empty spreadsheet row, is no row
        lines.append(line)
        for n, name in enumerate(names):
            value = stripped[n] if n < len(stripped) else ""
            columns[name].append(value or None)
        # A file without a header is read by a layout, whose later versions add fields at the
        # end: values past the layout are not this reader's to judge.
        if header_line:
            extras.append(next((v for v in stripped[width:] if v), None))
    data: dict[str, list[object]] = {name: list(values) for name, values in columns.items()}
    data[ORIGIN_FILE] = [label] * len(lines)
    data[ORIGIN_LINE] = list(lines)
    if any(e is not None for e in extras):
        data[EXTRA_VALUES] = list(extras)
    schema = pa.schema(
        [(name, pa.string()) for name in columns]
        + [(ORIGIN_FILE, pa.string()), (ORIGIN_LINE, pa.int64())]
        + ([(EXTRA_VALUES, pa.string())] if EXTRA_VALUES in data else [])
    )
    table = pa.table(data, schema=schema)
    return SourceRows(path, label, tuple(names), table, header_line)


def _header_names(path: Path, header: list[str], line: int) -> tuple[str, ...]:
    names = tuple(name.strip() or f"unnamed_{n + 1}" for n, name in enumerate(header))
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise InputError("column appears twice in the header", path=path, line=line,
                         column=repeated[0])  # fmt: skip
    return names


def load_rows(con: duckdb.DuckDBPyConnection, table: str, rows: SourceRows) -> None:
    """Create the DuckDB table ``table`` holding ``rows`` (in file order)."""
    view = f"_arrow_{table}"
    con.register(view, rows.table)
    try:
        con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT * FROM "{view}"')
    finally:
        con.unregister(view)
