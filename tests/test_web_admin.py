"""The admin pages (/admin/) as every role: the superuser may do anything; the district
administrator of district A sees and changes A's people, roles, caseloads, strategies, keys and
audit events and nothing of district B ("not found", or refused when posted); nobody else opens
the admin at all (rollcall/web/scope.py, rollcall/web/people/adminscope.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from web_world import ROLES, SUPERUSER, account

pytestmark = pytest.mark.django_db

EVERYONE = tuple(ROLES)
# The accounts the admin pages shut out entirely (everyone but the administrator and root).
SHUT_OUT = tuple(name for name in ROLES if name != "admin")


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(account(username))
    return client


def models():
    from django.contrib.auth import get_user_model

    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.people.models import ApiToken, Caseload, District, Membership, School
    from rollcall.web.plans.models import Strategy

    return get_user_model(), AuditEvent, ApiToken, Caseload, District, Membership, School, Strategy


def url(label: str, pk: object = None, view: str = "change") -> str:
    """``label`` is ``app/model``: its list, or one row's ``change``/``delete``/``password``."""
    return f"/admin/{label}/" if pk is None else f"/admin/{label}/{pk}/{view}/"


def membership_of(username: str):
    return account(username).memberships.get()


def b_caseload():
    *_, Caseload, District, _m, School, _s = models()
    beech = District.objects.get(district_id="B")
    return Caseload.objects.create(
        district=beech, school=School.objects.get(school_id="B1"), name="Beech advisory"
    )


def event_by(username: str, object_id: str):
    _u, AuditEvent, *_ = models()
    user = account(username)
    return AuditEvent.objects.create(
        user=user, username=username, action="view", what="student", object_id=object_id
    )


def token_of(username: str):
    _u, _a, ApiToken, *_ = models()
    return ApiToken.objects.create(user=account(username), key_hash=f"{username:0>64}"[:64])


def posted(response) -> dict[str, object]:
    """The admin form's data as the page shows it (its main form and inlines), ready to post."""
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += [form for form in inline.formset.forms if form.initial]
        data[management.add_prefix("TOTAL_FORMS")] = len(inline.formset.initial_forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [getattr(v, "pk", v) for v in value]
            data[form.add_prefix(name)] = value
    return data


# Who opens the admin at all.


@pytest.mark.parametrize("username", EVERYONE)
def test_only_the_district_administrator_and_the_superuser_open_the_admin(username):
    response = client_for(username).get("/admin/")
    if username == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client_for(SUPERUSER).get("/admin/").status_code == 200


def test_the_district_administrator_is_staff_and_no_superuser():
    admin = account("admin")
    assert admin.is_staff and not admin.is_superuser


@pytest.mark.parametrize("username", SHUT_OUT)
def test_staff_and_django_permissions_do_not_open_the_admin_without_the_role(username):
    from django.contrib.auth.models import Permission

    user = account(username)
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.all())  # given by hand: the role decides
    client = client_for(username)
    for page in ("/admin/", url("auth/user"), url("people/membership"), url("audit/auditevent")):
        response = client.get(page)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


# Each page's list, as the district administrator and the superuser.

LISTS = {
    # app/model → what the district administrator gets (the superuser gets 200 everywhere)
    "people/district": 200,
    "people/school": 200,
    "people/caseload": 200,
    "people/membership": 200,
    "people/apitoken": 200,
    "auth/user": 200,
    "plans/strategy": 200,
    "audit/auditevent": 200,
    "people/network": 403,  # networks and coaches are the superuser's
    "auth/group": 403,
}


@pytest.mark.parametrize("label", LISTS)
def test_each_list_opens_as_the_role_decides(label):
    assert client_for("admin").get(url(label)).status_code == LISTS[label]
    assert client_for(SUPERUSER).get(url(label)).status_code == 200
    for shut in ("principal", "outsider"):
        assert client_for(shut).get(url(label)).status_code == 302


