"""A network's partners directory and events (rollcall/web/partners): who reads them (whoever sees
the network's page, scope.network_or_404), who keeps them (its coaches; a reader is refused with
403), the forms' checks, the audit trail, and the events' iCalendar file (RFC 5545)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from web_world import ANONYMOUS, ROLES, account

pytestmark = pytest.mark.django_db

OTHER_COACH = "other-coach"  # the coach of another network (holding district B)
EVERYONE = (*ROLES, OTHER_COACH)
# The pages that keep (add, change, remove): a coach of the network only.
KEEPING = ("network-partner-new", "network-partner-edit", "network-partner-remove",
           "network-event-new", "network-event-edit", "network-event-remove")  # fmt: skip
READING = ("network-partners", "network-events", "network-events-ics")
SCOPE_TESTED = {*KEEPING, *READING}

PARTNER = {
    "name": "Valley Health Clinic",
    "what_they_do": "School-based health care; asthma clinics for families.",
    "contact_name": "Family programs lead",
    "contact_email": "programs@valleyhealth.example.org",
    "contact_phone": "+1 (555) 010-2030 ext. 12",
    "website": "https://valleyhealth.example.org/schools",
}
EVENT = {
    "title": "Spring convening",
    "kind": "convening",
    "starts_at": "2031-03-04T09:00",
    "ends_at": "2031-03-04T15:30",
    "time_zone": "America/Los_Angeles",
    "place": "Ash District office, room 2",
    "link": "",
    "description": "Bright spots share their change ideas.",
}


def client_for(username: str, **kwargs) -> Client:
    client = Client(**kwargs)
    if username != ANONYMOUS:
        client.force_login(account(username))
    return client


def network(name: str = "Network"):
    from rollcall.web.people.models import Network

    return Network.objects.get(name=name)


@pytest.fixture
def world():
    """The world's network (district A) with a partner and an event, and another network
    (district B, its own coach) with one of each."""
    from django.contrib.auth import get_user_model

    from rollcall.web.partners.models import Event, Partner
    from rollcall.web.people.models import District, Membership, Network

    other = Network.objects.create(name="Other network")
    other.districts.add(District.objects.get(district_id="B"))
    coach = get_user_model().objects.create_user(OTHER_COACH)
    Membership.objects.create(user=coach, role="coach", network=other)
    made = {}
    for key, net in (("own", network()), ("other", other)):
        partner = Partner.objects.create(network=net, name=f"Partner of {net.name}",
                                         what_they_do="Mentoring")  # fmt: skip
        start = datetime(2031, 5, 6, 16, 0, tzinfo=UTC)
        event = Event.objects.create(
            network=net, title=f"Webinar of {net.name}", kind="webinar", starts_at=start,
            ends_at=start + timedelta(hours=1), time_zone="UTC", link="https://meet.example.org/x",
        )  # fmt: skip
        made[key] = {"network": net, "partner": partner, "event": event}
    return made


def url(name: str, made: dict, which: str = "own") -> str:
    """``name``'s address for the network ``which`` ("own": the world's) and its rows."""
    rows = made[which]
    args = [rows["network"].pk]
    if name.startswith("network-partner-") and name != "network-partner-new":
        args.append(rows["partner"].pk)
    if name.startswith("network-event-") and name != "network-event-new":
        args.append(rows["event"].pk)
    return reverse(name, args=args)


def reads_network(username: str, which) -> bool:
    """Whether ``username`` sees the network's page (``scope.networks_for``): its coaches, and
    whoever else that one function lets in. The pages here follow it."""
    from rollcall.web import scope

    return username != ANONYMOUS and scope.networks_for(account(username)).contains(which)


def expected(name: str, username: str, which) -> int:
    """What ``username`` gets on ``name``: to sign in when anonymous; 404 when they do not see
    the network; 403 on a keeping page when they see it and are not its coach; else 200."""
    if username == ANONYMOUS:
        return 302
    if not reads_network(username, which):
        return 404
    coach = {"Network": "coach", "Other network": OTHER_COACH}[which.name]
    return 403 if name in KEEPING and username != coach else 200


@pytest.mark.parametrize(
    ("name", "which", "username"),
    [(n, w, u) for n in (*READING, *KEEPING) for w in ("own", "other")
     for u in (*EVERYONE, ANONYMOUS)],
)  # fmt: skip
def test_each_page_answers_each_role_as_the_network_page_does(world, name, which, username):
    response = client_for(username).get(url(name, world, which))
    status = expected(name, username, world[which]["network"])
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", EVERYONE)
def test_the_network_page_and_these_pages_agree_on_who_reads(world, username):
    """The coach of the network reads it; the other network's coach, a teacher, a community
    partner, another district's principal and an outsider never do."""
    page = client_for(username).get(reverse("network", args=[network().pk])).status_code
    partners = client_for(username).get(url("network-partners", world)).status_code
    assert page == partners
    if username == "coach":
        assert page == 200
    if username in ("teacher", "partner", "other-principal", "outsider", OTHER_COACH):
        assert page == 404


