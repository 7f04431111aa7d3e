"""The report's numbers for one unit (a school, a district or the total), computed from the
engine's tables with Ibis expressions and fetched as small typed records (records.py).

Every count here is a count of the same rows ``summary.csv`` and ``student_metrics.csv`` hold.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import ibis
import ibis.expr.types as ir

from rollcall.engine.aggregate import unit_names
from rollcall.engine.micro import MICRO, decimal_text
from rollcall.engine.results import Computed
from rollcall.errors import OptionError
from rollcall.grades import GRADE_ORDER
from rollcall.levels import DISTRICT, SCHOOL, TOTAL
from rollcall.report.records import (
    GradeRow,
    GroupRow,
    HeadlineRecord,
    Ratio,
    ReasonShare,
    SchoolRow,
    SupportStudent,
    TierRow,
    Unit,
    exact_text,
)
from rollcall.tables import union_all
from rollcall.tiers import CHRONIC_TIERS, TIER_BY_NAME, TIER_NAMES, TIERS

# Attendance Works' school concentration categories: (lower bound of the rate, label).
CATEGORIES: tuple[tuple[Fraction, str], ...] = (
    (Fraction(3, 10), "extreme (30% or more)"),
    (Fraction(1, 5), "high (20–29.9%)"),
    (Fraction(1, 10), "significant (10–19.9%)"),
    (Fraction(1, 20), "modest (5–9.9%)"),
    (Fraction(0), "low (under 5%)"),
)
CONCENTRATED = Fraction(1, 5)
SMALL_GROUP = 10
SUPPORT_LIMIT = 5000


def choose_unit(computed: Computed, *, school: str | None, district: str | None) -> Unit:
    """The unit the report is about; an id not in the input stops the run."""
    if school is not None and district is not None:
        raise OptionError("give --school or --district, not both")
    level, unit_id = ("total", "total")
    if school is not None:
        level, unit_id = "school", school
    elif district is not None:
        level, unit_id = "district", district
    units = computed.units
    found = computed.backend.count(
        units.filter((units.level == level) & (units.unit_id == unit_id))
    )
    if not found:
        raise OptionError(
            f"{level} {unit_id!r} is not in schools.csv",
            hint=f"use a {level}_id from schools.csv of the input folder",
        )
    return Unit(level, unit_id, unit_names(computed).get((level, unit_id), unit_id))


def _of_unit(table: ir.Table, unit: Unit) -> ir.Table:
    return table.filter((table.level == unit.level) & (table.unit_id == unit.unit_id))


def _ada(enrolled: int, absent_micro: int) -> Ratio | None:
    """Average daily attendance: days present ÷ days enrolled."""
    return Ratio.of(Fraction(enrolled * MICRO - absent_micro, MICRO), enrolled)


def _day_sums(table: ir.Table) -> dict[str, ir.Value]:
    return {
        "students": table.count(),
        "enrolled": table.days_enrolled.sum(),
        "absent": table.days_absent.sum(),
        "most_enrolled": table.days_enrolled.max(),
    }


def headline(computed: Computed, unit: Unit) -> tuple[HeadlineRecord, dict[str, int]]:
    """The unit's headline numbers and its tier counts."""
    summary = _of_unit(computed.summary, unit)
    everyone = computed.backend.rows(summary.filter(summary.dimension == "all"))
    counts = everyone[0] if everyone else {}
    mine = _of_unit(computed.students, unit)
    sums = computed.backend.rows(mine.aggregate(**_day_sums(mine)))[0]
    eligible, chronic = (
        int(counts.get("eligible_students", 0)),
        int(counts.get("chronically_absent", 0)),
    )
    enrolled, absent = int(sums["enrolled"] or 0), int(sums["absent"] or 0)
    policy, period = computed.policy, computed.period
    record = HeadlineRecord(
        unit=unit,
        school_year=period.school_year,
        policy=policy.name,
        policy_description=policy.description,
        minimum_days=policy.minimum_enrolled_days,
        period_start=period.start,
        period_end=period.end,
        last_school_day=last_school_day(computed, unit),
        students=int(sums["students"]),
        eligible=eligible,
        chronic=chronic,
        chronic_rate=Ratio.of(chronic, eligible),
        severe=int(counts.get("severe", 0)),
        severe_rate=Ratio.of(int(counts.get("severe", 0)), eligible),
        days_enrolled=enrolled,
        days_absent=exact_text(absent),
        ada=_ada(enrolled, absent),
        year_days=int(sums["most_enrolled"] or 0),
    )
    return record, {name: int(counts.get(name, 0)) for name in TIER_NAMES}


def schools_of(computed: Computed, unit: Unit) -> ir.Table:
    """The ``sch`` keys of the schools in ``unit``."""
    units = computed.units
    return units.filter((units.level == unit.level) & (units.unit_id == unit.unit_id)).select("sch")


