"""The canonical raw tables built from an SIS export's files and its mapping file.

Each canonical table is one ``raw_<name>_data`` table in DuckDB: the canonical columns as text,
translated to canonical spelling (ISO dates, canonical statuses and grades, Y/N), plus ``_file``
and ``_line`` (rollcall/formats/origin.py), in the order of the files and their lines, so that
the record number keeps the engine's "earliest line wins" rules. A value that cannot be
translated (a date not in the mapping's format) is left as written: the engine refuses it with
its reason at the user's own file, line and column. Schools, students and the calendar that the
export lacks are made from what it has, as the mapping says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from rollcall.errors import InputError
from rollcall.formats.canonical.format import EXTRA_VALUES, OPTIONAL, RECORD, RawFile
from rollcall.formats.origin import ORIGIN_FILE, ORIGIN_LINE
from rollcall.formats.sis.export_files import SourceFile
from rollcall.formats.sis.mapping_file import (
    IGNORE,
    ISO_FORMAT,
    YES_NO_DEFAULTS,
    Column,
    Group,
    SisMapping,
    TableMap,
)
from rollcall.sql import quote_identifier, quote_literal

DATE_COLUMNS = ("date", "entry_date", "exit_date")
FIRST_YEAR, LAST_YEAR = 1900, 2199  # the years a date in the mapping's format may have


@dataclass(frozen=True)
class TableSources:
    """A canonical table's files, and where each canonical column it has comes from."""

    name: str
    spec: TableMap
    files: tuple[SourceFile, ...]
    columns: Mapping[str, Column]  # the canonical columns the table has

    def source_column(self, canonical: str) -> str:
        """The export's name for a canonical column (what rejects.csv reports)."""
        column = self.columns[canonical]
        return column.source if column.source is not None else f"{canonical} (mapping value)"

    @property
    def origin(self) -> dict[str, str]:
        origin = {c: self.source_column(c) for c in self.columns}
        origin |= {group.name: group.column for group in self.spec.groups}
        return origin

    @property
    def label(self) -> str:
        if len(self.files) == 1:
            return self.files[0].label
        return f"{len(self.files)} files ({', '.join(f.label for f in self.files)})"


def resolve(spec: TableMap, files: Sequence[SourceFile]) -> tuple[TableSources, list[InputError]]:
    """The columns a table takes from its files, and a problem for each mapped column a file
    lacks (a required column, or an optional one the mapping names)."""
    problems: list[InputError] = []
    name = spec.name
    used: dict[str, Column] = {}
    for canonical, column in spec.columns.items():
        if column.value is not None:
            used[canonical] = column
            continue
        lacking = [f for f in files if column.source not in f.columns]
        if canonical in OPTIONAL[name] and column.implied:
            if len(lacking) < len(files):
                used[canonical] = column  # files without it give empty values
            continue
        used[canonical] = column
        for file in lacking:
            problems.append(_missing_column(file, canonical, column, name))
    for group in spec.groups:
        for file in files:
            if group.column not in file.columns:
                problems.append(
                    InputError(
                        f"has no column {group.column!r} (students.groups.{group.name})",
                        path=file.path,
                        column=group.column,
                        hint=_columns_hint(file),
                    )
                )
    return TableSources(name, spec, tuple(files), used), problems


def _missing_column(file: SourceFile, canonical: str, column: Column, name: str) -> InputError:
    how = (
        f"the mapping names none for {name}.{canonical}"
        if column.implied
        else f"mapped to {name}.{canonical}"
    )
    return InputError(
        f"has no column {column.source!r} ({how})",
        path=file.path,
        column=column.source,
        hint=_columns_hint(file) + f'; map it with [{name}.columns] {canonical} = "..."',
    )


def _columns_hint(file: SourceFile) -> str:
    shown = [c for c in file.columns if c != EXTRA_VALUES]
    return f"{file.label} has the columns " + ", ".join(shown)


