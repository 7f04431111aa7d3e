"""Support plans (rollcall/web/plans): who may see, start, check in on and end a plan, the forms
and their errors, CSRF, the audit trail, the strategy catalogue, and the follow-through numbers
on the school page, worked out by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from web_world import ANONYMOUS, ROLES, SECOND, account, assert_scoped

pytestmark = pytest.mark.django_db

EVERYONE = tuple(ROLES)
DISTRICT_A = {"district", "admin"}


def client_for(username: str, **options: bool) -> Client:
    client = Client(**options)
    if username != ANONYMOUS:
        client.force_login(account(username))  # signing in itself: test_web_pages
    return client


def user(username: str):
    return get_user_model().objects.get(username=username)


def student(district_id: str, student_id: str):
    from rollcall.web.snapshots.models import Student

    return Student.objects.get(district__district_id=district_id, student_id=student_id)


def make_plan(district_id: str, student_id: str, owner: str, **fields):
    from rollcall.web.plans.models import Strategy, SupportPlan

    values = {"tier": 2, "start_date": SECOND, "goal": "Attend 9 days in 10", **fields}
    plan = SupportPlan.objects.create(
        student=student(district_id, student_id), owner=user(owner), created_by=user(owner),
        root_cause_note="Looks after a younger sibling in the mornings", **values,
    )  # fmt: skip
    plan.strategies.set(Strategy.objects.filter(name="Address transportation"))
    return plan


@pytest.fixture
def plans():
    """One plan for s1 (A1, the teacher's advisory), s3 (A2, the partner's caseload), s4 (B1)."""
    return {
        "s1": make_plan("A", "s1", "principal"),
        "s3": make_plan("A", "s3", "team"),
        "s4": make_plan("B", "s4", "other-principal"),
    }


# URL name → (what the URL is for, the accounts that may; every other account gets a 404).
CASES = {
    "plan": [
        ("s1", {"teacher", "principal", *DISTRICT_A}),
        ("s3", {"partner", "team", *DISTRICT_A}),
        ("s4", {"other-principal"}),
        ("none", set()),
    ],
    # A partner sees their caseload's plans, but does not start or end one.
    "plan-new": [
        ("s1", {"teacher", "principal", *DISTRICT_A}),
        ("s3", {"team", *DISTRICT_A}),
        ("s4", {"other-principal"}),
    ],
    "plan-end": [
        ("s1", {"teacher", "principal", *DISTRICT_A}),
        ("s3", {"team", *DISTRICT_A}),
    ],
}
SCOPE_TESTED = set(CASES)
STUDENT_DISTRICT = {"s1": "A", "s3": "A", "s4": "B"}


def url(name: str, key: str, plans) -> str:
    if name == "plan-new":
        return reverse(name, args=[STUDENT_DISTRICT[key], key])
    return reverse(name, args=[plans[key].pk if key in plans else 999999])


@pytest.mark.parametrize(
    ("name", "index", "username"),
    [
        (name, index, username)
        for name, listed in CASES.items()
        for index in range(len(listed))
        for username in (*EVERYONE, ANONYMOUS)
    ],
)
def test_each_plan_page_shows_only_to_those_in_its_scope(plans, name, index, username):
    key, allowed = CASES[name][index]
    client = client_for(username)
    if name == "plan-end":  # POST only: a valid ending redirects to the plan
        response = client.post(
            url(name, key, plans), {"end_date": SECOND + timedelta(days=30), "outcome": "Better"}
        )
        success = 302
    else:
        response = client.get(url(name, key, plans))
        success = 200
    assert_scoped(response, username, allowed, success)
    if name == "plan-end" and username in allowed:
        assert response["Location"] == reverse("plan", args=[plans[key].pk])


def test_the_coach_never_sees_a_plan(plans):
    client = client_for("coach")
    for plan in plans.values():
        assert client.get(reverse("plan", args=[plan.pk])).status_code == 404
        checkin = {"date": SECOND, "note": "x"}
        assert client.post(reverse("plan", args=[plan.pk]), checkin).status_code == 404
    assert client.get(reverse("plan-new", args=["A", "s1"])).status_code == 404


def form_data(**overrides):
    from rollcall.web.plans.models import Strategy

    chosen = Strategy.objects.filter(
        name__in=["Attendance mentor / check-in check-out", "Address transportation"]
    )
    data = {
        "tier": "2",
        "root_causes": ["barriers", "disengagement"],
        "root_cause_note": "The bus route changed",
        "strategies": [s.pk for s in chosen],
        "owner": user("teacher").pk,
        "start_date": SECOND.isoformat(),
        "goal": "Attend at least 9 days in 10 for four weeks",
        "checkin_every_days": "7",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_starting_a_plan_end_to_end():
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.plans.models import SupportPlan

    client = client_for("teacher")
    new = reverse("plan-new", args=["A", "s1"])
    page = client.get(new).content.decode()
    # Every input has a label; the owner is the signed-in teacher by default.
    assert '<label for="id_goal">' in page and '<label for="id_owner">' in page
    assert f'<option value="{user("teacher").pk}" selected>teacher</option>' in page
    assert "csrfmiddlewaretoken" in page
    response = client.post(new, form_data())
    plan = SupportPlan.objects.get(student=student("A", "s1"))
    assert response.status_code == 302 and response["Location"] == reverse("plan", args=[plan.pk])
    assert (plan.tier, plan.root_causes, plan.checkin_every_days) == (
        2,
        ["barriers", "disengagement"],
        7,
    )
    assert plan.owner == user("teacher") == plan.created_by
    assert sorted(s.name for s in plan.strategies.all()) == [
        "Address transportation",
        "Attendance mentor / check-in check-out",
    ]
    started = AuditEvent.objects.get(action="change", what="support plan", object_id=str(plan.pk))
    assert started.username == "teacher" and started.detail == "started"
    # The plan shows on the student's page, for the principal too.
    student_page = client_for("principal").get(reverse("student", args=["A", "s1"]))
    assert f'href="{reverse("plan", args=[plan.pk])}"' in student_page.content.decode()
    # Its page is a read of the student's record.
    plan_page = client.get(reverse("plan", args=[plan.pk])).content.decode()
    assert "Attendance mentor / check-in check-out" in plan_page
    assert "The bus route changed" in plan_page
    assert AuditEvent.objects.filter(
        action="view", what="student", object_id="A/s1", detail=f"support plan {plan.pk}"
    ).exists()


def test_a_check_in_is_recorded_and_audited(plans):
    from rollcall.web.audit.models import AuditEvent

    plan = plans["s1"]
    client = client_for("principal")
    response = client.post(
        reverse("plan", args=[plan.pk]), {"date": SECOND.isoformat(), "note": "Called home"}
    )
    assert response.status_code == 302
    (checkin,) = plan.checkins.all()
    assert (checkin.date, checkin.note, checkin.by) == (SECOND, "Called home", user("principal"))
    assert AuditEvent.objects.filter(
        action="change", what="support plan", object_id=str(plan.pk), detail="check-in added"
    ).exists()
    assert "Called home" in client.get(reverse("plan", args=[plan.pk])).content.decode()
    # A check-in needs its note, shown next to the field.
    again = client.post(reverse("plan", args=[plan.pk]), {"date": SECOND.isoformat()})
    assert again.status_code == 200 and 'id="id_note_errors"' in again.content.decode()
    assert plan.checkins.count() == 1


@pytest.mark.parametrize(
    ("missing", "legend", "message"),
    [
        ("strategies", "Strategies", "Choose at least one strategy."),
        ("tier", "Tier of support", "Choose the tier of support."),
    ],
)
def test_a_plan_without_strategy_or_tier_comes_back_with_the_message(missing, legend, message):
    from rollcall.web.plans.models import SupportPlan

    response = client_for("principal").post(
        reverse("plan-new", args=["A", "s1"]), form_data(**{missing: None})
    )
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    # next to its field: inside the field's fieldset, announced
    assert f'id="id_{missing}_errors" role="alert"' in page
    start = page.index(f"<legend>{legend}</legend>")
    assert start < page.index(f'id="id_{missing}_errors"') < page.index("</fieldset>", start)
    # and what was typed is kept
    assert "Attend at least 9 days in 10 for four weeks" in page
    assert not SupportPlan.objects.exists()


def test_an_owner_must_be_someone_who_may_see_the_student():
    from rollcall.web.plans.models import SupportPlan

    response = client_for("principal").post(
        reverse("plan-new", args=["A", "s1"]), form_data(owner=user("partner").pk)
    )
    assert response.status_code == 200 and 'id="id_owner_errors"' in response.content.decode()
    assert not SupportPlan.objects.exists()


def test_csrf_is_enforced(plans):
    client = client_for("principal", enforce_csrf_checks=True)
    assert client.post(reverse("plan-new", args=["A", "s1"]), form_data()).status_code == 403
    checkin = {"date": SECOND.isoformat(), "note": "x"}
    assert client.post(reverse("plan", args=[plans["s1"].pk]), checkin).status_code == 403
    ending = {"end_date": SECOND.isoformat(), "outcome": "x"}
    assert client.post(reverse("plan-end", args=[plans["s1"].pk]), ending).status_code == 403


def test_a_partner_sees_and_checks_in_but_does_not_start_or_see_the_note(plans):
    plan = plans["s3"]
    partner = client_for("partner")
    page = partner.get(reverse("plan", args=[plan.pk])).content.decode()
    assert "Address transportation" in page
    assert "younger sibling" not in page and "End the plan" not in page
    assert (
        "younger sibling"
        in client_for("team").get(reverse("plan", args=[plan.pk])).content.decode()
    )
    student_page = partner.get(reverse("student", args=["A", "s3"])).content.decode()
    assert reverse("plan", args=[plan.pk]) in student_page
    assert reverse("plan-new", args=["A", "s3"]) not in student_page
    assert reverse("plan-new", args=["A", "s3"]) in (
        client_for("team").get(reverse("student", args=["A", "s3"])).content.decode()
    )
    response = partner.post(
        reverse("plan", args=[plan.pk]), {"date": SECOND.isoformat(), "note": "Met the family"}
    )
    assert response.status_code == 302 and plan.checkins.get().by == user("partner")
    assert partner.post(reverse("plan-new", args=["A", "s3"]), form_data()).status_code == 404


def test_ending_a_plan_needs_a_date_after_its_start(plans):
    plan = plans["s1"]
    client = client_for("principal")
    early = {"end_date": (SECOND - timedelta(days=1)).isoformat(), "outcome": "Better"}
    response = client.post(reverse("plan-end", args=[plan.pk]), early)
    assert response.status_code == 200
    assert "The plan cannot end before it started." in response.content.decode()
    plan.refresh_from_db()
    assert plan.end_date is None


def test_the_catalogue_is_seeded_in_three_tiers_in_the_language_of_support():
    from rollcall.web.plans.models import Strategy

    shared = Strategy.objects.filter(district=None)
    assert 15 <= shared.count() <= 25
    assert set(shared.values_list("tier", flat=True)) == {1, 2, 3}
    for name in ("Positive relationship with every family", "Wraparound services",
                 "Attendance mentor / check-in check-out"):  # fmt: skip
        assert shared.filter(name=name).exists()
    for s in shared:
        assert "truan" not in f"{s.name} {s.description}".lower()


def test_a_districts_own_strategy_is_offered_for_its_students_only():
    from rollcall.web.people.models import District
    from rollcall.web.plans.models import Strategy

    Strategy.objects.create(name="Beech breakfast club", tier=1, district=District.objects.get(
        district_id="B"))  # fmt: skip
    a = client_for("district").get(reverse("plan-new", args=["A", "s1"])).content.decode()
    b = client_for("other-principal").get(reverse("plan-new", args=["B", "s4"])).content.decode()
    assert "Beech breakfast club" not in a and "Beech breakfast club" in b


def test_the_follow_through_counts_on_the_school_page():
    from rollcall.web.snapshots.models import StudentMetric

    # Hand-built: at A1, s1 was at risk at the first refresh and is severe at the second; s2 was
    # satisfactory and is now moderate. Both are newly chronically absent; s5 is not.
    first = StudentMetric.objects.filter(
        level="school", unit_id="A1", snapshot__period_end__lt=SECOND
    )
    first.filter(student__student_id="s1").update(tier="at_risk", chronically_absent=False)
    StudentMetric.objects.filter(
        level="school", unit_id="A1", snapshot__period_end=SECOND, student__student_id="s2"
    ).update(tier="moderate", chronically_absent=True)
    today = timezone.localdate()
    # s2: a plan 3 days after the refresh (in time), checked in on never: overdue.
    in_time = make_plan("A", "s2", "principal", start_date=SECOND + timedelta(days=3))
    # s1: a plan ended before the refresh, and one started 20 days after it: neither in time;
    # the open one was started today, so not overdue; the ended one is never overdue.
    make_plan("A", "s1", "principal", start_date=SECOND - timedelta(days=60),
              end_date=SECOND - timedelta(days=1), outcome="Improved")  # fmt: skip
    late = make_plan("A", "s1", "principal", start_date=SECOND + timedelta(days=20))
    late.start_date = today
    late.save()
    # s3 (at A2): overdue, but not at A1.
    make_plan("A", "s3", "team", start_date=SECOND)

    page = client_for("principal").get(reverse("school", args=["A", "A1"])).content.decode()
    assert '<span class="number" id="newly-with-plan">1 / 2</span>' in page
    assert '<span class="number" id="overdue-count">1</span>' in page
    assert f'href="{reverse("plan", args=[in_time.pk])}">Ben Okafor</a>' in page
    assert "Chen" not in page

    # A check-in today puts s2's plan back on time.
    in_time.checkins.create(date=today, note="Mentor met Ben", by=user("principal"))
    page = client_for("principal").get(reverse("school", args=["A", "A1"])).content.decode()
    assert '<span class="number" id="overdue-count">0</span>' in page


def test_the_follow_through_shows_the_plans_to_the_team_of_their_school(plans):
    page = client_for("team").get(reverse("school", args=["A", "A2"])).content.decode()
    # s3's plan started at the second refresh, every 14 days, never checked in on: overdue.
    assert '<span class="number" id="overdue-count">1</span>' in page
    assert reverse("plan", args=[plans["s3"].pk]) in page
