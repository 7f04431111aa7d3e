"""Which input rows are accepted, and why the others are refused (docs/rules.md).

Each file's checks are a list of (condition, reason, column) in the documented order; a row gets
the number of the first that applies. Accepted rows come out typed and narrow: whole-number keys
for students (``sid``) and schools (``sch``) instead of their text ids, dates as dates, grades in
their output spelling, fractions as whole millionths of a day. Refused rows are few: their values
are looked up in the raw file by record number only when the rejects are written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from rollcall.engine.backend import Backend
from rollcall.engine.micro import MICRO
from rollcall.formats.canonical.format import EXTRA_VALUES, RECORD
from rollcall.formats.canonical.vocabulary import STATUSES
from rollcall.formats.origin import ORIGIN_FILE, ORIGIN_LINE
from rollcall.grades import grade_crosswalk
from rollcall.period import Period
from rollcall.tables import literal_table

PLAIN_DECIMAL = r"^([0-9]+\.?[0-9]*|\.[0-9]+)$"

DEFAULT_DISTRICT = "district"

VALUE_PREFIX = "_value_"  # marked-table columns holding a check's own value (Check.value)

# Every reason a row can be refused for, as written in rejects.csv (docs/rules.md explains each).
REASONS = (
    "too many values",
    "missing value",
    "duplicate",
    "unknown grade",
    "invalid date",
    "unknown student",
    "unknown school",
    "exit before entry",
    "unknown status",
    "invalid fraction",
    "fraction contradicts status",
    "not an instructional day",
    "not enrolled on this date",
    # Per-student totals (rollcall/engine/totals.py):
    "invalid number",
    "invalid school year",
    "parts do not add up",
)


@dataclass(frozen=True)
class Check:
    """A reason to refuse a row: when ``condition`` holds, ``reason`` in ``column``.

    rejects.csv shows the row's value in ``column``, or ``value`` when given: an expression on
    the checked table for a value the row does not hold as written (a difference of sums).
    """

    condition: ir.BooleanValue
    reason: str
    column: str
    value: ir.StringValue | None = None

    def __post_init__(self) -> None:
        if self.reason not in REASONS:  # a new reason must be named, and documented, above
            raise ValueError(f"undeclared refusal reason {self.reason!r}")


@dataclass(frozen=True)
class Checked:
    """Rows marked with the number of the first check they failed (``_failed``, 0 for none).

    ``marked`` keeps only the record number and typed columns; ``raw`` is the file as read, from
    which refused rows take the value they are refused for.
    """

    marked: ir.Table
    raw: ir.Table
    checks: tuple[tuple[str, str], ...]  # (reason, column) of check 1, 2, ...
    file: str

    @property
    def _values(self) -> list[str]:
        """The columns holding a check's own ``value`` (``_value_<n>`` for check n)."""
        return [c for c in self.marked.columns if c.startswith(VALUE_PREFIX)]

    @property
    def accepted(self) -> ir.Table:
        return self.marked.filter(self.marked._failed == 0).drop("_failed", *self._values)

    @property
    def rejects(self) -> ir.Table:
        refused = self.marked.filter(self.marked._failed > 0).select(
            *self._values, _refused_record=self.marked[RECORD], _failed=self.marked._failed
        )
        rows = refused.inner_join(self.raw, refused._refused_record == self.raw[RECORD])
        number = rows._failed
        numbered = list(enumerate(self.checks, 1))

        def shown(n: int, column: str) -> ir.StringValue:
            own = f"{VALUE_PREFIX}{n}"
            return rows[own].fill_null("") if own in rows.columns else _raw_value(rows, column)

        return rows.select(
            file=ibis.literal(self.file),
            record=rows._refused_record,
            # Where a translating reader found the row (rollcall/formats/sources.py), if it did.
            source_file=_origin(rows, ORIGIN_FILE, "string"),
            source_line=_origin(rows, ORIGIN_LINE, "int64"),
            column=ibis.cases(*[(number == n, column) for n, (_, column) in numbered]),
            value=ibis.cases(*[(number == n, shown(n, column)) for n, (_, column) in numbered]),
            reason=ibis.cases(*[(number == n, reason) for n, (reason, _) in numbered]),
        )

    def kept(self, backend: Backend) -> Checked:
        """The same, with the marked rows computed once (so the checks run once)."""
        return Checked(backend.materialize(self.marked), self.raw, self.checks, self.file)


def _origin(rows: ir.Table, column: str, kind: str) -> ir.Value:
    if column in rows.columns:
        return rows[column].cast(kind)
    return ibis.null(kind)


