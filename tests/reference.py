"""An independent, deliberately plain reference implementation of docs/rules.md.

Written for obviousness, not speed: every file is read with the ``csv`` module, every check is
one ``if``, every student's enrolled days are a Python set of ``datetime.date``, and every number
is a ``Fraction``. The engine is compared with this module on random data
(``tests/test_engine_vs_reference.py``); where they disagree, one of them is wrong.

Points where docs/rules.md is silent or could be read two ways are marked ``# Reading:``.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from rollcall.policy import Policy

FILES = ("schools.csv", "students.csv", "enrollments.csv", "calendar.csv", "attendance.csv")

EXTRA_VALUES = "extra_values"

REQUIRED = {
    "schools.csv": ("school_id",),
    "students.csv": ("student_id",),
    "enrollments.csv": ("student_id", "school_id", "grade", "entry_date"),
    "calendar.csv": ("school_id", "date"),
    "attendance.csv": ("student_id", "school_id", "date", "status"),
}

STUDENT_METRICS_COLUMNS = (
    "school_year",
    "level",
    "unit_id",
    "student_id",
    "grade",
    "days_enrolled",
    "days_absent",
    "days_excused",
    "days_unexcused",
    "days_suspension",
    "absence_rate",
    "eligible",
    "chronically_absent",
    "tier",
)
SUMMARY_COLUMNS = (
    "school_year",
    "level",
    "unit_id",
    "dimension",
    "group",
    "eligible_students",
    "chronically_absent",
    "chronic_absence_rate",
    "satisfactory",
    "at_risk",
    "moderate",
    "severe",
)
REJECTS_COLUMNS = ("file", "line", "column", "value", "reason")

ABSENCES = ("excused", "unexcused", "suspension")
PRESENCES = ("present", "tardy", "early_departure", "in_school_suspension")
# Tie order when two absences are equal: suspension first, then unexcused, then excused.
CATEGORY_RANK = {"suspension": 0, "unexcused": 1, "excused": 2}
PERSONAL_COLUMNS = ("first_name", "middle_name", "last_name", "birth_date")
# docs/format.md: the attributes that are groups without being declared.
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
TIERS = ("satisfactory", "at_risk", "moderate", "severe")

MICRO = 1_000_000


# --- Grades, written out from docs/format.md (not imported, to stay independent) ----------------


def _grade_spellings() -> dict[str, str]:
    spellings = {"PK": "PK", "TK": "TK", "UG": "UG"}
    for kindergarten in ("K", "KG", "KN", "0K", "00", "0"):
        spellings[kindergarten] = "K"
    for number in range(1, 13):
        spellings[str(number)] = str(number)  # 1 .. 12
        spellings["0" + str(number)] = str(number)  # one leading zero: 01 .. 012
    return spellings


GRADE_SPELLINGS = _grade_spellings()


def output_grade(text: str) -> str | None:
    """The output spelling of a grade as written (case-insensitive), or None."""
    return GRADE_SPELLINGS.get(text.upper())


# --- Values ----------------------------------------------------------------------------------


def trim(value: str) -> str:
    # Reading: "values are trimmed" means leading and trailing whitespace as Python's str.strip()
    # sees it (spaces, tabs, line breaks), not only spaces.
    return value.strip()


def parse_date(text: str) -> datetime.date | None:
    """A strict YYYY-MM-DD date, or None (2024-9-3, 09/03/2024 and 2024-02-30 are None)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        return datetime.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return None


def round_half_up(value: Fraction) -> Fraction:
    """``value`` (not negative) rounded half up to six decimal places."""
    micro = value * MICRO
    whole = micro.numerator // micro.denominator
    if micro - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, MICRO)


