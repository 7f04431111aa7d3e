"""Improvement projects (rollcall/web/improve): who may see and change a project, its aim, its
driver diagram (every version kept, drawn as SVG), its measures on their charts with the PDSA
cycles marked, the cycles' forms, the audit trail and the API."""

from __future__ import annotations

import base64
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from network_world import bright_spot_weeks
from web_world import ANONYMOUS, ROLES, SECOND, account, assert_scoped

pytestmark = pytest.mark.django_db

EVERYONE = tuple(ROLES)
DISTRICT_A = {"district", "admin"}
SCHOOL_ROLES = {"principal", "team", "district", "admin", "other-principal"}

OUTLINE = """# Families know every day counts
## Positive messages home
- Welcome calls in the first week
- Postcards for improved attendance
# Students feel connected
## An adult who notices
- Check-in, check-out mentoring
"""


def client_for(username: str) -> Client:
    client = Client()
    if username != ANONYMOUS:
        client.force_login(account(username))
    return client


def make_project(school_id: str | None, district_id: str = "A", name: str = "Project"):
    from rollcall.web.improve.models import (
        ChangeIdea,
        Cycle,
        DiagramVersion,
        Measure,
        Project,
        WeeklyCount,
    )
    from rollcall.web.people.models import District, School

    district = District.objects.get(district_id=district_id)
    school = School.objects.get(school_id=school_id) if school_id else None
    project = Project.objects.create(
        district=district, school=school, name=name, for_whom="6th graders",
        baseline=24, target=18, by_when=date(2025, 6, 15),
    )  # fmt: skip
    DiagramVersion.objects.create(project=project, number=1, outline=OUTLINE)
    idea = ChangeIdea.objects.create(project=project, name="Welcome calls in the first week")
    cycle = Cycle.objects.create(
        change_idea=idea, number=1, question="Do calls reach families?",
        prediction="Two in three answer", who_where_when="Ms Ruiz, grade 6, week 3",
        data_plan="Calls made and answered", start_date=SECOND, end_date=SECOND,
    )  # fmt: skip
    measure = Measure.objects.create(
        project=project, name="Calls answered", kind="process", source="counted"
    )
    monday = SECOND - timedelta(days=SECOND.weekday())
    for k in range(4):
        WeeklyCount.objects.create(
            measure=measure, week_start=monday - timedelta(weeks=3 - k), count=10 + k,
            denominator=20,
        )  # fmt: skip
    return {"project": project, "idea": idea, "cycle": cycle, "measure": measure}


@pytest.fixture
def projects():
    """A project at A1 (the principal's), A2 (the team's), the whole of district A, and B1."""
    return {
        "A1": make_project("A1"),
        "A2": make_project("A2"),
        "A": make_project(None),
        "B1": make_project("B1", district_id="B"),
    }


