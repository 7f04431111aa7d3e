"""A network seen by its members (issue 14): the district staff and administrators of a member
district see the network's page and library as its coach does, and nothing of another network;
they and the coach add change ideas to the library with what their cycles found (refused when
the text names a student); the coach imports another network's library export (a change
package), read strictly, all or nothing.

Besides the world's "Network" (district A, coached by ``coach``), these tests make an "Other
network" holding district B, with its coach ``other-coach`` and B's administrator
``other-admin``."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from network_world import add_other_network
from test_web_improve import make_project, network, share
from web_world import ANONYMOUS, account

pytestmark = pytest.mark.django_db

MEMBERS = {"coach", "district", "admin"}  # who sees the world's network
OTHERS = {"other-coach", "other-admin"}  # who sees the other network
PEOPLE = ("coach", "district", "admin", "other-coach", "other-admin", "teacher", "principal",
          "team", "partner", "other-principal", "outsider", ANONYMOUS)  # fmt: skip


@pytest.fixture(autouse=True)
def other_network():
    """District B in a network of its own, with its coach and its administrator."""
    add_other_network()


def other():
    from rollcall.web.people.models import Network

    return Network.objects.get(name="Other network")


def client_for(username: str) -> Client:
    client = Client()
    if username != ANONYMOUS:
        client.force_login(account(username))
    return client


def text_of(response) -> str:
    """A page's text without its forms' random CSRF tokens (a student id could appear in one)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


# --- who may see and do what ------------------------------------------------------------------

# URL name → [(which network, who gets 200)]; everyone else signed in gets 404.
SEEN = {
    "network": [(network, MEMBERS), (other, OTHERS)],
    "network-library-csv": [(network, MEMBERS), (other, OTHERS)],
    "network-library-json": [(network, MEMBERS), (other, OTHERS)],
    "network-library-add": [(network, MEMBERS), (other, OTHERS)],
}
# Importing: the network's coach; its member districts' people get 403; everyone else 404.
IMPORTING = {"network-library-import": [(network, {"coach"}, {"district", "admin"}),
                                        (other, {"other-coach"}, {"other-admin"})]}  # fmt: skip
SCOPE_TESTED = {*SEEN, *IMPORTING}


def expect(response, username: str, allowed: set[str], forbidden: set[str] = frozenset()):
    if username == ANONYMOUS:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif username in allowed:
        assert response.status_code in (200, 302)
    elif username in forbidden:
        assert response.status_code == 403
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "index", "username"),
    [(n, i, u) for n, cases in SEEN.items() for i in range(len(cases)) for u in PEOPLE],
)
def test_a_network_shows_to_its_coach_and_member_districts_only(name, index, username):
    which, allowed = SEEN[name][index]
    response = client_for(username).get(reverse(name, kwargs={"pk": which().pk}))
    expect(response, username, allowed)
    if username in allowed:
        assert response.status_code == 200


@pytest.mark.parametrize(("index", "username"), [(i, u) for i in range(2) for u in PEOPLE])
def test_the_import_page_is_the_coachs_and_forbidden_to_member_districts(index, username):
    which, allowed, forbidden = IMPORTING["network-library-import"][index]
    url = reverse("network-library-import", kwargs={"pk": which().pk})
    expect(client_for(username).get(url), username, allowed, forbidden)


@pytest.mark.parametrize(("index", "username"), [(i, u) for i in range(2) for u in PEOPLE])
def test_only_the_coach_imports_and_a_refusal_imports_nothing(index, username):
    from rollcall.web.improve.models import LibraryEntry

    which, allowed, forbidden = IMPORTING["network-library-import"][index]
    url = reverse("network-library-import", kwargs={"pk": which().pk})
    response = client_for(username).post(url, {"package": upload(PACKAGE_CSV, "ideas.csv")})
    expect(response, username, allowed, forbidden)
    assert LibraryEntry.objects.exists() == (username in allowed)


