"""Who may see what (rollcall/web/scope.py): every page of the platform, as every role.

A record out of scope is a 404, the same as one that does not exist, so a response never
confirms that a student or school is there. The last test fails when a URL pattern has no
case here."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from web_world import ANONYMOUS, ROLES, account, assert_scoped

pytestmark = pytest.mark.django_db

EVERYONE = tuple(ROLES)


def client_for(username: str) -> Client:
    client = Client()
    if username != ANONYMOUS:
        client.force_login(account(username))  # signing in itself: test_web_pages
    return client


def caseload_pk(name: str) -> int:
    from rollcall.web.people.models import Caseload

    return Caseload.objects.get(name=name).pk


def network_pk() -> int:
    from rollcall.web.people.models import Network

    return Network.objects.get(name="Network").pk


# URL name → (arguments, the accounts that get 200; everyone else signed in gets 404).
def cases() -> dict[str, list[tuple[dict[str, object], set[str]]]]:
    a1 = {"district_id": "A", "school_id": "A1"}
    a2 = {"district_id": "A", "school_id": "A2"}
    b1 = {"district_id": "B", "school_id": "B1"}
    district_a = {"district", "admin"}
    return {
        # The district page compares every school: district staff and administrators only.
        "district": [
            ({"district_id": "A"}, district_a),
            ({"district_id": "B"}, set()),
            ({"district_id": "NOPE"}, set()),
        ],
        "school": [
            (a1, {"principal", *district_a}),
            (a2, {"team", *district_a}),
            (b1, {"other-principal"}),
            ({"district_id": "A", "school_id": "NOPE"}, set()),
        ],
        "school-students": [
            (a1, {"principal", *district_a}),
            (a2, {"team", *district_a}),
            (b1, {"other-principal"}),
        ],
        "school-students-csv": [
            (a1, {"principal", *district_a}),
            (b1, {"other-principal"}),
        ],
        "caseload": [
            ({"pk": "Advisory"}, {"teacher"}),
            ({"pk": "Partner"}, {"partner"}),
            ({"pk": 999999}, set()),
        ],
        "student": [
            # s1: in the teacher's advisory, at A1 (principal), in district A.
            ({"district_id": "A", "student_id": "s1"}, {"teacher", "principal", *district_a}),
            # s3: the partner's, at A2 (team).
            ({"district_id": "A", "student_id": "s3"}, {"partner", "team", *district_a}),
            # s5 moved from A1 to A2 this year: both schools counted it in the latest snapshot.
            ({"district_id": "A", "student_id": "s5"}, {"principal", "team", *district_a}),
            ({"district_id": "B", "student_id": "s4"}, {"other-principal"}),
            ({"district_id": "A", "student_id": "s4"}, set()),  # s4 is not in district A
            ({"district_id": "A", "student_id": "nobody"}, set()),
        ],
        # A network's page: its coach and its member districts' staff and administrators.
        "network": [({"pk": "Network"}, {"coach", *district_a})],
    }


def resolved(name: str, arguments: dict[str, object]) -> str:
    kwargs = dict(arguments)
    if name == "caseload" and isinstance(kwargs["pk"], str):
        kwargs["pk"] = caseload_pk(kwargs["pk"])
    if name == "network":
        kwargs["pk"] = network_pk()
    return reverse(name, kwargs=kwargs)


CASES = [
    (name, index, username)
    for name, listed in cases().items()
    for index in range(len(listed))
    for username in (*EVERYONE, ANONYMOUS)
]


@pytest.mark.parametrize(("name", "index", "username"), CASES)
def test_each_page_shows_only_to_those_in_its_scope(name, index, username):
    arguments, allowed = cases()[name][index]
    assert_scoped(client_for(username).get(resolved(name, arguments)), username, allowed)


@pytest.mark.parametrize("username", EVERYONE)
def test_home_links_each_person_only_to_their_own_places(username):
    page = client_for(username).get("/").content.decode()
    links = {
        "A1": '"/schools/A/A1/"', "A2": '"/schools/A/A2/"', "B1": '"/schools/B/B1/"',
        "Advisory": f'"/caseloads/{caseload_pk("Advisory")}/"',
        "Partner": f'"/caseloads/{caseload_pk("Partner")}/"',
        "Network": f'"/networks/{network_pk()}/"', "district A": '"/districts/A/"',
    }  # fmt: skip
    shown = {place for place, href in links.items() if f"href={href}" in page}
    expected = {
        "teacher": {"Advisory"},
        "principal": {"A1"},
        "team": {"A2"},
        "district": {"district A", "A1", "A2", "Network"},
        "admin": {"district A", "A1", "A2", "Network"},
        "partner": {"Partner"},
        "coach": {"Network"},
        "other-principal": {"B1"},
        "outsider": set(),
    }[username]
    assert shown == expected


def test_home_sends_the_anonymous_to_sign_in():
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_sign_in_page_is_open_and_sign_out_needs_a_post():
    assert Client().get(reverse("login")).status_code == 200
    client = client_for("principal")
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("username", EVERYONE)
def test_the_admin_is_for_the_administrator_only(username):
    response = client_for(username).get("/admin/")
    if username == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_partner_sees_no_suspensions_and_the_team_does():
    url = reverse("student", kwargs={"district_id": "A", "student_id": "s3"})
    assert "suspension" not in client_for("partner").get(url).content.decode()
    assert "suspension" in client_for("team").get(url).content.decode()


def test_a_coach_sees_published_measures_and_no_student():
    page = client_for("coach").get(resolved("network", {"pk": "Network"})).content.decode()
    assert "Alder Elementary" in page and "Ash District" in page
    # The forms' CSRF tokens are random text: a student id could appear in one by chance.
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    assert "/students/" not in page
    for private in ("Ana", "Lopez", "s1", "Okafor", "Chen"):
        assert private not in page
    # The schools are small: their counts are hidden under the disclosure rules.
    assert "fewer than 11" in page or "hidden" in page


# The URL names this module tests for every role; other test_web_* modules declare theirs the same
# way, and the test below collects them all.
SCOPE_TESTED = {*cases(), "home", "login", "logout", "admin"}


def url_names(patterns=None, prefix: str = "") -> set[str]:
    """Every named URL pattern, through includes; the admin site counts as one, ``admin``."""
    found: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith("admin/"):
            found.add("admin")
        elif hasattr(pattern, "url_patterns"):
            found |= url_names(pattern.url_patterns, route)
        else:
            found.add(pattern.name or route)
    return found


def test_every_url_pattern_has_a_scope_test():
    tested: set[str] = set()
    for module in sorted(Path(__file__).parent.glob("test_web_*.py")):
        tested |= getattr(importlib.import_module(module.stem), "SCOPE_TESTED", set())
    missing = url_names() - tested
    assert not missing, f"no test of who may see: {sorted(missing)}"
