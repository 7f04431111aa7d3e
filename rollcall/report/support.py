"""The list to act on, for a school or district page: the students to support (at risk,
moderate and severe) with their days missed by kind, their name where the input has names (the
page is for staff), and their change in the last 30 days; and "since last month": how many
students moved into each band, and the grades and groups furthest above the unit's rate.

The bands now are the engine's (``tier`` in student_metrics.csv); the bands 30 days earlier are
the engine's too, as ``rollcall report --as-of`` that day would decide them (timeline.as_of).
Nothing here decides a band or an eligibility itself."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import ibis
import ibis.expr.types as ir

from rollcall.engine.micro import MICRO, decimal_text
from rollcall.engine.results import Computed
from rollcall.grades import GRADE_ORDER
from rollcall.labels import group_phrase
from rollcall.report import build, timeline
from rollcall.report.build import SMALL_GROUP, points
from rollcall.report.records import (
    BandMove,
    Change,
    Furthest,
    GradeRow,
    GroupRow,
    Ratio,
    RecentRecord,
    SupportStudent,
    Unit,
)
from rollcall.tiers import TIER_BY_NAME, TIER_NAMES

# Every band but satisfactory: at risk (a little support now helps most), moderate, severe.
SUPPORT_TIERS: tuple[str, ...] = TIER_NAMES[1:]
FURTHEST = 3
# A student not counted 30 days ago sorts first in the "change" column.
NEWLY_COUNTED = 1000.0


def _rank(value: ir.StringValue) -> ir.IntegerValue:
    """A band's place (satisfactory 0 … severe 3); -1 when not counted."""
    return ibis.cases(*[(value == name, n) for n, name in enumerate(TIER_NAMES)], else_=-1)


def compared(computed: Computed, unit: Unit, since: date | None) -> ir.Table:
    """The unit's students with their band now (``tier``) and ``since`` (``then_tier``, NULL
    when not counted then, or when there is no ``since``), and their days then."""
    now = computed.students
    now = now.filter((now.level == unit.level) & (now.unit_id == unit.unit_id))
    if since is None:
        return now.mutate(
            then_tier=ibis.null("string"),
            then_enrolled=ibis.null("int64"),
            then_absent=ibis.null("int64"),
        )
    before = timeline.as_of(computed, unit, since)
    before = before.select(
        _sid=before.sid,
        then_tier=before.tier,
        then_enrolled=before.days_enrolled,
        then_absent=before.days_absent,
    )
    joined = now.left_join(before, now.sid == before._sid)
    return joined.select(now, "then_tier", "then_enrolled", "then_absent")


def support_table(computed: Computed, unit: Unit, since: date | None) -> ir.Table:
    """The unit's students in the bands to support, with ids, names and days by kind."""
    table = compared(computed, unit, since)
    listed = table.filter(table.tier.isin(list(SUPPORT_TIERS)))
    ids = computed.student_ids
    joined = listed.inner_join(ids, listed.sid == ids.sid).select(listed, ids.student_id)
    names = computed.names
    name_columns: list[str] = []
    if names is not None:
        name_columns = [c for c in names.columns if c != "sid"]
        renamed = names.rename({f"_{c}": c for c in names.columns})
        joined = joined.left_join(renamed, joined.sid == renamed._sid).select(
            joined, *[renamed[f"_{c}"].name(c) for c in name_columns]
        )
    return joined.select(
        "student_id",
        "grade",
        "days_enrolled",
        "tier",
        "then_tier",
        "then_enrolled",
        "then_absent",
        *name_columns,
        days_absent=decimal_text(joined.days_absent),
        absent_micro=joined.days_absent,
        days_excused=decimal_text(joined.days_excused),
        days_unexcused=decimal_text(joined.days_unexcused),
        days_suspension=decimal_text(joined.days_suspension),
    )


def _name(row: dict[str, Any]) -> str:
    last = (row.get("last_name") or "").strip()
    given = " ".join(
        (row.get(c) or "").strip() for c in ("first_name", "middle_name") if row.get(c)
    ).strip()
    return ", ".join(part for part in (last, given) if part)


def _share(absent_micro: int, enrolled: int) -> Fraction | None:
    return Fraction(absent_micro, MICRO * enrolled) if enrolled else None


