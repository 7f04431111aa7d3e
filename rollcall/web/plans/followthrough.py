"""Follow-through at a school (issue 11): are the students newly chronically absent getting a
plan quickly, are plans being checked in on, and do students miss fewer days once a plan
starts? Counted from the stored snapshots and plans; no band is recomputed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max, Q, QuerySet

from rollcall.levels import SCHOOL
from rollcall.web.front.warnings import flagged_at
from rollcall.web.people.models import School
from rollcall.web.plans.models import SupportPlan
from rollcall.web.snapshots.days import Stretch, StudentCalendar, calendars_for
from rollcall.web.snapshots.models import Snapshot, StudentMetric

# "Within 10 school days": two school weeks, counted as 14 calendar days (the snapshots hold no
# school calendar to count school days with).
PLAN_WITHIN = timedelta(days=14)
CHRONIC = ("moderate", "severe")
# "The absence rate in the 4 weeks before a plan against the 4 weeks after" (issue 11): the 28
# days before the start date, and the 28 days from it.
AROUND = timedelta(days=28)


@dataclass(frozen=True)
class Overdue:
    plan: SupportPlan
    due: date


@dataclass(frozen=True)
class Around:
    """A plan's 4 weeks before and after its start; ``complete`` once the snapshot reaches the
    end of the 4 weeks after."""

    plan: SupportPlan
    before: Stretch
    after: Stretch
    complete: bool


@dataclass(frozen=True)
class BeforeAfter:
    """The plans of a school with 4 whole weeks of data after their start, pooled: the days
    missed over the school days enrolled, before and after (``waiting``: plans too recent)."""

    plans: int
    before: Stretch | None
    after: Stretch | None
    waiting: int


@dataclass(frozen=True)
class FollowThrough:
    refreshed: date  # the latest snapshot's date
    window_end: date  # the last day a plan counts as "in time"
    newly_chronic: int
    with_plan: int
    overdue: list[Overdue]
    around: BeforeAfter
    flagged: int = 0  # flagged by the early warning at the latest refresh (the school's caseload)
    flagged_with_plan: int = 0

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
    open within 14 calendar days of it (started by then, not ended before the refresh), and the
    same of the students the early warning flagged; (b) the open plans of the school's students
    whose next check-in is before ``today``; (c) the days missed before and after plans."""
    new = newly_chronic(school, latest, previous)
    window_end = latest.period_end + PLAN_WITHIN
    flagged = flagged_at(latest, school)
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
    plans = SupportPlan.objects.filter(student__in=at_school.values("student"))
    return FollowThrough(
        latest.period_end,
        window_end,
        len(new),
        with_plan_within(new, latest),
        overdue,
        before_after(plans, latest),
        flagged=len(flagged),
        flagged_with_plan=with_plan_within(flagged, latest),
    )


def with_plan_within(students: list[int], latest: Snapshot) -> int:
    """How many of ``students`` had a plan open within 14 days of ``latest`` (started by then,
    not ended before the refresh)."""
    return (
        SupportPlan.objects.filter(
            student__in=students, start_date__lte=latest.period_end + PLAN_WITHIN
        )
        .filter(Q(end_date=None) | Q(end_date__gte=latest.period_end))
        .values("student")
        .distinct()
        .count()
    )


def around(plan: SupportPlan, days: StudentCalendar) -> Around:
    """``plan``'s 4 weeks before its start and the 4 weeks from it, in ``days``."""
    start = plan.start_date
    return Around(
        plan,
        days.stretch(start - AROUND, start - timedelta(days=1)),
        days.stretch(start, start + AROUND - timedelta(days=1)),
        complete=start + AROUND - timedelta(days=1) <= days.snapshot.period_end,
    )


def before_after(plans: QuerySet[SupportPlan], latest: Snapshot) -> BeforeAfter:
    """The absence rate in the 4 weeks before ``plans`` started against the 4 weeks after,
    pooled over the plans whose 4 weeks after are all in ``latest`` (with days enrolled in
    both); none without day-level rows."""
    found = list(plans.filter(start_date__lte=latest.period_end).select_related("student"))
    calendars = calendars_for([p.student for p in found], latest)
    measured = [around(p, calendars[p.student_id]) for p in found]
    done = [m for m in measured if m.complete and m.before.enrolled and m.after.enrolled]
    waiting = sum(1 for m in measured if not m.complete)
    if not done:
        return BeforeAfter(0, None, None, waiting)
    return BeforeAfter(
        len(done), _pooled(m.before for m in done), _pooled(m.after for m in done), waiting
    )


def _pooled(stretches: Iterable[Stretch]) -> Stretch:
    found = list(stretches)
    return Stretch(
        min(s.start for s in found),
        max(s.end for s in found),
        sum(s.enrolled for s in found),
        sum((s.absent for s in found), Decimal(0)),
    )
