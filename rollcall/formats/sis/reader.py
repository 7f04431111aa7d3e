"""Any SIS export (CSV, Excel .xlsx, Parquet) read with a mapping file (docs/sources/sis.md).

The mapping file (rollcall/formats/sis/mapping_file.py) names the export's files and columns and
its codes; this reader reads the files (rollcall/formats/sis/export_files.py), makes sure every
code in them is mapped, and builds the five canonical tables (rollcall/formats/sis/tables.py).
An unmapped attendance code, grade or attribute value stops the load with one error listing
every such code and how many rows hold it: a code is never read as "present" by default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from rollcall import duck
from rollcall.errors import InputError, OptionError
from rollcall.formats.canonical.format import REQUIRED, RawFile
from rollcall.formats.origin import ORIGIN_LINE
from rollcall.formats.sis.codes import (
    IGNORED,
    CodeCount,
    count_codes,
    merged_codes,
    unmapped_error,
)
from rollcall.formats.sis.export_files import SourceFile, find_files, read_source
from rollcall.formats.sis.mapping_file import (
    SCHOOL_WEEK,
    WEEKDAYS,
    SisMapping,
    read_mapping,
)
from rollcall.formats.sis.tables import (
    TableSources,
    build_table,
    calendar_from_mapping,
    date_sql,
    resolve,
    schools_from_enrollments,
    students_from_enrollments,
)
from rollcall.formats.sources import FileSeen, Grain, Inspection, Loaded, ReadOptions
from rollcall.sql import quote_identifier, quote_literal


@dataclass(frozen=True)
class MappingReader:
    kind: str = "sis"
    grain: Grain = "days"

    def detect(self, path: Path) -> bool:
        # An export can look like anything: it is read only when named (--source sis or
        # --mapping), never guessed.
        return False

    def load(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Loaded:
        mapping = mapping_of(options)
        tables = read_export(path, mapping, con)
        codes = count_codes(con, tables, mapping)
        unmapped = [c for c in codes if c.mapped_to is None]
        if unmapped:
            raise unmapped_error(unmapped, mapping)
        raw = build(con, tables, mapping)
        for sources in tables.values():
            for file in sources.files:
                con.execute(f"DROP TABLE IF EXISTS {quote_identifier(file.table)}")
        ignored = [c for c in codes if c.mapped_to == IGNORED]
        skipped = {}
        if ignored:
            listed = ", ".join(sorted({repr(c.code) for c in ignored}))
            what = f'attendance rows whose code is mapped to "ignore" ({listed})'
            skipped[what] = sum(c.count for c in ignored)
        return Loaded(
            kind=self.kind,
            grain=self.grain,
            raw=raw,
            notes=tuple(notes(mapping, tables, codes)),
            skipped=skipped,
            files=tuple(file.path for sources in tables.values() for file in sources.files),
            # The mapping file's groups are declared, one by one, by the person who wrote it.
            dimensions=declared_groups(mapping),
        )

    def inspect(self, path: Path, options: ReadOptions) -> Inspection:
        mapping = mapping_of(options)
        con = duck.connect()
        try:
            problems: list[InputError] = []
            tables = read_export(path, mapping, con, problems)
            codes = count_codes(con, tables, mapping)
            first, last = date_range(con, tables.get("attendance"))
            return Inspection(
                kind=self.kind,
                grain=self.grain,
                files=tuple(seen for s in tables.values() for seen in files_seen(s)),
                codes=tuple(merged_codes(codes)),
                first_date=first,
                last_date=last,
                missing=tuple(missing(con, tables, mapping, problems)),
                notes=tuple(notes(mapping, tables, codes)),
            )
        finally:
            con.close()


def mapping_of(options: ReadOptions) -> SisMapping:
    if options.mapping is None:
        raise OptionError(
            "an SIS export is read with a mapping file: give --mapping FILE",
            hint="`rollcall inspect --input PATH --suggest-mapping map.toml` writes a starting "
            "one; docs/sources/sis.md explains it",
        )
    return read_mapping(options.mapping)


def read_export(
    path: Path,
    mapping: SisMapping,
    con: duckdb.DuckDBPyConnection,
    problems: list[InputError] | None = None,
) -> dict[str, TableSources]:
    """Read every file the mapping names into DuckDB, table by table. With ``problems`` (for
    inspect), a file or column that is missing is listed there instead of stopping."""
    root = path if path.is_dir() else path.parent
    read: dict[tuple[Path, str | None, str | None], SourceFile] = {}
    tables = {}
    for name, spec in mapping.tables.items():
        try:
            paths = _paths(path, root, name, spec.files, mapping)
        except InputError as exc:
            if problems is None:
                raise
            problems.append(exc)
            continue
        files = []
        for file in paths:
            key = (file, spec.sheet, spec.delimiter)
            if key not in read:
                try:
                    read[key] = read_source(
                        file,
                        con,
                        f"_rollcall_src_{len(read)}",
                        name=file.relative_to(root).as_posix(),
                        sheet=spec.sheet,
                        delimiter=spec.delimiter,
                        encoding=mapping.encoding,
                    )
                except InputError as exc:  # a file that cannot be read (a sheet not there...)
                    if problems is None:
                        raise
                    problems.append(exc)
                    continue
            files.append(read[key])
        if not files:
            continue
        sources, found = resolve(spec, files)
        if found and problems is None:
            raise found[0]
        if problems is not None:
            problems += found
        tables[name] = sources
    return tables


def _paths(
    path: Path, root: Path, name: str, patterns: tuple[str, ...], mapping: SisMapping
) -> list[Path]:
    if patterns:
        return find_files(root, patterns, key=f"{name}.file", mapping=mapping.path)
    if path.is_file():
        return [path]
    raise InputError(
        f"[{name}] names no file, and the input is a folder",
        path=mapping.path,
        hint=f'give [{name}] file = "..." (a file name or glob relative to {path})',
    )


def build(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, TableSources], mapping: SisMapping
) -> dict[str, RawFile]:
    """The five canonical raw tables, those the export lacks made as the mapping says."""
    raw = {name: build_table(con, tables[name], mapping) for name in ("enrollments", "attendance")}
    raw["schools"] = (
        build_table(con, tables["schools"], mapping)
        if "schools" in tables
        else schools_from_enrollments(con, tables["enrollments"], mapping)
    )
    raw["students"] = (
        build_table(con, tables["students"], mapping)
        if "students" in tables
        else students_from_enrollments(con, raw["enrollments"])
    )
    raw["calendar"] = (
        build_table(con, tables["calendar"], mapping)
        if "calendar" in tables
        else calendar_from_mapping(con, raw["schools"], mapping)
    )
    # Each table's counts are printed under its label: two tables from one file need two.
    seen: set[str] = set()
    for name in REQUIRED:
        if raw[name].file_name in seen:
            raw[name] = dataclasses.replace(raw[name], label=f"{raw[name].file_name} ({name})")
        seen.add(raw[name].file_name)
    return {name: raw[name] for name in REQUIRED}


# --- What inspect and every command say ---------------------------------------------------------


def files_seen(sources: TableSources) -> list[FileSeen]:
    """Each file of a table: its canonical columns matched to the export's, and those unused."""
    seen = []
    for file in sources.files:
        matched = {
            canonical: column.source or f"(mapping value {column.value!r})"
            for canonical, column in sources.columns.items()
            if column.value is not None or column.source in file.columns
        }
        matched |= {
            f"group {g.name}": g.column for g in sources.spec.groups if g.column in file.columns
        }
        used = set(matched.values()) | {ORIGIN_LINE, "extra_values"}
        seen.append(
            FileSeen(
                path=Path(file.label),
                rows=file.rows,
                role=sources.name,
                matched=matched,
                unmatched=tuple(c for c in file.columns if c not in used),
            )
        )
    return seen