def parse_fraction(text: str) -> Fraction | None:
    """A plain decimal (``1``, ``0.5``, ``.25``), rounded half up to six places; else None."""
    # Reading: "digits with at most one decimal point" also admits a trailing point ("1.");
    # at least one digit is needed, and only ASCII digits count.
    if not re.fullmatch(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", text):
        return None
    return round_half_up(Fraction(text))


def format_decimal(value: Fraction) -> str:
    """Up to six decimal places, half up, no trailing zeros, ``0`` for zero."""
    micro = round_half_up(value) * MICRO
    assert micro.denominator == 1
    whole, part = divmod(micro.numerator, MICRO)
    if part == 0:
        return str(whole)
    return f"{whole}.{part:06d}".rstrip("0")


def format_rate(numerator: Fraction | int, denominator: int) -> str:
    if denominator == 0:
        return ""
    return format_decimal(Fraction(numerator) / denominator)


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def school_year_of(day: datetime.date) -> int:
    """The first calendar year of the school year holding ``day`` (2024 for 2024-25)."""
    return day.year if day.month >= 7 else day.year - 1


def school_year_name(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


# --- Reading the files ---------------------------------------------------------------------------


class ReferenceRunError(Exception):
    """The run cannot produce a report (missing file or column, bad year or as-of date)."""


@dataclass
class Record:
    line: int  # the physical line the record starts on; the header is line 1
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Table:
    name: str
    columns: list[str]
    records: list[Record]


def read_table(folder: Path, name: str) -> Table:
    path = folder / name
    if not path.exists():
        raise ReferenceRunError(f"{name}: file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ReferenceRunError(f"{name}: no header")
        # Reading: column names are trimmed too; they are compared case-sensitively.
        columns = [trim(column) for column in header]
        for required in REQUIRED[name]:
            if required not in columns:
                raise ReferenceRunError(f"{name}: missing column {required}")
        records = []
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if not row:
                # A blank line: the csv module gives an empty list; it is not a record.
                # Reading: blank lines are neither read nor counted. A line holding only
                # spaces or commas is a record (of empty values).
                continue
            values: dict[str, str] = {}
            # A non-empty value beyond the header's columns: the row has too many values.
            extras = [trim(value) for value in row[len(columns) :] if trim(value)]
            values[EXTRA_VALUES] = extras[0] if extras else ""
            for position, column in enumerate(columns):
                if column not in values:
                    # Reading: a short row's missing trailing values are empty.
                    values[column] = trim(row[position]) if position < len(row) else ""
            records.append(Record(start, values))
    return Table(name, columns, records)


# --- The period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    name: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end


def period_for(
    calendar: Table,
    known_schools: set[str],
    *,
    year: str | None,
    as_of: datetime.date | None,
) -> Period:
    if year is not None:
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", year.strip())
        if not match or int(match.group(2)) != (int(match.group(1)) + 1) % 100:
            raise ReferenceRunError(f"bad school year {year!r}")
        start_year = int(match.group(1))
    else:
        # Reading: "the latest school year that has a valid date in calendar.csv" counts the
        # calendar rows that pass every check before the period check (school_id and date
        # present, date valid, school known). A row refused as an unknown school does not
        # choose the year.
        years = []
        for record in calendar.records:
            day = parse_date(record["date"])
            if (
                not record[EXTRA_VALUES]
                and record["school_id"]
                and day is not None
                and record["school_id"] in known_schools
            ):
                years.append(school_year_of(day))
        if not years:
            raise ReferenceRunError("no valid date in calendar.csv to choose a school year")
        start_year = max(years)
    start = datetime.date(start_year, 7, 1)
    end = datetime.date(start_year + 1, 6, 30)
    if as_of is not None:
        if not start <= as_of <= end:
            raise ReferenceRunError(f"as-of {as_of} is outside {school_year_name(start_year)}")
        end = as_of
    return Period(start, end, school_year_name(start_year))


# --- Checking rows ---------------------------------------------------------------------------


@dataclass
class Enrollment:
    line: int
    student_id: str
    school_id: str
    grade: str
    entry: datetime.date
    exit: datetime.date | None

    def covers(self, day: datetime.date) -> bool:
        return self.entry <= day and (self.exit is None or day <= self.exit)


@dataclass
class AttendanceRow:
    line: int
    student_id: str
    school_id: str
    day: datetime.date
    status: str  # lower case
    fraction: Fraction  # as written, rounded to six places; the status's default when empty


@dataclass
class Checked:
    """Everything accepted, plus the rejects and the counts."""

    period: Period
    schools: dict[str, str] = field(default_factory=dict)  # school_id -> district_id
    students: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> attributes
    attributes: list[str] = field(default_factory=list)
    enrollments: list[Enrollment] = field(default_factory=list)
    calendar: dict[str, set[datetime.date]] = field(default_factory=dict)
    attendance: dict[tuple[str, str, datetime.date], AttendanceRow] = field(default_factory=dict)
    rejects: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def refuse(self, table: str, record: Record, column: str, reason: str) -> None:
        self.rejects.append(
            {
                "file": table,
                "line": str(record.line),
                "column": column,
                "value": record[column],
                "reason": reason,
            }
        )
        self.counts[table]["rejected"] += 1


def refused_for_extra_values(checked: Checked, table: Table, record: Record) -> bool:
    """A row with a non-empty value beyond the header's columns is refused first, in every file."""
    if record[EXTRA_VALUES]:
        checked.refuse(table.name, record, EXTRA_VALUES, "too many values")
        return True
    return False


def first_missing(record: Record, columns: tuple[str, ...]) -> str | None:
    for column in columns:
        if record[column] == "":
            return column
    return None


def check_schools(table: Table, checked: Checked) -> None:
    has_district = "district_id" in table.columns
    for record in table.records:
        if refused_for_extra_values(checked, table, record):
            continue
        if record["school_id"] == "":
            checked.refuse(table.name, record, "school_id", "missing value")
        elif has_district and record["district_id"] == "":
            checked.refuse(table.name, record, "district_id", "missing value")
        elif record["school_id"] in checked.schools:
            # Reading: "repeated" means after an accepted row with the same id; a row after
            # a refused one (say, with no district_id) is the first accepted and is kept.
            checked.refuse(table.name, record, "school_id", "duplicate")
        else:
            district = record["district_id"] if has_district else "district"
            checked.schools[record["school_id"]] = district
            checked.counts[table.name]["accepted"] += 1


def check_students(table: Table, checked: Checked, dimensions: tuple[str, ...] = ()) -> None:
    # Reading: a column with an empty name (from a trailing comma in the header) is no
    # attribute; a column named like a fixed dimension ("all", "grade") is not expected. Only a
    # known or declared dimension is a group (any case); the other columns are private.
    wanted = {*KNOWN_DIMENSIONS, *(d.lower() for d in dimensions)}
    checked.attributes = [
        column
        for column in dict.fromkeys(table.columns)
        if column
        and column != "student_id"
        and column not in PERSONAL_COLUMNS
        and column.lower() in wanted
    ]
    for record in table.records:
        if refused_for_extra_values(checked, table, record):
            continue
        if record["student_id"] == "":
            checked.refuse(table.name, record, "student_id", "missing value")
        elif record["student_id"] in checked.students:
            checked.refuse(table.name, record, "student_id", "duplicate")
        else:
            checked.students[record["student_id"]] = {
                column: record[column] or "unknown" for column in checked.attributes
            }
            checked.counts[table.name]["accepted"] += 1


def check_enrollments(table: Table, checked: Checked) -> None:
    period = checked.period
    for record in table.records:
        if refused_for_extra_values(checked, table, record):
            continue
        missing = first_missing(record, ("student_id", "school_id", "grade", "entry_date"))
        if missing:
            checked.refuse(table.name, record, missing, "missing value")
            continue
        grade = output_grade(record["grade"])
        if grade is None:
            checked.refuse(table.name, record, "grade", "unknown grade")
            continue
        entry = parse_date(record["entry_date"])
        if entry is None:
            checked.refuse(table.name, record, "entry_date", "invalid date")
            continue
        exit_ = None
        if record["exit_date"] != "":
            exit_ = parse_date(record["exit_date"])
            if exit_ is None:
                checked.refuse(table.name, record, "exit_date", "invalid date")
                continue
        if record["student_id"] not in checked.students:
            checked.refuse(table.name, record, "student_id", "unknown student")
            continue
        if record["school_id"] not in checked.schools:
            checked.refuse(table.name, record, "school_id", "unknown school")
            continue
        if exit_ is not None and exit_ < entry:
            checked.refuse(table.name, record, "exit_date", "exit before entry")
            continue
        # Reading: "no day in the period" means the window entry..exit shares no date with
        # the period; an enrollment inside the period that holds no calendar day is accepted
        # (it just adds no enrolled day).
        if entry > period.end or (exit_ is not None and exit_ < period.start):
            checked.counts[table.name]["ignored"] += 1
            continue
        checked.enrollments.append(
            Enrollment(record.line, record["student_id"], record["school_id"], grade, entry, exit_)
        )
        checked.counts[table.name]["accepted"] += 1


def check_calendar(table: Table, checked: Checked) -> None:
    for record in table.records:
        if refused_for_extra_values(checked, table, record):
            continue
        missing = first_missing(record, ("school_id", "date"))
        if missing:
            checked.refuse(table.name, record, missing, "missing value")
            continue
        day = parse_date(record["date"])
        if day is None:
            checked.refuse(table.name, record, "date", "invalid date")
            continue
        if record["school_id"] not in checked.schools:
            checked.refuse(table.name, record, "school_id", "unknown school")
            continue
        if day not in checked.period:
            checked.counts[table.name]["ignored"] += 1
            continue
        days = checked.calendar.setdefault(record["school_id"], set())
        if day in days:
            # Reading: the column of a duplicate calendar row is `date` (as for attendance).
            checked.refuse(table.name, record, "date", "duplicate")
            continue
        days.add(day)
        checked.counts[table.name]["accepted"] += 1


def kept_order(row: AttendanceRow) -> tuple[Fraction, int, int]:
    """Sort key: the row kept among several for one day comes first."""
    # Largest fraction (as written, after rounding to six places); then suspension,
    # unexcused, excused, then any presence; then the earliest line.
    # Reading: "as written" is the fraction rounded to six places (0.3333335 ties 0.333334),
    # and an empty fraction is its status's default.
    return (-row.fraction, CATEGORY_RANK.get(row.status, 3), row.line)


def check_attendance(table: Table, checked: Checked) -> None:
    period = checked.period
    candidates: dict[tuple[str, str, datetime.date], list[tuple[AttendanceRow, Record]]] = {}
    for record in table.records:
        if refused_for_extra_values(checked, table, record):
            continue
        missing = first_missing(record, ("student_id", "school_id", "date", "status"))
        if missing:
            checked.refuse(table.name, record, missing, "missing value")
            continue
        day = parse_date(record["date"])
        if day is None:
            checked.refuse(table.name, record, "date", "invalid date")
            continue
        status = record["status"].lower()
        if status not in ABSENCES and status not in PRESENCES:
            checked.refuse(table.name, record, "status", "unknown status")
            continue
        written = record["absent_fraction"]
        if written == "":
            fraction = Fraction(1) if status in ABSENCES else Fraction(0)
        else:
            parsed = parse_fraction(written)
            if parsed is None or parsed > 1:
                checked.refuse(table.name, record, "absent_fraction", "invalid fraction")
                continue
            fraction = parsed
        if (status in ABSENCES and fraction == 0) or (status in PRESENCES and fraction > 0):
            # Reading: the column is `absent_fraction` (the value that contradicts).
            checked.refuse(table.name, record, "absent_fraction", "fraction contradicts status")
            continue
        if record["student_id"] not in checked.students:
            checked.refuse(table.name, record, "student_id", "unknown student")
            continue
        if record["school_id"] not in checked.schools:
            checked.refuse(table.name, record, "school_id", "unknown school")
            continue
        if day not in period:
            checked.counts[table.name]["ignored"] += 1
            continue
        if day not in checked.calendar.get(record["school_id"], set()):
            checked.refuse(table.name, record, "date", "not an instructional day")
            continue
        if not any(
            enrollment.student_id == record["student_id"]
            and enrollment.school_id == record["school_id"]
            and enrollment.covers(day)
            for enrollment in checked.enrollments
        ):
            checked.refuse(table.name, record, "date", "not enrolled on this date")
            continue
        row = AttendanceRow(
            record.line, record["student_id"], record["school_id"], day, status, fraction
        )
        key = (row.student_id, row.school_id, day)
        candidates.setdefault(key, []).append((row, record))
    for key, rows in candidates.items():
        rows.sort(key=lambda pair: kept_order(pair[0]))
        checked.attendance[key] = rows[0][0]
        checked.counts[table.name]["accepted"] += 1
        for _row, record in rows[1:]:
            checked.refuse(table.name, record, "date", "duplicate")


def check_all(
    folder: Path,
    *,
    year: str | None,
    as_of: datetime.date | None,
    dimensions: tuple[str, ...] = (),
) -> tuple[Checked, dict[str, Table]]:
    tables = {name: read_table(folder, name) for name in FILES}
    # The period is needed from enrollments.csv on; schools are checked first to know them.
    placeholder = Period(datetime.date.min, datetime.date.max, "")
    checked = Checked(placeholder, counts={name: Counter() for name in FILES})
    check_schools(tables["schools.csv"], checked)
    checked.period = period_for(
        tables["calendar.csv"], set(checked.schools), year=year, as_of=as_of
    )
    check_students(tables["students.csv"], checked, dimensions)
    check_enrollments(tables["enrollments.csv"], checked)
    check_calendar(tables["calendar.csv"], checked)
    check_attendance(tables["attendance.csv"], checked)
    return checked, tables


# --- Counting ----------------------------------------------------------------------------------


@dataclass
class Day:
    """One enrolled day of a student at one school."""

    absence: Fraction  # after the policy's partial-day rule
    category: str | None  # excused / unexcused / suspension; None for a presence or no row
    wholly_absent: bool  # the row's fraction, as written, is 1


def day_absence(row: AttendanceRow | None, policy: Policy) -> Day:
    if row is None:
        return Day(Fraction(0), None, False)
    fraction = row.fraction
    if policy.partial_day == "cutoff":
        assert policy.partial_day_cutoff is not None
        absence = Fraction(1) if fraction >= policy.partial_day_cutoff else Fraction(0)
    else:
        absence = fraction
    category = row.status if row.status in ABSENCES else None
    return Day(absence, category, fraction == 1)


def enrolled_days(checked: Checked, student_id: str, school_id: str) -> set[datetime.date]:
    """The school's calendar days in the period inside any of the student's windows there."""
    windows = [
        enrollment
        for enrollment in checked.enrollments
        if enrollment.student_id == student_id and enrollment.school_id == school_id
    ]
    return {
        day
        for day in checked.calendar.get(school_id, set())
        if any(window.covers(day) for window in windows)
    }


def combine(days: list[Day]) -> Day:
    """A date enrolled at several schools of a unit: the smaller absence, and its category."""
    smallest = min(day.absence for day in days)
    categories = [day.category for day in days if day.absence == smallest and day.category]
    category = min(categories, key=CATEGORY_RANK.__getitem__) if categories else None
    return Day(smallest, category, all(day.wholly_absent for day in days))


def tier_of(absent: Fraction, enrolled: int) -> str:
    rate = absent / enrolled
    if rate < Fraction(1, 20):
        return "satisfactory"
    if rate < Fraction(1, 10):
        return "at_risk"
    if rate < Fraction(1, 5):
        return "moderate"
    return "severe"


@dataclass
class StudentRow:
    level: str
    unit_id: str
    student_id: str
    grade: str
    enrolled: int
    absent: Fraction
    by_category: dict[str, Fraction]
    eligible: bool
    chronic: bool
    tier: str


def student_row(
    checked: Checked,
    policy: Policy,
    *,
    level: str,
    unit_id: str,
    unit_schools: set[str],
    student_id: str,
) -> StudentRow | None:
    per_school = {school: enrolled_days(checked, student_id, school) for school in unit_schools}
    all_days = set().union(*per_school.values()) if per_school else set()
    if not all_days:
        return None
    # Grade: the enrollment with the latest entry_date in the unit, among those with at least
    # one enrolled day in the period; on a tie the later line of enrollments.csv.
    with_days = [
        enrollment
        for enrollment in checked.enrollments
        if enrollment.student_id == student_id
        and enrollment.school_id in unit_schools
        and any(enrollment.covers(day) for day in per_school[enrollment.school_id])
    ]
    grade = max(with_days, key=lambda enrollment: (enrollment.entry, enrollment.line)).grade
    if policy.grades is not None and grade not in policy.grades:
        return None
    absent = Fraction(0)
    by_category = {category: Fraction(0) for category in ABSENCES}
    attended_a_day = False
    for date in all_days:
        days = [
            day_absence(checked.attendance.get((student_id, school, date)), policy)
            for school in sorted(unit_schools)
            if date in per_school[school]
        ]
        day = combine(days)
        absent += day.absence
        if day.category is not None:
            by_category[day.category] += day.absence
        if not day.wholly_absent:
            attended_a_day = True
    enrolled = len(all_days)
    eligible = enrolled >= policy.minimum_enrolled_days and (
        attended_a_day or not policy.require_attended_day
    )
    chronic = eligible and absent >= policy.threshold * enrolled
    tier = tier_of(absent, enrolled) if eligible else ""
    return StudentRow(
        level, unit_id, student_id, grade, enrolled, absent, by_category, eligible, chronic, tier
    )


def units(checked: Checked) -> list[tuple[str, str, set[str]]]:
    """(level, unit_id, schools) for every school, district and the total."""
    result = [("school", school, {school}) for school in checked.schools]
    for district in dict.fromkeys(checked.schools.values()):
        members = {school for school, d in checked.schools.items() if d == district}
        result.append(("district", district, members))
    result.append(("total", "total", set(checked.schools)))
    return result


def metrics_row(row: StudentRow, school_year: str) -> dict[str, str]:
    return {
        "school_year": school_year,
        "level": row.level,
        "unit_id": row.unit_id,
        "student_id": row.student_id,
        "grade": row.grade,
        "days_enrolled": str(row.enrolled),
        "days_absent": format_decimal(row.absent),
        "days_excused": format_decimal(row.by_category["excused"]),
        "days_unexcused": format_decimal(row.by_category["unexcused"]),
        "days_suspension": format_decimal(row.by_category["suspension"]),
        "absence_rate": format_rate(row.absent, row.enrolled),
        "eligible": format_bool(row.eligible),
        "chronically_absent": format_bool(row.chronic) if row.eligible else "",
        "tier": row.tier,
    }


def summary_rows(
    rows: list[StudentRow], checked: Checked, school_year: str
) -> list[dict[str, str]]:
    """One row per group present among the unit's students; counts of eligible students."""
    groups: dict[tuple[str, str], list[StudentRow]] = {}
    for row in rows:
        memberships = [("all", "all"), ("grade", row.grade)]
        for attribute in checked.attributes:
            memberships.append((attribute, checked.students[row.student_id][attribute]))
        for membership in memberships:
            groups.setdefault(membership, []).append(row)
    result = []
    for (dimension, group), members in groups.items():
        eligible = [row for row in members if row.eligible]
        chronic = sum(1 for row in eligible if row.chronic)
        tiers = Counter(row.tier for row in eligible)
        result.append(
            {
                "school_year": school_year,
                "level": members[0].level,
                "unit_id": members[0].unit_id,
                "dimension": dimension,
                "group": group,
                "eligible_students": str(len(eligible)),
                "chronically_absent": str(chronic),
                "chronic_absence_rate": format_rate(chronic, len(eligible)),
                **{tier: str(tiers[tier]) for tier in TIERS},
            }
        )
    return result


def reference_report(
    input_dir: Path,
    *,
    policy: Policy,
    year: str | None = None,
    as_of: datetime.date | None = None,
) -> dict[str, list[dict[str, str]]]:
    """student_metrics, summary and rejects rows (as strings), and the counts per file.

    ``"counts"`` maps each file name to ``{"read", "accepted", "ignored", "rejected"}`` ints.
    Raises ``ReferenceRunError`` when no report can be made.
    """
    checked, tables = check_all(
        Path(input_dir), year=year, as_of=as_of, dimensions=policy.dimensions
    )
    school_year = checked.period.name
    metrics: list[dict[str, str]] = []
    summary: list[dict[str, str]] = []
    for level, unit_id, unit_schools in units(checked):
        rows = []
        for student_id in checked.students:
            row = student_row(
                checked,
                policy,
                level=level,
                unit_id=unit_id,
                unit_schools=unit_schools,
                student_id=student_id,
            )
            if row is not None:
                rows.append(row)
        metrics.extend(metrics_row(row, school_year) for row in rows)
        summary.extend(summary_rows(rows, checked, school_year))
    counts = {}
    for name in FILES:
        tally = checked.counts[name]
        counts[name] = {
            "read": len(tables[name].records),
            "accepted": tally["accepted"],
            "ignored": tally["ignored"],
            "rejected": tally["rejected"],
        }
        assert counts[name]["read"] == tally["accepted"] + tally["ignored"] + tally["rejected"]
    return {
        "student_metrics": metrics,
        "summary": summary,
        "rejects": checked.rejects,
        "counts": counts,  # type: ignore[dict-item]
    }