@pytest.mark.parametrize(("index", "username"), [(i, u) for i in range(2) for u in PEOPLE])
def test_only_those_who_see_the_network_add_an_idea_to_its_library(index, username):
    from rollcall.web.improve.models import LibraryEntry
    from rollcall.web.people.models import District

    which, allowed = SEEN["network-library-add"][index]
    district = District.objects.get(district_id="A" if which == network else "B")
    data = {"district": district.pk, "name": "Attendance buddies", "tier": "2",
            "results": "Eight of ten pairs came every day for a month."}  # fmt: skip
    response = client_for(username).post(
        reverse("network-library-add", kwargs={"pk": which().pk}), data
    )
    expect(response, username, allowed)
    assert LibraryEntry.objects.filter(network=which()).exists() == (username in allowed)


def test_the_api_gives_the_network_to_its_member_districts_and_not_another_networks():
    from rollcall.web.people.tokens import issue_token

    answers = (("admin", network, 200), ("admin", other, 404), ("other-admin", other, 200),
               ("other-admin", network, 404))  # fmt: skip
    for username, which, status in answers:
        url = reverse("api:api-network-measures", kwargs={"pk": which().pk})
        headers = {"Authorization": f"Bearer {issue_token(username)}"}
        assert Client().get(url, headers=headers).status_code == status, (username, which)


# --- what a member district sees --------------------------------------------------------------


@pytest.fixture
def shared():
    """A1's project shared with the network, with its cycle's results."""
    made = make_project("A1")
    cycle = made["cycle"]
    cycle.study, cycle.act = "21 of 30 families answered the evening calls.", "adopt"
    cycle.save()
    assert share("principal", made["project"], [cycle]).status_code == 302
    return made


@pytest.mark.parametrize("username", ["district", "admin"])
def test_a_member_district_sees_the_network_as_its_coach_does_and_no_student(shared, username):
    page = text_of(client_for(username).get(reverse("network", kwargs={"pk": network().pk})))
    coach = text_of(client_for("coach").get(reverse("network", kwargs={"pk": network().pk})))
    for seen in ("Alder Elementary", "Ash District", "Bright spots",
                 "21 of 30 families answered the evening calls.",
                 "Mailings to parents correcting misbeliefs about absences"):  # fmt: skip
        assert seen in page and seen in coach
    assert "/students/" not in page
    for private in ("Ana", "Lopez", "Okafor", "Chen", "Novak", "s1", "s5"):
        assert not re.search(rf"\b{private}\b", page), private
    # The members' published measures, exactly as the coach reads them (small counts hidden).
    published = page.split("<h1>")[1].split('id="bright-spots"')[0]
    assert published == coach.split("<h1>")[1].split('id="bright-spots"')[0]
    assert "—" in published


def test_a_member_districts_staff_finds_the_network_from_home_and_the_district_page():
    link = f'href="/networks/{network().pk}/"'
    for username in ("district", "admin"):
        client = client_for(username)
        assert link in client.get("/").content.decode()
        assert link in client.get(reverse("district", kwargs={"district_id": "A"})).content.decode()
    for username in ("teacher", "principal", "team", "partner"):
        assert link not in client_for(username).get("/").content.decode()
    assert f'href="/networks/{other().pk}/"' in client_for("other-admin").get("/").content.decode()


def test_a_district_of_another_network_sees_nothing_of_this_one(shared):
    from rollcall.web.improve.models import LibraryEntry

    client = client_for("other-admin")
    pk = network().pk
    for name in ("network", "network-library-csv", "network-library-json", "network-library-add",
                 "network-library-import"):  # fmt: skip
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404, name
    response = client.post(reverse("network-library-add", kwargs={"pk": pk}),
                           {"name": "x", "tier": "1", "results": "y"})  # fmt: skip
    assert response.status_code == 404 and not LibraryEntry.objects.exists()
    own = text_of(client.get(reverse("network", kwargs={"pk": other().pk})))
    assert "Alder Elementary" not in own and "21 of 30 families" not in own
    assert "Birch Elementary" in own