def _raw_value(rows: ir.Table, column: str) -> ir.StringValue:
    # A check may name a column the file lacks (a default district): its value is empty.
    if column in rows.columns:
        return rows[column].fill_null("")
    return ibis.literal("")


def apply_checks(
    table: ir.Table, checks: Sequence[Check], *, keep: Sequence[str], raw: ir.Table, file: str
) -> Checked:
    """Mark each row of ``table`` with the first check it fails; keep the ``keep`` columns."""
    failed = ibis.cases(*[(c.condition, n) for n, c in enumerate(checks, 1)], else_=0)
    values = {
        f"{VALUE_PREFIX}{n}": ibis.cases((failed == n, c.value), else_=ibis.null("string"))
        for n, c in enumerate(checks, 1)
        if c.value is not None
    }
    return Checked(
        marked=table.select(RECORD, *keep, _failed=failed, **values),
        raw=raw,
        checks=tuple((c.reason, c.column) for c in checks),
        file=file,
    )


def too_many_values(table: ir.Table) -> list[Check]:
    """A row with a value beyond the header's columns: checked first, in every file."""
    if EXTRA_VALUES not in table.columns:
        return []
    return [Check(table[EXTRA_VALUES].notnull(), "too many values", EXTRA_VALUES)]


def missing(table: ir.Table, columns: Sequence[str]) -> list[Check]:
    """Empty required values, in column order."""
    return [Check(table[c].isnull() | (table[c] == ""), "missing value", c) for c in columns]


def parse_date(value: ir.StringValue) -> ir.DateValue:
    """An ISO ``YYYY-MM-DD`` date, or NULL (``2024-9-3`` and ``2024-02-30`` are not dates).

    A value is ISO when it reads as a date and writes back as the same text: cheaper than a
    regular expression, and just as strict.
    """
    parsed = value.try_cast("date")
    return ibis.cases((parsed.cast("string") == value, parsed), else_=ibis.null("date"))


def passes(checks: Sequence[Check]) -> ir.BooleanValue:
    """True for rows that fail none of ``checks``."""
    failed = checks[0].condition
    for check in checks[1:]:
        failed |= check.condition
    return ~failed


def flag_repeats(
    table: ir.Table, keys: Sequence[str], order: Sequence[object], ok: ir.BooleanValue
) -> ir.Table:
    """Add ``_dup``: true for every row after the first (by ``order``: column names or
    ``ibis.desc(name)``) of each group of ``keys``, among the rows where ``ok`` holds, so that
    refused rows never make a good row a duplicate.

    Repeats are rare, so only the groups with more than one row are sorted: a window over every
    row of a large file costs seconds.
    """
    table = table.mutate(_ok=ok)
    good = table.filter(table._ok)
    repeated = good.group_by(list(keys)).agg(_rows=good.count())
    repeated = repeated.filter(repeated._rows > 1)
    in_repeats = good.semi_join(repeated, list(keys))
    window = ibis.window(group_by=list(keys), order_by=list(order))
    later = in_repeats.mutate(_rank=ibis.row_number().over(window))
    later = later.filter(later._rank > 0).select(_later_record=later[RECORD])
    flagged = table.left_join(later, table[RECORD] == later._later_record)
    return flagged.select(*table.columns, _dup=ibis._._later_record.notnull()).drop("_ok")


def duplicate(table: ir.Table, column: str) -> Check:
    return Check(table._dup, "duplicate", column)


def numbered(table: ir.Table, name: str) -> ir.Table:
    """Add a whole-number key ``name``: joins on it are faster than on text ids. It is the row's
    record number, unique in its file (a numbering window over every row would need one
    ordered partition on Spark)."""
    return table.mutate(**{name: table[RECORD]})


def check_schools(raw: ir.Table, *, has_district: bool) -> Checked:
    """Schools: an id (and a district when the column exists), each id once."""
    table = raw if has_district else raw.mutate(district_id=ibis.literal(DEFAULT_DISTRICT))
    table = flag_repeats(
        table,
        ["school_id"],
        [RECORD],
        passes([*too_many_values(table), *missing(table, ["school_id", "district_id"])]),
    )
    checks = [
        *too_many_values(table),
        *missing(table, ["school_id", "district_id"]),
        duplicate(table, "school_id"),
    ]
    keep = [c for c in table.columns if c not in (RECORD, "_dup")]
    return apply_checks(table, checks, keep=keep, raw=raw, file="schools.csv")