def case_sql(
    value: str, crosswalk: Mapping[str, str], *, upper: bool = False, otherwise: str | None = None
) -> str:
    """``value`` through ``crosswalk`` (an empty value matches the key ``""``); values the
    crosswalk lacks become ``otherwise`` (default: left as they are)."""
    otherwise = value if otherwise is None else otherwise
    if not crosswalk:
        return otherwise
    key = f"upper(COALESCE({value}, ''))" if upper else f"COALESCE({value}, '')"
    whens = " ".join(
        f"WHEN {quote_literal(k)} THEN {quote_literal(v)}" for k, v in crosswalk.items()
    )
    return f"CASE {key} {whens} ELSE {otherwise} END"


def date_sql(value: str, date_format: str) -> str:
    """A date in ``date_format`` written as ISO; any other value left as written (an ISO date
    is read as it is, a value that is no date is refused by the engine as ``invalid date``).

    DuckDB reads ``9/3/24`` with ``%m/%d/%Y`` as the year 24: a year outside 1900-2199 is taken
    for a mistake and left as written, so that it is refused rather than read as a valid date
    far outside the school year."""
    if date_format == ISO_FORMAT:
        return value
    parsed = f"try_strptime({value}, {quote_literal(date_format)})"
    return (
        f"CASE WHEN year({parsed}) BETWEEN {FIRST_YEAR} AND {LAST_YEAR} "
        f"THEN strftime({parsed}, '%Y-%m-%d') ELSE {value} END"
    )


def group_sql(value: str, group: Group, mapping: SisMapping) -> str:
    if group.yes_no:
        return case_sql(case_sql(value, YES_NO_DEFAULTS, upper=True), mapping.yes_no)
    return case_sql(value, group.values or {})


def _value(column: Column, file: SourceFile) -> str:
    if column.value is not None:
        return quote_literal(column.value)
    if column.source in file.columns:
        return quote_identifier(column.source)
    return "CAST(NULL AS VARCHAR)"


def ignored_codes(mapping: SisMapping) -> list[str]:
    return [code for code, meaning in mapping.status_codes.items() if meaning.status == IGNORE]


def canonical_values(
    sources: TableSources, mapping: SisMapping, file: SourceFile
) -> dict[str, str]:
    """Each canonical column of the table (and each group) as SQL on one file's columns."""
    spec = sources.spec
    select = {}
    for canonical, column in sources.columns.items():
        value = _value(column, file)
        if canonical in DATE_COLUMNS:
            value = date_sql(value, spec.date_format)
        elif canonical == "grade":
            value = case_sql(value, mapping.grade_codes)
        elif canonical == "status":
            statuses = {k: v.status for k, v in mapping.status_codes.items() if v.status != IGNORE}
            value = case_sql(value, statuses)
        select[canonical] = value
    if sources.name == "attendance":
        fractions = {k: v.fraction for k, v in mapping.status_codes.items() if v.fraction}
        if fractions:
            status = _value(sources.columns["status"], file)
            by_code = case_sql(status, fractions, otherwise="CAST(NULL AS VARCHAR)")
            own = select.get("absent_fraction")
            select["absent_fraction"] = (
                by_code if own is None else (f"COALESCE(NULLIF({own}, ''), {by_code})")
            )
    for group in spec.groups:
        select[group.name] = group_sql(quote_identifier(group.column), group, mapping)
    return select


