"""Which input rows are accepted, and why the others are refused (docs/rules.md).

Each file's checks are a list of (condition, reason, column) in the documented order; a row gets
the first that applies. Accepted rows come out typed (dates as dates, grades in their output
spelling, fractions as whole micro-days); refused rows come out as reject records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir

from rollcall.formats.canonical import RECORD
from rollcall.grades import grade_crosswalk
from rollcall.period import Period

MICRO = 1_000_000  # absences are whole millionths of a day: exact, and portable to any engine

ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PLAIN_DECIMAL = r"^([0-9]+\.?[0-9]*|\.[0-9]+)$"

DEFAULT_DISTRICT = "district"

# status → (is an absence, precedence when rows tie: lower wins)
STATUSES: dict[str, tuple[bool, int]] = {
    "suspension": (True, 0),
    "unexcused": (True, 1),
    "excused": (True, 2),
    "present": (False, 3),
    "tardy": (False, 3),
    "early_departure": (False, 3),
    "in_school_suspension": (False, 3),
}
ABSENCE_CATEGORIES = ("excused", "unexcused", "suspension")


@dataclass(frozen=True)
class Check:
    """A reason to refuse a row: when ``condition`` holds, ``reason`` in ``column``."""

    condition: ir.BooleanValue
    reason: str
    column: str


@dataclass(frozen=True)
class Checked:
    """Rows that passed (``accepted``) and the reject records of those that did not."""

    accepted: ir.Table
    rejects: ir.Table


def apply_checks(table: ir.Table, checks: Sequence[Check], *, file: str) -> Checked:
    """Give each row the first failing check; split accepted rows from reject records."""
    if not checks:
        return Checked(accepted=table, rejects=_no_rejects())
    reason = ibis.cases(*[(c.condition, c.reason) for c in checks], else_=ibis.null("string"))
    column = ibis.cases(*[(c.condition, c.column) for c in checks], else_=ibis.null("string"))
    value = ibis.cases(
        *[(c.condition, table[c.column].cast("string").fill_null("")) for c in checks], else_=ibis.null("string")
    )
    marked = table.mutate(_reason=reason, _column=column, _value=value)
    accepted = marked.filter(marked._reason.isnull()).drop("_reason", "_column", "_value")
    refused = marked.filter(marked._reason.notnull())
    rejects = refused.select(
        file=ibis.literal(file),
        record=refused[RECORD],
        column=refused._column,
        value=refused._value,
        reason=refused._reason,
    )
    return Checked(accepted=accepted, rejects=rejects)


def _no_rejects() -> ir.Table:
    schema = {"file": "string", "record": "int64", "column": "string", "value": "string"}
    return ibis.memtable({**{k: [] for k in schema}, "reason": []}).cast(
        {**schema, "reason": "string"}
    )


def missing(table: ir.Table, columns: Sequence[str]) -> list[Check]:
    """Empty required values, in column order."""
    return [
        Check(table[c].isnull() | (table[c] == ""), "missing value", c) for c in columns
    ]


def parse_date(value: ir.StringValue) -> ir.DateValue:
    """An ISO ``YYYY-MM-DD`` date, or NULL (``2024-9-3`` and ``2024-02-30`` are not dates)."""
    return ibis.cases(
        (value.re_search(ISO_DATE), value.try_cast("date")), else_=ibis.null("date")
    )


def invalid_date(table: ir.Table, column: str, *, optional: bool = False) -> Check:
    value = table[column]
    bad = value.notnull() & (value != "") & parse_date(value).isnull()
    if not optional:
        bad = parse_date(value).isnull()
    return Check(bad, "invalid date", column)


def first_of_each(table: ir.Table, keys: Sequence[str], order: Sequence[ir.Value]) -> ir.Table:
    """Mark with ``_rank`` 0 the first row (by ``order``) of each group of ``keys``."""
    window = ibis.window(group_by=[table[k] for k in keys], order_by=list(order))
    return table.mutate(_rank=ibis.row_number().over(window))


def duplicates(table: ir.Table, keys: Sequence[str], column: str, *, file: str) -> Checked:
    """Every row after the first (in file order) with the same ``keys`` is a ``duplicate``."""
    ranked = first_of_each(table, keys, [table[RECORD]])
    checked = apply_checks(ranked, [Check(ranked._rank > 0, "duplicate", column)], file=file)
    return Checked(accepted=checked.accepted.drop("_rank"), rejects=checked.rejects)


def check_schools(raw: ir.Table, *, has_district: bool) -> Checked:
    """Schools: an id (and a district when the column exists), each id once."""
    required = ["school_id", "district_id"] if has_district else ["school_id"]
    first = apply_checks(raw, missing(raw, required), file="schools.csv")
    accepted = first.accepted
    if not has_district:
        accepted = accepted.mutate(district_id=ibis.literal(DEFAULT_DISTRICT))
    second = duplicates(accepted, ["school_id"], "school_id", file="schools.csv")
    return Checked(second.accepted, first.rejects.union(second.rejects))


def check_students(raw: ir.Table) -> Checked:
    """Students: an id, each id once."""
    first = apply_checks(raw, missing(raw, ["student_id"]), file="students.csv")
    second = duplicates(first.accepted, ["student_id"], "student_id", file="students.csv")
    return Checked(second.accepted, first.rejects.union(second.rejects))


def check_enrollments(
    raw: ir.Table, students: ir.Table, schools: ir.Table, *, has_exit: bool
) -> Checked:
    """Enrollments: values present, a known grade, valid dates, known student and school,
    an exit that is not before the entry."""
    table = raw if has_exit else raw.mutate(exit_date=ibis.null("string"))
    crosswalk = ibis.memtable(
        {"_code": list(grade_crosswalk()), "_grade": list(grade_crosswalk().values())}
    )
    table = table.left_join(crosswalk, table.grade.upper() == crosswalk._code).drop("_code")
    entry, exit_ = parse_date(table.entry_date), parse_date(table.exit_date)
    checks = [
        *missing(table, ["student_id", "school_id", "grade", "entry_date"]),
        Check(table._grade.isnull(), "unknown grade", "grade"),
        invalid_date(table, "entry_date"),
        invalid_date(table, "exit_date", optional=True),
        Check(~table.student_id.isin(students.student_id), "unknown student", "student_id"),
        Check(~table.school_id.isin(schools.school_id), "unknown school", "school_id"),
        Check(exit_.notnull() & (exit_ < entry), "exit before entry", "exit_date"),
    ]
    checked = apply_checks(table, checks, file="enrollments.csv")
    ok = checked.accepted
    accepted = ok.select(
        ok[RECORD],
        ok.student_id,
        ok.school_id,
        grade=ok._grade,
        entry=parse_date(ok.entry_date),
        exit=parse_date(ok.exit_date),
    )
    return Checked(accepted, checked.rejects)


def calendar_dates(raw: ir.Table, schools: ir.Table) -> Checked:
    """Calendar rows with an id, a valid date and a known school (the period is applied later)."""
    checks = [
        *missing(raw, ["school_id", "date"]),
        invalid_date(raw, "date"),
        Check(~raw.school_id.isin(schools.school_id), "unknown school", "school_id"),
    ]
    checked = apply_checks(raw, checks, file="calendar.csv")
    ok = checked.accepted
    return Checked(ok.select(ok[RECORD], ok.school_id, date=parse_date(ok.date)), checked.rejects)


def in_period(table: ir.Table, column: str, period: Period) -> ir.BooleanValue:
    return table[column].between(ibis.literal(period.start), ibis.literal(period.end))


def check_calendar_in_period(dates: ir.Table, period: Period) -> tuple[Checked, ir.Table]:
    """Calendar days of the period, each school and date once; and the rows outside it."""
    inside = dates.filter(in_period(dates, "date", period))
    outside = dates.filter(~in_period(dates, "date", period))
    checked = duplicates(inside, ["school_id", "date"], "date", file="calendar.csv")
    return checked, outside


def attendance_values(raw: ir.Table, students: ir.Table, schools: ir.Table) -> Checked:
    """Attendance rows whose own values are valid and whose student and school are known."""
    table = raw if "absent_fraction" in raw.columns else raw.mutate(
        absent_fraction=ibis.null("string")
    )
    status_table = ibis.memtable(
        {
            "_status": list(STATUSES),
            "_is_absence": [absence for absence, _ in STATUSES.values()],
            "_precedence": [precedence for _, precedence in STATUSES.values()],
        }
    )
    table = table.left_join(status_table, table.status.lower() == status_table._status)
    given = table.absent_fraction.notnull() & (table.absent_fraction != "")
    parsed = ibis.cases(
        (table.absent_fraction.re_search(PLAIN_DECIMAL),
         (table.absent_fraction.try_cast("decimal(18,6)") * MICRO).cast("int64")),
        else_=ibis.null("int64"),
    )
    fraction = ibis.cases(
        (given, parsed), (table._is_absence, ibis.literal(MICRO)), else_=ibis.literal(0)
    )
    table = table.mutate(_micro=fraction)
    checks = [
        *missing(table, ["student_id", "school_id", "date", "status"]),
        invalid_date(table, "date"),
        Check(table._status.isnull(), "unknown status", "status"),
        Check(
            given & (parsed.isnull() | (parsed > MICRO)), "invalid fraction", "absent_fraction"
        ),
        Check(
            given & (table._is_absence == (table._micro == 0)),
            "fraction contradicts status",
            "absent_fraction",
        ),
        Check(~table.student_id.isin(students.student_id), "unknown student", "student_id"),
        Check(~table.school_id.isin(schools.school_id), "unknown school", "school_id"),
    ]
    checked = apply_checks(table, checks, file="attendance.csv")
    ok = checked.accepted
    accepted = ok.select(
        ok[RECORD],
        ok.student_id,
        ok.school_id,
        ok.date,
        date_value=parse_date(ok.date),
        status=ok._status,
        is_absence=ok._is_absence,
        precedence=ok._precedence,
        fraction=ok._micro,
    )
    return Checked(accepted, checked.rejects)


def attendance_on_school_days(
    rows: ir.Table, calendar: ir.Table, windows: ir.Table, period_end: date
) -> Checked:
    """In-period attendance that falls on a school day inside an enrollment there, one row a day.

    ``windows`` holds accepted enrollments (student_id, school_id, entry, exit).
    """
    on_day = rows.semi_join(
        calendar, [rows.school_id == calendar.school_id, rows.date_value == calendar.date]
    )
    off_day = rows.anti_join(
        calendar, [rows.school_id == calendar.school_id, rows.date_value == calendar.date]
    )
    enrolled_predicates = [
        on_day.student_id == windows.student_id,
        on_day.school_id == windows.school_id,
        on_day.date_value >= windows.entry,
        on_day.date_value <= windows.exit.fill_null(ibis.literal(period_end)),
    ]
    enrolled = on_day.semi_join(windows, enrolled_predicates)
    not_enrolled = on_day.anti_join(windows, enrolled_predicates)
    # The kept row: the largest fraction as written, then suspension, unexcused, excused,
    # presence, then the earliest line (docs/rules.md).
    ranked = first_of_each(
        enrolled,
        ["student_id", "school_id", "date_value"],
        [ibis.desc(enrolled.fraction), enrolled.precedence, enrolled[RECORD]],
    )
    rejects = [
        _reject_all(off_day, "not an instructional day"),
        _reject_all(not_enrolled, "not enrolled on this date"),
        _reject_all(ranked.filter(ranked._rank > 0), "duplicate"),
    ]
    kept = ranked.filter(ranked._rank == 0).drop("_rank", "date").rename(date="date_value")
    return Checked(kept, rejects[0].union(rejects[1]).union(rejects[2]))


def _reject_all(rows: ir.Table, reason: str) -> ir.Table:
    return rows.select(
        file=ibis.literal("attendance.csv"),
        record=rows[RECORD],
        column=ibis.literal("date"),
        value=rows.date,
        reason=ibis.literal(reason),
    )
