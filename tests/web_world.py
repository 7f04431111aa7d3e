"""A small world for the platform's tests: two districts and three schools, students in several
bands, refreshed twice through the real engine, and one account per role (and an outsider).

| account | role | where |
|---|---|---|
| teacher | teacher | caseload "Advisory" (s1, s2 at school A1) |
| principal | principal | school A1 |
| team | school attendance team | school A2 |
| district | district staff | district A |
| admin | district administrator | district A (and Django's staff, not a superuser) |
| partner | community partner | caseload "Partner" (s3 at A2) |
| coach | network coach | the network holding district A |
| other-principal | principal | school B1 of district B |
| outsider | none | |

and ``root``, Django's superuser (no role: the admin pages in full, for setting up networks and
districts), outside ``ROLES`` since it is no role of the platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from canonical import write_canonical
from outputs import absences, calendar_rows, school_days

PASSWORD = "correct horse battery staple"
DAYS = school_days(40)  # from 2024-08-26
FIRST, SECOND = DAYS[19], DAYS[39]  # two refreshes, twenty school days apart


def write_world(folder: Path) -> Path:
    """The canonical input. By the first refresh (20 school days) s1 has missed 2 (10%,
    moderate), by the second (40 days) 8 (20%, severe: new to the band, and worse); s2 never
    misses; s3 (at A2) misses 5 early days and is suspended one day (25%, then 15%); s4 (at B1,
    district B) misses 1; s5 moves from A1 to A2 on day 11. One first name is a formula a
    spreadsheet would run."""
    students = [
        {"student_id": "s1", "first_name": "Ana", "last_name": "Lopez", "gender": "F"},
        {"student_id": "s2", "first_name": "Ben", "last_name": "Okafor", "gender": "M"},
        {"student_id": "s3", "first_name": "=HYPERLINK(\"http://x\")", "last_name": "Chen",
         "gender": "F"},
        {"student_id": "s4", "first_name": "Dara", "last_name": "Kim", "gender": "X"},
        {"student_id": "s5", "first_name": "Eli", "last_name": "Novak", "gender": "M"},
    ]  # fmt: skip
    enrol = [
        ("s1", "A1", "5", DAYS[0], None),
        ("s2", "A1", "5", DAYS[0], None),
        ("s3", "A2", "7", DAYS[0], None),
        ("s4", "B1", "3", DAYS[0], None),
        ("s5", "A1", "6", DAYS[0], DAYS[9]),
        ("s5", "A2", "6", DAYS[10], None),
    ]
    return write_canonical(
        folder,
        schools=[
            {
                "school_id": "A1",
                "school_name": "Alder Elementary",
                "district_id": "A",
                "district_name": "Ash District",
            },
            {
                "school_id": "A2",
                "school_name": "Aspen Middle",
                "district_id": "A",
                "district_name": "Ash District",
            },
            {
                "school_id": "B1",
                "school_name": "Birch Elementary",
                "district_id": "B",
                "district_name": "Beech District",
            },
        ],
        students=students,
        enrollments=[
            {
                "student_id": s,
                "school_id": sch,
                "grade": g,
                "entry_date": e.isoformat(),
                "exit_date": x.isoformat() if x else "",
            }
            for s, sch, g, e, x in enrol
        ],
        calendar=calendar_rows(["A1", "A2", "B1"], DAYS),
        attendance=(
            absences("s1", "A1", [DAYS[3], DAYS[7]])
            + absences("s1", "A1", DAYS[25:31], "unexcused")
            + absences("s3", "A2", DAYS[1:6], "excused")
            + absences("s3", "A2", DAYS[30:31], "suspension")
            + absences("s4", "B1", DAYS[2:3])
            + absences("s5", "A2", DAYS[12:14])
        ),
    )


@dataclass(frozen=True)
class World:
    folder: Path
    first: date
    second: date


SUPERUSER = "root"
ROLES = {
    "teacher": ("teacher", {"caseload": "Advisory"}),
    "principal": ("principal", {"school": "A1"}),
    "team": ("school_team", {"school": "A2"}),
    "district": ("district", {"district": "A"}),
    "admin": ("district_admin", {"district": "A"}),
    "partner": ("partner", {"caseload": "Partner"}),
    "coach": ("coach", {"network": "Network"}),
    "other-principal": ("principal", {"school": "B1"}),
    "outsider": None,
}


def build_world(folder: Path) -> World:
    """Refresh the input twice and make the accounts (Django must be set up)."""
    from rollcall.web.refresh import refresh

    source = write_world(folder)
    refresh(source, as_of=FIRST, warn=False)  # the pages read the latest refresh's early warning
    refresh(source, as_of=SECOND)
    make_accounts()
    return World(source, FIRST, SECOND)


def make_accounts() -> None:
    """The caseloads, the network and one account per role (``ROLES``) in a database holding the
    refreshed world: the test database, or a served data folder's (tests/test_web_browser.py)."""
    from django.contrib.auth import get_user_model

    from rollcall.web.people.models import Caseload, District, Membership, Network, School
    from rollcall.web.snapshots.models import Student

    ash = District.objects.get(district_id="A")
    a1, a2 = School.objects.get(school_id="A1"), School.objects.get(school_id="A2")
    advisory = Caseload.objects.create(district=ash, school=a1, name="Advisory")
    advisory.students.set(Student.objects.filter(district=ash, student_id__in=["s1", "s2"]))
    partner = Caseload.objects.create(district=ash, school=a2, name="Partner")
    partner.students.set(Student.objects.filter(district=ash, student_id__in=["s3"]))
    network = Network.objects.create(name="Network")
    network.districts.add(ash)
    places = {
        "caseload": {"Advisory": advisory, "Partner": partner},
        "school": {s.school_id: s for s in School.objects.all()},
        "district": {d.district_id: d for d in District.objects.all()},
        "network": {"Network": network},
    }
    users = get_user_model()
    users.objects.create_superuser(SUPERUSER, password=PASSWORD)
    for username, role in ROLES.items():
        user = users.objects.create_user(username, password=PASSWORD, is_staff=username == "admin")
        if role is not None:
            name, where = role
            ((kind, key),) = where.items()
            Membership.objects.create(user=user, role=name, **{kind: places[kind][key]})


def account(username: str):
    """The world's account named ``username`` (for ``Client.force_login``: the pages' tests need
    no password check; tests/test_web_pages.py tests signing in itself)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


ANONYMOUS = "anonymous"  # no account: every page sends them to sign in


def assert_scoped(response, username: str, allowed: set[str], success: int = 200) -> None:
    """The answer a page owes ``username``: to sign in when anonymous, ``success`` in scope, and
    "not found" (404, never 403, which would confirm the record exists) out of it."""
    if username == ANONYMOUS:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif username in allowed:
        assert response.status_code == success
    else:
        assert response.status_code == 404