# --- adding a change idea ---------------------------------------------------------------------


def add(username: str, which=network, **fields):
    from rollcall.web.people.models import District

    data = {"district": District.objects.get(district_id="A").pk,
            "name": "Attendance buddies", "tier": "2",
            "results": "Eight of ten pairs came every day for a month.", **fields}  # fmt: skip
    url = reverse("network-library-add", kwargs={"pk": which().pk})
    return client_for(username).post(url, data)


def library_rows(username: str, which=network) -> list[dict[str, str]]:
    response = client_for(username).get(reverse("network-library-csv", kwargs={"pk": which().pk}))
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_a_member_adds_an_idea_with_its_cycles_and_every_member_reads_it(shared):
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.improve.models import LibraryEntry

    cycle = shared["cycle"]
    response = add("district", name="Evening  calls in the home language", tier="1",
                   results="Calls from 5 to 7 pm: 21 of 30 families answered.",
                   cycles=[cycle.pk])  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"/networks/{network().pk}/#library"
    entry = LibraryEntry.objects.get()
    assert (entry.name, entry.tier, entry.source) == (
        "Evening calls in the home language",
        1,
        "Ash District",
    )
    assert entry.cycles == [{"project": "Project", "idea": "Welcome calls in the first week",
                             "number": 1, "start": cycle.start_date.isoformat(),
                             "end": cycle.end_date.isoformat(), "act": "adopt"}]  # fmt: skip
    tested = (
        "Calls from 5 to 7 pm: 21 of 30 families answered. PDSA 1 of “Welcome calls in the first "
        f"week” (Project), {cycle.start_date} to {cycle.end_date}: adopt."
    )
    # In the exports (after the seed and the shared ideas), for the coach and the members.
    for username in ("coach", "admin"):
        last = library_rows(username)[-1]
        assert last == {"name": "Evening calls in the home language", "tier": "1",
                        "evidence": "tested by a member", "source": "Ash District",
                        "tested": tested, "imported_from": ""}  # fmt: skip
    data = client_for("coach").get(reverse("network-library-json", kwargs={"pk": network().pk}))
    assert data.json()["change_ideas"][-1]["tier"] == 1
    page = client_for("coach").get(reverse("network", kwargs={"pk": network().pk}))
    assert "Evening calls in the home language" in page.content.decode()
    assert AuditEvent.objects.filter(what="network library", detail__contains="added").exists()


def test_the_idea_form_is_on_the_network_page_with_the_members_own_cycles_only(shared):
    make_project("B1", district_id="B", name="Birch project")
    page = client_for("admin").get(reverse("network", kwargs={"pk": network().pk})).content.decode()
    assert "Add a change idea your district tested" in page
    assert "Project: PDSA 1 of “Welcome calls in the first week”" in page
    assert "Birch project" not in page
    assert "Import a change package" not in page  # the coach's
    coach = client_for("coach").get(reverse("network", kwargs={"pk": network().pk})).content
    assert "Import a change package" in coach.decode()
    assert "PDSA 1 of" not in coach.decode().split("add-idea")[1]  # a coach sees no project


def test_a_member_cannot_name_a_cycle_of_another_district_or_add_for_another_district(shared):
    from rollcall.web.improve.models import LibraryEntry
    from rollcall.web.people.models import District

    birch = make_project("B1", district_id="B")
    response = add("admin", cycles=[birch["cycle"].pk])
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = add("admin", district=District.objects.get(district_id="B").pk)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not LibraryEntry.objects.exists()