def test_the_index_lists_only_the_pages_a_district_administrator_has():
    page = client_for("admin").get("/admin/").content.decode()
    for shown in ("/admin/people/membership/", "/admin/auth/user/", "/admin/audit/auditevent/"):
        assert shown in page
    for hidden in ("/admin/people/network/", "/admin/auth/group/"):
        assert hidden not in page


def test_the_lists_hold_only_district_a():
    token_of("principal"), token_of("other-principal")
    client = client_for("admin")
    memberships = client.get(url("people/membership")).content.decode()
    assert "principal — Principal — Alder Elementary" in memberships
    assert "other-principal" not in memberships and "Birch" not in memberships
    assert "coach — " not in memberships  # a network's role is the superuser's
    schools = client.get(url("people/school")).content.decode()
    assert "Alder Elementary" in schools and "Birch Elementary" not in schools
    districts = client.get(url("people/district")).content.decode()
    assert "Ash District" in districts and "Beech District" not in districts
    users = client.get(url("auth/user")).content.decode()
    assert ">principal</a>" in users and ">teacher</a>" in users
    for elsewhere in ("other-principal", "coach", "root", "admin", "outsider"):
        assert f">{elsewhere}</a>" not in users
    tokens = client.get(url("people/apitoken")).content.decode()
    assert ">principal" in tokens and "other-principal" not in tokens
    everything = client_for(SUPERUSER).get(url("people/membership")).content.decode()
    assert "other-principal" in everything and "coach — " in everything


# One row's pages: A's open, B's are "not found".


def rows() -> list[tuple[str, object, object]]:
    """(app/model, a row of district A, a row of district B)."""
    _u, _a, _t, Caseload, District, _m, School, Strategy = models()
    ash, beech = District.objects.get(district_id="A"), District.objects.get(district_id="B")
    return [
        ("people/district", ash, beech),
        ("people/school", School.objects.get(school_id="A1"), School.objects.get(school_id="B1")),
        ("people/caseload", Caseload.objects.get(name="Advisory"), b_caseload()),
        ("people/membership", membership_of("principal"), membership_of("other-principal")),
        ("auth/user", account("principal"), account("other-principal")),
        ("people/apitoken", token_of("principal"), token_of("other-principal")),
        ("audit/auditevent", event_by("principal", "A/s1"), event_by("other-principal", "B/s4")),
        (
            "plans/strategy",
            Strategy.objects.create(name="Ash walking bus", tier=1, district=ash),
            Strategy.objects.create(name="Beech walking bus", tier=1, district=beech),
        ),
    ]


def test_a_rows_pages_open_for_a_and_are_not_found_for_b():
    client, root = client_for("admin"), client_for(SUPERUSER)
    for label, mine, theirs in rows():
        assert client.get(url(label, mine.pk)).status_code == 200, label
        assert client.get(url(label, theirs.pk)).status_code == 404, label
        # Posted to: not found, or refused first where the page changes nothing (a key, an event).
        assert client.post(url(label, theirs.pk), {}).status_code in (403, 404), label
        assert client.get(url(label, theirs.pk, "delete")).status_code in (403, 404), label
        assert client.post(url(label, theirs.pk, "delete"), {"post": "yes"}).status_code in (
            403,
            404,
        ), label
        assert type(theirs).objects.filter(pk=theirs.pk).exists(), label
        assert root.get(url(label, theirs.pk)).status_code == 200, label


def test_others_of_district_a_are_not_the_district_administrators():
    # Another administrator, the superuser, a coach and an account with no role yet.
    User, *_ = models()
    fresh = User.objects.create_user("fresh")
    client = client_for("admin")
    for username in ("admin", SUPERUSER, "coach", "outsider"):
        assert client.get(url("auth/user", account(username).pk)).status_code == 404, username
    assert client.get(url("auth/user", fresh.pk)).status_code == 404
    assert client.get(url("people/membership", membership_of("coach").pk)).status_code == 404