def test_a_district_administrator_of_a_member_reads_but_does_not_keep(world):
    """Member districts' staff and administrators see their networks (scope.networks_for): the
    administrator of district A reads the partners and events, is refused (403) every keeping
    page and post, and changes nothing."""
    from rollcall.web.partners.models import Event, Partner

    client = client_for("admin")
    listed = client.get(url("network-partners", world))
    assert listed.status_code == 200
    page = listed.content.decode()
    assert "Partner of Network" in page
    assert "Add a partner" not in page and "Change Partner of Network" not in page
    events = client.get(url("network-events", world)).content.decode()
    assert "Webinar of Network" in events and "Add an event" not in events
    before = (Partner.objects.count(), Event.objects.count())
    for name in KEEPING:
        refused = client.get(url(name, world))
        assert refused.status_code == 403
        assert "added, changed and removed by the network's coaches" in refused.content.decode()
        assert client.post(url(name, world), PARTNER | EVENT).status_code == 403
    assert (Partner.objects.count(), Event.objects.count()) == before
    assert client.get(url("network-partners", world, "other")).status_code == 404


@pytest.mark.parametrize("name", KEEPING)
def test_a_post_from_outside_the_network_is_not_found_and_changes_nothing(world, name):
    from rollcall.web.partners.models import Event, Partner

    before = (Partner.objects.count(), Event.objects.count())
    for username in (OTHER_COACH, "teacher", "partner", "outsider"):
        response = client_for(username).post(url(name, world), PARTNER | EVENT)
        assert response.status_code == 404
    assert (Partner.objects.count(), Event.objects.count()) == before
    assert [p.name for p in Partner.objects.filter(network=network())] == ["Partner of Network"]


@pytest.mark.parametrize(
    "name", ["network-partner-edit", "network-partner-remove", "network-event-edit",
             "network-event-remove"],
)  # fmt: skip
def test_another_networks_row_through_this_networks_address_is_not_found(world, name):
    own, other = world["own"], world["other"]
    kind = "partner" if "partner" in name else "event"
    address = reverse(name, args=[own["network"].pk, other[kind].pk])
    assert client_for("coach").get(address).status_code == 404
    assert client_for("coach").post(address, PARTNER | EVENT).status_code == 404
    assert type(other[kind]).objects.filter(pk=other[kind].pk).exists()


def test_the_lists_refuse_other_methods(world):
    client = client_for("coach")
    for name in READING:
        assert client.post(url(name, world)).status_code == 405


def test_keeping_needs_the_csrf_token(world):
    client = client_for("coach", enforce_csrf_checks=True)
    assert client.post(url("network-partner-new", world), PARTNER).status_code == 403
    assert client.post(url("network-event-remove", world)).status_code == 403


# --- partners ---------------------------------------------------------------------------------


def test_a_coach_adds_changes_and_removes_a_partner_and_each_change_is_audited(world):
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.partners.models import Partner
    from rollcall.web.people.models import District

    client = client_for("coach")
    ash = District.objects.get(district_id="A")
    response = client.post(url("network-partner-new", world), PARTNER | {"districts": [ash.pk]})
    added = Partner.objects.get(name="Valley Health Clinic")
    assert response.status_code == 302
    assert response["Location"] == f"/networks/{network().pk}/partners/#partner-{added.pk}"
    assert [d.district_id for d in added.districts.all()] == ["A"]
    page = client.get(url("network-partners", world)).content.decode()
    assert "School-based health care; asthma clinics for families." in page
    assert 'href="mailto:programs@valleyhealth.example.org"' in page
    assert 'href="tel:+15550102030;ext=12"' in page
    assert 'href="https://valleyhealth.example.org/schools"' in page
    assert "Ash District" in page
    edit = reverse("network-partner-edit", args=[network().pk, added.pk])
    changed = PARTNER | {"contact_name": "Dr. Rivera", "districts": []}
    assert client.post(edit, changed).status_code == 302
    added.refresh_from_db()
    assert added.contact_name == "Dr. Rivera" and not added.districts.exists()
    remove = reverse("network-partner-remove", args=[network().pk, added.pk])
    assert "Remove Valley Health Clinic" in client.get(remove).content.decode()
    assert client.post(remove).status_code == 302
    assert not Partner.objects.filter(pk=added.pk).exists()
    trail = AuditEvent.objects.filter(what="network partner", object_id=str(added.pk))
    details = sorted(trail.values_list("detail", flat=True))
    assert details == [
        f"network {network().pk}: added",
        f"network {network().pk}: changed: contact_name, districts",
        f"network {network().pk}: removed Valley Health Clinic",
    ]
    assert {e.username for e in trail} == {"coach"}


