"""A student's contacts (rollcall/web/families): who may see, add and change them (whoever sees
the student, partners included; a coach never), the form's errors, CSRF, and the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse
from test_web_plans import DISTRICT_A, EVERYONE, client_for, student
from web_world import ANONYMOUS, assert_scoped

pytestmark = pytest.mark.django_db
FULL = {
    "name": "Rosa Chen", "relationship": "grandmother", "phone": "555-0100",
    "language": "Cantonese", "preferred": "phone", "may_contact": "on", "current": "on",
}  # fmt: skip
STUDENT_DISTRICT = {"s1": "A", "s3": "A", "s4": "B"}
# URL name → (whose contact, the accounts that may; every other signed-in account gets a 404).
CASES = {
    "contact-new": [
        ("s1", {"teacher", "principal", *DISTRICT_A}),
        ("s3", {"partner", "team", *DISTRICT_A}),
        ("s4", {"other-principal"}),
    ],
    "contact": [
        ("s1", {"teacher", "principal", *DISTRICT_A}),
        ("s3", {"partner", "team", *DISTRICT_A}),
        ("s4", {"other-principal"}),
    ],
}
SCOPE_TESTED = set(CASES)


def make_contact(student_id: str, **fields):
    from rollcall.web.families.models import Contact

    values = {"name": "Rosa Chen", "phone": "555-0100", **fields}
    return Contact.objects.create(
        student=student(STUDENT_DISTRICT[student_id], student_id), **values
    )


def url(name: str, student_id: str) -> str:
    if name == "contact-new":
        return reverse(name, args=[STUDENT_DISTRICT[student_id], student_id])
    return reverse(name, args=[make_contact(student_id).pk])


@pytest.mark.parametrize(
    ("name", "index", "username"),
    [
        (n, i, u)
        for n, cases in CASES.items()
        for i in range(len(cases))
        for u in (*EVERYONE, ANONYMOUS)
    ],
)
def test_each_contact_page_shows_only_to_those_who_see_the_student(name, index, username):
    student_id, allowed = CASES[name][index]
    assert_scoped(client_for(username).get(url(name, student_id)), username, allowed)


@pytest.mark.parametrize("username", ["partner", "coach", "principal", "outsider"])
def test_adding_a_contact_is_for_those_who_see_the_student(username):
    from rollcall.web.families.models import Contact

    response = client_for(username).post(reverse("contact-new", args=["A", "s3"]), FULL)
    if username == "partner":  # s3 is the partner's; the principal's school is A1, s3 is at A2
        assert response.status_code == 302 and response["Location"].endswith("#contacts")
        assert Contact.objects.get(student__student_id="s3").language == "Cantonese"
    else:
        assert response.status_code == 404
        assert not Contact.objects.exists()


def test_a_contact_shows_on_the_students_page_and_changes_are_audited():
    from rollcall.web.audit.models import AuditEvent

    team = client_for("team")
    team.post(reverse("contact-new", args=["A", "s3"]), FULL)
    page = team.get("/students/A/s3/").content.decode()
    assert "Rosa Chen" in page and "(grandmother)" in page and 'href="tel:555-0100"' in page
    assert "Speaks Cantonese" in page and "best reached by phone call" in page
    contact = make_contact("s3", name="Wei Chen", may_contact=False)
    team.post(reverse("contact", args=[contact.pk]), {**FULL, "name": "Wei Chen", "current": ""})
    page = team.get("/students/A/s3/").content.decode()
    assert "Asked not to receive attendance messages." not in page  # the form sent it as "on"
    assert "no longer current" in page
    changes = AuditEvent.objects.filter(action="change", what="contact")
    assert sorted(e.detail for e in changes) == ["added", "changed"]
    assert {e.username for e in changes} == {"team"}


def test_a_family_that_asked_for_no_messages_says_so():
    make_contact("s1", may_contact=False, relationship="father")
    page = client_for("teacher").get("/students/A/s1/").content.decode()
    assert "Asked not to receive attendance messages." in page


def test_a_contact_needs_a_way_to_reach_them():
    from rollcall.web.families.models import Contact

    response = client_for("teacher").post(
        reverse("contact-new", args=["A", "s1"]), {"name": "Someone", "current": "on"}
    )
    assert response.status_code == 400
    assert "Give a phone number, an e-mail address or a note" in response.content.decode()
    assert not Contact.objects.exists()


def test_adding_a_contact_needs_the_csrf_token():
    client = client_for("teacher", enforce_csrf_checks=True)
    response = client.post(reverse("contact-new", args=["A", "s1"]), FULL)
    assert response.status_code == 403