# URL name → (how to build its arguments from the projects, who gets 200).
A1_PEOPLE = {"principal", *DISTRICT_A}
CASES = {
    "improve-projects": [(lambda p: {}, set(EVERYONE))],
    "improve-project-new": [(lambda p: {}, SCHOOL_ROLES)],
    "improve-project": [
        (lambda p: {"pk": p["A1"]["project"].pk}, A1_PEOPLE),
        (lambda p: {"pk": p["A2"]["project"].pk}, {"team", *DISTRICT_A}),
        (lambda p: {"pk": p["A"]["project"].pk}, DISTRICT_A),
        (lambda p: {"pk": p["B1"]["project"].pk}, {"other-principal"}),
        (lambda p: {"pk": 999999}, set()),
    ],
    "improve-share": [
        (lambda p: {"pk": p["A1"]["project"].pk}, A1_PEOPLE),
        (lambda p: {"pk": p["B1"]["project"].pk}, {"other-principal"}),
    ],
    "improve-summary-html": [
        (lambda p: {"pk": p["A1"]["project"].pk}, A1_PEOPLE),
        (lambda p: {"pk": p["B1"]["project"].pk}, {"other-principal"}),
    ],
    "improve-summary-pdf": [(lambda p: {"pk": p["A2"]["project"].pk}, {"team", *DISTRICT_A})],
    "improve-aim": [
        (lambda p: {"pk": p["A1"]["project"].pk}, A1_PEOPLE),
        (lambda p: {"pk": p["B1"]["project"].pk}, {"other-principal"}),
    ],
    "improve-diagram": [
        (lambda p: {"pk": p["A1"]["project"].pk}, A1_PEOPLE),
        (lambda p: {"pk": p["A"]["project"].pk}, DISTRICT_A),
    ],
    "improve-diagram-version": [
        (lambda p: {"pk": p["A1"]["project"].pk, "number": 1}, A1_PEOPLE),
        (lambda p: {"pk": p["A1"]["project"].pk, "number": 9}, set()),
        (lambda p: {"pk": p["B1"]["project"].pk, "number": 1}, {"other-principal"}),
    ],
    "improve-measure-new": [(lambda p: {"pk": p["A2"]["project"].pk}, {"team", *DISTRICT_A})],
    "improve-measure": [
        (lambda p: {"pk": p["A1"]["measure"].pk}, A1_PEOPLE),
        (lambda p: {"pk": p["B1"]["measure"].pk}, {"other-principal"}),
    ],
    "improve-cycle-new": [
        (lambda p: {"pk": p["A1"]["idea"].pk}, A1_PEOPLE),
        (lambda p: {"pk": p["A2"]["idea"].pk}, {"team", *DISTRICT_A}),
    ],
    "improve-cycle": [
        (lambda p: {"pk": p["A1"]["cycle"].pk}, A1_PEOPLE),
        (lambda p: {"pk": p["B1"]["cycle"].pk}, {"other-principal"}),
    ],
}
API_CASES = {
    "api-projects": [(lambda p: {}, set(EVERYONE))],
    "api-project": [
        (lambda p: {"pk": p["A1"]["project"].pk}, A1_PEOPLE),
        (lambda p: {"pk": p["A"]["project"].pk}, DISTRICT_A),
        (lambda p: {"pk": p["B1"]["project"].pk}, {"other-principal"}),
    ],
}
# The network's library exports: its coaches and member districts (the world's one network;
# tests/test_web_network_members.py has a second).
LIBRARY_CASES = {
    "network-library-csv": [(lambda p: {"pk": network().pk}, {"coach", *DISTRICT_A})],
    "network-library-json": [(lambda p: {"pk": network().pk}, {"coach", *DISTRICT_A})],
}
CASES |= LIBRARY_CASES
SCOPE_TESTED = set(CASES) | set(API_CASES)


@pytest.mark.parametrize(
    ("name", "index", "username"),
    [(n, i, u) for n, cases in CASES.items() for i in range(len(cases))
     for u in (*EVERYONE, ANONYMOUS)],
)  # fmt: skip
def test_each_improvement_page_shows_only_to_the_team_and_its_district(
    projects, name, index, username
):
    arguments, allowed = CASES[name][index]
    url = reverse(name, kwargs=arguments(projects))
    assert_scoped(client_for(username).get(url), username, allowed)


READ_ONLY = ("improve-projects", "improve-project", "improve-diagram-version",
             "improve-summary-html", "improve-summary-pdf",
             "network-library-csv", "network-library-json")  # fmt: skip


@pytest.mark.parametrize(
    ("name", "index"),
    [(n, i) for n, cases in CASES.items() if n not in READ_ONLY for i in range(len(cases))],
)
def test_a_post_out_of_scope_is_not_found_and_changes_nothing(projects, name, index):
    from rollcall.web.improve.models import ChangeIdea, Cycle, DiagramVersion, Measure, Project

    arguments, allowed = CASES[name][index]
    counts = [m.objects.count() for m in (Project, DiagramVersion, ChangeIdea, Cycle, Measure)]
    outsider = next(u for u in ("outsider", "teacher", "coach") if u not in allowed)
    response = client_for(outsider).post(
        reverse(name, kwargs=arguments(projects)), {"outline": "# A driver", "name": "x"}
    )
    assert response.status_code == 404
    assert counts == [
        m.objects.count() for m in (Project, DiagramVersion, ChangeIdea, Cycle, Measure)
    ]


