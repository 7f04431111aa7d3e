"""California's CALPADS Student Absence Summary (STAS): one record per student, school and year
with the days expected and how each was spent (docs/sources/calpads.md).

The file CALPADS takes is caret-delimited text without a header, its fields in the order of the
CALPADS File Specification (section 13, fields 13.01 to 13.22); student information systems also
write the same fields as a CSV with the field names as header. Both are read.

- absences = out-of-school suspension (13.17) + excused (13.19) + unexcused (13.20) + non-ADA
  independent study (13.21); the denominator is the expected attendance days (13.15);
- a record whose parts do not add up to the expected days (CALPADS validation STAS0318: 13.16 +
  13.17 + 13.18 + 13.19 + 13.20 + 13.21 + 13.22 = 13.15) is refused by the engine with the
  difference;
- a record marked exempt (13.13 = Y) is left out and counted;
- the school is the 14-digit CDS code, Reporting LEA (13.04, county and district) followed by
  School of Attendance (13.05); its district is the Reporting LEA.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from rollcall import duck
from rollcall.errors import InputError
from rollcall.formats.sources import Grain, Inspection, Loaded, ReadOptions
from rollcall.formats.totals import table as tt
from rollcall.formats.totals.inspect import describe, indicator_codes
from rollcall.formats.totals.sheets import first_rows, is_spreadsheet, read_rows
from rollcall.formats.totals.table import Spelling, match
from rollcall.sql import quote_identifier

RECORD_TYPE = "STAS"

# The STAS layout, field number and name, in file order (CALPADS File Specification, section 13).
LAYOUT: tuple[tuple[str, str], ...] = (
    ("13.01", "Record Type Code"),
    ("13.02", "Transaction Type Code"),
    ("13.03", "Local Record ID"),
    ("13.04", "Reporting LEA"),
    ("13.05", "School of Attendance"),
    ("13.06", "Academic Year ID"),
    ("13.07", "SSID"),
    ("13.08", "Local Student ID"),
    ("13.09", "Student Legal First Name"),
    ("13.10", "Student Legal Last Name"),
    ("13.11", "Student Birth Date"),
    ("13.12", "Student Gender Code"),
    ("13.13", "Student Absence Summary Data Collection Exemption Indicator"),
    ("13.14", "Hourly Attendance School Type Indicator"),
    ("13.15", "Expected Attendance Days"),
    ("13.16", "Days Attended In-Person"),
    ("13.17", "Days Absent Out-of-School Suspension"),
    ("13.18", "Days in Attendance In-School Suspension"),
    ("13.19", "Days Absent In-Person Excused Non-Suspension"),
    ("13.20", "Days Absent In-Person Unexcused Non-Suspension"),
    ("13.21", "Non-ADA Generating Independent Study Days"),
    ("13.22", "ADA-Generating Independent Study Days"),
)
LAYOUT_NAMES = tuple(f"{number} {name}" for number, name in LAYOUT)


# Header spellings of a CSV extract (normalized; field numbers in front are ignored). The first
# of each is the CALPADS field name.
FIELDS = (
    Spelling.of("record_type", "Record Type Code", "Record Type"),
    Spelling.of("cds", "CDS Code", "CDS", "School CDS Code", "CDS Code School"),
    Spelling.of("lea", "Reporting LEA", "Reporting LEA Code", "LEA", "District Code", "CD Code"),
    Spelling.of("school", "School of Attendance", "School of Attendance Code", "School Code"),
    Spelling.of("school_year", "Academic Year ID", "Academic Year", "School Year"),
    Spelling.of("ssid", "SSID", "Statewide Student Identifier", "Statewide Student ID"),
    Spelling.of("local_id", "Local Student ID", "Student ID", "student_id"),
    Spelling.of(
        "exempt", "Student Absence Summary Data Collection Exemption Indicator",
        "Absence Summary Data Collection Exemption Indicator",
        "Attendance Data Collection Exemption Indicator", "Exemption Indicator", "Exempt",
    ),
    Spelling.of(
        "hourly", "Hourly Attendance School Type Indicator", "Hourly Attendance Indicator",
        "Hourly Attendance",
    ),
    Spelling.of("days_enrolled", "Expected Attendance Days", "Expected Days", "Days Expected"),
    Spelling.of("days_present", "Days Attended In-Person", "Days Attended In Person",
              "Days Attended"),
    Spelling.of("days_suspension", "Days Absent Out-of-School Suspension",
              "Out-of-School Suspension Days", "Days Absent OSS"),
    Spelling.of("days_in_school_suspension", "Days in Attendance In-School Suspension",
              "Days Attended In-School Suspension", "In-School Suspension Days"),
    Spelling.of("days_excused", "Days Absent In-Person Excused Non-Suspension",
              "Days Absent Excused Non-Suspension", "Excused Non-Suspension Days"),
    Spelling.of("days_unexcused", "Days Absent In-Person Unexcused Non-Suspension",
              "Days Absent Unexcused Non-Suspension", "Unexcused Non-Suspension Days"),
    Spelling.of("days_absent_other", "Non-ADA Generating Independent Study Days",
              "Incomplete Independent Study Days", "Non-ADA Independent Study Days"),
    Spelling.of("days_independent_study", "ADA-Generating Independent Study Days",
              "Complete Independent Study Days", "ADA Independent Study Days"),
)  # fmt: skip
BY_NAME = {spelling.column: spelling for spelling in FIELDS}
# The STAS fields by the canonical (or reader) name they feed, for the file without a header.
POSITION = {
    "record_type": "13.01",
    "lea": "13.04",
    "school": "13.05",
    "school_year": "13.06",
    "ssid": "13.07",
    "local_id": "13.08",
    "exempt": "13.13",
    "hourly": "13.14",
    "days_enrolled": "13.15",
    "days_present": "13.16",
    "days_suspension": "13.17",
    "days_in_school_suspension": "13.18",
    "days_excused": "13.19",
    "days_unexcused": "13.20",
    "days_absent_other": "13.21",
    "days_independent_study": "13.22",
}
DAY_FIELDS = (
    "days_enrolled", "days_present", "days_suspension", "days_in_school_suspension",
    "days_excused", "days_unexcused", "days_absent_other", "days_independent_study",
)  # fmt: skip
YES, NO = frozenset(["Y", "YES", "TRUE", "1"]), frozenset(["N", "NO", "FALSE", "0", ""])

NOTES = (
    "CALPADS STAS: absences = out-of-school suspension (13.17) + excused (13.19) + unexcused "
    "(13.20) + non-ADA independent study (13.21) days, of the expected attendance days (13.15). "
    "In-school suspension and ADA-generating independent study are days attended. Non-ADA "
    "independent study days are absences of none of the three kinds, so days_absent can be more "
    "than days_excused + days_unexcused + days_suspension.",
    "School ids are 14-digit CDS codes: Reporting LEA (county and district, 7 digits) then "
    "School of Attendance (7 digits); a school's district is its Reporting LEA (an independently "
    "reporting charter school gives its own school code as LEA and is its own district).",
    "CALPADS counts full-day absences only, so its days are whole days (hourly-attendance "
    "schools excepted).",
)


def is_header(row: list[str]) -> bool:
    """A CSV extract's header: it names the expected attendance days and a student id."""
    found = match(row, [BY_NAME["days_enrolled"], BY_NAME["ssid"], BY_NAME["local_id"]])
    return "days_enrolled" in found and ("ssid" in found or "local_id" in found)