def translated_sql(sources: TableSources, mapping: SisMapping, file: SourceFile) -> str:
    """One file's rows as canonical columns, with ``_file`` and ``_line``, in the file's order."""
    select = canonical_values(sources, mapping, file)
    columns = [f"{value} AS {quote_identifier(name)}" for name, value in select.items()]
    extra = quote_identifier(EXTRA_VALUES) if file.has_extra_values else "CAST(NULL AS VARCHAR)"
    columns += [
        f"{extra} AS {EXTRA_VALUES}",
        f"{quote_literal(file.name)} AS {ORIGIN_FILE}",
        f"{file.line} AS {ORIGIN_LINE}",
    ]
    where = ""
    ignored = ignored_codes(mapping)
    if sources.name == "attendance" and ignored:
        status = _value(sources.columns["status"], file)
        listed = ", ".join(quote_literal(code) for code in ignored)
        where = f" WHERE COALESCE({status}, '') NOT IN ({listed})"
    return f"SELECT {', '.join(columns)} FROM {quote_identifier(file.table)}{where}"


def build_table(
    con: duckdb.DuckDBPyConnection, sources: TableSources, mapping: SisMapping
) -> RawFile:
    """``raw_<name>_data`` and the view ``raw_<name>`` from the table's files, in file and line
    order."""
    table = f"raw_{sources.name}"
    columns = list(canonical_values(sources, mapping, sources.files[0]))
    extra = any(f.has_extra_values for f in sources.files)
    kept = [*columns, *([EXTRA_VALUES] if extra else []), ORIGIN_FILE, ORIGIN_LINE]
    listed = ", ".join(quote_identifier(c) for c in kept)
    # File after file: a scan and a projection keep the rows in order (DuckDB preserves
    # insertion order), so the record number follows the files and their lines, with no sort.
    for n, file in enumerate(sources.files):
        rows = f"SELECT {listed} FROM ({translated_sql(sources, mapping, file)})"
        if n == 0:
            con.execute(f"CREATE OR REPLACE TABLE {table}_data AS {rows}")
        else:
            con.execute(f"INSERT INTO {table}_data {rows}")
    return _raw_file(
        con, sources.name, sources.files[0].path, tuple(kept), sources.label, sources.origin
    )


def _raw_file(
    con: duckdb.DuckDBPyConnection,
    name: str,
    path: Path,
    columns: tuple[str, ...],
    label: str,
    origin: Mapping[str, str],
) -> RawFile:
    table = f"raw_{name}"
    con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT rowid AS {RECORD}, * FROM {table}_data")
    rows = int(con.execute(f"SELECT count(*) FROM {table}_data").fetchall()[0][0])
    return RawFile(name, path, table, columns, rows, label=label, origin=dict(origin))


def schools_from_enrollments(
    con: duckdb.DuckDBPyConnection, enrollments: TableSources, mapping: SisMapping
) -> RawFile:
    """Schools as the distinct school ids of the enrollments (with the district column, when the
    mapping names one), each at the first line it appears on. A school seen with two districts
    appears twice, and the engine refuses the second as a duplicate."""
    district = mapping.district_column
    parts = []
    for n, file in enumerate(enrollments.files):
        if district is not None and district not in file.columns:
            raise InputError(
                f"has no column {district!r} (schools.district_column)",
                path=file.path,
                column=district,
                hint=_columns_hint(file),
            )
        school = _value(enrollments.columns["school_id"], file)
        district_value = f", {quote_identifier(district)} AS district_id" if district else ""
        parts.append(
            f"SELECT {school} AS school_id{district_value}, "
            f"{quote_literal(file.name)} AS {ORIGIN_FILE}, {file.line} AS {ORIGIN_LINE}, "
            f"{n} AS _src FROM {quote_identifier(file.table)}"
        )
    keys = "school_id, district_id" if district else "school_id"
    columns = ("school_id", "district_id") if district else ("school_id",)
    con.execute(
        f"CREATE OR REPLACE TABLE raw_schools_data AS SELECT {keys}, {ORIGIN_FILE}, "
        f"{ORIGIN_LINE} FROM ({' UNION ALL '.join(parts)}) WHERE COALESCE(school_id, '') <> '' "
        f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY _src, {ORIGIN_LINE}) = 1 "
        f"ORDER BY _src, {ORIGIN_LINE}"
    )
    origin = {"school_id": enrollments.source_column("school_id")}
    if district:
        origin["district_id"] = district
    label = f"schools (the school ids of {enrollments.label})"
    return _raw_file(
        con,
        "schools",
        enrollments.files[0].path,
        (*columns, ORIGIN_FILE, ORIGIN_LINE),
        label,
        origin,
    )


