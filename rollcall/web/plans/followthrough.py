"""Follow-through at a school (issue 11): are the students newly chronically absent getting a
plan quickly, and are plans being checked in on? Counted from the stored snapshots and plans;
no band is recomputed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Q

from rollcall.levels import SCHOOL
from rollcall.web.people.models import School
from rollcall.web.plans.models import SupportPlan
from rollcall.web.snapshots.models import Snapshot, StudentMetric

# "Within 10 school days": two school weeks, counted as 14 calendar days (the snapshots hold no
# school calendar to count school days with).
PLAN_WITHIN = timedelta(days=14)
CHRONIC = ("moderate", "severe")


@dataclass(frozen=True)
class Overdue:
    plan: SupportPlan
    due: date


@dataclass(frozen=True)
class FollowThrough:
    refreshed: date  # the latest snapshot's date
    window_end: date  # the last day a plan counts as "in time"
    newly_chronic: int
    with_plan: int
    overdue: list[Overdue]

    @property
    def share(self) -> float | None:
        return self.with_plan / self.newly_chronic if self.newly_chronic else None


def newly_chronic(school: School, latest: Snapshot, previous: Snapshot | None) -> list[int]:
    """The students (pks) chronically absent at ``school`` in ``latest`` who were not in
    ``previous`` (not chronically absent there, or not counted at the school); none without a
    previous snapshot to compare with."""
    if previous is None:
        return []
    now = StudentMetric.objects.filter(
        snapshot=latest, level=SCHOOL, school=school, tier__in=CHRONIC
    ).values_list("student_id", flat=True)
    before = set(
        StudentMetric.objects.filter(
            snapshot=previous, level=SCHOOL, school=school, tier__in=CHRONIC
        ).values_list("student_id", flat=True)
    )
    return [pk for pk in now if pk not in before]


def follow_through(
    school: School, latest: Snapshot, previous: Snapshot | None, today: date
) -> FollowThrough:
    """(a) Of the students newly chronically absent at the latest refresh, how many had a plan
    open within 14 calendar days of it (started by then, not ended before the refresh);
    (b) the open plans of the school's students whose next check-in is before ``today``."""
    new = newly_chronic(school, latest, previous)
    window_end = latest.period_end + PLAN_WITHIN
    with_plan = (
        SupportPlan.objects.filter(student__in=new, start_date__lte=window_end)
        .filter(Q(end_date=None) | Q(end_date__gte=latest.period_end))
        .values("student")
        .distinct()
        .count()
    )
    at_school = StudentMetric.objects.filter(snapshot=latest, level=SCHOOL, school=school)
    open_plans = (
        SupportPlan.objects.filter(student__in=at_school.values("student"), end_date=None)
        .annotate(last_checkin=Max("checkins__date"))
        .select_related("student", "student__district", "owner")
    )
    overdue = []
    for plan in open_plans:
        due = plan.next_checkin(plan.last_checkin)
        if due < today:
            overdue.append(Overdue(plan, due))
    overdue.sort(key=lambda o: (o.due, o.plan.pk))
    return FollowThrough(latest.period_end, window_end, len(new), with_plan, overdue)