def _headerless(row: list[str]) -> bool:
    return bool(row) and row[0].strip().upper() == RECORD_TYPE and len(row) >= 15


@dataclass(frozen=True)
class CalpadsReader:
    kind: str = "calpads"
    grain: Grain = "totals"

    def detect(self, path: Path) -> bool:
        if not path.is_file():
            return False
        for _, rows in first_rows(path):
            if rows and (_headerless(rows[0]) or any(is_header(row) for row in rows)):
                return True
        return False

    def load(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Loaded:
        return _read(path, con, options)[0]

    def inspect(self, path: Path, options: ReadOptions) -> Inspection:
        con = duck.connect()
        try:
            loaded, stas, students = _read(path, con, options)
            indicators = {
                "exemption indicator (13.13)": (stas.named.get("exempt"), "exempt: skipped"),
                "hourly indicator (13.14)": (stas.named.get("hourly"), "hours made days"),
            }
            read = {label: column for label, (column, _) in indicators.items() if column}
            return describe(
                con,
                loaded,
                stas.source,
                students,
                codes=indicator_codes(con, indicators, YES),
                missing=_missing(loaded),
                also_read=read,
            )
        finally:
            con.close()


@dataclass(frozen=True)
class Stas:
    """A STAS file read: the totals source, the fields found (reader name → source column),
    records skipped as exempt, and notes on what the file holds."""

    source: tt.TotalsSource
    named: Mapping[str, str]
    skipped: Mapping[str, int]
    notes: tuple[str, ...]


def _read(
    path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
) -> tuple[Loaded, Stas, tt.StudentsFile | None]:
    stas = read_stas(path, con)
    students = tt.read_students(options.students_file, con) if options.students_file else None
    raw, built = tt.build(con, stas.source, students)
    loaded = Loaded(
        kind=READER.kind,
        grain=READER.grain,
        raw=raw,
        notes=(*NOTES, *stas.notes, *built),
        skipped=stas.skipped,
        school_year=tt.school_year_of_rows(con, raw["totals"]),
    )
    return loaded, stas, students


def read_stas(path: Path, con: duckdb.DuckDBPyConnection) -> Stas:
    """Read the STAS file (loaded as ``_totals_source``)."""
    if not path.is_file():
        raise InputError("a CALPADS STAS file is one file, not a folder", path=path)
    head = first_rows(path)
    headerless = (
        not is_spreadsheet(path) and bool(head) and bool(head[0][1]) and _headerless(head[0][1][0])
    )
    if headerless:
        rows = read_rows(path, names=LAYOUT_NAMES)
        named = {field: LAYOUT_NAMES[_index(number)] for field, number in POSITION.items()}
    else:
        rows = read_rows(path, is_header=is_header)
        named = match(rows.columns, FIELDS)
    tt.source_table(con, rows)
    _check_record_types(con, path, named)
    exempt = _exempt_sql(con, path, named)
    select, origin, notes = _select(named, path)
    skipped = con.execute(f"SELECT count(*) FROM _totals_source WHERE {exempt}").fetchall()[0][0]
    hourly = _count_yes(con, named.get("hourly"))
    if hourly:
        notes.append(
            f"{hourly:,} records are from hourly-attendance schools (13.14 = Y): CALPADS "
            "translates their hours into days, so their counts may be fractions of a day."
        )
    source = tt.TotalsSource(rows=rows, select=select, origin=origin, where=f"NOT ({exempt})")
    return Stas(
        source=source,
        named=named,
        skipped={"exempt records (13.13 exemption indicator Y)": int(skipped)},
        notes=tuple(notes),
    )


def _index(number: str) -> int:
    return next(n for n, (field, _) in enumerate(LAYOUT) if field == number)


def _select(
    named: Mapping[str, str], path: Path
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """SQL for each canonical column, the source column each came from, and notes."""
    notes: list[str] = []
    select: dict[str, str] = {}
    origin: dict[str, str] = {}
    if "ssid" in named:
        select["student_id"], origin["student_id"] = quote_identifier(named["ssid"]), named["ssid"]
    elif "local_id" in named:
        select["student_id"], origin["student_id"] = (
            quote_identifier(named["local_id"]),
            named["local_id"],
        )
        notes.append(
            f"{path.name} has no SSID column: students are told apart by Local Student ID."
        )
    else:
        raise InputError("has no SSID (or Local Student ID) column", path=path)
    if "cds" in named:
        cds = quote_identifier(named["cds"])
        select["school_id"], origin["school_id"] = cds, named["cds"]
        select["district_id"] = f"CASE WHEN length({cds}) = 14 THEN left({cds}, 7) END"
        origin["district_id"] = named["cds"]
    elif "school" in named and "lea" in named:
        lea, school = quote_identifier(named["lea"]), quote_identifier(named["school"])
        select["school_id"] = f"{lea} || {school}"
        origin["school_id"] = f"{named['lea']} + {named['school']}"
        select["district_id"], origin["district_id"] = lea, named["lea"]
    elif "school" in named:
        select["school_id"], origin["school_id"] = (
            quote_identifier(named["school"]),
            named["school"],
        )
        notes.append(
            f"{path.name} has no Reporting LEA column: schools are told apart by their 7-digit "
            "school code and all are counted in one district."
        )
    else:
        raise InputError("has no School of Attendance (or CDS Code) column", path=path)
    if "school_year" in named:
        select["school_year"] = tt.school_year_sql(named["school_year"])
        origin["school_year"] = named["school_year"]
    for column in DAY_FIELDS:
        if column in named:
            select[column], origin[column] = quote_identifier(named[column]), named[column]
    for required in ("days_enrolled", "days_suspension", "days_excused", "days_unexcused"):
        if required not in named:
            raise InputError(
                f"has no {BY_NAME[required].name} column",
                path=path,
                hint="a STAS extract needs the fields 13.15 to 13.20; see docs/sources/calpads.md",
            )
    return select, origin, notes


def _check_record_types(
    con: duckdb.DuckDBPyConnection, path: Path, named: Mapping[str, str]
) -> None:
    """Every record must be a STAS record: another record type means another file."""
    if "record_type" not in named:
        return
    column = quote_identifier(named["record_type"])
    found = con.execute(
        f"SELECT _line, {column} FROM _totals_source WHERE upper(coalesce({column}, '')) "
        f"<> '{RECORD_TYPE}' ORDER BY _line LIMIT 1"
    ).fetchall()
    if found:
        line, value = found[0]
        raise InputError(
            f"is a {value or 'blank'} record, not a {RECORD_TYPE} record",
            path=path,
            line=line,
            column=named["record_type"],
            hint="give the Student Absence Summary (STAS) file",
        )


def _exempt_sql(con: duckdb.DuckDBPyConnection, path: Path, named: Mapping[str, str]) -> str:
    """The condition for an exempt record; an indicator that is neither yes nor no stops the
    load, naming every such value and its count."""
    if "exempt" not in named:
        return "FALSE"
    column = quote_identifier(named["exempt"])
    value = f"upper(coalesce({column}, ''))"
    codes = con.execute(
        f"SELECT {value}, count(*) FROM _totals_source GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    unknown = [(code, n) for code, n in codes if code not in YES | NO]
    if unknown:
        listed = ", ".join(f"{code!r} ({n:,})" for code, n in unknown)
        raise InputError(
            f"exemption indicator values that are neither Y nor N: {listed}",
            path=path,
            column=named["exempt"],
            hint="13.13 is Y for a student exempt from the absence summary, N or empty otherwise",
        )
    return f"{value} IN ({', '.join(repr(v) for v in sorted(YES))})"


def _count_yes(con: duckdb.DuckDBPyConnection, column: str | None) -> int:
    if column is None:
        return 0
    values = ", ".join(repr(v) for v in sorted(YES))
    found = con.execute(
        "SELECT count(*) FROM _totals_source "
        f"WHERE upper(coalesce({quote_identifier(column)}, '')) IN ({values})"
    ).fetchall()
    return int(found[0][0])


def _missing(loaded: Loaded) -> list[str]:
    totals = loaded.raw["totals"]
    missing = [
        f"no {BY_NAME[c].name} field: counted as 0"
        for c in ("days_present", "days_in_school_suspension", "days_absent_other",
                  "days_independent_study")
        if not totals.has(c)
    ]  # fmt: skip
    if not totals.has("school_year"):
        missing.append("no Academic Year ID: give the school year with --year")
    return missing


READER = CalpadsReader()
