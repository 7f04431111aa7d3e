"""Reading the canonical folder (five CSV or Parquet files) into raw DuckDB tables.

Every value is read as text, so that a bad value reaches the checks (and `rejects.csv`) instead of
failing the read. Each row keeps its record number; `line_numbers` turns record numbers into the
physical line a row starts on, which differs only when a file has blank lines or quoted values
that span lines.
"""

from __future__ import annotations

import csv
import functools
import mmap
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from rollcall.errors import InputError
from rollcall.formats.origin import ORIGIN_COLUMNS
from rollcall.formats.textfiles import MAX_LINE_BYTES, csv_problem, python_encoding
from rollcall.sql import quote_identifier, quote_literal

RECORD = "_record"

REQUIRED: dict[str, tuple[str, ...]] = {
    "schools": ("school_id",),
    "students": ("student_id",),
    "enrollments": ("student_id", "school_id", "grade", "entry_date"),
    "calendar": ("school_id", "date"),
    "attendance": ("student_id", "school_id", "date", "status"),
}

OPTIONAL: dict[str, tuple[str, ...]] = {
    "schools": ("school_name", "district_id", "district_name"),
    "students": (),  # the contact columns below are optional too, for outreach only
    "enrollments": ("exit_date",),
    "calendar": (),
    "attendance": ("absent_fraction",),
}

PERSONAL_COLUMNS = ("first_name", "middle_name", "last_name", "birth_date")

# Optional columns of the students file that family outreach reads (docs/format.md, "Contact
# columns"; rollcall/outreach/contacts.py checks their values): never a group, never written to
# any table but outreach's staff files. ``home_language`` may still be declared a dimension.
CONTACT_COLUMNS = (
    "household_id",
    "guardian_name",
    "guardian_email",
    "guardian_phone",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "opt_out",
    "absence_documented",
)
LANGUAGE_COLUMN = "home_language"
# Optional columns of the schools file: the school's contact, printed on outreach letters.
SCHOOL_CONTACT_COLUMNS = ("school_phone", "school_email")

# The column that holds a value found beyond the header's columns (a row with too many values).
EXTRA_VALUES = "extra_values"

# How many times a file is read again with more columns, each time a row longer than any before
# is found past DuckDB's sample (a row with more values than the header), and the names the
# extra columns take until they are folded into extra_values.
WIDENINGS = 8
WIDER = "_rollcall_value_"

# Dimension names the engine uses itself: a student attribute may not take them.
RESERVED_DIMENSIONS = ("all", "grade")

# Trimming removes spaces, tabs and line breaks, as Python's str.strip() does. DuckDB's trim with
# a set of characters costs five times its plain (space-only) trim, so it runs only on the rare
# values holding a tab or a line break.
TRIM_SQL = (
    "CASE WHEN strpos({v}, chr(9)) > 0 OR strpos({v}, chr(10)) > 0 OR strpos({v}, chr(13)) > 0 "
    "THEN trim({v}, chr(32) || chr(9) || chr(10) || chr(13)) ELSE trim({v}) END"
)
# The same for a file whose bytes hold no tab, carriage return or quote (may_hold_breaks).
SPACES_TRIM_SQL = "trim({v})"


@dataclass(frozen=True)
class RawFile:
    """One input file read into the DuckDB table ``table`` (all text, plus ``_record``).

    A reader that translates another source into this table (rollcall/formats/sources.py) sets
    ``label`` (what the printed counts call it, e.g. ``attendance.csv`` or ``3 files``) and
    ``origin`` (canonical column → the source's own column name), and adds ``_file`` and
    ``_line`` columns to the table, which rejects report instead of the record number.
    """

    name: str
    path: Path
    table: str
    columns: tuple[str, ...]
    rows: int
    label: str | None = None
    origin: Mapping[str, str] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return self.label or self.path.name

    def has(self, column: str) -> bool:
        return column in self.columns


