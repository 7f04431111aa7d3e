"""The demo (``rollcall serve --demo``): a synthetic district over two school years, refreshed at
two dates of this year so the lists have a "previous refresh", and one account per role, all
with the password ``DEMO_PASSWORD`` (docs/platform.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from rollcall import api
from rollcall.levels import SCHOOL
from rollcall.web.people.models import Caseload, District, Membership, Network, Role, School
from rollcall.web.refresh import refresh
from rollcall.web.snapshots.models import Snapshot, StudentMetric

DEMO_PASSWORD = "rollcall-demo"
STUDENTS = 3000
YEAR = "2025-26"
# Two dates four weeks apart in the autumn: the first weeks are when support helps most.
REFRESHES = (date(2025, 10, 3), date(2025, 10, 31))
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
    ``network=``); a district administrator may also use the admin pages."""
    admin = role == Role.DISTRICT_ADMIN
    user = get_user_model().objects.create_user(
        username, password=password, is_staff=admin, is_superuser=admin
    )
    Membership.objects.create(user=user, role=role, **place)
    return user