def test_a_coach_adds_an_idea_for_a_member_district(shared):
    from rollcall.web.improve.models import LibraryEntry

    assert add("coach").status_code == 302
    assert LibraryEntry.objects.get().source == "Ash District"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("tier", "4", "Select a valid choice"),
    ("tier", "", "This field is required"),
    ("name", "", "This field is required"),
    ("results", "", "This field is required"),
    ("name", "x" * 301, "at most 300 characters"),
])  # fmt: skip
def test_an_idea_needs_a_name_a_tier_of_1_to_3_and_its_results(field, value, message):
    from rollcall.web.improve.models import LibraryEntry

    response = add("district", **{field: value})
    assert response.status_code == 200 and message in response.content.decode()
    assert not LibraryEntry.objects.exists()


def test_an_idea_naming_a_student_is_refused_naming_the_field_and_the_words():
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.improve.models import LibraryEntry

    response = add("district", results="Ana's family answered; so did S1's.")
    page = response.content.decode()
    assert response.status_code == 200 and not LibraryEntry.objects.exists()
    errors = re.search(r'id="id_results_errors"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "names or ids of students of Ash District" in errors and "Ana, S1" in errors
    assert 'id="id_name_errors"' not in page  # the name is fine
    assert AuditEvent.objects.filter(detail="idea refused: student names").exists()


def test_a_coachs_idea_naming_a_student_is_refused_without_showing_the_words():
    from rollcall.web.improve.models import LibraryEntry

    response = add("coach", name="Calls to the Okafor family")
    page = text_of(response)
    assert response.status_code == 200 and not LibraryEntry.objects.exists()
    errors = re.search(r'id="id_name_errors"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "a word of this is the name or id of a student of Ash District" in errors
    assert "Okafor" not in errors


# --- a pause after refusals that tell a coach a word is a student's name ---------------------


def test_a_coach_is_paused_after_five_texts_refused_for_naming_students(settings):
    from rollcall.web.improve.models import LibraryEntry
    from rollcall.web.people.models import District

    # Each refusal tells the coach, who sees no student, that some word is a student's name:
    # after NAME_REFUSALS of them, adding waits, even a text that names nobody.
    for _ in range(settings.NAME_REFUSALS):
        assert add("coach", name="Calls to the Okafor family").status_code == 200
    paused = add("coach")
    assert paused.status_code == 429 and not LibraryEntry.objects.exists()
    assert "Paused: 5 texts from your account were refused" in paused.content.decode()
    assert (
        client_for("coach")
        .get(reverse("network-library-add", kwargs={"pk": network().pk}))
        .status_code
        == 200
    )  # reading the form still works
    # Importing waits too, and so does nothing for the coach of another network.
    assert import_file("coach", PACKAGE_CSV, "ideas.csv").status_code == 429
    other_district = District.objects.get(district_id="B").pk
    assert add("other-coach", which=other, district=other_district).status_code == 302
    # The district's own staff see the words of their refusals: never paused by them.
    for _ in range(settings.NAME_REFUSALS + 1):
        assert add("district", results="Ana answered.").status_code == 200
    assert add("district").status_code == 302


def test_a_coachs_refused_imports_count_towards_the_pause_and_it_ends_with_its_window(settings):
    # Files refused for another reason count for nothing: they tell nothing of a student.
    for _ in range(settings.NAME_REFUSALS):
        assert import_file("coach", "name\n", "bad.csv").status_code == 400
    assert import_file("coach", PACKAGE_CSV, "ideas.csv").status_code == 302
    text = PACKAGE_CSV + "Lunch with Ms Lopez,1,,Cedar District,,\n"
    for _ in range(settings.NAME_REFUSALS):
        assert import_file("coach", text, "cedar.csv").status_code == 400
    assert import_file("coach", PACKAGE_CSV, "ideas.csv").status_code == 429
    settings.NAME_REFUSAL_PAUSE_SECONDS = 0  # the refusals fall out of the window
    assert import_file("coach", PACKAGE_CSV, "ideas.csv").status_code == 302


# --- importing a change package: the reader ---------------------------------------------------

HEADER = "name,tier,evidence,source,tested,imported_from"
PACKAGE_CSV = (
    f"{HEADER}\n"
    'Recognise good and improved attendance,1,practice,"Attendance Works, tiered approach",,\n'
    'Walking buddies,2,tested by a member,Cedar District,"Six weeks, two routes: 14 of 18 '
    'walked every day.",\n'
    "Attendance nudges by text,,tested by a member,Cedar District,PDSA 1: adopt,older.csv\n"
)


def upload(text: str | bytes, name: str) -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def read(text: str | bytes, name: str = "ideas.csv"):
    from rollcall.web.improve.package import read_package

    return read_package(text.encode() if isinstance(text, str) else text, name)


def test_the_reader_reads_a_csv_package_with_its_lines():
    found = read(PACKAGE_CSV)
    assert [(f.idea.name, f.idea.tier, f.idea.source, f.line) for f in found] == [
        ("Recognise good and improved attendance", 1, "Attendance Works, tiered approach", 2),
        ("Walking buddies", 2, "Cedar District", 3),
        ("Attendance nudges by text", None, "Cedar District", 4),
    ]
    assert found[1].idea.tested == "Six weeks, two routes: 14 of 18 walked every day."


def test_the_reader_takes_columns_in_any_order_a_bom_blank_lines_and_no_imported_from():
    text = "\ufefftested,source,name,evidence,tier\r\n\r\n" + "found,Cedar,Buddies,,3\r\n"
    (found,) = read(text)
    assert (found.idea.name, found.idea.tier, found.idea.tested, found.line) == (
        "Buddies",
        3,
        "found",
        3,
    )


def test_the_reader_restores_a_cell_the_export_neutralised():
    (found,) = read(f"{HEADER}\n'=Buddies,1,,Cedar,'-found,\n")
    assert (found.idea.name, found.idea.tested) == ("=Buddies", "-found")


def test_the_reader_reads_a_json_package_with_its_items():
    text = json.dumps({"network": "Cedar network", "change_ideas": [
        {"name": "Walking buddies", "tier": 2, "evidence": "tested by a member",
         "source": "Cedar District", "tested": "14 of 18", "imported_from": ""},
        {"name": "Nudges", "tier": None, "evidence": "", "source": "Cedar District",
         "tested": ""},
    ]})  # fmt: skip
    found = read(text, "ideas.json")
    assert [(f.idea.name, f.idea.tier, f.item) for f in found] == [
        ("Walking buddies", 2, 1), ("Nudges", None, 2)
    ]  # fmt: skip


def json_package(*items) -> str:
    return json.dumps({"network": "Cedar network", "change_ideas": list(items)})


GOOD = {"name": "Walking buddies", "tier": 2, "evidence": "", "source": "Cedar District",
        "tested": "", "imported_from": ""}  # fmt: skip
# (what the file holds, its name, the message: the file, the line or item, the column)
BAD_FILES = [
    ("name,tier,evidence,source\nx,1,,y\n", "a.csv",
     "a.csv, line 1, column 'tested': lacks the column"),
    (f"{HEADER},colour\nx,1,,y,,,red\n", "a.csv",
     "a.csv, line 1, column 'colour': has a column the library does not have"),
    (f"{HEADER},name\n", "a.csv", "a.csv, line 1, column 'name': names the column twice"),
    ("", "a.csv", "a.csv, line 1: is empty: its first line names the columns"),
    (f"{HEADER}\nx,1,,y,,\nx,1,y\n", "a.csv",
     "a.csv, line 3: has 3 values where the first line names 6 columns"),
    (f"{HEADER}\nx,1,,y,,\n\"Buddies\nwho walk\",4,,y,,\n", "a.csv",
     "a.csv, line 3, column 'tier': is '4': a tier is 1, 2 or 3, or empty"),
    (f"{HEADER}\nx,one,,y,,\n", "a.csv", "a.csv, line 2, column 'tier': is 'one'"),
    (f"{HEADER}\n  ,1,,y,,\n", "a.csv", "a.csv, line 2, column 'name': is empty"),
    (f"{HEADER}\nx,1,,,,\n", "a.csv", "a.csv, line 2, column 'source': is empty"),
    (f"{HEADER}\n{'x' * 301},1,,y,,\n", "a.csv",
     "a.csv, line 2, column 'name': is 301 characters long; at most 300"),
    (f"{HEADER}\nx,1,,y,,\nx,1,,y,\"open,\n", "a.csv",
     "a.csv, line 3: is not valid CSV: unexpected end of data"),
    (f"{HEADER}\nx,1,,y,\"a\"b,\n", "a.csv", "a.csv, line 2: is not valid CSV: ',' expected"),
    (f"{HEADER}\nx\0,1,,y,,\n", "a.csv",
     "a.csv, line 2, column 'name': holds a control character (U+0000)"),
    (f"{HEADER}\nx,1,,y,,\n".encode() + "Caf\u00e9,1,,y,,\n".encode("latin-1"), "a.csv",
     "a.csv, line 3: is not UTF-8 text (byte"),
    (b"x" * (1024**2 + 1), "big.csv", "big.csv: is larger than the limit of 1 MB"),
    (f"{HEADER}\nx,1,,y,,\n", "ideas.xlsx", "ideas.xlsx: is not a change package"),
    ('{"change_ideas": [\n  {"name": "x",}\n]}', "a.json",
     "a.json, line 2: is not valid JSON: Expecting property name"),
    ("[]", "a.json", "a.json: is not a change-idea library"),
    (json_package(GOOD, "x"), "a.json", "a.json, item 2: is not a JSON object"),
    (json_package(GOOD, {k: v for k, v in GOOD.items() if k != "source"}), "a.json",
     "a.json, item 2, column 'source': lacks the column"),
    (json_package(GOOD | {"colour": "red"}), "a.json",
     "a.json, item 1, column 'colour': has a column the library does not have"),
    (json_package(GOOD, GOOD | {"tier": "2"}), "a.json",
     "a.json, item 2, column 'tier': is \"2\": a tier is 1, 2, 3 or null"),
    (json_package(GOOD | {"tier": True}), "a.json", "a.json, item 1, column 'tier': is true"),
    (json_package(GOOD | {"tier": 0}), "a.json",
     "a.json, item 1, column 'tier': is '0': a tier is 1, 2 or 3, or empty"),
    (json_package(GOOD | {"name": 7}), "a.json",
     "a.json, item 1, column 'name': is 7: it must be text"),
    (json_package(GOOD | {"name": " "}), "a.json", "a.json, item 1, column 'name': is empty"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "name", "message"), BAD_FILES)
def test_the_reader_refuses_a_bad_file_naming_the_file_the_line_or_item_and_the_column(
    data, name, message
):
    from rollcall.web.improve.package import PackageError

    with pytest.raises(PackageError) as refused:
        read(data, name)
    assert str(refused.value).startswith(message), str(refused.value)


# --- importing a change package: the page -----------------------------------------------------


def import_file(username: str, text: str | bytes, name: str, which=network):
    url = reverse("network-library-import", kwargs={"pk": which().pk})
    return client_for(username).post(url, {"package": upload(text, name)})


def test_an_import_adds_the_new_ideas_marked_with_the_file_and_not_those_already_there():
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.improve.models import LibraryEntry

    client = client_for("coach")
    url = reverse("network-library-import", kwargs={"pk": network().pk})
    response = client.post(url, {"package": upload(PACKAGE_CSV, "cedar-ideas.csv")})
    assert response.status_code == 302 and response["Location"].endswith("#library")
    # The seed's practice is there already (same name, same source): two ideas added.
    added = LibraryEntry.objects.order_by("pk")
    assert [(e.name, e.tier, e.source, e.imported_from) for e in added] == [
        ("Walking buddies", 2, "Cedar District", "cedar-ideas.csv"),
        ("Attendance nudges by text", None, "Cedar District", "cedar-ideas.csv"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Imported from cedar-ideas.csv: 2 change ideas added, 1 already in the library." in page
    assert "(imported from cedar-ideas.csv)" in page
    # The member districts read them, marked, in the exports.
    last = library_rows("admin")[-1]
    assert (last["name"], last["tier"], last["imported_from"]) == (
        "Attendance nudges by text",
        "",
        "cedar-ideas.csv",
    )
    # Again, under another name: nothing new (same names, same sources, any case and spacing).
    again = PACKAGE_CSV.replace("Walking buddies", "walking  Buddies")
    assert import_file("coach", again, "again.csv").status_code == 302
    assert LibraryEntry.objects.count() == 2
    details = AuditEvent.objects.filter(what="network library").values_list("detail", flat=True)
    assert "imported 0 ideas from again.csv (3 there already)" in set(details)


@pytest.mark.parametrize(("data", "name", "message"), BAD_FILES)
def test_a_bad_file_is_a_400_page_with_the_message_and_imports_nothing(data, name, message):
    from rollcall.web.improve.models import LibraryEntry

    response = import_file("coach", data, name)
    page = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported" in page
    assert escape(message) in page
    assert not LibraryEntry.objects.exists()


def test_a_file_over_the_limit_is_stopped_while_it_arrives():
    from rollcall.web.improve.models import LibraryEntry

    response = import_file("coach", b"name\n" + b"x" * (2 * 1024**2), "huge.csv")
    assert response.status_code == 400
    assert "huge.csv: is larger than the limit of 1 MB" in response.content.decode()
    assert not LibraryEntry.objects.exists()


def test_an_import_without_a_file_is_a_400_asking_for_one():
    url = reverse("network-library-import", kwargs={"pk": network().pk})
    response = client_for("coach").post(url, {})
    assert response.status_code == 400 and "This field is required" in response.content.decode()


def test_an_imported_idea_naming_a_student_of_a_member_district_refuses_the_whole_file():
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.improve.models import LibraryEntry

    text = PACKAGE_CSV + "Lunch with Ms Lopez,1,,Cedar District,,\n"  # Ana Lopez, district A
    response = import_file("coach", text, "cedar.csv")
    page = text_of(response)
    assert response.status_code == 400 and not LibraryEntry.objects.exists()
    assert "cedar.csv, line 5, column &#x27;name&#x27;: holds a word that is the name or id" in page
    assert "Lopez" not in page  # the words are not shown to a coach
    refusal = "import refused (student names, not shown): cedar.csv"
    assert AuditEvent.objects.filter(detail__startswith=refusal).exists()
    # A file's name is checked too; the same file imports into a network without district A.
    assert import_file("coach", PACKAGE_CSV, "from-s1.csv").status_code == 400
    assert import_file("other-coach", text, "cedar.csv", which=other).status_code == 302


# --- the round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_a_library_exported_from_one_network_imports_into_another(shared, kind):
    from rollcall.web.improve.library import SEED, library

    assert add("district", name="Evening calls", tier="1", results="21 of 30 answered.",
               cycles=[shared["cycle"].pk]).status_code == 302  # fmt: skip
    exported = client_for("admin").get(
        reverse(f"network-library-{kind}", kwargs={"pk": network().pk})
    )
    before = library(network())
    response = import_file("other-coach", exported.content, f"network.{kind}", which=other)
    assert response.status_code == 302
    after = library(other())
    # The seed is in every library already; the member's shared and added ideas come across.
    assert len(after) == len(SEED) + 2
    mine = [(i.name, i.tier, i.evidence, i.source, i.tested) for i in before[len(SEED) :]]
    theirs = [(i.name, i.tier, i.evidence, i.source, i.tested) for i in after[len(SEED) :]]
    assert theirs == mine
    assert {i.imported_from for i in after[len(SEED) :]} == {f"network.{kind}"}
    # And the other network's own export says where they came from.
    last = library_rows("other-admin", which=other)[-1]
    assert (last["name"], last["imported_from"]) == ("Evening calls", f"network.{kind}")
