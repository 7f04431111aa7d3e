"""How a student is counted at a level: grade, eligibility, chronic absence and tier.

All decisions use whole numbers (absences in millionths of a day), so 17 of 170 days is chronic
with no rounding and no float error at the boundary.
"""

from __future__ import annotations

from fractions import Fraction

import ibis
import ibis.expr.types as ir

from rollcall.engine.days import MEASURES, UNIT
from rollcall.engine.micro import MICRO
from rollcall.formats.canonical.format import RECORD
from rollcall.levels import SCHOOL
from rollcall.policy import Policy
from rollcall.tiers import TIERS


def grades(enrollments: ir.Table, units: ir.Table) -> ir.Table:
    """The grade of each student at each unit: that of the enrollment with the latest
    ``entry`` among those with at least one enrolled day (ties: the later line).

    ``enrollments`` are accepted rows with ``days`` counted inside the period.
    """
    counted = enrollments.filter(enrollments.days > 0)
    placed = counted.inner_join(units, counted.sch == units.sch).select(
        counted.sid,
        units.level,
        units.unit_id,
        counted.grade,
        counted.entry,
        record=counted[RECORD],
    )
    latest = ibis.window(group_by=list(UNIT), order_by=[ibis.desc("entry"), ibis.desc("record")])
    ranked = placed.mutate(_rank=ibis.row_number().over(latest))
    return ranked.filter(ranked._rank == 0).select(*UNIT, "grade")


def at_least(
    absent_micro: ir.IntegerValue, days: ir.IntegerValue, share: Fraction
) -> ir.BooleanValue:
    """``absent_micro / MICRO >= share × days``, in whole numbers."""
    return absent_micro * share.denominator >= days * share.numerator * MICRO


def decide(students: ir.Table, policy: Policy) -> ir.Table:
    """Add ``eligible``, ``chronically_absent`` and ``tier`` (the last two NULL when not
    eligible), and drop students whose grade the policy does not report."""
    if policy.grades is not None:
        students = students.filter(students.grade.isin(sorted(policy.grades)))
    eligible = students.days_enrolled >= policy.minimum_enrolled_days
    if policy.require_attended_day:
        eligible &= students.days_enrolled - students.wholly_absent >= 1
    absent, days = students.days_absent, students.days_enrolled
    chronic = at_least(absent, days, policy.threshold)
    bands = [(~at_least(absent, days, t.upper), t.name) for t in TIERS if t.upper is not None]
    tier = ibis.cases(*bands, else_=ibis.literal(TIERS[-1].name))
    return students.mutate(
        eligible=eligible,
        chronically_absent=ibis.cases((eligible, chronic), else_=ibis.null("boolean")),
        tier=ibis.cases((eligible, tier), else_=ibis.null("string")),
    )


def student_rows(
    school_level: ir.Table,
    unit_level: ir.Table,
    units: ir.Table,
    unit_grades: ir.Table,
    policy: Policy,
) -> ir.Table:
    """Every student at every level (school, district, total) with their decisions."""
    schools = units.filter(units.level == SCHOOL)
    at_school = school_level.inner_join(schools, school_level.sch == schools.sch).select(
        school_level.sid,
        schools.level,
        schools.unit_id,
        school_level.days_enrolled,
        *[school_level[m] for m in MEASURES],
    )
    every = at_school.union(unit_level.select(*UNIT, "days_enrolled", *MEASURES)).view()
    graded = every.inner_join(unit_grades, [every[k] == unit_grades[k] for k in UNIT]).select(
        *[every[k] for k in UNIT],
        unit_grades.grade,
        every.days_enrolled,
        *[every[m] for m in MEASURES],
    )
    return decide(graded.filter(graded.days_enrolled > 0), policy)