def check_students(raw: ir.Table) -> Checked:
    """Students: an id, each id once."""
    first = [*too_many_values(raw), *missing(raw, ["student_id"])]
    table = flag_repeats(raw, ["student_id"], [RECORD], passes(first))
    checks = [
        *too_many_values(table),
        *missing(table, ["student_id"]),
        duplicate(table, "student_id"),
    ]
    keep = [c for c in raw.columns if c != RECORD]
    return apply_checks(table, checks, keep=keep, raw=raw, file="students.csv")


def with_grade_code(table: ir.Table) -> ir.Table:
    """Add ``_grade``, the output spelling of the row's ``grade`` (NULL for an unknown grade)."""
    spellings = sorted(grade_crosswalk().items())  # in one order: the SQL is the same each run
    crosswalk = literal_table(
        {"_code": [code for code, _ in spellings], "_grade": [grade for _, grade in spellings]},
        {"_code": "string", "_grade": "string"},
    )
    return table.left_join(crosswalk, table.grade.upper() == crosswalk._code).drop("_code")


def with_keys(table: ir.Table, students: ir.Table, schools: ir.Table) -> ir.Table:
    """Add ``sid`` and ``sch``, the whole-number keys of the row's student and school (NULL when
    the student or school is unknown)."""
    ids = students.select(_student=students.student_id, sid=students.sid)
    places = schools.select(_school=schools.school_id, sch=schools.sch)
    joined = table.left_join(ids, table.student_id == ids._student)
    joined = joined.left_join(places, joined.school_id == places._school)
    return joined.drop("_student", "_school")


def check_enrollments(
    raw: ir.Table, students: ir.Table, schools: ir.Table, *, has_exit: bool
) -> Checked:
    """Enrollments: values present, a known grade, valid dates, known student and school,
    an exit that is not before the entry."""
    table = raw if has_exit else raw.mutate(exit_date=ibis.null("string"))
    table = with_grade_code(table)
    table = with_keys(table, students, schools)
    table = table.mutate(entry=parse_date(table.entry_date), exit=parse_date(table.exit_date))
    checks = [
        *too_many_values(table),
        *missing(table, ["student_id", "school_id", "grade", "entry_date"]),
        Check(table._grade.isnull(), "unknown grade", "grade"),
        Check(table.entry.isnull(), "invalid date", "entry_date"),
        Check(
            table.exit_date.notnull() & (table.exit_date != "") & table.exit.isnull(),
            "invalid date",
            "exit_date",
        ),
        Check(table.sid.isnull(), "unknown student", "student_id"),
        Check(table.sch.isnull(), "unknown school", "school_id"),
        Check(table.exit.notnull() & (table.exit < table.entry), "exit before entry", "exit_date"),
    ]
    typed = table.mutate(grade_code=table._grade)
    return apply_checks(
        typed,
        checks,
        keep=["sid", "sch", "grade_code", "entry", "exit"],
        raw=raw,
        file="enrollments.csv",
    )


def enrollment_windows(accepted: ir.Table) -> ir.Table:
    """Accepted enrollments, typed: grade in its output spelling, entry and exit as dates."""
    return accepted.select(RECORD, "sid", "sch", "entry", "exit", grade=accepted.grade_code)


def calendar_dates(raw: ir.Table, schools: ir.Table) -> Checked:
    """Calendar rows with an id, a valid date and a known school (the period comes later)."""
    places = schools.select(_school=schools.school_id, sch=schools.sch)
    table = raw.left_join(places, raw.school_id == places._school).drop("_school")
    table = table.mutate(date_value=parse_date(table.date))
    checks = [
        *too_many_values(table),
        *missing(table, ["school_id", "date"]),
        Check(table.date_value.isnull(), "invalid date", "date"),
        Check(table.sch.isnull(), "unknown school", "school_id"),
    ]
    return apply_checks(table, checks, keep=["sch", "date_value"], raw=raw, file="calendar.csv")


def in_period(table: ir.Table, column: str, period: Period) -> ir.BooleanValue:
    return table[column].between(ibis.literal(period.start), ibis.literal(period.end))


def calendar_in_period(dates: ir.Table, raw: ir.Table, period: Period) -> Checked:
    """Valid calendar rows of the period, each school and date once."""
    inside = dates.filter(in_period(dates, "date_value", period))
    table = flag_repeats(inside, ["sch", "date_value"], [RECORD], ibis.literal(True))
    return apply_checks(
        table,
        [duplicate(table, "date")],
        keep=["sch", "date_value"],
        raw=raw,
        file="calendar.csv",
    )