def last_school_day(computed: Computed, unit: Unit) -> date | None:
    """The last instructional day of the period at any of the unit's schools (None for
    per-student totals, which have no calendar)."""
    if not computed.day_level:
        return None
    _, index, _, _ = computed.day_tables()
    mine = schools_of(computed, unit)
    days = index.filter((index.school_day == 1) & index.sch.isin(mine.sch))
    return computed.backend.rows(days.aggregate(last=days.date.max()))[0]["last"]


def tiers(counts: dict[str, int], eligible: int, year_days: int) -> list[TierRow]:
    """The bands with their counts; their days for a student enrolled ``year_days`` days (the
    most any student was enrolled at the unit: the unit's own calendar, not a 180-day year)."""
    return [
        TierRow(
            tier.name,
            tier.label,
            counts[tier.name],
            Ratio.of(counts[tier.name], eligible),
            tier.share_rule(),
            tier.days_rule(year_days),
        )
        for tier in TIERS
    ]


def grades(computed: Computed, unit: Unit) -> list[GradeRow]:
    """Each grade's eligible, chronically absent and severe students, and its daily attendance."""
    summary = _of_unit(computed.summary, unit)
    counted = {
        r["group"]: r for r in computed.backend.rows(summary.filter(summary.dimension == "grade"))
    }
    students = _of_unit(computed.students, unit)
    days = {
        r["grade"]: r
        for r in computed.backend.rows(students.group_by("grade").agg(**_day_sums(students)))
    }
    result = []
    for grade in sorted(counted, key=lambda g: GRADE_ORDER.get(g, len(GRADE_ORDER))):
        r, d = counted[grade], days.get(grade, {})
        result.append(
            GradeRow(
                grade=grade,
                eligible=r["eligible_students"],
                chronic=r["chronically_absent"],
                rate=Ratio.of(r["chronically_absent"], r["eligible_students"]),
                severe=r["severe"],
                ada=_ada(int(d.get("enrolled") or 0), int(d.get("absent") or 0)),
            )
        )
    return result


def category(chronic: int, eligible: int) -> str:
    """The Attendance Works concentration category of a school's rate, decided exactly."""
    if eligible == 0:
        return "no eligible students"
    return next(label for bound, label in CATEGORIES if Fraction(chronic, eligible) >= bound)


def _members(computed: Computed, unit: Unit) -> ir.Table:
    """The (level, unit_id, district_id) of the units listed in the unit's "by school" table."""
    units = computed.units
    schools = units.filter(units.level == SCHOOL).select("sch", school_id=units.unit_id)
    districts = units.filter(units.level == DISTRICT).select(
        _sch=units.sch, district_id=units.unit_id
    )
    pairs = schools.inner_join(districts, schools.sch == districts._sch)
    if unit.level == DISTRICT:
        pairs = pairs.filter(pairs.district_id == unit.unit_id)
    listed = pairs.select(
        level=ibis.literal(SCHOOL), unit_id=pairs.school_id, district_id=pairs.district_id
    )
    if unit.level == TOTAL:
        listed = listed.union(
            pairs.select(
                level=ibis.literal(DISTRICT),
                unit_id=pairs.district_id,
                district_id=pairs.district_id,
            )
        )
    return listed.distinct()


def schools(computed: Computed, unit: Unit) -> list[SchoolRow]:
    """For a district its schools, for the total its districts and schools; none for a school."""
    if unit.level == SCHOOL:
        return []
    listed = _members(computed, unit)
    summary = computed.summary.filter(computed.summary.dimension == "all")
    counted = listed.left_join(
        summary, [listed.level == summary.level, listed.unit_id == summary.unit_id]
    )
    counted = counted.select(
        listed.level,
        listed.unit_id,
        listed.district_id,
        summary.eligible_students,
        summary.chronically_absent,
    )
    students = computed.students
    days = students.group_by(["level", "unit_id"]).agg(**_day_sums(students))
    joined = counted.left_join(days, [counted.level == days.level, counted.unit_id == days.unit_id])
    joined = joined.select(counted, days.enrolled, days.absent)
    names = unit_names(computed)
    result = []
    for r in computed.backend.rows(joined):
        eligible, chronic = int(r["eligible_students"] or 0), int(r["chronically_absent"] or 0)
        result.append(
            SchoolRow(
                unit=Unit(
                    r["level"], r["unit_id"], names.get((r["level"], r["unit_id"]), r["unit_id"])
                ),
                district_id=r["district_id"],
                eligible=eligible,
                chronic=chronic,
                rate=Ratio.of(chronic, eligible),
                category=category(chronic, eligible),
                concentrated=eligible > 0 and Fraction(chronic, eligible) >= CONCENTRATED,
                ada=_ada(int(r["enrolled"] or 0), int(r["absent"] or 0)),
            )
        )
    order = {"district": 0, "school": 1}
    result.sort(key=lambda s: (s.district_id, order[s.unit.level], s.unit.name, s.unit.unit_id))
    return result