# The dimensions rollcall's synthetic data, docs/format.md and the readers use: groups by
# themselves, so counting them needs no declaration (dimensions.py checks them all).
KNOWN_DIMENSIONS = (
    "gender",
    "race_ethnicity",
    "english_learner",
    "disability",
    "economically_disadvantaged",
    "foster",
    "homeless",
    "migrant",
    "section_504",
)


def student_attributes(students: RawFile) -> tuple[str, ...]:
    """The columns of the students table that are groups to count by: all but the id, the
    personal and contact columns and where a translated row came from."""
    left_out = ("student_id", RECORD, *PERSONAL_COLUMNS, *CONTACT_COLUMNS, *ORIGIN_COLUMNS)
    return tuple(c for c in students.columns if c not in left_out)


def find_format(folder: Path) -> str:
    """``"csv"`` or ``"parquet"``: which kind of canonical files the folder holds."""
    if not folder.is_dir():
        raise InputError("input folder not found", path=folder)
    if all((folder / f"{name}.csv").is_file() for name in REQUIRED):
        return "csv"
    if all((folder / f"{name}.parquet").is_file() for name in REQUIRED):
        return "parquet"
    for name in REQUIRED:
        if not (folder / f"{name}.csv").is_file() and not (folder / f"{name}.parquet").is_file():
            raise InputError(
                f"missing file {name}.csv",
                path=folder / f"{name}.csv",
                hint="the canonical folder needs schools, students, enrollments, calendar and "
                "attendance, all .csv or all .parquet; see docs/format.md",
            )
    raise InputError(
        "the folder mixes .csv and .parquet files; use one kind for all five",
        path=folder,
    )


def read_canonical(folder: Path, con: duckdb.DuckDBPyConnection) -> dict[str, RawFile]:
    """Read the five canonical files into tables ``raw_<name>``, checking required columns."""
    kind = find_format(folder)
    return {name: _read_one(folder / f"{name}.{kind}", name, kind, con) for name in REQUIRED}


def _read_one(path: Path, name: str, kind: str, con: duckdb.DuckDBPyConnection) -> RawFile:
    columns = _header(path, kind, con)
    check_header(path, name, columns)
    table = f"raw_{name}"
    rows = read_rows(path, kind, f"{table}_data", columns, con)
    raw_view(con, table)
    return RawFile(name=name, path=path, table=table, columns=columns, rows=rows)


def check_header(path: Path, name: str, columns: tuple[str, ...]) -> None:
    """Refuse a canonical file ``name`` whose header lacks a required column, or (students) has
    a column named as one of rollcall's own dimensions."""
    clash = [c for c in RESERVED_DIMENSIONS if c in columns] if name == "students" else []
    if clash:
        raise InputError(
            f"a student attribute cannot be named {clash[0]!r}: rollcall uses that dimension",
            path=path,
            column=clash[0],
            hint="rename the column (for example to student_" + clash[0] + ")",
        )
    for column in REQUIRED[name]:
        if column not in columns:
            raise InputError(
                f"missing required column {column!r}",
                path=path,
                column=column,
                hint=f"{path.name} needs the columns " + ", ".join(REQUIRED[name]),
            )


