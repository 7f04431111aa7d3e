"""A synthetic canonical folder rewritten as a typical SIS export, with the mapping file that
reads it back (docs/sources/sis.md): for the round-trip tests, the benchmark and trying the
mapping on data that is not real.

The export looks like what districts send: its own column names, letter attendance codes
(a half-day code among them), ``m/d/yyyy`` dates, grades written ``KG``, ``PS``, ``01``…, a
semicolon file, a tab file, an Excel workbook among the CSVs (optional), attendance split over
two files, and no calendar file: the mapping gives each school's first and last day and the
weekdays it had no school. Read back with its mapping, it gives the same canonical tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
from openpyxl import Workbook

from rollcall import duck
from rollcall.sql import quote_literal
from rollcall.synth import districts

# (status, absent_fraction) → the export's code; a fraction of "1" is the whole day.
CODES: dict[tuple[str, str | None], str] = {
    ("unexcused", None): "A",
    ("unexcused", "0.25"): "A1",
    ("unexcused", "0.5"): "H",
    ("unexcused", "0.75"): "A3",
    ("excused", None): "E",
    ("excused", "0.25"): "E1",
    ("excused", "0.5"): "EH",
    ("excused", "0.75"): "E3",
    ("suspension", None): "S",
    ("in_school_suspension", None): "ISS",
    ("tardy", None): "T",
    ("early_departure", None): "LE",
    ("present", None): "P",
}
GRADES = {"K": "KG", "PK": "PS", "UG": "UN", **{str(n): f"{n:02d}" for n in range(1, 13)}}
# The synthetic races (rollcall/synth/districts.py) as one-letter federal-style codes.
RACES = dict(zip(districts.RACES, ("W", "H", "B", "A", "M", "I", "P"), strict=True))
# The groups the synthetic students have, with how the export writes them.
GROUPS = (
    ("gender", "Gender", None),
    ("race_ethnicity", "Ethnicity", "race"),
    ("english_learner", "ELL", "1/0"),
    ("disability", "SPED", "Yes/No"),
    ("economically_disadvantaged", "FRL", None),
    ("foster", "Foster", None),
    ("homeless", "Homeless", None),
    ("migrant", "Migrant", None),
)
US_DATE = "%-m/%-d/%Y"  # how the export writes dates (read back with %m/%d/%Y)


def write_sis_export(
    canonical: Path, out: Path, *, excel: bool = True, daily: bool = False, split: bool = True
) -> Path:
    """Rewrite the canonical CSV folder ``canonical`` as an SIS export in ``out`` and return
    the path of its mapping file (``out/mapping.toml``).

    ``excel``: enrollments in ``enrollment.xlsx`` (dates as date cells) instead of a CSV;
    ``daily``: attendance with a ``P`` row for every enrolled school day without an absence;
    ``split``: attendance in two files (fall and spring) instead of one.
    """
    out.mkdir(parents=True, exist_ok=True)
    con = duck.connect()
    try:
        for name in ("schools", "students", "enrollments", "calendar", "attendance"):
            source = quote_literal(canonical / f"{name}.csv")
            con.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_csv({source}, "
                "all_varchar=true, header=true)"
            )
        _schools(con, out)
        _students(con, out)
        if excel:
            _enrollments_xlsx(con, out)
        else:
            _enrollments_csv(con, out)
        _attendance(con, out, daily=daily, split=split)
        mapping = out / "mapping.toml"
        mapping.write_text(_mapping_text(con, excel=excel, daily=daily, split=split), "utf-8")
        return mapping
    finally:
        con.close()


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, delimiter: str) -> None:
    target = quote_literal(path)
    con.execute(f"COPY ({query}) TO {target} (FORMAT csv, HEADER true, DELIMITER '{delimiter}')")


def _crosswalk(value: str, pairs: dict[str, str]) -> str:
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in pairs.items())
    return f"CASE {value} {whens} ELSE {value} END"


def _schools(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    query = (
        'SELECT school_id AS "SchoolCode", school_name AS "School Name", '
        'district_id AS "DistrictCode", district_name AS "District Name" FROM schools'
    )
    _copy(con, query, out / "Schools.csv", ";")


def _students(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    written = {
        "race": _crosswalk("race_ethnicity", RACES),
        "1/0": _crosswalk("english_learner", {"Y": "1", "N": "0"}),
        "Yes/No": _crosswalk("disability", {"Y": "Yes", "N": "No"}),
    }
    groups = ", ".join(
        f'{written[how] if how else name} AS "{column}"' for name, column, how in GROUPS
    )
    query = (
        'SELECT student_id AS "StudentID", last_name AS "LastName", first_name AS "FirstName", '
        f'birth_date AS "BirthDate", {groups} FROM students'
    )
    _copy(con, query, out / "demographics.txt", "\t")


def _enrollment_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, ...]]:
    grade = _crosswalk("grade", GRADES)
    return con.execute(
        f"SELECT student_id, school_id, {grade}, entry_date, exit_date FROM enrollments"
    ).fetchall()


ENROLLMENT_HEADER = ("Student_ID", "School ID", "Grade Level", "EntryDate", "WithdrawalDate")


def _enrollments_xlsx(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Enrollment")
    sheet.append(list(ENROLLMENT_HEADER))
    for student, school, grade, entry, exit_date in _enrollment_rows(con):
        sheet.append([student, school, grade, _excel_date(entry), _excel_date(exit_date)])
    book.save(out / "enrollment.xlsx")


def _excel_date(value: str | None) -> object:
    return None if not value else datetime.fromisoformat(value)


def _enrollments_csv(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    grade = _crosswalk("grade", GRADES)
    names = ", ".join(f'"{c}"' for c in ENROLLMENT_HEADER)
    query = (
        f"SELECT student_id, school_id, {grade}, strftime(entry_date::DATE, '{US_DATE}'), "
        f"strftime(exit_date::DATE, '{US_DATE}') FROM enrollments"
    )
    _copy(con, f"SELECT * FROM ({query}) t({names})", out / "enrollment.csv", ",")


def _attendance(con: duckdb.DuckDBPyConnection, out: Path, *, daily: bool, split: bool) -> None:
    codes = " ".join(
        f"WHEN status = '{status}' AND "
        + (
            f"absent_fraction = '{fraction}'"
            if fraction
            else "COALESCE(absent_fraction, '1') = '1'"
        )
        + f" THEN '{code}'"
        for (status, fraction), code in CODES.items()
    )
    rows = (
        "SELECT student_id, school_id, date::DATE AS day, "
        f"CASE {codes} ELSE status || '?' END AS code FROM attendance"
    )
    if daily:
        # A present row for every enrolled school day that has no other row.
        present = (
            "SELECT e.student_id, e.school_id, c.date::DATE AS day, 'P' AS code "
            "FROM enrollments e JOIN calendar c ON c.school_id = e.school_id "
            "AND c.date >= e.entry_date AND (e.exit_date IS NULL OR c.date <= e.exit_date) "
            "WHERE NOT EXISTS (SELECT 1 FROM attendance a WHERE a.student_id = e.student_id "
            "AND a.school_id = e.school_id AND a.date = c.date)"
        )
        rows = f"{rows} UNION ALL {present}"
    select = (
        'SELECT student_id AS "stu_id", school_id AS "SchoolCode", '
        f'strftime(day, \'{US_DATE}\') AS "AttDate", code AS "AbsenceCode" FROM ({rows})'
    )
    delimiter = "|" if daily else ","
    if not split:
        _copy(con, f"{select} ORDER BY stu_id, day", out / "attendance.csv", delimiter)
        return
    # Fall (July to December) and spring (January to June), as exports often come.
    for part, months in (("fall", "month(day) >= 7"), ("spring", "month(day) < 7")):
        half = select.replace(f"FROM ({rows})", f"FROM ({rows}) WHERE {months}")
        _copy(con, f"{half} ORDER BY stu_id, day", out / f"attendance_{part}.csv", delimiter)


def schedules(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[date, date, list[date]]]:
    """Each school's first and last day and the weekdays between them without school."""
    found: dict[str, set[date]] = {}
    for school, day in con.execute("SELECT school_id, date::DATE FROM calendar").fetchall():
        found.setdefault(school, set()).add(day)
    result = {}
    for school, days in found.items():
        first, last = min(days), max(days)
        span = (first + timedelta(n) for n in range((last - first).days + 1))
        off = [d for d in span if d.weekday() < 5 and d not in days]
        result[school] = (first, last, off)
    return result