def _change(row: dict[str, Any], rank: int, now: Fraction | None) -> Change:
    then_tier = row["then_tier"]
    if then_tier is None:
        return Change(False, "", "", NEWLY_COUNTED, True)
    then = _share(int(row["then_absent"] or 0), int(row["then_enrolled"] or 0))
    moved = (now - then) if now is not None and then is not None else Fraction(0)
    return Change(
        counted=True,
        band_label=TIER_BY_NAME[then_tier].label,
        points=points(moved),
        value=float(moved),
        worse=rank > TIER_NAMES.index(then_tier),
    )


def support_students(records: list[dict[str, Any]], *, since: date | None) -> list[SupportStudent]:
    """The students to support, by grade then band (never "worst first")."""
    result = []
    for r in records:
        rank = TIER_NAMES.index(r["tier"])
        share = _share(int(r["absent_micro"]), int(r["days_enrolled"]))
        result.append(
            SupportStudent(
                student_id=r["student_id"],
                grade=r["grade"],
                grade_rank=GRADE_ORDER.get(r["grade"], len(GRADE_ORDER)),
                days_enrolled=int(r["days_enrolled"]),
                days_absent=r["days_absent"],
                rate=Ratio.of(share, 1) if share is not None else None,
                band=r["tier"],
                band_label=TIER_BY_NAME[r["tier"]].label,
                band_rank=rank,
                name=_name(r),
                days_excused=r["days_excused"] or "",
                days_unexcused=r["days_unexcused"] or "",
                days_suspension=r["days_suspension"] or "",
                change=_change(r, rank, share) if since is not None else None,
            )
        )
    result.sort(key=lambda s: (s.grade_rank, s.band_rank, s.name, s.student_id))
    return result


def support_list(
    computed: Computed, unit: Unit, since: date | None
) -> tuple[list[SupportStudent], int, bool]:
    """The students to support (at most build.SUPPORT_LIMIT), how many there are, whether names are
    shown."""
    table = support_table(computed, unit, since)
    total = computed.backend.count(table)
    found = computed.backend.rows(
        table.order_by(["grade", "tier", "student_id"]).limit(build.SUPPORT_LIMIT)
    )
    return support_students(found, since=since), total, computed.names is not None


def moves(computed: Computed, unit: Unit, since: date) -> tuple[list[BandMove], int]:
    """Students in each band to support now who were in a lower band (or not counted) on
    ``since``; and how many eligible students are in a lower band now than then."""
    table = compared(computed, unit, since)
    table = table.filter(table.eligible)
    now, then = _rank(table.tier), _rank(table.then_tier)
    counted = table.group_by("tier").agg(
        up=ibis.cases((now > then, 1), else_=0).sum(),
        down=ibis.cases(((then >= 0) & (now < then), 1), else_=0).sum(),
    )
    found = {r["tier"]: r for r in computed.backend.rows(counted)}
    result = [
        BandMove(name, TIER_BY_NAME[name].label, int(found.get(name, {}).get("up") or 0))
        for name in SUPPORT_TIERS
    ]
    improved = sum(int(r["down"] or 0) for r in found.values())
    return result, improved


def furthest(
    grades: list[GradeRow],
    groups: dict[str, list[GroupRow]],
    overall: Fraction | None,
    *,
    small: int = SMALL_GROUP,
    limit: int = FURTHEST,
) -> list[Furthest]:
    """The grades and groups (of at least ``small`` eligible students) whose rate is furthest
    above the unit's ``overall`` rate, from the counts the page already shows."""
    if overall is None:
        return []
    found: list[tuple[Fraction, Furthest]] = []
    lines = [(group_phrase("grade", g.grade), g.eligible, g.chronic, g.rate) for g in grades]
    lines += [
        (group_phrase(dimension, g.group), g.eligible, g.chronic, g.rate)
        for dimension, rows_ in groups.items()
        for g in rows_
        if not g.too_small
    ]
    for what, eligible, chronic, rate in lines:
        if rate is None or eligible < small:
            continue
        gap = Fraction(chronic, eligible) - overall
        if gap > 0:
            found.append((gap, Furthest(what, rate, points(gap), eligible)))
    found.sort(key=lambda pair: -pair[0])
    return [item for _, item in found[:limit]]


def recent(
    computed: Computed,
    unit: Unit,
    since: date | None,
    grades: list[GradeRow],
    groups: dict[str, list[GroupRow]],
    overall: Fraction | None,
) -> RecentRecord:
    """ "Since last month" for a school or district page."""
    moved, improved = moves(computed, unit, since) if since is not None else ([], 0)
    return RecentRecord(since, moved, improved, furthest(grades, groups, overall))