def date_range(
    con: duckdb.DuckDBPyConnection, attendance: TableSources | None
) -> tuple[date | None, date | None]:
    """The first and last attendance dates, as the mapping's date format reads them."""
    if attendance is None or "date" not in attendance.columns:
        return None, None
    parts = [
        f"SELECT {_as_date(_date(attendance, file))} AS d FROM {quote_identifier(file.table)}"
        for file in attendance.files
        if _has(attendance, file, "date")
    ]
    if not parts:
        return None, None
    found = con.execute(f"SELECT min(d), max(d) FROM ({' UNION ALL '.join(parts)})").fetchall()
    return found[0][0], found[0][1]


def _as_date(value: str) -> str:
    """An ISO date as the engine reads one (checks.parse_date: it must write back the same)."""
    return (
        f"(CASE WHEN CAST(TRY_CAST({value} AS DATE) AS VARCHAR) = {value} "
        f"THEN TRY_CAST({value} AS DATE) END)"
    )


def _has(sources: TableSources, file: SourceFile, canonical: str) -> bool:
    column = sources.columns[canonical]
    return column.value is not None or column.source in file.columns


def _date(sources: TableSources, file: SourceFile, canonical: str = "date") -> str:
    column = sources.columns[canonical]
    value = quote_identifier(column.source) if column.source else quote_literal(column.value or "")
    return date_sql(value, sources.spec.date_format)