def _dates(days: Iterable[date]) -> str:
    return "[" + ", ".join(d.isoformat() for d in days) + "]"


def _mapping_text(con: duckdb.DuckDBPyConnection, *, excel: bool, daily: bool, split: bool) -> str:
    by_school = schedules(con)
    common = Counter(
        (first, last, tuple(off)) for first, last, off in by_school.values()
    ).most_common(1)[0][0]
    codes = "\n".join(
        f'{code} = "{status}"'
        if fraction is None
        else f'{code} = {{ status = "{status}", fraction = {fraction} }}'
        for (status, fraction), code in CODES.items()
        if daily or status != "present"
    )
    groups = "\n".join(
        f'{name} = "{column}"'
        if how is None
        else f'{name} = {{ column = "{column}", values = "yes_no" }}'
        if how in ("1/0", "Yes/No")
        else f'{name} = {{ column = "{column}", values = {{ '
        + ", ".join(f'{code} = "{race}"' for race, code in RACES.items())
        + " } }"
        for name, column, how in GROUPS
    )
    enrollment = (
        'file = "enrollment.xlsx"\nsheet = "Enrollment"' if excel else 'file = "enrollment.csv"'
    )
    attendance = '"attendance_*.csv"' if split else '"attendance.csv"'
    own = "\n".join(
        f'\n[calendar.schools."{school}"]\nfirst_day = {first}\nlast_day = {last}\n'
        f"non_instructional = {_dates(off)}"
        for school, (first, last, off) in sorted(by_school.items())
        if (first, last, tuple(off)) != common
    )
    return f"""# A synthetic SIS export, read back into the canonical tables (docs/sources/sis.md).
date_format = "%m/%d/%Y"

[schools]
file = "Schools.csv"
[schools.columns]
school_id = "SchoolCode"
school_name = "School Name"
district_id = "DistrictCode"
district_name = "District Name"

[students]
file = "demographics.txt"
[students.columns]
student_id = "StudentID"
[students.groups]
{groups}

[enrollments]
{enrollment}
[enrollments.columns]
student_id = "Student_ID"
school_id = "School ID"
grade = "Grade Level"
entry_date = "EntryDate"
exit_date = "WithdrawalDate"

[attendance]
file = {attendance}
[attendance.columns]
student_id = "stu_id"
school_id = "SchoolCode"
date = "AttDate"
status = "AbsenceCode"

[calendar]
first_day = {common[0]}
last_day = {common[1]}
non_instructional = {_dates(common[2])}
{own}

[codes.status]
{codes}

[codes.grade]
PS = "PK"
UN = "UG"
"""
