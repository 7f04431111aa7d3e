"""The JSON API (rollcall/web/api/; docs/platform.md, "The API"): every endpoint as every
account, with no key and with a bad one. What is out of a person's scope is a 404 or left out of
a list, the same as what does not exist; the API's scopes are the pages' (rollcall.web.scope)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from web_world import PASSWORD, ROLES

pytestmark = pytest.mark.django_db

EVERYONE = tuple(ROLES)
NO_KEY, BAD_KEY = "no key", "bad key"
DISTRICT_A = {"district", "admin"}


def key_for(username: str) -> str:
    """A new key for ``username``, made by the function ``rollcall token`` calls."""
    from rollcall.web.people.tokens import issue_token

    return issue_token(username)


def get(username: str, url: str, **query: object):
    headers = {}
    if username == BAD_KEY:
        headers["Authorization"] = "Bearer rc_" + "x" * 43
    elif username != NO_KEY:
        headers["Authorization"] = f"Bearer {key_for(username)}"
    return Client().get(url, query, headers=headers)


def network_pk() -> int:
    from rollcall.web.people.models import Network

    return Network.objects.get(name="Network").pk


def student_url(district_id: str, student_id: str) -> str:
    return reverse("api:api-student", kwargs={"district_id": district_id, "student_id": student_id})


# --- authentication ---


def urls() -> list[str]:
    return [
        reverse("api:api-schools"),
        reverse("api:api-students"),
        student_url("A", "s1"),
        reverse("api:api-snapshots"),
        reverse("api:api-network-measures", kwargs={"pk": network_pk()}),
    ]


@pytest.mark.parametrize("index", range(5))
@pytest.mark.parametrize("who", [NO_KEY, BAD_KEY])
def test_no_key_or_a_bad_key_is_a_401_in_json(index, who):
    response = get(who, urls()[index])
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Token {key}", "Basic {key}", "Bearer {key}x", "bearer rc_", "{key}"],
)
def test_a_malformed_authorization_is_a_401(header):
    key = key_for("district")
    response = Client().get(
        reverse("api:api-schools"), headers={"Authorization": header.format(key=key)}
    )
    assert response.status_code == 401


def test_a_session_is_not_a_key():
    client = Client()
    assert client.login(username="district", password=PASSWORD)
    assert client.get(reverse("api:api-schools")).status_code == 401


def test_a_key_of_a_deactivated_account_is_refused():
    from django.contrib.auth import get_user_model

    key = key_for("district")
    get_user_model().objects.filter(username="district").update(is_active=False)
    response = Client().get(reverse("api:api-schools"), headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_only_the_hash_of_a_key_is_stored_and_its_use_is_noted():
    from rollcall.web.people.models import ApiToken

    key = key_for("principal")
    assert key.startswith("rc_") and len(key) >= 40
    stored = ApiToken.objects.get(user__username="principal")
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in stored.key_hash and stored.last_used_at is None
    headers = {"Authorization": f"Bearer {key}"}
    assert Client().get(reverse("api:api-schools"), headers=headers).status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    assert key_for("principal") != key  # a new key each time; both work until revoked
    assert ApiToken.objects.filter(user__username="principal").count() == 2


def test_no_key_for_an_unknown_or_inactive_account():
    from django.contrib.auth import get_user_model

    from rollcall.errors import RollcallError

    with pytest.raises(RollcallError, match="no active account named 'nobody'"):
        key_for("nobody")
    get_user_model().objects.filter(username="teacher").update(is_active=False)
    with pytest.raises(RollcallError, match="no active account named 'teacher'"):
        key_for("teacher")


# --- the schema ---


def test_the_schema_is_openapi_json_listing_every_endpoint():
    response = Client().get("/api/schema")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/schools",
        "/api/students",
        "/api/students/{district_id}/{student_id}",
        "/api/snapshots",
        "/api/networks/{pk}/measures",
        "/api/projects",
        "/api/projects/{pk}",
    }
    assert schema["components"]["securitySchemes"]["BearerKey"]["scheme"] == "bearer"
    for path in schema["paths"].values():
        assert path["get"]["security"] == [{"BearerKey": []}]


def test_there_is_no_docs_page_and_the_root_is_not_found():
    assert Client().get("/api/docs").status_code == 404
    assert get("district", reverse("api:api-root")).status_code == 404


# --- schools ---

SCHOOLS = {
    "teacher": set(),
    "principal": {("A", "A1")},
    "team": {("A", "A2")},
    "district": {("A", "A1"), ("A", "A2")},
    "admin": {("A", "A1"), ("A", "A2")},
    "partner": set(),
    "coach": set(),
    "other-principal": {("B", "B1")},
    "outsider": set(),
}


@pytest.mark.parametrize("username", EVERYONE)
def test_schools_are_exactly_those_in_scope(username):
    response = get(username, reverse("api:api-schools"))
    assert response.status_code == 200
    got = [(s["district_id"], s["school_id"]) for s in response.json()]
    assert len(got) == len(set(got)) and set(got) == SCHOOLS[username]


def test_a_school_carries_its_latest_counts():
    from rollcall.web.snapshots.models import Snapshot

    (a1,) = [s for s in get("principal", reverse("api:api-schools")).json()]
    latest = Snapshot.objects.filter(district__district_id="A").latest()
    assert a1["name"] == "Alder Elementary" and a1["district_name"] == "Ash District"
    assert a1["snapshot_id"] == latest.pk and a1["as_of"] == latest.period_end.isoformat()
    # A1 at the second refresh: s1 (severe), s2 and s5 (its first 10 days, none missed).
    assert a1["eligible_students"] == 3 and a1["chronically_absent"] == 1
    assert a1["chronic_absence_rate"] == pytest.approx(1 / 3, abs=1e-6)


# --- students ---

STUDENTS = {
    "teacher": {("A", "s1"), ("A", "s2")},
    "principal": {("A", "s1"), ("A", "s2"), ("A", "s5")},
    "team": {("A", "s3"), ("A", "s5")},
    "district": {("A", "s1"), ("A", "s2"), ("A", "s3"), ("A", "s5")},
    "admin": {("A", "s1"), ("A", "s2"), ("A", "s3"), ("A", "s5")},
    "partner": {("A", "s3")},
    "coach": set(),  # a coach sees no student: the list is empty (not a 404)
    "other-principal": {("B", "s4")},
    "outsider": set(),
}


@pytest.mark.parametrize("username", EVERYONE)
def test_students_are_exactly_those_in_scope(username):
    response = get(username, reverse("api:api-students"))
    assert response.status_code == 200
    page = response.json()
    got = [(s["district_id"], s["student_id"]) for s in page["items"]]
    assert len(got) == len(set(got)) and set(got) == STUDENTS[username]
    assert page["count"] == len(got) and (page["limit"], page["offset"]) == (100, 0)
    for item in page["items"]:
        assert "days_suspension" not in item


def test_a_student_in_the_list_has_their_latest_band_at_the_district():
    items = get("district", reverse("api:api-students")).json()["items"]
    s1 = next(s for s in items if s["student_id"] == "s1")
    assert s1["name"] == "Ana Lopez" and s1["band"] == "severe"
    assert s1["days_enrolled"] == 40 and s1["days_absent"] == 8
    assert s1["absence_rate"] == pytest.approx(0.2)
    assert next(s for s in items if s["student_id"] == "s2")["band"] == "satisfactory"


def test_the_students_come_in_pages():
    pages = [
        get("district", reverse("api:api-students"), limit=3, offset=offset).json()
        for offset in (0, 3, 6)
    ]
    assert [p["count"] for p in pages] == [4, 4, 4]
    ids = [[s["student_id"] for s in p["items"]] for p in pages]
    assert ids == [["s1", "s2", "s3"], ["s5"], []]


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "x"}])
def test_a_page_out_of_bounds_is_refused(query):
    assert get("district", reverse("api:api-students"), **query).status_code == 422


def test_the_student_list_is_recorded_in_the_audit_trail():
    from rollcall.web.audit.models import AuditEvent

    get("teacher", reverse("api:api-students"), limit=5)
    event = AuditEvent.objects.filter(username="teacher").latest("pk")
    assert (event.action, event.what, event.object_id) == ("view", "student list", "api")
    assert event.detail == "limit=5, offset=0"


# --- a student's record ---

# (district, student) → the accounts that get 200; everyone else gets 404 (as in test_web_scope).
RECORDS = [
    (("A", "s1"), {"teacher", "principal", *DISTRICT_A}),
    (("A", "s3"), {"partner", "team", *DISTRICT_A}),
    (("A", "s5"), {"principal", "team", *DISTRICT_A}),
    (("B", "s4"), {"other-principal"}),
    (("A", "s4"), set()),  # s4 is not in district A
    (("A", "nobody"), set()),
]


@pytest.mark.parametrize("username", EVERYONE)
@pytest.mark.parametrize("index", range(len(RECORDS)))
def test_a_student_record_is_found_only_in_scope(index, username):
    (district_id, student_id), allowed = RECORDS[index]
    response = get(username, student_url(district_id, student_id))
    if username in allowed:
        assert response.status_code == 200
        record = response.json()
        assert (record["district_id"], record["student_id"]) == (district_id, student_id)
        assert record["history"] and all(h["student_id"] == student_id for h in record["history"])
    else:
        assert response.status_code == 404
        assert response.json() == {"detail": "Not Found"}  # the same as for no such student


def test_a_record_has_the_band_and_days_at_each_refresh():
    from rollcall.web.snapshots.models import Snapshot

    history = get("teacher", student_url("A", "s1")).json()["history"]
    first, second = Snapshot.objects.filter(district__district_id="A").order_by("period_end")
    seen = {(h["snapshot_id"], h["level"]): (h["band"], h["days_absent"]) for h in history}
    assert seen == {
        (second.pk, "district"): ("severe", 8.0),
        (second.pk, "school"): ("severe", 8.0),
        (first.pk, "district"): ("moderate", 2.0),
        (first.pk, "school"): ("moderate", 2.0),
    }
    assert history[0]["as_of"] == second.period_end.isoformat()  # newest first


def test_a_partner_gets_no_suspension_days_and_the_team_does():
    partner = get("partner", student_url("A", "s3")).json()["history"]
    team = get("team", student_url("A", "s3")).json()["history"]
    assert partner and all("days_suspension" not in h for h in partner)
    assert "days_suspension" not in str(partner)
    assert max(h["days_suspension"] for h in team) == 1.0
    assert len(partner) == len(team)
    fields = set(Client().get("/api/schema").json()["components"]["schemas"]["StudentMetricOut"]
                 ["properties"])  # fmt: skip
    assert all(set(h) == fields for h in team)  # null values are there, as null
    assert all(set(h) == fields - {"days_suspension"} for h in partner)


def test_reading_a_record_is_recorded_in_the_audit_trail():
    from rollcall.web.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    get("principal", student_url("A", "s1"))
    event = AuditEvent.objects.latest("pk")
    assert AuditEvent.objects.count() == before + 1
    assert (event.username, event.action, event.what) == ("principal", "view", "student")
    assert (event.object_id, event.detail) == ("A/s1", "api")
    get("principal", student_url("B", "s4"))  # out of scope: nothing read, nothing recorded
    assert AuditEvent.objects.count() == before + 1


# --- snapshots ---

SNAPSHOT_DISTRICTS = {
    "teacher": {"A"},
    "principal": {"A"},
    "team": {"A"},
    "district": {"A"},
    "admin": {"A"},
    "partner": {"A"},
    "coach": set(),  # the published measures carry their dates; nothing else
    "other-principal": {"B"},
    "outsider": set(),
}


@pytest.mark.parametrize("username", EVERYONE)
def test_snapshots_are_those_of_the_districts_in_scope(username):
    from rollcall.web.snapshots.models import Snapshot

    response = get(username, reverse("api:api-snapshots"))
    assert response.status_code == 200
    got = {s["id"] for s in response.json()}
    expected = Snapshot.objects.filter(district__district_id__in=SNAPSHOT_DISTRICTS[username])
    assert got == set(expected.values_list("pk", flat=True))
    assert len(response.json()) == len(got)


def test_a_snapshot_has_its_dates_policy_and_counts():
    from web_world import FIRST, SECOND

    found = get("principal", reverse("api:api-snapshots")).json()
    assert [s["period_end"] for s in found] == [SECOND.isoformat(), FIRST.isoformat()]
    newest = found[0]
    assert newest["policy"] == "attendance-works" and newest["refused"] == 0
    read = newest["counts"]["students.csv"]
    assert read == {"read": 5, "accepted": 5, "ignored": 0, "rejected": 0}
    assert set(newest) == {
        "id", "district_id", "school_year", "period_start", "period_end", "created_at", "policy",
        "counts", "refused",
    }  # fmt: skip


# --- a network's measures ---


@pytest.mark.parametrize("username", EVERYONE)
def test_network_measures_are_the_coachs_and_the_member_districts_only(username):
    response = get(username, reverse("api:api-network-measures", kwargs={"pk": network_pk()}))
    if username in {"coach", *DISTRICT_A}:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def test_no_such_network_is_not_found():
    url = reverse("api:api-network-measures", kwargs={"pk": 999999})
    assert get("coach", url).status_code == 404


def test_the_coach_gets_exactly_the_published_rows_of_the_latest_refresh():
    from rollcall.web.snapshots.models import PublishedRow

    rows = get("coach", reverse("api:api-network-measures", kwargs={"pk": network_pk()})).json()
    latest = PublishedRow.objects.filter(
        snapshot__district__district_id="A",
        snapshot__period_end__in=[r["as_of"] for r in rows],
        level__in=("school", "district"),  # not the input's total, which spans other districts
    )
    assert {r["snapshot_id"] for r in rows} == {latest.first().snapshot_id}
    assert len(rows) == latest.count() and {r["district_id"] for r in rows} == {"A"}
    assert {r["unit_id"] for r in rows} == {"A", "A1", "A2"}
    # The schools are small: their counts are hidden under the disclosure rules.
    a1 = next(r for r in rows if r["unit_id"] == "A1" and r["dimension"] == "all")
    assert a1["eligible_students"] is None and a1["note"]
    text = str(rows)
    for private in ("student_id", "s1", "Ana", "Lopez", "Okafor", "Chen", "days_suspension"):
        assert private not in text


def test_the_coach_gets_no_student_anywhere():
    replies = [get("coach", url).content.decode() for url in urls()]
    replies.append(get("coach", student_url("A", "s3")).content.decode())
    for reply in replies:
        assert "student_id" not in reply and "Lopez" not in reply
    assert get("coach", reverse("api:api-students")).json()["items"] == []
    assert get("coach", student_url("A", "s1")).status_code == 404


# --- every object naming a student carries student_id ---


def test_every_object_naming_a_student_carries_student_id():
    schema = Client().get("/api/schema").json()["components"]["schemas"]
    for name in ("StudentOut", "StudentRecordOut", "StudentMetricOut"):
        assert "student_id" in schema[name]["required"], name
    for name in ("SchoolOut", "SnapshotOut", "PublishedRowOut"):
        assert not any(field.startswith("student") for field in schema[name]["properties"]), name


# --- rollcall token ---


def own_sqlite() -> dict[str, str]:
    """The environment without the tests' database or data folder: the command's own."""
    private = ("DATABASE_URL", "ROLLCALL_DATA", "DJANGO_SETTINGS_MODULE")
    return {k: v for k, v in os.environ.items() if k not in private}


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=False, env=env
    )


@pytest.mark.slow
def test_rollcall_token_prints_a_key_once_and_refuses_an_unknown_account(tmp_path):
    data = tmp_path / "data"
    env = own_sqlite()
    cli = ("-c", "from rollcall.cli import main; main()", "token")
    unknown = run(*cli, "nobody", "--data", str(data), env=env)
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.count("\n") == 1 and "no active account named 'nobody'" in unknown.stderr

    made = run(
        "-m", "django", "createsuperuser", "--noinput", "--username", "ada",
        "--email", "ada@example.org",
        env={**env, "ROLLCALL_DATA": str(data), "DJANGO_SETTINGS_MODULE": "rollcall.web.settings",
             "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    done = run(*cli, "ada", "--data", str(data), env=env)
    assert done.returncode == 0, done.stderr
    (key,) = done.stdout.splitlines()
    assert key.startswith("rc_") and len(key) >= 40
    with sqlite3.connect(data / "rollcall.sqlite3") as db:
        stored = db.execute("select key_hash from people_apitoken").fetchall()
    assert stored == [(hashlib.sha256(key.encode()).hexdigest(),)]  # the hash, never the key


# The URL names this module tests for every account (tests/test_web_scope.py collects them).
SCOPE_TESTED = {
    "api-schools",
    "api-students",
    "api-student",
    "api-snapshots",
    "api-network-measures",
    "api-root",
    "openapi-json",
}
