"""Chronic absence from per-student totals (grain ``totals``: CALPADS STAS, workbook totals).

The totals give, per student, school and year, the days enrolled and the days absent by kind,
already counted. They are checked like any input (every refused row in rejects.csv with its
reason), turned into the school-level student rows the day-level engine builds from days
(``days.school_totals``'s columns), and from there counted by the same rules: added up to the
district and the total (``days.unit_totals``), grades, eligibility, chronic absence and tiers
(``students``), groups (``groups``).

What totals cannot do, said where it applies: there are no dates, so a student enrolled at two
schools of a district on the same days cannot be counted once (their days are added up), the
period cannot be cut (``--as-of``), and a policy's partial-day rule cannot be applied.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from rollcall.engine import checks, days, students
from rollcall.engine.backend import Backend
from rollcall.engine.checks import PLAIN_DECIMAL, Check, Checked, apply_checks
from rollcall.engine.days import EXTRAS
from rollcall.engine.micro import MICRO, decimal_text
from rollcall.engine.results import Computed
from rollcall.engine.stages import (
    file_counts,
    group_summary,
    schools_and_students,
    student_names,
)
from rollcall.errors import InputError, OptionError
from rollcall.formats.canonical.format import RECORD, RawFile
from rollcall.formats.sources import Loaded
from rollcall.formats.totals.table import ABSENT_PARTS, DAY_COLUMNS, PRESENT_PARTS, SCHOOL_YEAR
from rollcall.levels import SCHOOL
from rollcall.period import Period, reporting_period
from rollcall.policy import Policy
from rollcall.tables import union_all

NO_OVERLAP_NOTE = (
    "Per-student totals hold no dates: a student counted at two schools of one district is "
    "counted at the district with the two schools' days added up, since days on which they "
    "were enrolled at both cannot be found."
)


def compute_totals(
    backend: Backend,
    loaded: Loaded,
    *,
    policy: Policy,
    year: str | None = None,
    as_of: object = None,
) -> Computed:
    """Run the rules of docs/rules.md that totals allow on ``loaded`` (grain ``totals``)."""
    if as_of is not None:
        raise OptionError(
            "--as-of cannot apply to per-student totals: they hold the year's counts, no dates",
            hint="leave --as-of out",
        )
    raw = dict(loaded.raw)
    period = reporting_period(_school_year(loaded, raw["totals"], year))
    keep = backend.materialize
    table = {name: backend.table(file.table) for name, file in raw.items()}
    # Queued first, answered last: the students' groups checked while the rest is computed.
    dimensions = backend.dimensions(raw["students"], (*policy.dimensions, *loaded.dimensions))

    school_check, school_ok, student_check, student_ok = schools_and_students(backend, raw)
    value_check = check_totals(table["totals"], student_ok, school_ok).kept(backend)
    valid = value_check.accepted
    # Rows of another school year are ignored (counted, not refused); without a year column
    # every row is of the year reported.
    in_year = valid.filter(valid._school_year.isnull() | (valid._school_year == period.school_year))
    once_check = one_row_per_school(in_year, table["totals"]).kept(backend)
    rows = keep(once_check.accepted)

    school_level = keep(school_rows(rows))
    units = keep(days.unit_members(school_ok))
    above_school = units.filter(units.level != SCHOOL)
    unit_level = days.unit_totals(school_level, above_school, no_corrections())
    unit_grades = keep(students.grades(enrollments(rows, period), units))
    student_table = keep(
        students.student_rows(school_level, unit_level, units, unit_grades, policy)
    )
    attributes, with_attributes, summary, private = group_summary(
        backend,
        raw,
        student_table,
        student_ok,
        dimensions(),
    )

    stages = (school_check, student_check, value_check, once_check)
    rejects = keep(union_all(*(stage.rejects for stage in stages)))
    ignored = {"totals": backend.count(valid) - backend.count(in_year)}
    notes = (*loaded.notes, NO_OVERLAP_NOTE, *policy_notes(policy), *private)
    return Computed(
        backend=backend,
        period=period,
        policy=policy,
        raw=raw,
        students=student_table,
        student_ids=student_ok.select("sid", "student_id"),
        names=student_names(student_ok),
        summary=summary,
        rejects=rejects,
        counts=file_counts(backend, raw, rejects, ignored),
        attributes=attributes,
        student_groups=with_attributes,
        merged=None,
        index=None,
        absences=None,
        units=units,
        grades=unit_grades,
        shared=None,
        source=replace(loaded, notes=notes),
    )


def _school_year(loaded: Loaded, totals: RawFile, year: str | None) -> str:
    if year is not None:
        return year
    if loaded.school_year is not None:
        return loaded.school_year
    raise InputError(
        "states no school year, and totals hold no dates to tell it from",
        path=totals.path,
        hint="give the school year with --year 2024-25",
    )


def policy_notes(policy: Policy) -> list[str]:
    """What a policy asks that totals cannot do: its partial-day rule, when it has one."""
    if policy.partial_day == "fraction":
        return []
    cutoff = policy.partial_day_cutoff
    assert cutoff is not None  # the Policy checks this when it is built
    share = "the whole day" if cutoff == 1 else f"{_share(cutoff)} of it or more"
    return [
        f"Policy {policy.name} counts a day as absent only when {share} was missed; per-student "
        "totals hold no days, so totals cannot apply this rule: absences are counted as the "
        "totals give them (a half day written as 0.5 stays 0.5)."
    ]


def _share(cutoff: Fraction) -> str:
    return "half" if cutoff == Fraction(1, 2) else f"{float(cutoff):g}"


def _micro(value: ir.StringValue) -> ir.IntegerValue:
    """A plain decimal number of days in millionths (NULL when empty or not a number)."""
    return ibis.cases(
        (value.re_search(PLAIN_DECIMAL), (value.try_cast("decimal(18,6)") * MICRO).cast("int64")),
        else_=ibis.null("int64"),
    )


def _given(value: ir.StringValue) -> ir.BooleanValue:
    return value.notnull() & (value != "")


def _difference(micro: ir.IntegerValue) -> ir.StringValue:
    """A difference of day counts in words: ``10 days short``, ``0.5 days over``."""
    size = micro.abs()
    days = decimal_text(size) + ibis.cases((size == MICRO, " day"), else_=" days")
    return days + ibis.cases((micro < 0, " short"), else_=" over")


def _valid_school_year(text: ir.StringValue) -> ir.BooleanValue:
    """``YYYY-YY`` with the second year following the first (period.parse_school_year)."""
    first = text.substr(0, 4).try_cast("int64")
    second = text.substr(5, 2).try_cast("int64")
    return text.re_search(r"^[0-9]{4}-[0-9]{2}$") & ((first + 1) % 100 == second)


def check_totals(raw: ir.Table, students_ok: ir.Table, schools_ok: ir.Table) -> Checked:
    """Totals rows whose own values are valid, whose student and school are known, and whose
    parts add up (docs/rules.md, "What is refused, and why")."""
    table = raw
    for column in (*DAY_COLUMNS, SCHOOL_YEAR):
        if column not in raw.columns:
            table = table.mutate(**{column: ibis.null("string")})
    table = checks.with_grade_code(table)
    table = checks.with_keys(table, students_ok, schools_ok)
    micro = {c: _micro(table[c]) for c in DAY_COLUMNS}
    table = table.mutate(**{f"_n_{c}": micro[c] for c in DAY_COLUMNS})
    number = {c: table[f"_n_{c}"].fill_null(0) for c in DAY_COLUMNS}
    present = sum((number[c] for c in PRESENT_PARTS), ibis.literal(0, "int64"))
    absent = sum((number[c] for c in ABSENT_PARTS), ibis.literal(0, "int64"))
    enrolled_given, present_given = _given(table.days_enrolled), _given(table.days_present)
    table = table.mutate(
        _absent=absent,
        _present=present,
        _enrolled=ibis.cases((enrolled_given, number["days_enrolled"]), else_=present + absent),
    )
    has_enrolled = "days_enrolled" in raw.columns
    enrolled_column = "days_enrolled" if has_enrolled else "days_present"
    year_given = _given(table[SCHOOL_YEAR])
    checks_ = [
        *checks.too_many_values(table),
        *checks.missing(table, ["student_id", "school_id"]),
        Check(table.sid.isnull(), "unknown student", "student_id"),
        Check(table.sch.isnull(), "unknown school", "school_id"),
        *checks.missing(table, ["grade"]),
        Check(table._grade.isnull(), "unknown grade", "grade"),
        Check(~enrolled_given & ~present_given, "missing value", enrolled_column),
        *(_year_checks(table, year_given) if SCHOOL_YEAR in raw.columns else []),
        *[
            Check(_given(table[c]) & table[f"_n_{c}"].isnull(), "invalid number", c)
            for c in DAY_COLUMNS
            if c in raw.columns
        ],
        Check(
            enrolled_given & (number["days_enrolled"] % MICRO != 0),
            "invalid number",
            "days_enrolled",
        ),
        *_parts_checks(table, enrolled_given, present_given, enrolled_column),
    ]
    typed = table.mutate(
        grade_code=table._grade,
        _school_year=table[SCHOOL_YEAR] if SCHOOL_YEAR in raw.columns else ibis.null("string"),
    )
    keep = [
        "sid", "sch", "grade_code", "_school_year", "_enrolled", "_absent", "_n_days_excused",
        "_n_days_unexcused", "_n_days_suspension",
    ]  # fmt: skip
    return apply_checks(typed, checks_, keep=keep, raw=raw, file="totals.csv")


def _year_checks(table: ir.Table, year_given: ir.BooleanValue) -> list[Check]:
    return [
        Check(~year_given, "missing value", SCHOOL_YEAR),
        Check(~_valid_school_year(table[SCHOOL_YEAR]), "invalid school year", SCHOOL_YEAR),
    ]


def _parts_checks(
    table: ir.Table,
    enrolled_given: ir.BooleanValue,
    present_given: ir.BooleanValue,
    enrolled_column: str,
) -> list[Check]:
    """The sums that must hold, each refused with the difference as its value."""
    stated_absent = table._n_days_absent
    kinds = table._absent - stated_absent
    parts = table._present + table._absent - table._n_days_enrolled
    return [
        Check(
            _given(table.days_absent) & (kinds != 0),
            "parts do not add up",
            "days_absent",
            value="absences by kind add up to " + decimal_text(table._absent) + ", not "
            + decimal_text(stated_absent) + " (" + _difference(kinds) + ")",
        ),
        Check(
            enrolled_given & present_given & (parts != 0),
            "parts do not add up",
            "days_enrolled",
            value="parts add up to " + decimal_text(table._present + table._absent) + ", not "
            + decimal_text(table._n_days_enrolled) + " (" + _difference(parts) + ")",
        ),
        Check(
            table._absent > table._enrolled,
            "parts do not add up",
            enrolled_column,
            value="absences " + decimal_text(table._absent) + " are more than the "
            + decimal_text(table._enrolled) + " enrolled days",
        ),
        Check(
            ~enrolled_given & (table._enrolled % MICRO != 0),
            "parts do not add up",
            "days_present",
            value="enrolled days would be " + decimal_text(table._enrolled)
            + ", not a whole number",
        ),
    ]  # fmt: skip


def one_row_per_school(rows: ir.Table, raw: ir.Table) -> Checked:
    """Valid rows of the year, one per student and school: later ones are ``duplicate``."""
    table = checks.flag_repeats(rows, ["sid", "sch"], [RECORD], ibis.literal(True))
    keep = [c for c in rows.columns if c != RECORD]
    return apply_checks(
        table, [checks.duplicate(table, "student_id")], keep=keep, raw=raw, file="totals.csv"
    )


def school_rows(rows: ir.Table) -> ir.Table:
    """The school-level student rows (as ``days.school_totals`` gives them): days enrolled and
    absent, in millionths by kind. A day is wholly absent unless attended: with no days to tell
    which, ``wholly_absent`` is the whole days absent, so a student attended some day exactly
    when their absences are fewer than their enrolled days."""
    typed = rows.select(
        "sid",
        "sch",
        days_enrolled=(rows._enrolled // MICRO).cast("int64"),
        days_absent=rows._absent,
        days_excused=rows._n_days_excused.fill_null(0),
        days_unexcused=rows._n_days_unexcused.fill_null(0),
        days_suspension=rows._n_days_suspension.fill_null(0),
        wholly_absent=(rows._absent // MICRO).cast("int64"),
    )
    return typed.filter(typed.days_enrolled > 0)


def enrollments(rows: ir.Table, period: Period) -> ir.Table:
    """The rows as ``students.grades`` reads enrollments: with no entry dates, every row starts
    with the period, so a student at two schools takes the grade of their later row."""
    return rows.select(
        RECORD,
        "sid",
        "sch",
        grade=rows.grade_code,
        entry=ibis.literal(period.start),
        days=(rows._enrolled // MICRO).cast("int64"),
    )


def no_corrections() -> ir.Table:
    """``days.unit_totals``'s corrections, empty: totals cannot find shared days."""
    schema = pa.schema(
        [("sid", pa.int64()), ("level", pa.string()), ("unit_id", pa.string())]
        + [(extra, pa.int64()) for extra in EXTRAS]
    )
    return ibis.memtable(schema.empty_table())
