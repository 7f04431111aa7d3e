"""Per-student totals as people paste them into the Attendance Works workbooks: a row per student
(and school) with days present or enrolled and days absent, excused, unexcused and suspended,
as a CSV or an ``.xlsx`` sheet (docs/sources/totals.md).

Enrolled days = days present + days absent when the sheet has no enrolled column; when it has
both, they must agree (the engine refuses a row whose parts do not add up). The other columns
are student groups, unless a students file (``--students-file``) gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from rollcall import duck
from rollcall.errors import InputError
from rollcall.formats.calpads.reader import is_header as is_calpads_header
from rollcall.formats.sources import Grain, Inspection, Loaded, ReadOptions
from rollcall.formats.totals import table as tt
from rollcall.formats.totals.inspect import describe
from rollcall.formats.totals.sheets import SourceRows, first_rows, normalized, read_rows
from rollcall.formats.totals.table import Spelling, match
from rollcall.sql import quote_identifier

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")

# Header spellings, the preferred first (docs/sources/totals.md lists them). Matching ignores
# case, spaces and punctuation: "Days Present", "days_present" and "DAYS-PRESENT" are one.
FIELDS = (
    Spelling.of(
        "student_id", "student_id", "Student ID", "Student Number", "Student #", "Student No",
        "Local Student ID", "Local ID", "SSID", "ID",
    ),
    Spelling.of(
        "school_id", "school_id", "School ID", "School Code", "School Number", "School",
        "Site ID", "Site Code", "Site",
    ),
    Spelling.of("school_name", "school_name", "School Name", "Site Name"),
    Spelling.of(
        "district_id", "district_id", "District ID", "District Code", "District", "LEA",
        "LEA Code",
    ),
    Spelling.of("grade", "grade", "Grade", "Grade Level", "Gr", "Grd"),
    Spelling.of("school_year", "school_year", "School Year", "Academic Year", "Year", "SY"),
    Spelling.of(
        "days_enrolled", "days_enrolled", "Days Enrolled", "Enrolled Days", "Enrolled",
        "Total Days Enrolled", "Days in Membership", "Membership Days", "Membership",
        "Days Possible", "Possible Days",
    ),
    Spelling.of(
        "days_present", "days_present", "Days Present", "Present Days", "Present",
        "Total Days Present", "Days Attended", "Attended",
    ),
    Spelling.of(
        "days_excused", "days_excused", "Excused", "Excused Absences", "Days Excused",
        "Excused Days", "Excused Absence Days", "Days Absent Excused",
    ),
    Spelling.of(
        "days_unexcused", "days_unexcused", "Unexcused", "Unexcused Absences", "Days Unexcused",
        "Unexcused Days", "Unexcused Absence Days", "Days Absent Unexcused", "Truant Days",
    ),
    Spelling.of(
        "days_suspension", "days_suspension", "Suspension", "Suspensions", "Suspension Days",
        "Days Suspended", "Suspended", "Out-of-School Suspension", "OSS Days", "OSS",
    ),
    Spelling.of(
        "days_absent", "days_absent", "Days Absent", "Absent Days", "Absent", "Absences",
        "Total Absences", "Total Days Absent",
    ),
)  # fmt: skip
BY_NAME = {spelling.column: spelling for spelling in FIELDS}
KINDS = ("days_excused", "days_unexcused", "days_suspension")
# A column about days, absences or rates is never a student group (a workbook's own formulas:
# attendance rate, chronic yes/no, tier, tardies).
COMPUTED = re.compile(
    r"rate|percent|pct|chronic|tier|band|tard|days|absen|present|enrol|attend|suspen|excused|"
    r"total|count"
)


def is_header(row: list[str]) -> bool:
    """A totals header: a student id, days present or enrolled, and some absence column; not a
    CALPADS STAS header (that reader takes those)."""
    found = match(row, FIELDS)
    days = "days_present" in found or "days_enrolled" in found
    absences = any(c in found for c in (*KINDS, "days_absent"))
    return "student_id" in found and days and absences and not is_calpads_header(row)


@dataclass(frozen=True)
class TotalsReader:
    kind: str = "totals"
    grain: Grain = "totals"

    def detect(self, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() not in SUFFIXES:
            return False
        return any(is_header(row) for _, rows in first_rows(path) for row in rows)

    def load(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Loaded:
        return _read(path, con, options)[0]

    def inspect(self, path: Path, options: ReadOptions) -> Inspection:
        con = duck.connect()
        try:
            loaded, source, students = _read(path, con, options)
            missing = [
                f"no {BY_NAME[c].name} column"
                for c in ("grade", "days_enrolled", *KINDS)
                if c not in source.origin
            ]
            return describe(con, loaded, source, students, missing=missing)
        finally:
            con.close()


def _read(
    path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
) -> tuple[Loaded, tt.TotalsSource, tt.StudentsFile | None]:
    if not path.is_file():
        raise InputError("per-student totals are one file (CSV or .xlsx), not a folder", path=path)
    rows = read_rows(path, is_header=is_header)
    source, notes = totals_source(rows)
    tt.source_table(con, rows)
    students = tt.read_students(options.students_file, con) if options.students_file else None
    raw, built = tt.build(con, source, students)
    loaded = Loaded(
        kind=READER.kind,
        grain=READER.grain,
        raw=raw,
        notes=(*notes, *built),
        school_year=tt.school_year_of_rows(con, raw["totals"]),
    )
    return loaded, source, students


def totals_source(rows: SourceRows) -> tuple[tt.TotalsSource, list[str]]:
    """The canonical columns a sheet feeds, and notes on what was assumed."""
    found = match(rows.columns, FIELDS)
    notes = []
    if rows.header_line > 1:
        notes.append(
            f"{rows.label}: the header is on line {rows.header_line}; the lines above it are "
            "titles, not rows."
        )
    if "school_id" not in found:
        if "school_name" not in found:
            raise InputError(
                "has no school column",
                path=rows.path,
                hint="name it School ID, School Code or School (docs/sources/totals.md)",
            )
        found["school_id"] = found.pop("school_name")
        notes.append(f"{rows.label} has no school id column: schools are told apart by name.")
    if not any(c in found for c in KINDS):
        # Only a total: absences of no stated kind.
        found["days_absent_other"] = found.pop("days_absent")
        notes.append(
            f"{rows.label} does not split absences into excused, unexcused and suspension: all "
            "are counted in days_absent and none in the three kinds."
        )
    if "days_enrolled" not in found:
        notes.append(f"{rows.label}: enrolled days = days present + days absent.")
    select = {column: quote_identifier(source) for column, source in found.items()}
    if "school_year" in found:
        select["school_year"] = tt.school_year_sql(found["school_year"])
    matched_names = {normalized(s) for spelling in FIELDS for s in spelling.spellings}
    attributes = tt.attributes_of(
        rows,
        lambda c: (
            c in found.values()
            or normalized(c) in matched_names
            or COMPUTED.search(normalized(c)) is not None
        ),
    )
    return tt.TotalsSource(rows=rows, select=select, origin=dict(found),
                           attributes=attributes), notes  # fmt: skip


READER = TotalsReader()
