"""The per-student totals the engine counts (grain ``totals``, rollcall/engine/totals.py), as
the CALPADS and workbook readers build them: a ``totals`` table (one row per student, school and
year, with days enrolled and days absent by kind), and the ``schools`` and ``students`` tables
around it. Also the students file (``--students-file``) both readers take attributes and grades
from.

Every value stays text as the source wrote it (the engine checks it), except where a reader
translates it to the canonical spelling (a CALPADS ``2024-2025`` becomes ``2024-25``). Each row
keeps the file and line it came from (``_file``, ``_line``) and each column the source column it
came from (``RawFile.origin``), so that rejects point at the user's own file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from rollcall.errors import InputError, OptionError
from rollcall.formats.canonical.format import EXTRA_VALUES, RECORD, RESERVED_DIMENSIONS, RawFile
from rollcall.formats.origin import ORIGIN_FILE, ORIGIN_LINE
from rollcall.formats.totals.sheets import SourceRows, load_rows, normalized, read_rows
from rollcall.period import parse_school_year, school_year_name
from rollcall.sql import quote_identifier

# The columns of the totals table. Day counts are whole or decimal days, as text.
KEYS = ("student_id", "school_id", "grade")
PRESENT_PARTS = ("days_present", "days_in_school_suspension", "days_independent_study")
ABSENT_PARTS = ("days_excused", "days_unexcused", "days_suspension", "days_absent_other")
DAY_COLUMNS = ("days_enrolled", *PRESENT_PARTS, "days_absent", *ABSENT_PARTS)
SCHOOL_YEAR = "school_year"

# What a note says wherever totals meet a policy with a partial-day rule.
NO_DAYS_NOTE = (
    "Per-student totals hold no days, so a policy's partial-day rule (edfacts, california) "
    "cannot be applied to them: absences are counted as the totals give them."
)

# Columns that name or locate a person: never a student group, never read into any table.
PERSONAL = re.compile(r"name|birth|dob|address|street|phone|email|ssn|socialsecurity")


@dataclass(frozen=True)
class Spelling:
    """The header spellings of one canonical column, normalized (sheets.normalized), the
    preferred first; ``name`` is how the docs and messages call it."""

    column: str
    spellings: tuple[str, ...]
    name: str = ""

    @classmethod
    def of(cls, column: str, *names: str) -> Spelling:
        """From spellings as people write them (``Days Absent``); the first is the name."""
        return cls(column, tuple(dict.fromkeys(normalized(n) for n in names)), names[0])


def match(columns: Sequence[str], wanted: Sequence[Spelling]) -> dict[str, str]:
    """Canonical column → the source column that feeds it: for each wanted column, the source
    column with its most preferred spelling. A source column feeds one canonical column only.
    A leading field number (``13.15 Expected Attendance Days``) is ignored."""
    by_name: dict[str, str] = {}
    for column in columns:
        key = normalized(re.sub(r"^\s*\d+(\.\d+)*\s*", "", column))
        by_name.setdefault(key, column)
    found: dict[str, str] = {}
    used: set[str] = set()
    for spelling in wanted:
        for name in spelling.spellings:
            source = by_name.get(name)
            if source is not None and source not in used:
                found[spelling.column] = source
                used.add(source)
                break
    return found


def spelled(columns: Sequence[str], spelling: Spelling) -> bool:
    """Whether a header holds one of ``spelling``'s spellings."""
    return spelling.column in match(columns, [spelling])