def test_pages_without_a_form_refuse_a_post(projects):
    client = client_for("principal")
    pk = projects["A1"]["project"].pk
    assert client.post(reverse("improve-projects")).status_code == 405
    assert client.post(reverse("improve-project", kwargs={"pk": pk})).status_code == 405
    url = reverse("improve-diagram-version", kwargs={"pk": pk, "number": 1})
    assert client.post(url).status_code == 405


def test_the_list_shows_each_person_their_own_projects_only(projects):
    page = client_for("principal").get(reverse("improve-projects")).content.decode()
    links = re.findall(r'href="/improve/(\d+)/"', page)
    assert links == [str(projects["A1"]["project"].pk)]
    district = client_for("district").get(reverse("improve-projects")).content.decode()
    shown = set(re.findall(r'href="/improve/(\d+)/"', district))
    assert shown == {str(projects[k]["project"].pk) for k in ("A1", "A2", "A")}


# --- starting a project, and its aim ----------------------------------------------------------


def new_project(username: str, place: str, **fields):
    data = {"place": place, "name": "Every day counts", "for_whom": "6th graders",
            "baseline": "24", "target": "18", "by_when": "2025-06-15", **fields}  # fmt: skip
    return client_for(username).post(reverse("improve-project-new"), data)


def place(kind: str, key: str) -> str:
    from rollcall.web.people.models import District, School

    if kind == "school":
        return f"school:{School.objects.get(school_id=key).pk}"
    return f"district:{District.objects.get(district_id=key).pk}"


def test_a_school_team_starts_a_project_with_its_aim_and_starting_measures():
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.improve.models import Project

    response = new_project("team", place("school", "A2"))
    project = Project.objects.get(name="Every day counts")
    assert response.status_code == 302 and response["Location"] == f"/improve/{project.pk}/"
    assert (project.school.school_id, project.district.district_id) == ("A2", "A")
    assert [(m.kind, m.source) for m in project.measures.all()] == [
        ("outcome", "chronic"), ("outcome", "absence"), ("process", "plans")
    ]  # fmt: skip
    page = client_for("team").get(response["Location"]).content.decode()
    aim = "Reduce chronic absence among 6th graders at Aspen Middle from 24.0% to 18.0%"
    assert f"{aim} by 2025-06-15." in page
    assert AuditEvent.objects.filter(what="improvement project", object_id=str(project.pk)).exists()


def test_a_school_team_cannot_start_a_project_for_another_school_or_the_district():
    from rollcall.web.improve.models import Project

    for forged in (place("school", "A1"), place("school", "B1"), place("district", "A")):
        response = new_project("team", forged)
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Project.objects.exists()


def test_the_district_starts_a_project_for_the_whole_district():
    from rollcall.web.improve.models import Project

    assert new_project("district", place("district", "A")).status_code == 302
    assert Project.objects.get().school is None


def test_an_aim_must_reduce_chronic_absence():
    response = new_project("team", place("school", "A2"), target="30")
    assert response.status_code == 200
    assert "aim below today" in response.content.decode()


def test_the_aim_can_be_changed(projects):
    project = projects["A1"]["project"]
    data = {"name": "Project", "for_whom": "every student", "baseline": "20", "target": "15",
            "by_when": "2025-05-30"}  # fmt: skip
    client_for("principal").post(reverse("improve-aim", kwargs={"pk": project.pk}), data)
    project.refresh_from_db()
    assert (project.for_whom, project.target) == ("every student", 15)


# --- the driver diagram -----------------------------------------------------------------------