def posted_partner(**fields):
    return client_for("coach").post(
        reverse("network-partner-new", args=[network().pk]), PARTNER | fields
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"contact_email": "programs at valley"}, "contact_email", "Enter a valid email address."),
        ({"website": "javascript:alert(1)"}, "website", "starting with http:// or https://"),
        ({"website": "ftp://files.example.org/"}, "website", "starting with http:// or https://"),
        ({"website": "data:text/html,<b>x</b>"}, "website", "starting with http:// or https://"),
        ({"contact_phone": "call the front desk"}, "contact_phone", "Give a phone number"),
        ({"contact_phone": "12-34"}, "contact_phone", "7 to 15 digits"),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"what_they_do": "x" * 2001}, "what_they_do", "at most 2000 characters"),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "partner of network"}, "name", "a partner of this name already"),
    ],
)
def test_a_partner_form_with_a_mistake_is_shown_again_saying_what_to_correct(
    world, fields, field, message
):
    from rollcall.web.partners.models import Partner

    response = posted_partner(**fields)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Partner.objects.filter(network=network()).count() == 1


def test_a_name_saved_by_another_coach_meanwhile_is_a_mistake_to_correct_not_an_error(
    world, monkeypatch
):
    # Two coaches adding the same partner at once: the form's check passes for both, and the
    # database's constraint refuses the second, which reads as the form's own message.
    from rollcall.web.partners.forms import PartnerForm
    from rollcall.web.partners.models import Partner

    assert posted_partner().status_code == 302
    monkeypatch.setattr(PartnerForm, "clean_name", lambda form: form.cleaned_data["name"])
    response = posted_partner()
    assert response.status_code == 400
    assert "a partner of this name already" in " ".join(response.context["form"].errors["name"])
    assert Partner.objects.filter(network=network(), name=PARTNER["name"]).count() == 1


def test_a_website_without_a_scheme_is_read_as_https(world):
    from rollcall.web.partners.models import Partner

    assert posted_partner(website="valleyhealth.example.org").status_code == 302
    found = Partner.objects.get(name="Valley Health Clinic")
    assert found.website == "https://valleyhealth.example.org"


def test_a_partner_works_with_member_districts_only(world):
    from rollcall.web.partners.models import Partner
    from rollcall.web.people.models import District

    beech = District.objects.get(district_id="B")  # a member of the other network only
    response = posted_partner(districts=[beech.pk])
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Partner.objects.filter(name="Valley Health Clinic").exists()
    form = client_for("coach").get(url("network-partner-new", world)).content.decode()
    assert "Ash District" in form and "Beech District" not in form


# --- events -----------------------------------------------------------------------------------


def posted_event(**fields):
    return client_for("coach").post(
        reverse("network-event-new", args=[network().pk]), EVENT | fields
    )


def test_an_event_is_kept_in_its_time_zone_and_shown_in_it(world):
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.partners.models import Event

    response = posted_event()
    event = Event.objects.get(title="Spring convening")
    assert response["Location"] == f"/networks/{network().pk}/events/#event-{event.pk}"
    # 09:00 in Los Angeles on 4 March 2031 (Pacific Standard Time, UTC-8) is 17:00 UTC.
    assert event.starts_at == datetime(2031, 3, 4, 17, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2031, 3, 4, 23, 30, tzinfo=UTC)
    page = client_for("coach").get(url("network-events", world)).content.decode()
    assert "Tuesday 4 March 2031, 09:00 to 15:30 (America/Los_Angeles time)" in page
    form = client_for("coach").get(reverse("network-event-edit", args=[network().pk, event.pk]))
    assert 'value="2031-03-04T09:00"' in form.content.decode()  # as given, not in UTC
    assert AuditEvent.objects.filter(what="network event", object_id=str(event.pk)).exists()


def test_an_events_day_reads_as_a_spanish_reader_writes_it(world):
    posted_event()
    posted_event(title="Two days", ends_at="2031-03-05T12:00")
    client = client_for("coach")
    client.cookies["django_language"] = "es"
    page = client.get(url("network-events", world)).content.decode()
    assert "martes 4 de marzo de 2031, 09:00" in page
    assert "miércoles 5 de marzo de 2031, 12:00" in page