def points(difference: Fraction) -> str:
    """A difference of two shares in percentage points, to a tenth: ``+2.5 pts``, ``−0.4 pts``."""
    tenths = round(difference * 1000)
    sign = "+" if tenths > 0 else "−" if tenths < 0 else "±"
    return f"{sign}{abs(tenths) // 10}.{abs(tenths) % 10} pts"


def _gap(rate: Fraction, overall: Fraction | None) -> tuple[str, str]:
    """The gap to the unit's rate in percentage points (+ above) and as a ratio."""
    if overall is None:
        return "", ""
    ratio = f"{float(rate / overall):.2f}×" if overall else ""
    return points(rate - overall), ratio


def groups(
    computed: Computed, unit: Unit, *, small: int = SMALL_GROUP
) -> dict[str, list[GroupRow]]:
    """Each attribute's groups: rate, count, gap to the unit's rate, share of the chronically
    absent beside the share of eligible students. Fewer than ``small`` eligible: no rate."""
    summary = _of_unit(computed.summary, unit)
    found = computed.backend.rows(summary.filter(summary.dimension.isin(list(computed.attributes))))
    everyone = computed.backend.rows(summary.filter(summary.dimension == "all"))
    eligible = int(everyone[0]["eligible_students"]) if everyone else 0
    chronic = int(everyone[0]["chronically_absent"]) if everyone else 0
    overall = Fraction(chronic, eligible) if eligible else None
    result: dict[str, list[GroupRow]] = {name: [] for name in computed.attributes}
    for r in sorted(found, key=lambda r: (r["group"] == "unknown", r["group"])):
        n, c = int(r["eligible_students"]), int(r["chronically_absent"])
        too_small = n < small
        points, ratio = ("", "") if too_small or n == 0 else _gap(Fraction(c, n), overall)
        result[r["dimension"]].append(
            GroupRow(
                dimension=r["dimension"],
                group=r["group"],
                eligible=n,
                chronic=c,
                rate=None if too_small else Ratio.of(c, n),
                too_small=too_small,
                gap_points=points,
                gap_ratio=ratio,
                share_of_chronic=None if too_small else Ratio.of(c, chronic),
                share_of_eligible=Ratio.of(n, eligible),
            )
        )
    return result


def reasons(computed: Computed, unit: Unit) -> list[ReasonShare]:
    """Excused, unexcused and suspension days as shares of all days missed, for the whole unit
    and for each group of each attribute (every student of the unit, eligible or not)."""
    table = _of_unit(computed.student_groups, unit)
    sums = {m: table[f"days_{m}"].sum() for m in ("absent", "excused", "unexcused", "suspension")}
    parts = [table.aggregate(dimension=ibis.literal("all"), group=ibis.literal("all"), **sums)]
    parts += [
        table.group_by(group=table[name]).agg(**sums).mutate(dimension=ibis.literal(name))
        for name in computed.attributes
    ]
    union = union_all(*(part.select(*parts[0].columns) for part in parts))
    order = {name: n for n, name in enumerate(("all", *computed.attributes))}
    found = sorted(
        computed.backend.rows(union),
        key=lambda r: (order[r["dimension"]], r["group"] == "unknown", r["group"]),
    )
    return [
        ReasonShare(
            dimension=r["dimension"],
            group=r["group"],
            days_absent=exact_text(int(r["absent"] or 0)),
            **{
                m: Ratio.of(int(r[m] or 0), int(r["absent"] or 0))
                for m in ("excused", "unexcused", "suspension")
            },
        )
        for r in found
    ]


def support_table(computed: Computed, unit: Unit, students: ir.Table | None = None) -> ir.Table:
    """The unit's students in the moderate and severe bands, with their ids."""
    table = _of_unit(computed.students if students is None else students, unit)
    chronic = table.filter(table.tier.isin(list(CHRONIC_TIERS)))
    ids = computed.student_ids
    joined = chronic.inner_join(ids, chronic.sid == ids.sid)
    return joined.select(
        ids.student_id,
        chronic.grade,
        chronic.days_enrolled,
        chronic.tier,
        days_absent=decimal_text(chronic.days_absent),
        absent_micro=chronic.days_absent,
    )


def support_students(records: list[dict[str, Any]]) -> list[SupportStudent]:
    """Students to support, by grade then band (never "worst first")."""
    bands = list(TIER_NAMES)
    result = [
        SupportStudent(
            student_id=r["student_id"],
            grade=r["grade"],
            grade_rank=GRADE_ORDER.get(r["grade"], len(GRADE_ORDER)),
            days_enrolled=int(r["days_enrolled"]),
            days_absent=r["days_absent"],
            rate=Ratio.of(Fraction(int(r["absent_micro"]), MICRO), int(r["days_enrolled"])),
            band=r["tier"],
            band_label=TIER_BY_NAME[r["tier"]].label,
            band_rank=bands.index(r["tier"]),
        )
        for r in records
    ]
    result.sort(key=lambda s: (s.grade_rank, s.band_rank, s.student_id))
    return result
