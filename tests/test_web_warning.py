"""The early warning in the platform (issue 12, item 5): a refresh stores each student's rank,
score and reasons at their school; lists show them and filter the flagged; a school sets its
caseload; the follow-through counts the flagged students with a plan; who may set a caseload.

Worked out by hand from the world (tests/web_world.py) at the second refresh, which ran the
early warning (one school year: the rules only, "share of days missed so far"): at A1, s1 (8 of
40 days, 20%) ranks 1 and s2 (none) 2; at A2, s3 (6 of 40, 15%) ranks 1 and s5 (2 of 30) 2. A
caseload of 20% of 2 students rounds to 1 (at least one): s1 at A1, s3 at A2 are flagged; s1,
already missing 20% of days, is suggested intensive support, s3 early, personal outreach."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from test_web_plans import client_for, make_plan
from web_world import ANONYMOUS, ROLES, SECOND, assert_scoped

pytestmark = pytest.mark.django_db
SCOPE_TESTED = {"school-caseload"}
A1 = ["A", "A1"]


def school(school_id: str):
    from rollcall.web.people.models import School

    return School.objects.get(school_id=school_id)


def test_the_refresh_stores_each_students_rank_and_reasons_at_their_school():
    from rollcall.web.snapshots.models import Snapshot, WarningFlag

    flags = WarningFlag.objects.filter(snapshot__period_end=SECOND).order_by("school", "rank")
    shown = [(f.school.school_id, f.student.student_id, f.rank, f.intensive) for f in flags]
    assert shown == [
        ("A1", "s1", 1, True), ("A1", "s2", 2, False),
        ("A2", "s3", 1, False), ("A2", "s5", 2, False),
        ("B1", "s4", 1, False),
    ]  # fmt: skip
    s1 = flags.get(student__student_id="s1")
    assert s1.score is None  # a rule ranks; only a model gives a probability
    assert "missed 8 of 40 days so far" in s1.reasons
    latest = Snapshot.objects.get(district__district_id="A", period_end=SECOND)
    assert latest.warning["method"] == "share_so_far" and "rule" in latest.warning["why"]


def test_the_flagged_view_lists_the_schools_caseload_by_risk():
    client = client_for("principal")
    page = client.get("/schools/A/A1/students/?view=flagged").content.decode()
    assert "Ana Lopez" in page and "Ben Okafor" not in page and "reach first" in page
    school("A1").__class__.objects.filter(school_id="A1").update(warning_caseload="2")
    page = client.get("/schools/A/A1/students/?view=flagged&sort=risk").content.decode()
    assert page.index("Ana Lopez") < page.index("Ben Okafor")  # both flagged, by rank


def test_the_student_page_says_why_and_what_support():
    page = client_for("teacher").get("/students/A/s1/").content.decode()
    assert "number 1 of 2 students by risk" in page
    assert "Within the school's caseload: reach first." in page
    assert "Suggested: intensive support." in page and "Why: missed 2 of the first 20 days" in page
    partner = client_for("partner").get("/students/A/s3/").content.decode()
    assert "Suggested: early, personal outreach." in partner


def test_the_csv_export_carries_the_early_warning():
    body = client_for("principal").get("/schools/A/A1/students.csv").content.decode()
    header, *rows = body.splitlines()
    assert header.endswith("risk_rank,flagged,suggested_support,reasons")
    ana = next(r for r in rows if r.startswith("s1,"))
    assert ",1,yes,intensive," in ana


def test_the_follow_through_counts_the_flagged_with_a_plan():
    client = client_for("principal")
    page = client.get("/schools/A/A1/").content.decode()
    assert '<div class="card" id="flagged-with-plan"><span class="number">0 / 1</span>' in page
    make_plan("A", "s1", "principal", start_date=SECOND + timedelta(days=3))
    page = client.get("/schools/A/A1/").content.decode()
    assert '<div class="card" id="flagged-with-plan"><span class="number">1 / 1</span>' in page


@pytest.mark.parametrize("username", (*ROLES, ANONYMOUS))
def test_setting_a_schools_caseload_is_for_those_who_see_the_school(username):
    client = client_for(username)
    response = client.post(reverse("school-caseload", args=A1), {"caseload": "25"})
    allowed = {"principal", "district", "admin"}
    assert_scoped(response, username, allowed, success=302)
    assert school("A1").warning_caseload == ("25" if username in allowed else "20%")


def test_a_caseload_must_be_a_share_or_a_number():
    from rollcall.web.audit.models import AuditEvent

    client = client_for("principal")
    response = client.post(reverse("school-caseload", args=A1), {"caseload": "lots"})
    assert response.status_code == 400
    assert "Write a share of the school&#x27;s students, like 20%" in response.content.decode()
    assert school("A1").warning_caseload == "20%"
    client.post(reverse("school-caseload", args=A1), {"caseload": "50%"})
    assert school("A1").warning_caseload == "50%"
    assert AuditEvent.objects.filter(what="school", detail="caseload 50%").count() == 1
    assert client.get(reverse("school-caseload", args=A1)).status_code == 405


def test_a_refresh_without_the_early_warning_says_so(tmp_path):
    from web_world import write_world

    from rollcall.web.refresh import refresh

    (snapshot, *_) = refresh(write_world(tmp_path), as_of=SECOND, warn=False).snapshots
    assert snapshot.warning == {"method": "", "why": ""} and not snapshot.flags.exists()