def test_a_new_event_takes_the_time_zone_of_the_networks_latest(world):
    posted_event(time_zone="Europe/London")
    form = client_for("coach").get(url("network-event-new", world))
    assert form.context["form"]["time_zone"].value() == "Europe/London"


def test_events_to_come_are_listed_first_soonest_first_then_past_ones_latest_first(world):
    from rollcall.web.partners.models import Event

    Event.objects.filter(network=network()).delete()
    now = timezone.now()
    for title, days in (("In a month", 30), ("Next week", 7), ("Last month", -30),
                        ("Last week", -7)):  # fmt: skip
        start = now + timedelta(days=days)
        Event.objects.create(
            network=network(), title=title, kind="other", starts_at=start,
            ends_at=start + timedelta(hours=2), time_zone="UTC", place="Hall",
        )  # fmt: skip
    page = client_for("coach").get(url("network-events", world)).content.decode()
    upcoming, past = page.split('id="upcoming"')[1].split('id="past"')
    titles = lambda text: re.findall(r'-title">([^<]+) <span', text)  # noqa: E731
    assert titles(upcoming) == ["Next week", "In a month"]
    assert titles(past) == ["Last week", "Last month"]


def test_an_event_over_two_days_says_from_and_to(world):
    posted_event(ends_at="2031-03-05T12:00")
    page = client_for("coach").get(url("network-events", world)).content.decode()
    assert "From Tuesday 4 March 2031, 09:00 to Wednesday 5 March 2031, 12:00" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_at": "2031-03-04T08:00"}, "ends_at", "An event ends after it starts."),
        ({"ends_at": "2031-03-04T09:00"}, "ends_at", "An event ends after it starts."),
        ({"starts_at": "next Tuesday"}, "starts_at", "Enter a valid date/time."),
        ({"place": "", "link": ""}, "place", "Give a place, a link, or both."),
        ({"link": "javascript:alert(1)"}, "link", "starting with http:// or https://"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"kind": "party"}, "kind", "Select a valid choice."),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"description": "x" * 5001}, "description", "at most 5000 characters"),
        # The clocks go forward at 02:00 on 9 March 2031 in Los Angeles: 02:30 never happens.
        ({"starts_at": "2031-03-09T02:30", "ends_at": "2031-03-09T05:00"}, "starts_at",
         "does not exist in America/Los_Angeles"),
    ],
)  # fmt: skip
def test_an_event_form_with_a_mistake_is_shown_again_saying_what_to_correct(
    world, fields, field, message
):
    from rollcall.web.partners.models import Event

    response = posted_event(**fields)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not Event.objects.filter(title="Spring convening").exists()


def test_an_event_invites_member_districts_only(world):
    from rollcall.web.people.models import District

    beech = District.objects.get(district_id="B")
    response = posted_event(districts=[beech.pk])
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    ash = District.objects.get(district_id="A")
    assert posted_event(districts=[ash.pk]).status_code == 302
    page = client_for("coach").get(url("network-events", world)).content.decode()
    assert "Ash District" in page