def school_days(accepted: ir.Table) -> ir.Table:
    """The accepted calendar, typed: one row per school and instructional date."""
    return accepted.select("sch", date=accepted.date_value)


def attendance_values(raw: ir.Table, students: ir.Table, schools: ir.Table) -> Checked:
    """Attendance rows whose own values are valid and whose student and school are known."""
    table = raw
    if "absent_fraction" not in raw.columns:
        table = raw.mutate(absent_fraction=ibis.null("string"))
    status_table = literal_table(
        {
            "_status": list(STATUSES),
            "_is_absence": [absence for absence, _ in STATUSES.values()],
            "_precedence": [precedence for _, precedence in STATUSES.values()],
        },
        {"_status": "string", "_is_absence": "boolean", "_precedence": "int64"},
    )
    table = table.left_join(status_table, table.status.lower() == status_table._status)
    table = with_keys(table, students, schools)
    given = table.absent_fraction.notnull() & (table.absent_fraction != "")
    parsed = ibis.cases(
        (
            table.absent_fraction.re_search(PLAIN_DECIMAL),
            (table.absent_fraction.try_cast("decimal(18,6)") * MICRO).cast("int64"),
        ),
        else_=ibis.null("int64"),
    )
    table = table.mutate(
        date_value=parse_date(table.date),
        _given=given,
        fraction=ibis.cases(
            (given, parsed), (table._is_absence, ibis.literal(MICRO)), else_=ibis.literal(0)
        ),
    )
    checks = [
        *too_many_values(table),
        *missing(table, ["student_id", "school_id", "date", "status"]),
        Check(table.date_value.isnull(), "invalid date", "date"),
        Check(table._status.isnull(), "unknown status", "status"),
        Check(
            table._given & (table.fraction.isnull() | (table.fraction > MICRO)),
            "invalid fraction",
            "absent_fraction",
        ),
        Check(
            table._given & (table._is_absence == (table.fraction == 0)),
            "fraction contradicts status",
            "absent_fraction",
        ),
        Check(table.sid.isnull(), "unknown student", "student_id"),
        Check(table.sch.isnull(), "unknown school", "school_id"),
    ]
    typed = table.mutate(
        status_code=table._status, is_absence=table._is_absence, precedence=table._precedence
    )
    keep = ["sid", "sch", "date_value", "status_code", "is_absence", "precedence", "fraction"]
    return apply_checks(typed, checks, keep=keep, raw=raw, file="attendance.csv")


def attendance_on_school_days(
    rows: ir.Table, raw: ir.Table, calendar: ir.Table, windows: ir.Table
) -> Checked:
    """In-period attendance: on a school day, inside an enrollment there, one row a day.

    ``rows`` are accepted attendance values of the period; ``calendar`` holds (sch, date) of the
    period; ``windows`` the merged enrollment windows (sid, sch, start, end), which do not
    overlap for one student and school, so that a row meets at most one of them.
    """
    days = calendar.select(_day_school=calendar.sch, _day=calendar.date)
    spans = windows.select(
        _span_student=windows.sid, _span_school=windows.sch, _span_start=windows.start,
        _span_end=windows.end,
    )  # fmt: skip
    table = (
        rows.left_join(days, [rows.sch == days._day_school, rows.date_value == days._day])
        .left_join(
            spans,
            [
                rows.sid == spans._span_student,
                rows.sch == spans._span_school,
                rows.date_value >= spans._span_start,
                rows.date_value <= spans._span_end,
            ],
        )
        .select(
            *rows.columns,
            _on_day=ibis._._day.notnull(),
            _enrolled=ibis._._span_start.notnull(),
        )
    )
    # The kept row: the largest fraction as written, then suspension, unexcused, excused,
    # presence, then the earliest line (docs/rules.md).
    table = flag_repeats(
        table,
        ["sid", "sch", "date_value"],
        [ibis.desc("fraction"), "precedence", RECORD],
        table._on_day & table._enrolled,
    )
    checks = [
        Check(~table._on_day, "not an instructional day", "date"),
        Check(~table._enrolled, "not enrolled on this date", "date"),
        duplicate(table, "date"),
    ]
    keep = [c for c in rows.columns if c != RECORD]
    return apply_checks(table, checks, keep=keep, raw=raw, file="attendance.csv")


def placed_attendance(accepted: ir.Table) -> ir.Table:
    """The kept attendance rows, typed: one per student, school and instructional date."""
    return accepted.select(
        "sid",
        "sch",
        "is_absence",
        "precedence",
        "fraction",
        status=accepted.status_code,
        date=accepted.date_value,
    )