def students_from_enrollments(con: duckdb.DuckDBPyConnection, enrollments: RawFile) -> RawFile:
    """Students as the distinct student ids of the (translated) enrollments, with no groups."""
    con.execute(
        f"CREATE OR REPLACE TABLE raw_students_data AS SELECT student_id, "
        f"arg_min({ORIGIN_FILE}, rowid) AS {ORIGIN_FILE}, arg_min({ORIGIN_LINE}, rowid) AS "
        f"{ORIGIN_LINE} FROM {enrollments.table}_data WHERE COALESCE(student_id, '') <> '' "
        f"GROUP BY student_id ORDER BY min(rowid)"
    )
    label = f"students (the student ids of {enrollments.file_name})"
    return _raw_file(
        con,
        "students",
        enrollments.path,
        ("student_id", ORIGIN_FILE, ORIGIN_LINE),
        label,
        dict(enrollments.origin),
    )


def calendar_from_mapping(
    con: duckdb.DuckDBPyConnection, schools: RawFile, mapping: SisMapping
) -> RawFile:
    """The calendar the mapping gives (no calendar file): each school's schedule, day by day."""
    days = mapping.school_days
    # The schools the engine can accept: an id, and a district when the table has the column.
    district = " AND COALESCE(district_id, '') <> ''" if schools.has("district_id") else ""
    accepted = con.execute(
        f"SELECT DISTINCT school_id FROM {schools.table}_data "
        f"WHERE COALESCE(school_id, '') <> ''{district} ORDER BY 1"
    ).fetchall()
    ids = [row[0] for row in accepted]
    if days is None or (days.default is None and not days.schools):
        raise InputError(
            "the export has no calendar: give calendar.file, or calendar.first_day and "
            "calendar.last_day (and non_instructional dates)",
            path=mapping.path,
            hint="docs/sources/sis.md, 'A calendar without a calendar file'",
        )
    unknown = sorted(set(days.schools) - set(ids))
    if unknown:
        raise InputError(
            f"calendar.schools names {len(unknown)} school id(s) the export does not have: "
            + ", ".join(repr(s) for s in unknown[:10]),
            path=mapping.path,
            hint="the ids are school ids as the export writes them",
        )
    lacking = [school for school in ids if days.for_school(school) is None]
    if lacking:
        raise InputError(
            f"{len(lacking)} school(s) have no school days: "
            + ", ".join(repr(s) for s in lacking[:10]),
            path=mapping.path,
            hint="give calendar.first_day and calendar.last_day for all schools, or a "
            '[calendar.schools."ID"] section for each',
        )
    school_ids: list[str] = []
    dates: list[str] = []
    for school in ids:
        schedule = days.for_school(school)
        assert schedule is not None
        found = [day.isoformat() for day in schedule.days()]
        school_ids += [school] * len(found)
        dates += found
    made = pa.table({"school_id": school_ids, "date": dates})
    con.register("_rollcall_days", made)
    try:
        # _line 0: a made row has no line; none can be refused (known schools, ISO dates).
        con.execute(
            f"CREATE OR REPLACE TABLE raw_calendar_data AS SELECT school_id, date, "
            f"{quote_literal(mapping.path.name + ' [calendar]')} AS {ORIGIN_FILE}, "
            f"CAST(0 AS BIGINT) AS {ORIGIN_LINE} FROM _rollcall_days"
        )
    finally:
        con.unregister("_rollcall_days")
    label = f"calendar (from {mapping.path.name})"
    return _raw_file(
        con, "calendar", mapping.path, ("school_id", "date", ORIGIN_FILE, ORIGIN_LINE), label, {}
    )