def missing(
    con: duckdb.DuckDBPyConnection,
    tables: Mapping[str, TableSources],
    mapping: SisMapping,
    problems: list[InputError],
) -> list[str]:
    """What the export lacks, in words: files and columns the mapping names that are not there,
    a calendar, and dates that are not in the mapping's format (refused when loading)."""
    found = [str(problem) for problem in problems]
    days = mapping.school_days
    if "calendar" not in mapping.tables and (
        days is None or (days.default is None and not days.schools)
    ):
        found.append(
            'no calendar file and no first/last day given: add [calendar] file = "...", '
            "or first_day, last_day and non_instructional"
        )
    for sources in tables.values():
        for canonical in ("date", "entry_date", "exit_date"):
            if canonical not in sources.columns:
                continue
            for file in sources.files:
                if not _has(sources, file, canonical):
                    continue
                value = _date(sources, file, canonical)
                raw = quote_identifier(sources.columns[canonical].source or canonical)
                bad = con.execute(
                    f"SELECT count(*) FROM {quote_identifier(file.table)} "
                    f"WHERE COALESCE({raw}, '') <> '' AND {_as_date(value)} IS NULL"
                ).fetchall()[0][0]
                if bad:
                    values = (
                        "1 value is not a date" if bad == 1 else f"{bad:,} values are not dates"
                    )
                    found.append(
                        f"{file.label}, column {sources.source_column(canonical)!r}: {values} "
                        f"in {sources.spec.date_format} (refused as invalid date when loading)"
                    )
    return found


def declared_groups(mapping: SisMapping) -> tuple[str, ...]:
    """The groups ``[students.groups]`` names: reporting dimensions by declaration."""
    students = mapping.tables.get("students")
    return tuple(group.name for group in students.groups) if students else ()


def notes(
    mapping: SisMapping, tables: Mapping[str, TableSources], codes: list[CodeCount]
) -> list[str]:
    """What the reader assumes, said out loud (printed by every command)."""
    said = []
    if "schools" not in mapping.tables:
        district = (
            f"each in the district of its column {mapping.district_column!r}"
            if mapping.district_column
            else "all in one district"
        )
        said.append(
            f"No schools file: the schools are the school ids of the enrollments, {district}."
        )
    if "students" not in mapping.tables:
        said.append(
            "No students file: the students are the student ids of the enrollments, with no "
            "groups to count by."
        )
    if "calendar" not in mapping.tables and mapping.school_days is not None:
        said += _calendar_notes(mapping)
    present = sum(c.count for c in codes if c.column == "status" and c.mapped_to == "present")
    if "attendance" in tables:
        said.append(
            f"Attendance has {present:,} rows marking a day present (a daily export): "
            "they are read, and an enrolled school day without a row also counts as present."
            if present
            else "Attendance holds exception rows only (none marks a day present): an "
            "enrolled school day without a row is a day present."
        )
    return said


def _calendar_notes(mapping: SisMapping) -> list[str]:
    days = mapping.school_days
    assert days is not None
    said = []
    if days.default is not None:
        schedule = days.default
        week = (
            "weekdays (Monday to Friday)"
            if schedule.weekdays == SCHOOL_WEEK
            else "days " + ", ".join(WEEKDAYS[d].title() for d in schedule.weekdays)
        )
        said.append(
            f"No calendar file: the school days are the {week} from {schedule.first_day} to "
            f"{schedule.last_day}, less {len(schedule.non_instructional)} non-instructional "
            f"dates ({mapping.path.name}, [calendar])."
        )
    if days.schools:
        said.append(
            f"{len(days.schools)} school(s) have their own school days "
            f"({mapping.path.name}, [calendar.schools])."
        )
    return said


READER = MappingReader()
