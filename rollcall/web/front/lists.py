"""The rows of a student list: each student's band now and at the previous snapshot, from the
stored snapshots (no rule is recomputed: the engine decided every band)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext

from rollcall.tiers import TIER_NAMES
from rollcall.web.front.bands import band_label
from rollcall.web.front.warnings import Risk, risks
from rollcall.web.people.models import School
from rollcall.web.snapshots.models import Snapshot, Student, StudentMetric

# "Getting worse": absent on a larger share of days than at the previous snapshot, by at least
# this many percentage points (a day or two in a term; less is day-to-day noise).
WORSE_BY = Decimal("0.01")
METRIC_FIELDS = (
    "snapshot_id", "student_id", "unit_id", "grade", "days_enrolled", "days_absent",
    "absence_rate", "tier", "student__student_id", "student__first_name", "student__last_name",
    "student__district__district_id",
)  # fmt: skip
SORTS = {
    "rate": lambda r: (-(r.rate or 0), r.name),
    "days": lambda r: (-r.days_absent, r.name),
    "band": lambda r: (-TIER_NAMES.index(r.band) if r.band else 1, r.name),
    "name": lambda r: (r.name, r.student_id),
    "grade": lambda r: (r.grade, r.name),
    "risk": lambda r: (r.risk is None, r.risk.rank / r.risk.scored if r.risk else 0, r.name),
}


@dataclass(frozen=True)
class ListRow:
    student_id: str
    district_id: str
    name: str
    grade: str
    days_enrolled: int
    days_absent: Decimal
    rate: Decimal | None
    band: str | None
    previous_band: str | None
    previous_rate: Decimal | None
    risk: Risk | None = None  # the early warning's, where the refresh ran it

    @property
    def band_label(self) -> str:
        return band_label(self.band, missing=gettext("not eligible yet"))

    @property
    def new_to_band(self) -> bool:
        """In a higher band than at the previous snapshot, or in a band for the first time (in
        none, or not counted here, then): the students to reach first."""
        if self.band is None or self.band == self.previous_band:
            return False
        if self.previous_band is None:
            return True
        return TIER_NAMES.index(self.band) > TIER_NAMES.index(self.previous_band)

    @property
    def better_band(self) -> bool:
        """In a lower band than at the previous snapshot: progress to notice and encourage."""
        if self.band is None or self.previous_band is None:
            return False
        return TIER_NAMES.index(self.band) < TIER_NAMES.index(self.previous_band)

    @property
    def worse(self) -> bool:
        """Absent on a larger share of days than at the previous snapshot, by ``WORSE_BY``."""
        if self.rate is None or self.previous_rate is None:
            return False
        return self.rate - self.previous_rate >= WORSE_BY


def list_rows(
    metrics: QuerySet[StudentMetric],
    previous: Snapshot | None,
    *,
    level: str,
    school: School | None = None,
) -> list[ListRow]:
    """One row per metric, with the same student's band at ``level`` in ``previous``, and their
    early-warning risk (at ``school``, or where it is highest): a few queries, however many
    students."""
    # Plain values, not model instances: a school's list is 1,500 rows (bench/platform_bench.py).
    current = list(metrics.values(*METRIC_FIELDS))
    snapshot = current[0]["snapshot_id"] if current else None
    found = risks(snapshot, metrics.values("student"), school) if snapshot else {}
    before: dict[tuple[int, str], tuple[str | None, Decimal | None]] = {}
    if previous is not None:
        earlier = StudentMetric.objects.filter(
            snapshot=previous,
            level=level,
            unit_id__in={m["unit_id"] for m in current},  # the units' rows only (an index's prefix)
            student__in=metrics.values("student"),
        ).values_list("student_id", "unit_id", "tier", "absence_rate")
        before = {(student, unit): (tier, rate) for student, unit, tier, rate in earlier}
    rows = []
    for m in current:
        old_band, old_rate = before.get((m["student_id"], m["unit_id"]), (None, None))
        rows.append(
            ListRow(
                student_id=m["student__student_id"],
                district_id=m["student__district__district_id"],
                name=Student.name_of(
                    m["student__first_name"], m["student__last_name"], m["student__student_id"]
                ),
                grade=m["grade"],
                days_enrolled=m["days_enrolled"],
                days_absent=m["days_absent"],
                rate=m["absence_rate"],
                band=m["tier"],
                previous_band=old_band,
                previous_rate=old_rate,
                risk=found.get(m["student_id"]),
            )
        )
    return rows


def filtered(rows: list[ListRow], *, band: str, grade: str, view: str, sort: str) -> list[ListRow]:
    """The rows a list's filters keep, in the chosen order."""
    kept = [
        r
        for r in rows
        if (not band or r.band == band)
        and (not grade or r.grade == grade)
        and (view != "new" or r.new_to_band)
        and (view != "better" or r.better_band)
        and (view != "flagged" or (r.risk is not None and r.risk.flagged))
        and (view != "worse" or r.worse)
    ]
    return sorted(kept, key=SORTS.get(sort, SORTS["rate"]))


def previous_snapshot(snapshot: Snapshot) -> Snapshot | None:
    """The district's snapshot before ``snapshot``, in the same school year."""
    return (
        Snapshot.objects.filter(
            district_id=snapshot.district_id,  # not snapshot.district: a query of its own
            school_year=snapshot.school_year,
            period_end__lt=snapshot.period_end,
        )
        .order_by("-period_end", "-created_at")
        .first()
    )


def latest_snapshot(district_pk: int) -> Snapshot | None:
    """The district's newest snapshot, or None before its first refresh."""
    newest = Snapshot.objects.filter(district_id=district_pk).order_by("-period_end", "-created_at")
    return newest.first()
