"""Additions to the small world of tests/web_world.py for a network's members (issue 14): a
second network holding district B, with its coach and B's administrator; a bright spot at
Alder Elementary (A1); and A1's project shared with the network, with a decided cycle. Used
in-process by tests/test_web_network_members.py and in a served data folder by
tests/test_web_network_members_browser.py (Django must be set up)."""

from __future__ import annotations

from datetime import date, timedelta

from web_world import PASSWORD, SECOND

OTHER_NETWORK = "Other network"
OTHER_ACCOUNTS = {"other-coach": "coach", "other-admin": "district_admin"}
SHARED_STUDY = "21 of 30 families answered the evening calls."


def add_other_network() -> None:
    """District B in a network of its own, with its coach and its administrator."""
    from django.contrib.auth import get_user_model

    from rollcall.web.people.models import District, Membership, Network

    other = Network.objects.create(name=OTHER_NETWORK)
    beech = District.objects.get(district_id="B")
    other.districts.add(beech)
    users = get_user_model()
    for username, role in OTHER_ACCOUNTS.items():
        user = users.objects.create_user(
            username, password=PASSWORD, is_staff=role == "district_admin"
        )
        place = {"network": other} if role == "coach" else {"district": beech}
        Membership.objects.create(user=user, role=role, **place)


def add_bright_spot() -> None:
    """The school weeks of district A's latest refresh replaced by ``bright_spot_weeks``. No
    student's row changes."""
    from rollcall.web.snapshots.models import Snapshot, WeeklyMeasure

    latest = Snapshot.objects.filter(district__district_id="A").latest()
    WeeklyMeasure.objects.filter(snapshot=latest, level="school").delete()
    bright_spot_weeks(latest)


def bright_spot_weeks(snapshot) -> None:
    """36 school weeks for ``snapshot`` in which Aspen Middle (A2) misses 7% of its days
    throughout and Alder Elementary (A1) the same, then a third less from the week of 3 March
    2025: a sustained improvement against the rest of its district (docs/improvement.md)."""
    from rollcall.web.snapshots.models import WeeklyMeasure

    for k in range(36):
        monday = date(2024, 9, 2) + timedelta(weeks=k)
        for school, absent in (("A1", 0.07 * (0.66 if k >= 26 else 1)), ("A2", 0.07)):
            noise = 1 + 0.03 * ((k * 7 + len(school)) % 5 - 2)
            WeeklyMeasure.objects.create(
                snapshot=snapshot, level="school", unit_id=school, week_start=monday,
                week_end=monday + timedelta(days=4), student_days=2000,
                days_absent=round(2000 * absent * noise, 2), eligible=400,
                chronically_absent=40,
            )  # fmt: skip


def share_a1_project():
    """Alder Elementary's project, its first cycle decided ("adopt"), shared with the network
    as its principal would (the text checked first)."""
    from django.contrib.auth import get_user_model

    from rollcall.web.improve.models import ChangeIdea, Cycle, DiagramVersion, Project, Share
    from rollcall.web.improve.network import share_summary, summary_texts
    from rollcall.web.improve.privacy import students_named
    from rollcall.web.people.models import Network, School

    alder = School.objects.get(school_id="A1")
    project = Project.objects.create(
        district=alder.district, school=alder, name="Every day counts at Alder",
        for_whom="5th graders", baseline=24, target=18, by_when=date(2025, 6, 13),
    )  # fmt: skip
    outline = "# Families know every day counts\n## Positive messages home\n- Evening calls\n"
    DiagramVersion.objects.create(project=project, number=1, outline=outline)
    idea = ChangeIdea.objects.create(project=project, name="Evening calls")
    cycle = Cycle.objects.create(
        change_idea=idea, number=1, question="Do evening calls reach more families?",
        prediction="Two in three answer", who_where_when="Grade 5 homerooms, one week",
        data_plan="Calls made and answered", start_date=SECOND, end_date=SECOND,
        study=SHARED_STUDY, act="adopt", next_step="Every grade 5 homeroom",
    )  # fmt: skip
    summary = share_summary(project, [cycle])
    assert students_named(summary_texts(summary), alder.district) == []
    principal = get_user_model().objects.get(username="principal")
    Share.objects.create(
        project=project, network=Network.objects.get(name="Network"), summary=summary,
        shared_by=principal,
    )  # fmt: skip
    return project, cycle