def test_the_database_refuses_an_event_that_ends_before_it_starts(world):
    from django.db import IntegrityError, transaction

    from rollcall.web.partners.models import Event

    start = datetime(2031, 1, 1, 9, tzinfo=UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(network=network(), title="Backwards", kind="other",
                             starts_at=start, ends_at=start - timedelta(hours=1),
                             time_zone="UTC", place="Hall")  # fmt: skip


# --- the network page -------------------------------------------------------------------------


def test_the_network_page_links_to_its_partners_and_events(world):
    page = client_for("coach").get(reverse("network", args=[network().pk])).content.decode()
    assert f'href="/networks/{network().pk}/partners/"' in page
    assert f'href="/networks/{network().pk}/events/"' in page


# --- the admin pages --------------------------------------------------------------------------


def test_partners_and_events_in_the_admin_are_the_superusers(world):
    from web_world import SUPERUSER

    for page in ("/admin/partners/partner/", "/admin/partners/event/"):
        assert client_for(SUPERUSER).get(page).status_code == 200
        assert client_for("admin").get(page).status_code == 403
        assert client_for("coach").get(page).status_code == 302  # not staff: to sign in
    partner = world["own"]["partner"]
    change = f"/admin/partners/partner/{partner.pk}/change/"
    assert client_for(SUPERUSER).get(change).status_code == 200
    assert client_for("admin").get(change).status_code == 403


# --- the calendar file ------------------------------------------------------------------------


def unfolded(text: str) -> list[str]:
    """The logical lines of an iCalendar text, as a reader unfolds them (RFC 5545 section 3.1)."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def unescaped(value: str) -> str:
    """A TEXT value as a reader decodes it (RFC 5545 section 3.3.11)."""
    escapes = {"\\\\": "\\", "\\;": ";", "\\,": ",", "\\n": "\n", "\\N": "\n"}
    return re.sub(r"\\[\\;,nN]", lambda m: escapes[m.group()], value)


def properties(text: str) -> list[tuple[str, str]]:
    return [tuple(line.split(":", 1)) for line in unfolded(text)]  # type: ignore[misc]


def test_the_calendar_file_holds_every_event_in_utc_escaped_and_folded(world):
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.people.models import District

    description = ("Bring your run charts; we compare notes, then plan.\nSecond line: "
                   "a back\\slash, and Ñandú café — " + "long text " * 12)  # fmt: skip
    ash = District.objects.get(district_id="A")
    link = "https://meet.example.org/spring?x=1&y=2"
    assert posted_event(description=description, districts=[ash.pk], link=link).status_code == 302
    response = client_for("coach").get(url("network-events-ics", world))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    text = raw.decode("utf-8")
    # Every physical line at most 75 octets; no line cut inside a UTF-8 character (each decodes).
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
    assert any(line.startswith(b" ") for line in raw.split(b"\r\n"))  # something was folded
    props = properties(text)
    assert props[:2] == [("BEGIN", "VCALENDAR"), ("VERSION", "2.0")]
    assert props[-1] == ("END", "VCALENDAR")
    starts = [n for n, prop in enumerate(props) if prop == ("BEGIN", "VEVENT")]
    events = [dict(props[n : props.index(("END", "VEVENT"), n)]) for n in starts]
    # The convening (4 March) then the world's webinar (6 May): in the order they start.
    assert [unescaped(e["SUMMARY"]) for e in events] == ["Spring convening", "Webinar of Network"]
    convening = events[0]
    assert convening["DTSTART"] == "20310304T170000Z" and convening["DTEND"] == "20310304T233000Z"
    assert unescaped(convening["LOCATION"]) == "Ash District office, room 2"
    assert "\\," in convening["LOCATION"]  # the comma escaped
    assert convening["URL"] == "https://meet.example.org/spring?x=1&y=2"
    assert convening["CATEGORIES"] == "convening"
    read = unescaped(convening["DESCRIPTION"])
    assert read.startswith(description.strip())  # the form strips the last space
    assert "Districts invited: Ash District" in read
    assert f"http://testserver/networks/{network().pk}/events/" in read
    uids = [v for name, v in props if name == "UID"]
    assert len(set(uids)) == 2 and all(u.endswith("@testserver") for u in uids)
    assert AuditEvent.objects.filter(what="network events", action="export").count() == 1


def test_text_is_escaped_as_rfc_5545_says():
    from rollcall.web.partners.ics import escape_text

    assert escape_text("a,b;c\\d") == "a\\,b\\;c\\\\d"
    assert escape_text("one\r\ntwo\nthree\rfour") == "one\\ntwo\\nthree\\nfour"
    assert escape_text("bell\x07 and tab\t") == "bell and tab\t"  # control characters dropped
    assert escape_text('time: 9:00 "quoted"') == 'time: 9:00 "quoted"'  # not escaped


@pytest.mark.parametrize(
    "line",
    ["SUMMARY:" + "a" * 200, "SUMMARY:" + "é" * 100, "DESCRIPTION:" + "日本語" * 40,
     "X:" + "🙂" * 30 + "a" * 3, "SHORT:ok"],
)  # fmt: skip
def test_folding_keeps_lines_to_75_octets_and_never_cuts_a_character(line):
    from rollcall.web.partners.ics import fold

    folded = fold(line)
    pieces = folded.encode("utf-8").split(b"\r\n")
    assert all(len(p) <= 75 for p in pieces)
    assert all(p.startswith(b" ") for p in pieces[1:])
    assert all(len(p) > 1 for p in pieces[1:])  # no empty continuation
    for piece in pieces:
        piece.decode("utf-8")  # raises if a character was cut
    assert re.sub(r"\r\n ", "", folded) == line
    if len(line.encode()) > 75:
        assert len(pieces[0]) > 71  # folded as late as the character allows


def test_a_time_without_a_zone_is_refused():
    from rollcall.web.partners.ics import utc_time

    assert utc_time(datetime(2031, 3, 4, 9, tzinfo=UTC)) == "20310304T090000Z"
    with pytest.raises(ValueError, match="time zone"):
        utc_time(datetime(2031, 3, 4, 9))
