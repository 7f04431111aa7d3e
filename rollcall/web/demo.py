"""The demo (``rollcall serve --demo``): a synthetic district over two school years, refreshed at
two dates of this year so the lists have a "previous refresh", and one account per role, all
with the password ``DEMO_PASSWORD`` (docs/platform.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from rollcall import api
from rollcall.levels import SCHOOL
from rollcall.web.improve.demo import add_demo_library_idea, add_demo_project
from rollcall.web.people.models import Caseload, District, Membership, Network, Role, School
from rollcall.web.plans.models import CheckIn, RootCause, Strategy, SupportPlan
from rollcall.web.refresh import refresh
from rollcall.web.snapshots.models import Snapshot, Student, StudentMetric

DEMO_PASSWORD = "rollcall-demo"
STUDENTS = 3000
YEAR = "2025-26"
# Two dates four weeks apart in the autumn: the first weeks are when support helps most.
REFRESHES = (date(2025, 10, 3), date(2025, 10, 31))
# The demo's support plans (rollcall/web/plans): twelve started the day of the first refresh for
# students chronically absent then (ended in November; the second refresh holds their four weeks
# after the start), and eight just after the second for students newly chronically absent then.
EARLY_PLANS, LATE_PLANS = 12, 8
EARLY_START, LATE_START = REFRESHES[0], date(2025, 11, 3)
CAUSES: list[str] = list(RootCause.values)[:3]  # barriers, aversion, disengagement
STRATEGIES = {
    2: ["Family conference to identify barriers", "Attendance mentor / check-in check-out"],
    3: ["Case management with community agencies", "Connect to health services"],
}
# The accounts, by role: where each role holds is chosen from the data once it is loaded.
ACCOUNTS = {
    "demo-teacher": Role.TEACHER,
    "demo-principal": Role.PRINCIPAL,
    "demo-district": Role.DISTRICT,
    "demo-partner": Role.PARTNER,
    "demo-coach": Role.COACH,
    "demo-admin": Role.DISTRICT_ADMIN,
}


@dataclass(frozen=True)
class Demo:
    district: District
    school: School
    snapshots: int
    accounts: tuple[str, ...]


def load_demo(data: Path, *, students: int = STUDENTS, say: Callable[[str], None] = print) -> Demo:
    """Build the demo in ``data`` unless it is there already (then only report it)."""
    principal = Membership.objects.filter(user__username="demo-principal").first()
    if principal is not None and principal.school is not None:  # loaded before: report it
        # An older demo made its administrator a superuser: now staff only, like a new one.
        get_user_model().objects.filter(username="demo-admin").update(is_superuser=False)
        school = principal.school
        return Demo(school.district, school, Snapshot.objects.count(), tuple(ACCOUNTS))
    folder = data / "demo-input"
    say(f"Building a synthetic district of {students:,} students in {folder} ...")
    api.synth(folder, students=students, seed=11, year=YEAR, years=2)
    for as_of in REFRESHES:
        say(f"Refreshing as of {as_of} ...")
        refresh(folder, as_of=as_of)
    district = max(District.objects.all(), key=lambda d: d.students.count())
    school = _busiest_school(district)
    _accounts(district, school)
    _plans(school)
    project = add_demo_project(school, get_user_model().objects.get(username="demo-principal"))
    add_demo_library_idea(project, get_user_model().objects.get(username="demo-district"))
    return Demo(district, school, Snapshot.objects.count(), tuple(ACCOUNTS))


def _busiest_school(district: District) -> School:
    """The district's school with the most student rows: the principal's, in the demo."""
    return max(district.schools.all(), key=lambda s: s.studentmetric_set.count())


@transaction.atomic
def _accounts(district: District, school: School) -> None:
    """One account per role, each placed where its role holds."""
    at_school = students_by_absence(school)
    # A teacher's advisory of 25 and a partner's caseload of 15, both mixing bands.
    advisory = caseload(school, "Advisory 7B", at_school[:: max(1, len(at_school) // 25)][:25])
    served = caseload(
        school,
        "Family Resource Center caseload",
        at_school[1 :: max(1, len(at_school) // 15)][:15],
    )
    network = Network.objects.create(name="Attendance Improvement Network")
    network.districts.add(district)
    places: dict[Any, dict[str, Any]] = {
        Role.TEACHER: {"caseload": advisory},
        Role.PRINCIPAL: {"school": school},
        Role.DISTRICT: {"district": district},
        Role.PARTNER: {"caseload": served},
        Role.COACH: {"network": network},
        Role.DISTRICT_ADMIN: {"district": district},
    }
    for username, role in ACCOUNTS.items():
        account(username, role, **places[role])


def students_by_absence(school: School) -> list[int]:
    """The keys of the students counted at ``school`` in its district's latest refresh, the most
    absent first."""
    latest = Snapshot.objects.filter(district=school.district).order_by("-period_end").first()
    return list(
        StudentMetric.objects.filter(snapshot=latest, level=SCHOOL, school=school)
        .order_by("-absence_rate")
        .values_list("student", flat=True)
    )


def caseload(school: School, name: str, students: list[int]) -> Caseload:
    """A caseload of ``school`` holding ``students`` (their keys)."""
    made = Caseload.objects.create(district=school.district, school=school, name=name)
    made.students.set(students)
    return made


def account(
    username: str, role: Any, *, password: str = DEMO_PASSWORD, **place: Any
) -> AbstractBaseUser:
    """An account holding ``role`` (a ``Role``; mypy without Django's plugin takes its members
    for tuples) at ``place`` (``school=``, ``district=``, ``caseload=`` or
    ``network=``). A district administrator is staff (the admin pages), never a superuser: the
    admin shows them their district only (rollcall.web.scope)."""
    user = get_user_model().objects.create_user(
        username, password=password, is_staff=role == Role.DISTRICT_ADMIN
    )
    Membership.objects.create(user=user, role=role, **place)
    return user


@transaction.atomic
def _plans(school: School) -> None:
    """Support plans at the principal's school, owned by the principal (docs/platform.md)."""
    owner = get_user_model().objects.get(username="demo-principal")
    first, second = (
        Snapshot.objects.filter(district=school.district, period_end=day).latest()
        for day in REFRESHES
    )
    chronic = ("moderate", "severe")
    before = StudentMetric.objects.filter(
        snapshot=first, level=SCHOOL, school=school, tier__in=chronic
    ).order_by("student__student_id")
    already = [m.student for m in before[:EARLY_PLANS]]
    earlier = set(before.values_list("student", flat=True))
    newly = [
        m.student
        for m in StudentMetric.objects.filter(
            snapshot=second, level=SCHOOL, school=school, tier__in=chronic
        ).order_by("student__student_id")
        if m.student_id not in earlier
    ][:LATE_PLANS]
    start = EARLY_START
    for n, student in enumerate(already):
        plan = _plan(
            student, owner, start, tier=3 if n % 4 == 0 else 2, cause=CAUSES[n % len(CAUSES)]
        )
        CheckIn.objects.create(
            plan=plan, date=start + timedelta(days=14), by=owner,
            note="Talked with the family; the plan is working so far.",
        )  # fmt: skip
        plan.end_date, plan.outcome = start + timedelta(days=56), "Attending most days again."
        plan.save()
    for n, student in enumerate(newly):
        _plan(student, owner, LATE_START, tier=2, cause=CAUSES[n % len(CAUSES)])


def _plan(
    student: Student, owner: AbstractBaseUser, start: date, *, tier: int, cause: str
) -> SupportPlan:
    plan = SupportPlan.objects.create(
        student=student, tier=tier, root_causes=[cause], owner=owner, created_by=owner,
        start_date=start, goal="Attend at least 9 school days in 10 for the next four weeks.",
        checkin_every_days=14,
    )  # fmt: skip
    plan.strategies.set(Strategy.objects.filter(district=None, name__in=STRATEGIES[tier]))
    return plan