def test_an_account_also_holding_a_role_in_another_district_is_the_superusers():
    *_, Membership, School, _s = models()
    Membership.objects.create(
        user=account("principal"), role="principal", school=School.objects.get(school_id="B1")
    )
    client = client_for("admin")
    assert client.get(url("auth/user", account("principal").pk)).status_code == 404
    password = url("auth/user", account("principal").pk, "password")
    assert client.post(password, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 404


# Accounts.


def test_a_district_administrator_cannot_make_anyone_staff_or_superuser():
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="everything")
    client = client_for("admin")
    page = url("auth/user", account("principal").pk)
    data = posted(client.get(page))
    for field in ("is_superuser", "is_staff"):
        assert field not in data
    data.update(is_superuser="on", is_staff="on", groups=[group.pk], first_name="Pat", _save="Save")
    response = client.post(page, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    principal = account("principal")
    assert principal.first_name == "Pat"  # the post was taken: only the forbidden fields ignored
    assert not principal.is_superuser and not principal.is_staff
    assert not principal.groups.exists()


def test_a_district_administrator_deactivates_an_account():
    client = client_for("admin")
    page = url("auth/user", account("teacher").pk)
    data = posted(client.get(page))
    data.pop("is_active")
    assert client.post(page, data).status_code == 302
    assert not account("teacher").is_active


def test_a_district_administrator_sets_a_password_and_cannot_delete_an_account():
    client = client_for("admin")
    teacher = account("teacher")
    password = url("auth/user", teacher.pk, "password")
    fields = {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    assert client.post(password, {**fields, "usable_password": "true"}).status_code == 302
    assert account("teacher").check_password("a new long passphrase")
    assert client.get(url("auth/user", teacher.pk, "delete")).status_code == 403
    assert client.post(url("auth/user", teacher.pk, "delete"), {"post": "yes"}).status_code == 403


def new_account(role: str, place: str, pk: int) -> dict[str, object]:
    return {
        "username": "newcomer",
        "usable_password": "true",
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
        "memberships-TOTAL_FORMS": 1 if role else 0,
        "memberships-INITIAL_FORMS": 0,
        "memberships-MIN_NUM_FORMS": 1,
        "memberships-MAX_NUM_FORMS": 1000,
        **({"memberships-0-role": role, f"memberships-0-{place}": pk} if role else {}),
        "_save": "Save",
    }


def test_a_district_administrator_creates_an_account_with_a_role_in_the_district():
    User, *_, Caseload, _d, _m, _s, _st = models()
    advisory = Caseload.objects.get(name="Advisory")
    client = client_for("admin")
    response = client.post(
        url("auth/user") + "add/", new_account("teacher", "caseload", advisory.pk)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = User.objects.get(username="newcomer")
    assert not made.is_staff and not made.is_superuser
    assert [(m.role, m.caseload) for m in made.memberships.all()] == [("teacher", advisory)]
    assert client.get(url("auth/user", made.pk)).status_code == 200


def test_a_new_account_needs_a_role_in_the_administrators_district():
    User, *_, District, _m, School, _s = models()
    client = client_for("admin")
    b1 = School.objects.get(school_id="B1")
    for data in (
        new_account("", "", 0),  # no role: it would belong to no district
        new_account("principal", "school", b1.pk),  # district B's school
        new_account("district_admin", "district", District.objects.get(district_id="A").pk),
    ):
        response = client.post(url("auth/user") + "add/", data)
        assert response.status_code == 200  # the form again, with its errors
        assert not User.objects.filter(username="newcomer").exists()


# Memberships.


def membership_form(user, role: str, **place: int) -> dict[str, object]:
    return {"user": user.pk, "role": role, **place, "_save": "Save"}


def test_a_district_administrator_gives_a_role_in_the_district_only():
    *_, District, Membership, School, _s = models()
    client = client_for("admin")
    teacher = account("teacher")
    a1, b1 = School.objects.get(school_id="A1"), School.objects.get(school_id="B1")
    beech = District.objects.get(district_id="B")
    refused = [
        membership_form(teacher, "principal", school=b1.pk),  # a school of district B
        membership_form(teacher, "district", district=beech.pk),  # district B
        membership_form(account("other-principal"), "principal", school=a1.pk),  # B's account
        membership_form(teacher, "district_admin", district=a1.district_id),  # the superuser's
        membership_form(teacher, "coach", network=1),
        membership_form(teacher, "principal"),  # nowhere
    ]
    before = Membership.objects.count()
    for data in refused:
        response = client.post(url("people/membership") + "add/", data)
        assert response.status_code == 200, data  # the form again, with its errors
    assert Membership.objects.count() == before
    response = client.post(
        url("people/membership") + "add/", membership_form(teacher, "principal", school=a1.pk)
    )
    assert response.status_code == 302
    assert teacher.memberships.filter(role="principal", school=a1).exists()


def test_a_district_administrator_cannot_move_a_role_to_district_b():
    *_, School, _s = models()
    client = client_for("admin")
    membership = membership_of("principal")
    page = url("people/membership", membership.pk)
    data = {"role": "principal", "school": School.objects.get(school_id="B1").pk, "_save": "Save"}
    assert client.post(page, data).status_code == 200
    assert membership_of("principal").school.school_id == "A1"


def test_an_administrators_role_and_an_accounts_last_role_stay():
    client = client_for("admin")
    for username in ("admin", "principal"):
        pk = membership_of(username).pk
        assert (
            client.post(url("people/membership", pk, "delete"), {"post": "yes"}).status_code == 403
        )
        assert membership_of(username).pk == pk
    assert client.post(url("people/membership", membership_of("admin").pk), {}).status_code == 403


# Caseloads, districts, schools, strategies.


def test_a_caseloads_student_picker_offers_only_the_districts_students():
    page = client_for("admin").get(url("people/caseload") + "add/").content.decode()
    assert "Ana Lopez" in page and "Dara Kim" not in page  # s1 is in A, s4 in B
    district_choices = page.split('name="district"')[1].split("</select>")[0]
    assert "Ash District" in district_choices and "Beech District" not in district_choices


def test_a_caseload_with_district_bs_student_is_refused():
    *_, Caseload, District, _m, School, _s = models()
    from rollcall.web.snapshots.models import Student

    client = client_for("admin")
    ash = District.objects.get(district_id="A")
    s4 = Student.objects.get(student_id="s4")
    data = {"name": "Mixed", "district": ash.pk, "students": [s4.pk], "_save": "Save"}
    assert client.post(url("people/caseload") + "add/", data).status_code == 200
    data = {"name": "Mixed", "district": District.objects.get(district_id="B").pk, "_save": "Save"}
    assert client.post(url("people/caseload") + "add/", data).status_code == 200
    assert not Caseload.objects.filter(name="Mixed").exists()
    data = {
        "name": "Mixed",
        "district": ash.pk,
        "school": School.objects.get(school_id="A1").pk,
        "students": [Student.objects.get(district=ash, student_id="s1").pk],
        "_save": "Save",
    }
    assert client.post(url("people/caseload") + "add/", data).status_code == 302
    assert Caseload.objects.get(name="Mixed").district == ash


def test_a_district_administrator_renames_their_district_but_not_its_key():
    *_, District, _m, _s, _st = models()
    ash = District.objects.get(district_id="A")
    client = client_for("admin")
    data = {"name": "Ash Unified", "district_id": "B2", "_save": "Save"}
    assert client.post(url("people/district", ash.pk), data).status_code == 302
    ash.refresh_from_db()
    assert (ash.name, ash.district_id) == ("Ash Unified", "A")
    assert client.get(url("people/district") + "add/").status_code == 403


def test_the_shared_catalogue_is_read_only_and_new_strategies_are_the_districts():
    *_, District, _m, _s, Strategy = models()
    client = client_for("admin")
    shared = Strategy.objects.filter(district=None).first()
    assert client.get(url("plans/strategy", shared.pk)).status_code == 200  # to read
    edit = {"name": "Changed", "tier": 1, "_save": "Save"}
    assert client.post(url("plans/strategy", shared.pk), edit).status_code == 403
    assert (
        client.post(url("plans/strategy", shared.pk, "delete"), {"post": "yes"}).status_code == 403
    )
    add = url("plans/strategy") + "add/"
    beech = District.objects.get(district_id="B")
    for data in ({"name": "Mine", "tier": 1}, {"name": "Mine", "tier": 1, "district": beech.pk}):
        assert client.post(add, {**data, "_save": "Save"}).status_code == 200
    ash = District.objects.get(district_id="A")
    data = {"name": "Mine", "tier": 1, "district": ash.pk, "_save": "Save"}
    assert client.post(add, data).status_code == 302
    assert Strategy.objects.get(name="Mine").district == ash


# The audit trail.


def test_the_audit_trail_shows_district_as_people_only_and_never_changes():
    principal_event = event_by("principal", "A/s1")
    other_event = event_by("other-principal", "B/s4")
    coach_event = event_by("coach", "network")
    client = client_for("admin")
    page = client.get(url("audit/auditevent")).content.decode()
    assert f"/admin/audit/auditevent/{principal_event.pk}/change/" in page
    for hidden in (other_event, coach_event):
        assert f"/admin/audit/auditevent/{hidden.pk}/change/" not in page
    assert "B/s4" not in page
    assert client.get(url("audit/auditevent", coach_event.pk)).status_code == 404
    assert (
        client.post(url("audit/auditevent", principal_event.pk), {"what": "x"}).status_code == 403
    )
    for view in ("delete",):
        response = client.post(url("audit/auditevent", principal_event.pk, view), {"post": "yes"})
        assert response.status_code == 403
    assert client.get(url("audit/auditevent") + "add/").status_code == 403
    root = client_for(SUPERUSER)
    assert (
        root.post(
            url("audit/auditevent", principal_event.pk, "delete"), {"post": "yes"}
        ).status_code
        == 403
    )
    principal_event.refresh_from_db()
    assert principal_event.what == "student"


def test_failed_sign_ins_naming_the_districts_accounts_are_shown():
    _u, AuditEvent, *_ = models()
    mine = AuditEvent.objects.create(action="login failed", what="account", object_id="teacher")
    theirs = AuditEvent.objects.create(
        action="login failed", what="account", object_id="other-principal"
    )
    page = client_for("admin").get(url("audit/auditevent")).content.decode()
    assert f"/auditevent/{mine.pk}/change/" in page and f"/auditevent/{theirs.pk}/" not in page


def test_changes_in_the_admin_are_in_the_audit_trail():
    _u, AuditEvent, *_ = models()
    client = client_for("admin")
    page = url("auth/user", account("teacher").pk)
    data = posted(client.get(page))
    data["first_name"] = "Terry"
    assert client.post(page, data).status_code == 302
    event = AuditEvent.objects.filter(username="admin", what="admin user").get()
    assert event.object_id == str(account("teacher").pk) and event.action == "change"


# The superuser keeps the whole admin.


def test_the_superuser_sets_up_networks_and_district_administrators():
    *_, District, Membership, _s, _st = models()
    root = client_for(SUPERUSER)
    assert root.get(url("people/network") + "add/").status_code == 200
    data = membership_form(
        account("district"), "district_admin", district=District.objects.get(district_id="A").pk
    )
    assert root.post(url("people/membership") + "add/", data).status_code == 302
    assert Membership.objects.filter(user__username="district", role="district_admin").exists()


SCOPE_TESTED = {"admin"}