def read_rows(
    path: Path,
    kind: str,
    table: str,
    columns: tuple[str, ...],
    con: duckdb.DuckDBPyConnection,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> int:
    """Read a CSV (with ``delimiter``) or Parquet file whose header is ``columns`` into the
    DuckDB table ``table``: every value as trimmed text, in file order (rowid = record number),
    plus ``extra_values`` when some row is longer than the header. Returns the number of rows.
    ``encoding`` is one DuckDB reads: ``utf-8``, ``latin-1`` or ``utf-16``.

    A file DuckDB cannot read is an InputError at the line and column of the cause when it is
    one rollcall can find (an unclosed quote, a value or line over the limits of
    rollcall/formats/textfiles.py), else with DuckDB's own first line."""
    read = functools.partial(
        _read_rows, path, kind, table, columns, con, delimiter=delimiter, encoding=encoding
    )
    try:
        width = len(columns)
        for _ in range(WIDENINGS):
            try:
                read(width=width)
                break
            except duckdb.Error as exc:
                # A row longer than any DuckDB sampled to count the columns: read as many
                # columns as it has, so that it too is refused row by row (extra_values).
                wider = re.search(r"Expected Number of Columns: \d+ Found: (\d+)", str(exc))
                if wider is None or int(wider[1]) <= width:
                    raise
                width = int(wider[1])
        else:
            read(width=width)
    except duckdb.InterruptException:
        raise  # the run stopped: nothing to say of the file
    except duckdb.Error as exc:
        found = (
            csv_problem(path, delimiter=delimiter, encoding=encoding, columns=columns)
            if kind == "csv"
            else None
        )
        raise found or InputError(f"cannot be read: {_first_line(exc)}", path=path) from None
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def _read_rows(
    path: Path,
    kind: str,
    table: str,
    columns: tuple[str, ...],
    con: duckdb.DuckDBPyConnection,
    *,
    delimiter: str,
    encoding: str,
    width: int,
) -> None:
    source = functools.partial(
        _source_sql,
        path,
        kind,
        columns,
        delimiter=delimiter,
        encoding=encoding,
        width=width,
    )
    trim = TRIM_SQL if kind != "csv" or may_hold_breaks(path) else SPACES_TRIM_SQL
    select = ", ".join(
        trim.format(v=f"CAST({name} AS VARCHAR)") + f" AS {name}"
        for name in map(quote_identifier, columns)
    )
    extra = _extra_values_sql(con, columns, source()) if kind == "csv" else ""
    if extra:
        select += f", {extra} AS {EXTRA_VALUES}"
    # DuckDB skips blank lines, except in a file it reads as one column, where it reads them as
    # a NULL value: they are no records there either. (When some row is longer than the header,
    # DuckDB reads more columns and skips blank lines itself; a NULL row is then a line such as
    # "," that holds an empty value: a record.)
    where = ""
    if kind == "csv" and len(columns) == 1 and not extra:
        where = f" WHERE {quote_identifier(columns[0])} IS NOT NULL"
    select += f" FROM {{source}}{where}"
    try:
        _create_table(con, table, select, source())
    except duckdb.Error as exc:
        if "parallel=false" not in str(exc):
            raise
        # Short rows together with quoted line breaks need DuckDB's single-threaded reader.
        _create_table(con, table, select, source(parallel=False))


def may_hold_breaks(path: Path) -> bool:
    """Whether a CSV file's bytes hold a tab, a carriage return or a quote. Without them no
    value holds a tab or a line break (a line feed inside a value needs quotes), so trimming
    spaces alone trims as TRIM_SQL does, at two thirds of its cost. UTF-8, Latin-1 and UTF-16
    all write these characters with their ASCII byte, and no other UTF-8 or Latin-1 character
    holds it (in UTF-16 another may: the full trim is then kept, never wrongly left out)."""
    if path.stat().st_size == 0:
        return False
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return any(m.find(byte) >= 0 for byte in (b"\t", b"\r", b'"'))


def _extra_values_sql(con: duckdb.DuckDBPyConnection, columns: tuple[str, ...], source: str) -> str:
    """The first non-empty value beyond the header's columns, as SQL (DuckDB
    reads rows longer than the header into extra unnamed columns), so that such rows are refused
    rather than cut short. Empty trailing fields (``a,b,,``) are harmless and pass."""
    described = con.execute(f"DESCRIBE SELECT * FROM {source}")
    names = [row[0] for row in described.fetchall()]
    extras = names[len(columns) :]
    if not extras:
        return ""
    values = ", ".join(f"NULLIF(trim({quote_identifier(name)}), '')" for name in extras)
    return f"COALESCE({values})"


def _create_table(con: duckdb.DuckDBPyConnection, table: str, select: str, source: str) -> None:
    # Stored as a table so that rowid is the file's record order (DuckDB preserves insertion
    # order); the record number is what maps a refused row back to its line.
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {select.format(source=source)}")


def raw_view(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """The view ``table`` over the rows in ``table_data``, numbering them (``_record``)."""
    con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT rowid AS {RECORD}, * FROM {table}_data")


def create_raw_table(con: duckdb.DuckDBPyConnection, table: str, select: str, source: str) -> None:
    """A raw table as the engine reads it: the rows in ``table_data``, the view ``table``."""
    _create_table(con, f"{table}_data", select, source)
    raw_view(con, table)


def _header(
    path: Path,
    kind: str,
    con: duckdb.DuckDBPyConnection,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> tuple[str, ...]:
    if kind == "parquet":
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM {_source_sql(path, kind)}")
            return tuple(row[0].strip() for row in described.fetchall())
        except duckdb.Error as exc:
            raise InputError(f"cannot be read: {_first_line(exc)}", path=path) from None
    try:
        with path.open(encoding=python_encoding(encoding), newline="") as handle:
            header = next(csv.reader(handle, delimiter=delimiter), None)
    except UnicodeError:
        raise InputError(f"is not {encoding.upper()} text", path=path, line=1) from None
    if not header:
        raise InputError("is empty: a header row is required", path=path, line=1)
    return column_names(header, path)


def column_names(header: list[str], path: Path) -> tuple[str, ...]:
    """A header row's names, trimmed (``unnamed_3`` for an empty one); a name twice is an error."""
    names = tuple(column.strip() or f"unnamed_{n + 1}" for n, column in enumerate(header))
    repeated = sorted({column for column in names if names.count(column) > 1})
    if repeated:
        raise InputError("column appears twice in the header", path=path, column=repeated[0])
    return names


def _source_sql(
    path: Path,
    kind: str,
    names: tuple[str, ...] = (),
    *,
    parallel: bool = True,
    delimiter: str = ",",
    encoding: str = "utf-8",
    width: int = 0,
) -> str:
    literal = quote_literal(path)
    if kind == "parquet":
        return f"read_parquet({literal})"
    # Our own (trimmed) header names, every value as text; short rows are padded with NULL so
    # that they reach the checks as missing values instead of failing the read.
    padding = [f"{WIDER}{n}" for n in range(len(names), width)]
    listed = ", ".join(quote_literal(name) for name in [*names, *padding])
    encoded = "" if encoding == "utf-8" else f"encoding='{encoding}', "
    return (
        f"read_csv({literal}, header=true, names=[{listed}], all_varchar=true, "
        f"delim='{delimiter}', {encoded}"
        "quote='\"', escape='\"', null_padding=true, allow_quoted_nulls=false, "
        f"max_line_size={MAX_LINE_BYTES}, "
        f"parallel={str(parallel).lower()})"
    )


def line_numbers(
    raw: RawFile, records: list[int], *, delimiter: str = ",", encoding: str = "utf-8"
) -> dict[int, int]:
    """The line each of ``records`` starts on in ``raw``'s file (header = line 1).

    When every record is one line (no blank lines, no value spanning lines), record n is on line
    n + 2 and nothing is read. Otherwise the file is scanned once with the csv module.
    """
    if raw.path.suffix == ".parquet":
        return {record: record + 1 for record in records}
    if one_line_per_record(raw):
        return {record: record + 2 for record in records}
    wanted = set(records)
    found: dict[int, int] = {}
    with raw.path.open(encoding=python_encoding(encoding), newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader, None)
        record, last_line = 0, reader.line_num
        for row in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not row:  # a blank line: DuckDB skips it too, so it is no record
                continue
            if record in wanted:
                found[record] = start
            record += 1
    return found


def one_line_per_record(raw: RawFile) -> bool:
    """Whether ``raw``'s file has exactly one line per record after the header (no blank lines,
    no value spanning lines): then record n starts on line n + 2."""
    size = raw.path.stat().st_size
    if size == 0:
        return True
    with raw.path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        newlines = m[:].count(b"\n") if size < 1 << 20 else _count_newlines(m)
        ends_with_newline = m[size - 1 : size] == b"\n"
    lines = newlines + (0 if ends_with_newline else 1)
    return lines == raw.rows + 1


def _count_newlines(m: mmap.mmap) -> int:
    count, position, step = 0, 0, 1 << 24
    while position < len(m):
        count += m[position : position + step].count(b"\n")
        position += step
    return count


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