def test_each_save_of_the_driver_diagram_is_a_new_version_and_earlier_ones_are_kept(projects):
    from rollcall.web.improve.models import ChangeIdea

    project = projects["A1"]["project"]
    url = reverse("improve-diagram", kwargs={"pk": project.pk})
    changed = OUTLINE + "- Attendance buddies\n"
    assert client_for("principal").post(url, {"outline": changed}).status_code == 302
    assert [v.number for v in project.diagrams.all()] == [2, 1]
    assert project.diagrams.get(number=1).outline == OUTLINE
    names = set(ChangeIdea.objects.filter(project=project).values_list("name", flat=True))
    assert "Attendance buddies" in names and "Check-in, check-out mentoring" in names
    # The idea with a cycle is the same row: its cycle is still there.
    assert projects["A1"]["idea"].cycles.count() == 1
    old = client_for("principal").get(
        reverse("improve-diagram-version", kwargs={"pk": project.pk, "number": 1})
    )
    assert "Attendance buddies" not in old.content.decode()


def test_a_driver_diagram_that_cannot_be_read_names_its_lines(projects):
    url = reverse("improve-diagram", kwargs={"pk": projects["A1"]["project"].pk})
    response = client_for("principal").post(url, {"outline": "- orphan idea\nno mark here"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 1: a change idea needs a secondary driver above it." in page
    assert "Line 2: start the line with #, ## or -." in page
    assert projects["A1"]["project"].diagrams.count() == 1


def test_the_project_page_draws_the_diagram_with_a_text_alternative_and_a_list(projects):
    page = (
        client_for("principal")
        .get(reverse("improve-project", kwargs={"pk": projects["A1"]["project"].pk}))
        .content.decode()
    )
    (src,) = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="Driver diagram', page)
    svg = base64.b64decode(src).decode()
    assert "<title>Driver diagram</title>" in svg and "Welcome calls in the first week" in svg
    assert "Change idea: Check-in, check-out mentoring" in page


# --- measures, charts and cycles --------------------------------------------------------------


def chart_svgs(page: str) -> list[str]:
    return [
        base64.b64decode(s).decode()
        for s in re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', page)
    ]


def test_a_cycle_is_marked_on_the_measure_chart_in_the_week_it_started(projects):
    measure = projects["A1"]["measure"]
    page = (
        client_for("principal")
        .get(reverse("improve-measure", kwargs={"pk": measure.pk}))
        .content.decode()
    )
    (svg,) = chart_svgs(page)
    assert "PDSA: 1" in svg  # the cycle's mark, on the week of SECOND
    assert f"PDSA 1 of “Welcome calls in the first week”, from {SECOND.isoformat()}" in page
    # 4 weeks of 10/20, 11/20, 12/20, 13/20: a run chart (fewer than 12 weeks), no signal.
    assert "Run chart" in svg
    assert "No signal" in page
    assert "65.0%" in page  # 13 of 20


def test_the_outcome_measures_come_from_the_latest_refresh(projects):
    from rollcall.web.improve.charts import measure_weeks
    from rollcall.web.improve.models import Measure
    from rollcall.web.snapshots.models import WeeklyMeasure

    project = projects["A1"]["project"]
    chronic = Measure.objects.create(project=project, name="c", kind="outcome", source="chronic")
    absence = Measure.objects.create(project=project, name="a", kind="outcome", source="absence")
    stored = WeeklyMeasure.objects.filter(
        snapshot__district__district_id="A", snapshot__period_end=SECOND, level="school",
        unit_id="A1",
    ).order_by("week_start")  # fmt: skip
    weeks = measure_weeks(absence)
    assert [w.start for w in weeks] == [w.week_start for w in stored if w.student_days]
    last = stored.last()
    assert weeks[-1].value == pytest.approx(float(last.days_absent) / last.student_days)
    rates = measure_weeks(chronic)
    assert rates[-1].value == pytest.approx(last.chronically_absent / last.eligible)


def test_the_process_measure_counts_flagged_students_with_a_plan_within_ten_school_days(projects):
    from rollcall.web.front.warnings import flagged_at
    from rollcall.web.improve.charts import measure_weeks
    from rollcall.web.improve.models import Measure
    from rollcall.web.people.models import School
    from rollcall.web.plans.models import SupportPlan
    from rollcall.web.snapshots.models import Snapshot

    project = projects["A1"]["project"]
    plans = Measure.objects.create(project=project, name="p", kind="process", source="plans")
    snapshot = Snapshot.objects.get(district__district_id="A", period_end=SECOND)
    flagged = flagged_at(snapshot, School.objects.get(school_id="A1"))
    assert flagged  # the world's second refresh has an early warning
    (week,) = measure_weeks(plans)  # the first refresh ran without one
    assert (week.numerator, week.denominator) == (0, len(flagged))
    from web_world import account as user

    SupportPlan.objects.create(
        student_id=flagged[0], tier=2, owner=user("principal"), goal="Attend",
        start_date=SECOND + timedelta(days=14),
    )  # fmt: skip
    (week,) = measure_weeks(plans)
    assert (week.numerator, week.denominator) == (1, len(flagged))


def test_a_team_enters_weekly_counts_and_the_week_is_its_monday(projects):
    measure = projects["A2"]["measure"]
    url = reverse("improve-measure", kwargs={"pk": measure.pk})
    wednesday = date(2024, 10, 30)
    response = client_for("team").post(url, {"week_start": wednesday, "count": 3, "denominator": 8})
    assert response.status_code == 302
    assert measure.counts.filter(week_start=date(2024, 10, 28), count=3).exists()
    again = client_for("team").post(url, {"week_start": "2024-10-28", "count": 4})
    assert "This week has a count already." in again.content.decode()
    more = client_for("team").post(url, {"week_start": "2024-11-04", "count": 9, "denominator": 8})
    assert "cannot be more than" in more.content.decode()


def test_a_measure_from_the_refreshes_takes_no_count(projects):
    from rollcall.web.improve.models import Measure

    chronic = Measure.objects.create(
        project=projects["A1"]["project"], name="c", kind="outcome", source="chronic"
    )
    url = reverse("improve-measure", kwargs={"pk": chronic.pk})
    response = client_for("principal").post(url, {"week_start": "2024-10-28", "count": 1})
    assert response.status_code == 404 and not chronic.counts.exists()


def test_twelve_weeks_of_counts_go_on_a_control_chart(projects):
    from rollcall.web.improve.charts import build_chart, measure_weeks
    from rollcall.web.improve.models import Measure, WeeklyCount

    measure = Measure.objects.create(
        project=projects["A1"]["project"], name="n", kind="balancing", source="counted"
    )
    for k in range(12):
        monday = date(2024, 9, 2) + timedelta(weeks=k)
        WeeklyCount.objects.create(measure=measure, week_start=monday, count=5 + k % 3)
    assert build_chart(measure, measure_weeks(measure), []).kind == "xmr"


def test_the_team_plans_and_completes_a_cycle_in_the_ramp(projects):
    idea = projects["A1"]["idea"]
    client = client_for("principal")
    plan = {"question": "Do texts work?", "prediction": "Half reply",
            "who_where_when": "Grade 6", "data_plan": "Replies", "start_date": "2024-10-21",
            "end_date": "2024-10-25"}  # fmt: skip
    assert (
        client.post(reverse("improve-cycle-new", kwargs={"pk": idea.pk}), plan).status_code == 302
    )
    second = idea.cycles.get(number=2)
    done = plan | {"what_happened": "Sent 40", "study": "22 replied", "act": "adopt",
                   "next_step": "All of grade 6"}  # fmt: skip
    assert client.post(reverse("improve-cycle", kwargs={"pk": second.pk}), done).status_code == 302
    second.refresh_from_db()
    assert (second.act, second.study) == ("adopt", "22 replied")
    backwards = plan | {"end_date": "2024-10-01"}
    response = client.post(reverse("improve-cycle-new", kwargs={"pk": idea.pk}), backwards)
    assert "cannot end before it starts" in response.content.decode()


# --- the API ----------------------------------------------------------------------------------


def api_get(username: str, url: str):
    from rollcall.web.people.tokens import issue_token

    headers = {} if username == ANONYMOUS else {"Authorization": f"Bearer {issue_token(username)}"}
    return Client().get(url, headers=headers)


@pytest.mark.parametrize(
    ("name", "index", "username"),
    [(n, i, u) for n, cases in API_CASES.items() for i in range(len(cases)) for u in EVERYONE],
)
def test_the_api_answers_each_project_to_its_team_only(projects, name, index, username):
    arguments, allowed = API_CASES[name][index]
    response = api_get(username, reverse(f"api:{name}", kwargs=arguments(projects)))
    assert response.status_code == (200 if username in allowed else 404)


def test_the_api_lists_the_projects_in_scope_with_measures_and_cycles(projects):
    listed = api_get("principal", reverse("api:api-projects")).json()
    assert [p["id"] for p in listed] == [projects["A1"]["project"].pk]
    assert listed[0]["aim"].startswith("Reduce chronic absence among 6th graders at Alder")
    detail = api_get(
        "principal", reverse("api:api-project", kwargs={"pk": projects["A1"]["project"].pk})
    ).json()
    assert detail["diagram"] == OUTLINE and detail["diagram_version"] == 1
    (idea,) = detail["change_ideas"]
    assert idea["cycles"][0]["question"] == "Do calls reach families?"
    (counted,) = [m for m in detail["measures"] if m["source"] == "counted"]
    assert counted["chart"] == "run" and [w["value"] for w in counted["weeks"]] == [
        0.5, 0.55, 0.6, 0.65
    ]  # fmt: skip
    assert api_get(ANONYMOUS, reverse("api:api-projects")).status_code == 401


# --- the demo's project -----------------------------------------------------------------------


def test_the_demo_project_shows_its_cycles_on_the_team_count_chart():
    from rollcall.web.improve.demo import CYCLES, add_demo_project
    from rollcall.web.people.models import School

    project = add_demo_project(School.objects.get(school_id="A1"), account("principal"))
    assert add_demo_project(project.school, account("principal")) == project  # made once
    assert [v.number for v in project.diagrams.all()] == [2, 1]
    calls = project.measures.get(name="Welcome calls answered")
    page = (
        client_for("principal")
        .get(reverse("improve-measure", kwargs={"pk": calls.pk}))
        .content.decode()
    )
    (svg,) = chart_svgs(page)
    assert svg.count("PDSA: ") == len(CYCLES)
    assert "PDSA 2 of “Welcome calls in the first two weeks”, from 2025-09-22" in page
    # The demo shares it with the district's network, its text checked first.
    (shared,) = project.shares.all()
    assert shared.network.name == "Network" and len(shared.summary["cycles"]) == len(CYCLES)


# --- sharing with the network -----------------------------------------------------------------


def network():
    from rollcall.web.people.models import Network

    return Network.objects.get(name="Network")


def share(username: str, project, cycles=()):
    url = reverse("improve-share", kwargs={"pk": project.pk})
    data = {"network": network().pk, "cycles": [c.pk for c in cycles]}
    return client_for(username).post(url, data)


def test_a_share_naming_a_student_or_an_id_is_refused_and_says_which_words(projects):
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.improve.models import Share

    cycle = projects["A1"]["cycle"]
    # Ana Lopez (s1) and Dara Kim (s4, of district B) are the world's students.
    cycle.study = "Ana's mother answered; so did the family of S1. Dara's did not."
    cycle.save()
    response = share("principal", projects["A1"]["project"], [cycle])
    page = response.content.decode()
    assert response.status_code == 200 and "Not shared" in page
    refused = re.findall(r"<li>([^<]*)</li>", page.split("Not shared")[1].split("</ul>")[0])
    assert refused == ["Ana", "S1"]  # Dara is a student of district B, not of this district
    assert not Share.objects.exists()
    assert AuditEvent.objects.filter(detail__contains="refused").exists()


def test_a_share_without_students_reaches_the_coach_and_no_student_does(projects):
    from rollcall.web.improve.models import Share

    cycle = projects["A1"]["cycle"]
    cycle.study = "21 of 30 families answered the evening calls."
    cycle.act = "adopt"
    cycle.save()
    assert share("principal", projects["A1"]["project"], [cycle]).status_code == 302
    stored = Share.objects.get()
    assert stored.summary["cycles"][0]["study"] == cycle.study
    # A later edit is not shared until shared again.
    cycle.study = "Ana answered"
    cycle.save()
    page = client_for("coach").get(reverse("network", kwargs={"pk": network().pk}))
    text = page.content.decode()
    assert "21 of 30 families answered the evening calls." in text
    assert "Reduce chronic absence among 6th graders at Alder Elementary" in text
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    for private in ("Ana", "Lopez", "Okafor", "Chen", "/students/"):
        assert private not in text


def test_a_coach_of_another_network_sees_nothing_of_this_one(projects):
    from django.contrib.auth import get_user_model

    from rollcall.web.people.models import District, Membership, Network

    assert share("principal", projects["A1"]["project"]).status_code == 302
    other = Network.objects.create(name="Other network")
    other.districts.add(District.objects.get(district_id="B"))
    coach = get_user_model().objects.create_user("other-coach")
    Membership.objects.create(user=coach, role="coach", network=other)
    client = Client()
    client.force_login(coach)
    assert client.get(reverse("network", kwargs={"pk": network().pk})).status_code == 404
    own = client.get(reverse("network", kwargs={"pk": other.pk})).content.decode()
    assert "Alder Elementary" not in own and "No member has shared a project yet." in own


def test_the_network_lists_a_bright_spot_with_the_change_ideas_its_school_tested(projects):
    from rollcall.web.improve.network import bright_spots
    from rollcall.web.snapshots.models import Snapshot

    assert (
        share("principal", projects["A1"]["project"], [projects["A1"]["cycle"]]).status_code == 302
    )
    latest = Snapshot.objects.filter(district__district_id="A").order_by("-period_end").first()
    snapshot = Snapshot.objects.create(
        district=latest.district, school_year=latest.school_year, policy=latest.policy,
        period_start=latest.period_start, period_end=latest.period_end + timedelta(days=300),
        source="test",
    )  # fmt: skip
    bright_spot_weeks(snapshot)
    (found,) = bright_spots(network())
    assert (found.spot.unit_name, found.spot.since) == ("Alder Elementary", "2025-03-03")
    assert found.ideas == ("Welcome calls in the first week",)
    page = client_for("coach").get(reverse("network", kwargs={"pk": network().pk})).content
    assert "Change ideas tested: Welcome calls in the first week" in page.decode()


# --- the publishing attack across all members -------------------------------------------------


def coach_cells(network_pk: int):
    """What the coach reads of every member (the API's rows, as the page's), as the attack's
    cells: the true counts from each district's summary, hidden where the coach sees none, for
    the reason the row's note gives; keys carry the district, so no two members' units meet."""
    from rollcall.publish.audit import COMPLEMENTARY, NUMERATOR, PRIMARY, RANGE, SOURCE, Cell
    from rollcall.publish.relations import Key
    from rollcall.publish.rules import NOTE_COMPLEMENTARY, NOTE_RANGE, NOTE_SOURCE, get_rules
    from rollcall.web.snapshots.models import SummaryRow

    rules = get_rules(None)
    reasons = {NOTE_SOURCE: SOURCE, rules.primary_note: PRIMARY, rules.numerator_note: NUMERATOR,
               NOTE_RANGE: RANGE, NOTE_COMPLEMENTARY: COMPLEMENTARY}  # fmt: skip
    rows = api_get("coach", reverse("api:api-network-measures", kwargs={"pk": network_pk})).json()
    keys, cells, district_of = [], [], {}
    for row in rows:
        true = SummaryRow.objects.filter(
            snapshot_id=row["snapshot_id"], level=row["level"], unit_id=row["unit_id"],
            dimension=row["dimension"], group=row["group"],
        ).first()  # fmt: skip
        # A group a unit has no student in is published with zero counts (every_category).
        cell = Cell(true.eligible_students, true.chronically_absent) if true else Cell(0, 0)
        if row["eligible_students"] is None:
            cell.hide_eligible(reasons[row["note"]])
        elif row["chronically_absent"] is None:
            cell.hide_chronic(reasons[row["note"]])
        unit = f"{row['district_id']}/{row['unit_id']}"
        keys.append(Key(row["level"], unit, row["dimension"], row["group"]))
        cells.append(cell)
        if row["level"] == "school":
            district_of[unit] = f"{row['district_id']}/{row['district_id']}"
    return keys, cells, district_of, rules


def test_no_hidden_count_is_recoverable_from_all_the_members_measures_together():
    from rollcall.publish.audit import attack
    from rollcall.publish.relations import relations
    from rollcall.web.people.models import District

    network().districts.add(District.objects.get(district_id="B"))
    keys, cells, district_of, rules = coach_cells(network().pk)
    assert {k.unit_id.split("/")[0] for k in keys} == {"A", "B"}  # both members
    hidden = [n for n, c in enumerate(cells) if c.eligible_hidden or c.chronic_hidden]
    assert hidden  # the world's schools are small: much is hidden
    sums = relations(keys, district_of)
    assert attack(cells, sums, rules, keys) == []

    # The attack is not blind: show a sum's total and every part of it but one, and it finds
    # that one.
    within = next(r for r in sums if r.kind == "dimension")
    kept, *shown = within.parts
    for n in (within.total, *shown):
        cells[n].eligible_hidden = cells[n].chronic_hidden = None
    found = {(f.cell, f.count) for f in attack(cells, sums, rules, keys)}
    assert {(kept, "eligible"), (kept, "chronic")} <= found


# --- the change-idea library ------------------------------------------------------------------


def test_the_library_holds_the_seed_and_the_ideas_members_tested(projects):
    import csv
    import io

    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.improve.library import LIBRARY_COLUMNS, SEED

    cycle = projects["A1"]["cycle"]
    cycle.act = "adopt"
    cycle.save()
    assert share("principal", projects["A1"]["project"], [cycle]).status_code == 302
    client = client_for("coach")
    response = client.get(reverse("network-library-csv", kwargs={"pk": network().pk}))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == LIBRARY_COLUMNS
    assert [r["name"] for r in rows[: len(SEED)]] == [idea.name for idea in SEED]
    mine = rows[len(SEED) :]
    assert [(r["name"], r["source"], r["tested"]) for r in mine] == [
        ("Welcome calls in the first week", "Ash District", "PDSA 1: adopt")
    ]
    assert {r["evidence"] for r in rows[: len(SEED)]} <= {
        "practice", "strong", "moderate", "promising", "emerging"
    }  # fmt: skip
    data = client.get(reverse("network-library-json", kwargs={"pk": network().pk})).json()
    assert data["change_ideas"][-1]["name"] == "Welcome calls in the first week"
    assert AuditEvent.objects.filter(what="network library", action="export").count() == 2
    page = client.get(reverse("network", kwargs={"pk": network().pk})).content.decode()
    assert "Mailings to parents correcting misbeliefs about absences" in page


# --- the one-page summary ---------------------------------------------------------------------


def test_the_project_exports_as_one_page_html_and_pdf(projects):
    from rollcall.web.audit.models import AuditEvent

    pk = projects["A1"]["project"].pk
    client = client_for("principal")
    response = client.get(reverse("improve-summary-html", kwargs={"pk": pk}))
    html = response.content.decode()
    assert response["Content-Disposition"] == f'attachment; filename="project-{pk}.html"'
    assert "Reduce chronic absence among 6th graders at Alder Elementary" in html
    assert "Do calls reach families?" in html and 'alt="Driver diagram. Aim:' in html
    # Self-contained: every image inline, nothing loaded from elsewhere.
    assert not re.findall(r'(?:src|href)="(?!data:)', html)
    pdf = client.get(reverse("improve-summary-pdf", kwargs={"pk": pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    details = set(AuditEvent.objects.filter(action="export").values_list("detail", flat=True))
    assert {"html", "pdf"} <= details


@pytest.mark.slow
def test_the_demo_projects_summary_fits_one_page():
    from django.test import RequestFactory
    from weasyprint import HTML

    from rollcall.web.improve.demo import add_demo_project
    from rollcall.web.improve.views import summary_html
    from rollcall.web.people.models import School

    project = add_demo_project(School.objects.get(school_id="A1"), account("principal"))
    request = RequestFactory().get("/")
    request.user = account("principal")
    _found, html = summary_html(request, project.pk)
    assert len(HTML(string=html).render().pages) == 1