def snake(name: str) -> str:
    """An attribute's name: ``English Learner`` → ``english_learner``."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_") or "unnamed"


def is_personal(column: str) -> bool:
    return PERSONAL.search(normalized(column)) is not None


# --- the students file --------------------------------------------------------------------

STUDENT_ID = Spelling.of(
    "student_id", "student_id", "SSID", "Statewide Student Identifier", "Student Number",
    "Local Student ID", "Local ID", "ID",
)  # fmt: skip
GRADE = Spelling.of("grade", "grade", "Grade Level Code", "Grade Level", "Grade Code", "Gr", "Grd")
# Columns of a CALPADS-style students file (SENR, SINF) that are about the record or the
# enrollment, not the student: not groups.
STUDENT_BOOKKEEPING = frozenset(
    normalized(name)
    for name in (
        "Record Type Code", "Transaction Type Code", "Local Record ID", "Reporting LEA",
        "School of Attendance", "School of Attendance NPS", "Academic Year ID", "SSID",
        "Statewide Student Identifier", "Local Student ID", "Effective Start Date",
        "Effective End Date", "Enrollment Start Date", "Enrollment Exit Date",
        "Enrollment Status Code", "Student Exit Category", "Student School Exit Category",
        "Student School Completion Status", "Expected Receiver School of Attendance",
        "school_id",
    )
)  # fmt: skip


@dataclass(frozen=True)
class StudentsFile:
    """A students file read into ``raw_students``: ``raw`` its table (id and attributes);
    ``grade_column`` the column grades came from, if any (then a ``students_grade`` table holds
    each student's grade, from their first row)."""

    raw: RawFile
    grade_column: str | None
    attributes: Mapping[str, str]  # attribute → source column
    unused: tuple[str, ...]


def read_students(path: Path, con: duckdb.DuckDBPyConnection) -> StudentsFile:
    """The students file: canonical (``student_id`` and attributes) or CALPADS-style (``SSID``,
    ``Grade Level Code``, demographics), CSV, caret-delimited or ``.xlsx``, with a header."""
    if not path.is_file():
        raise InputError("students file not found", path=path)
    rows = read_rows(path, is_header=lambda row: spelled(row, STUDENT_ID))
    found = match(rows.columns, [STUDENT_ID, GRADE])
    id_column, grade_column = found["student_id"], found.get("grade")
    consumed = {id_column, grade_column}
    attributes = attributes_of(
        rows, lambda c: c in consumed or normalized(c) in STUDENT_BOOKKEEPING
    )
    unused = tuple(c for c in rows.columns if c not in consumed and c not in attributes.values())
    load_rows(con, "_students_source", rows)
    select = [f"{quote_identifier(id_column)} AS student_id"]
    select += [
        f"{quote_identifier(source)} AS {quote_identifier(name)}"
        for name, source in attributes.items()
    ]
    select += [ORIGIN_FILE, ORIGIN_LINE]
    if EXTRA_VALUES in rows.table.column_names:
        select.append(EXTRA_VALUES)
    _create(con, "raw_students", f"SELECT {', '.join(select)} FROM _students_source")
    if grade_column is not None:
        student = quote_identifier(id_column)
        con.execute(
            f"CREATE OR REPLACE TABLE students_grade AS SELECT student_id, grade FROM ("
            f"SELECT {student} AS student_id, {quote_identifier(grade_column)} AS grade, "
            f"row_number() OVER (PARTITION BY {student} ORDER BY {ORIGIN_LINE}) AS n "
            f"FROM _students_source WHERE {student} IS NOT NULL) WHERE n = 1"
        )
    raw = _raw_file(con, "students", path, rows.label, {"student_id": id_column, **attributes})
    return StudentsFile(raw, grade_column, attributes, unused)


def attributes_of(rows: SourceRows, left_out: Callable[[str], bool]) -> dict[str, str]:
    """Attribute name → source column: every column but the personal ones and those
    ``left_out`` says are not groups, named in snake case (``English Learner`` →
    ``english_learner``)."""
    path = rows.path
    attributes: dict[str, str] = {}
    for column in rows.columns:
        if is_personal(column) or left_out(column):
            continue
        name = snake(column)
        if name in RESERVED_DIMENSIONS:
            raise InputError(
                f"a student attribute cannot be named {name!r}: rollcall uses that dimension",
                path=path,
                column=column,
                hint=f"rename the column (for example to student_{name})",
            )
        if name in attributes:
            raise InputError(
                f"two columns make the same student group {name!r}", path=path, column=column
            )
        attributes[name] = column
    return attributes


# --- building the three tables ------------------------------------------------------------


@dataclass(frozen=True)
class TotalsSource:
    """What a reader found in its file, for ``build``: the source rows (already loaded as the
    DuckDB table ``_totals_source``), SQL expressions over them for each canonical column, and
    the source column each canonical column came from."""

    rows: SourceRows
    select: Mapping[str, str]  # canonical column → SQL over _totals_source
    origin: Mapping[str, str]  # canonical column → source column (as the user wrote it)
    where: str = "TRUE"  # rows to keep (exempt records are left out)
    attributes: Mapping[str, str] = field(default_factory=dict)  # attribute → source column


def build(
    con: duckdb.DuckDBPyConnection, source: TotalsSource, students: StudentsFile | None
) -> tuple[dict[str, RawFile], list[str]]:
    """``schools``, ``students`` and ``totals`` raw tables, and notes on what was assumed.

    The schools are the distinct school ids of the totals (first row wins for the district and
    name); the students are the students file's rows when given, else the distinct student
    ids of the totals with the attributes of their first row."""
    rows, notes = source.rows, []
    select = dict(source.select)
    origin = dict(source.origin)
    if "grade" not in select:
        if students is not None and students.grade_column is not None:
            select["grade"] = (
                "(SELECT g.grade FROM students_grade g WHERE g.student_id = "
                f"({select['student_id']}))"
            )
            origin["grade"] = f"{students.grade_column} ({students.raw.file_name})"
        else:
            select["grade"] = "'UG'"
            notes.append(
                f"{rows.label} gives no grade: every student is counted as UG (ungraded), so "
                "nothing is reported by grade and a policy that reports some grades only "
                "(california-dashboard) reports no one. A students file (--students-file) with "
                "a grade column (Grade Level Code) gives the grades."
            )
    attributes = {} if students is not None else dict(source.attributes)
    staged = [f"{sql} AS {quote_identifier(name)}" for name, sql in select.items()]
    staged += [
        f"{quote_identifier(column)} AS {quote_identifier('_attr_' + n)}"
        for n, column in attributes.items()
    ]
    staged += [ORIGIN_FILE, ORIGIN_LINE]
    if EXTRA_VALUES in rows.table.column_names:
        staged.append(EXTRA_VALUES)
    con.execute(
        f"CREATE OR REPLACE TABLE _totals_stage AS SELECT {', '.join(staged)} "
        f"FROM _totals_source WHERE {source.where} ORDER BY {ORIGIN_LINE}"
    )
    columns = [c for c in (*KEYS, SCHOOL_YEAR, *DAY_COLUMNS) if c in select]
    extra = [EXTRA_VALUES] if EXTRA_VALUES in rows.table.column_names else []
    _create(
        con,
        "raw_totals",
        f"SELECT {', '.join([*columns, ORIGIN_FILE, ORIGIN_LINE, *extra])} FROM _totals_stage",
    )
    school_columns = [c for c in ("school_id", "district_id", "school_name") if c in select]
    _create(con, "raw_schools", _first_rows_sql("school_id", school_columns))
    raw = {
        "schools": _raw_file(
            con, "schools", rows.path, f"{rows.label} (schools)",
            {c: origin[c] for c in school_columns if c in origin},
        ),
    }  # fmt: skip
    if students is None:
        student_columns = [
            "student_id",
            *(f"_attr_{name} AS {quote_identifier(name)}" for name in attributes),
        ]
        _create(con, "raw_students", _first_rows_sql("student_id", student_columns))
        raw["students"] = _raw_file(
            con, "students", rows.path, f"{rows.label} (students)",
            {"student_id": origin["student_id"], **attributes},
        )  # fmt: skip
        notes += _conflicting_attributes(con, rows.label, list(attributes))
    else:
        raw["students"] = students.raw
    raw["totals"] = _raw_file(
        con, "totals", rows.path, rows.label, {c: origin[c] for c in columns if c in origin}
    )
    return raw, notes


def _first_rows_sql(key: str, columns: Sequence[str]) -> str:
    """The first row (by line) of each non-empty ``key`` in the staged totals."""
    listed = ", ".join([*columns, ORIGIN_FILE, ORIGIN_LINE])
    return (
        f"SELECT {listed} FROM (SELECT *, row_number() OVER (PARTITION BY {key} "
        f"ORDER BY {ORIGIN_LINE}) AS _n FROM _totals_stage WHERE {key} IS NOT NULL) "
        f"WHERE _n = 1 ORDER BY {ORIGIN_LINE}"
    )


def _conflicting_attributes(
    con: duckdb.DuckDBPyConnection, label: str, attributes: list[str]
) -> list[str]:
    if not attributes:
        return []
    values = ", ".join(f"coalesce({quote_identifier('_attr_' + a)}, '')" for a in attributes)
    found = con.execute(
        f"SELECT count(*) FROM (SELECT student_id FROM _totals_stage "
        f"WHERE student_id IS NOT NULL GROUP BY student_id "
        f"HAVING count(DISTINCT concat_ws(chr(31), {values})) > 1)"
    ).fetchall()[0][0]
    if not found:
        return []
    return [
        f"{found:,} students have different group values ({', '.join(attributes)}) on different "
        f"rows of {label}: each is counted in the groups of their first row."
    ]


def _create(con: duckdb.DuckDBPyConnection, name: str, select: str) -> None:
    """``<name>_data`` from ``select`` and the view ``<name>`` adding ``_record``, as
    canonical.read_canonical makes them."""
    con.execute(f"CREATE OR REPLACE TABLE {name}_data AS {select}")
    con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT rowid AS {RECORD}, * FROM {name}_data")


def _raw_file(
    con: duckdb.DuckDBPyConnection, name: str, path: Path, label: str, origin: Mapping[str, str]
) -> RawFile:
    table = f"raw_{name}"
    described = con.execute(f"DESCRIBE SELECT * FROM {table}_data").fetchall()
    rows = con.execute(f"SELECT count(*) FROM {table}_data").fetchall()[0][0]
    return RawFile(
        name=name,
        path=path,
        table=table,
        columns=tuple(row[0] for row in described),
        rows=int(rows),
        label=label,
        origin=dict(origin),
    )


def source_table(con: duckdb.DuckDBPyConnection, rows: SourceRows) -> None:
    """Load a reader's rows as ``_totals_source``, the table ``TotalsSource.select`` reads."""
    load_rows(con, "_totals_source", rows)


def school_year_sql(column: str) -> str:
    """SQL for a school year column in the canonical spelling: ``2024-2025`` (as CALPADS and
    many sheets write it) becomes ``2024-25``; anything else is left as written."""
    year = quote_identifier(column)
    return (
        f"CASE WHEN regexp_full_match({year}, '[0-9]{{4}}-[0-9]{{4}}') "
        f"AND CAST(right({year}, 4) AS INTEGER) = CAST(left({year}, 4) AS INTEGER) + 1 "
        f"THEN left({year}, 4) || '-' || right({year}, 2) ELSE {year} END"
    )


def school_year_of_rows(con: duckdb.DuckDBPyConnection, totals: RawFile) -> str | None:
    """The latest school year the totals state (their ``school_year`` values that are school
    years), or None when they state none."""
    if not totals.has(SCHOOL_YEAR):
        return None
    found = con.execute(
        f"SELECT DISTINCT {SCHOOL_YEAR} FROM {totals.table} WHERE {SCHOOL_YEAR} IS NOT NULL"
    ).fetchall()
    years = []
    for (text,) in found:
        try:
            years.append(parse_school_year(text))
        except OptionError:
            continue  # the engine refuses these rows, with their line
    return school_year_name(max(years)) if years else None
