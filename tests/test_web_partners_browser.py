"""A network's partners and events in a real browser (issue 14, item 4): the coach adds a partner
organisation and an event (a mistake first, shown next to its field), and a member district's
staff reads them with no way to change them. Every page is checked by ``Walk`` (axe-core, console
errors, requests leaving the server, no sideways scrolling at 390 px)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from test_web_browser import ROOT, Walk, served
from test_web_serve import own_sqlite

pytestmark = pytest.mark.slow

PARTNERS_URL = re.compile(r".*/networks/\d+/partners/(#.*)?$")
EVENTS_URL = re.compile(r".*/networks/\d+/events/(#.*)?$")
# A partner and an event already kept, for the member's test (the server's own database).
SEED = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from rollcall.web.server import prepare, setup
setup(Path(sys.argv[1]))
prepare(static=False)
from rollcall.web.partners.models import Event, Partner
from rollcall.web.people.models import District, Network
network = Network.objects.get(name="Network")
partner = Partner.objects.create(network=network, name="Ridgeway Transit",
                                 what_they_do="Free bus passes for students who live far away.")
partner.districts.add(District.objects.get(district_id="A"))
Event.objects.create(network=network, title="Winter learning session", kind="learning_session",
                     starts_at=datetime(2031, 1, 14, 16, tzinfo=UTC),
                     ends_at=datetime(2031, 1, 14, 18, tzinfo=UTC), time_zone="America/Chicago",
                     link="https://meet.example.org/winter")
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("partners")
    for address in served(folder):
        done = subprocess.run(
            [sys.executable, "-c", SEED, str(folder / "data")], cwd=ROOT, env=own_sqlite(),
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        yield address


def test_a_coach_adds_a_partner_and_an_event(browser, world):
    walk = Walk(browser, world, "coach")
    page = walk.page
    try:
        walk.sign_in()
        page.get_by_role("link", name="Network").click()
        walk.check("network")
        page.get_by_role("link", name="Partner organisations").click()
        walk.check("partners")
        page.get_by_role("link", name="Add a partner").click()
        page.get_by_label("Name").fill("Valley Health Clinic")
        page.get_by_label("What they do").fill("School-based health care and asthma clinics.")
        page.get_by_label("Whom to contact").fill("Family programs lead")
        page.get_by_label("Contact's e-mail").fill("programs@valleyhealth.example.org")
        page.get_by_label("Contact's phone").fill("+1 (555) 010-2030")
        page.get_by_label("Website").fill("javascript:alert(1)")
        page.get_by_label("Ash District").check()
        page.get_by_role("button", name="Add the partner").click()
        page.wait_for_load_state()
        # The form comes back with a 400 (a request to correct), which Chromium logs as an error.
        assert walk.errors == [
            "Failed to load resource: the server responded with a status of 400 (Bad Request)"
        ]
        walk.errors.clear()
        walk.check("partner-form-mistake")
        assert page.get_by_text("Give a web address starting with http:// or https://.").count()
        page.get_by_label("Website").fill("https://valleyhealth.example.org")
        page.get_by_role("button", name="Add the partner").click()
        page.wait_for_url(PARTNERS_URL)
        walk.check("partners-added")
        added = page.locator("section.partner", has_text="Valley Health Clinic")
        assert "Ash District" in added.inner_text()
        assert added.get_by_role("link", name="programs@valleyhealth.example.org").count() == 1

        page.get_by_role("link", name="Events").first.click()
        page.get_by_role("link", name="Add an event").click()
        walk.check("event-form")
        page.get_by_label("Title").fill("Spring convening")
        page.get_by_label("Kind").select_option(label="convening")
        page.get_by_label("Starts (date and time)").fill("2031-03-04T09:00")
        page.get_by_label("Ends (date and time)").fill("2031-03-04T15:30")
        page.get_by_label("Time zone").select_option("America/Los_Angeles")
        page.get_by_label("Place").fill("Ash District office, room 2")
        page.get_by_label("Description").fill("Bright spots share the change ideas they tested.")
        page.get_by_role("button", name="Add the event").click()
        page.wait_for_url(EVENTS_URL)
        walk.check("events-added")
        coming = page.locator("section.event", has_text="Spring convening").inner_text()
        assert "Tuesday 4 March 2031, 09:00 to 15:30 (America/Los_Angeles time)" in coming
        assert page.get_by_role("link", name="Change Spring convening").count() == 1
    finally:
        walk.close()


def test_a_member_district_reads_the_partners_and_events_and_cannot_change_them(browser, world):
    walk = Walk(browser, world, "district")
    page = walk.page
    try:
        walk.sign_in()
        network = page.goto(f"{world}/networks/1/")
        assert network is not None and network.status == 200
        page.get_by_role("link", name="Partner organisations").click()
        walk.check("partners-member")
        shown = page.locator("section.partner", has_text="Ridgeway Transit").inner_text()
        assert "Free bus passes for students who live far away." in shown
        assert page.get_by_role("link", name="Add a partner").count() == 0
        assert page.get_by_role("link", name=re.compile("^(Change|Remove) ")).count() == 0
        page.get_by_role("link", name="Events").first.click()
        walk.check("events-member")
        shown = page.locator("section.event", has_text="Winter learning session").inner_text()
        assert "Tuesday 14 January 2031, 10:00 to 12:00 (America/Chicago time)" in shown
        assert page.get_by_role("link", name="Add an event").count() == 0
        refused = page.goto(f"{world}/networks/1/events/new/")
        assert refused is not None and refused.status == 403
    finally:
        walk.close()
