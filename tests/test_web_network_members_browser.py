"""A network in a real browser (issue 14's "done when"): a coach sees the network's bright spots
and the shared cycles and no student, and imports a change package; a member district's
administrator adds a change idea with its cycle; the administrator of a district in another
network finds nothing of this one. Every page is checked by ``Walk`` (axe-core, console errors,
requests leaving the server, no sideways scrolling at 390 px).

The served world is tests/web_world.py's with tests/network_world.py's additions: district B in
an "Other network" (``other-coach``, ``other-admin``), a bright spot at Alder Elementary, and
Alder's project shared with the network."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from network_world import SHARED_STUDY
from test_web_browser import Walk, _run, served
from test_web_serve import own_sqlite

pytestmark = pytest.mark.slow

WORLD = """
import sys
from pathlib import Path
sys.path.insert(0, "tests")
from rollcall.web.server import prepare, setup
setup(Path(sys.argv[1]))
prepare()
from network_world import add_bright_spot, add_other_network, share_a1_project
add_other_network()
add_bright_spot()
share_a1_project()
"""
# Every name and id of the world's students (tests/web_world.py), as whole words.
STUDENTS = ("Ana", "Lopez", "Ben", "Okafor", "HYPERLINK", "Chen", "Dara", "Kim", "Eli", "Novak",
            "s1", "s2", "s3", "s4", "s5")  # fmt: skip
NETWORK_URL = re.compile(r".*/networks/\d+/(#\w+)?$")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("members")
    for base in served(folder):
        _run("-c", WORLD, str(folder / "data"), env=own_sqlite())
        yield base


def no_student_in(text: str) -> None:
    for word in STUDENTS:
        assert not re.search(rf"\b{word}\b", text), word


def network_pk(page, name: str) -> str:
    href = page.get_by_role("link", name=name, exact=True).get_attribute("href")
    return re.fullmatch(r"/networks/(\d+)/", href).group(1)


def test_a_coach_sees_the_bright_spots_and_shared_cycles_and_no_student(browser, world, tmp_path):
    walk = Walk(browser, world, "coach")
    page = walk.page
    try:
        walk.sign_in()
        page.get_by_role("link", name="Network", exact=True).click()
        walk.check("members-coach-network")
        spots = page.locator("ul.bright-spots").inner_text()
        assert "Alder Elementary (Ash District): six weeks or more below its usual level" in spots
        assert "since the week of 2025-03-03" in spots
        assert "Change ideas tested: Evening calls." in spots
        shared = page.locator("section.shared").inner_text()
        assert "Every day counts at Alder" in shared and SHARED_STUDY in shared
        assert "Adopt" in shared
        no_student_in(page.locator("body").inner_text())
        assert page.locator("a[href^='/students/']").count() == 0
        # The coach imports another network's library: two new ideas, marked with the file.
        package = tmp_path / "cedar-ideas.csv"
        package.write_text(
            "name,tier,evidence,source,tested,imported_from\n"
            "Walking buddies,2,tested by a member,Cedar District,14 of 18 walked every day.,\n"
            "Breakfast after the bell,1,promising,"
            '"FutureEd and Attendance Works, Attendance Playbook (2023)",,\n',
            encoding="utf-8",
        )
        page.get_by_label("Change package", exact=False).set_input_files(str(package))
        page.get_by_role("button", name="Import").click()
        page.wait_for_url(NETWORK_URL)
        status = page.get_by_role("status").inner_text()
        assert (
            "Imported from cedar-ideas.csv: 1 change idea added, 1 already in the library."
            in status
        )
        walk.check("members-coach-imported")
        row = page.get_by_role("row", name="Walking buddies", exact=False).inner_text()
        assert "Cedar District (imported from cedar-ideas.csv)" in row
        # A file the reader refuses: the page says where, and nothing is imported.
        package.write_text("name,tier\nx,7\n", encoding="utf-8")
        page.get_by_label("Change package", exact=False).set_input_files(str(package))
        page.get_by_role("button", name="Import").click()
        page.wait_for_load_state()
        # The refusal is a 400 page, which Chromium notes on the console: expected here.
        walk.errors = [e for e in walk.errors if "status of 400 (Bad Request)" not in e]
        walk.check("members-coach-import-refused")
        alert = page.get_by_role("alert").inner_text()
        assert "cedar-ideas.csv, line 1, column 'evidence': lacks the column" in alert
    finally:
        walk.close()


def test_a_member_districts_administrator_adds_a_change_idea_with_its_cycle(browser, world):
    walk = Walk(browser, world, "admin")
    page = walk.page
    try:
        walk.sign_in()
        page.get_by_role("link", name="Ash District").click()
        page.get_by_role("link", name="Network", exact=True).click()
        walk.check("members-admin-network")
        no_student_in(page.locator("body").inner_text())
        assert page.get_by_role("heading", name="Import a change package").count() == 0
        page.get_by_label("Change idea:", exact=True).fill("Evening calls in the home language")
        page.get_by_label("Tier 2: early, personalised outreach").check()
        page.get_by_label("What was tested, and what the cycles found").fill(
            "Calls from 5 to 7 pm in the family's language, grade 5: 21 of 30 families answered."
        )
        page.get_by_label("Every day counts at Alder: PDSA 1", exact=False).check()
        page.get_by_role("button", name="Add to the library").click()
        page.wait_for_url(NETWORK_URL)
        assert "is in the library" in page.get_by_role("status").inner_text()
        row = page.get_by_role("row", name="Evening calls in the home language").inner_text()
        assert "Ash District" in row and "PDSA 1 of “Evening calls” (Every day counts" in row
        # Text naming a student is refused, the field and the words said.
        page.get_by_label("Change idea:", exact=True).fill("Calls to Ana's family")
        page.get_by_label("Tier 1: universal", exact=False).check()
        page.get_by_label("What was tested, and what the cycles found").fill("It worked.")
        page.get_by_role("button", name="Add to the library").click()
        page.wait_for_load_state()
        walk.check("members-admin-idea-refused")
        assert "Not added: these words are names or ids of students of Ash District" in (
            page.get_by_role("alert").first.inner_text()
        )
    finally:
        walk.close()


def test_a_district_of_another_network_finds_nothing_of_this_one(browser, world):
    coach = Walk(browser, world, "coach")
    try:
        coach.sign_in()
        theirs = network_pk(coach.page, "Network")
    finally:
        coach.close()
    walk = Walk(browser, world, "other-admin")
    page = walk.page
    try:
        walk.sign_in()
        assert page.get_by_role("link", name="Network", exact=True).count() == 0
        page.get_by_role("link", name="Other network").click()
        walk.check("members-other-network")
        text = page.locator("body").inner_text()
        assert "Birch Elementary" in text and "Alder Elementary" not in text
        for path in ("", "library.csv", "library.json", "library/add/", "library/import/"):
            answer = page.goto(f"{world}/networks/{theirs}/{path}")
            assert answer is not None and answer.status == 404, path
        text = page.locator("body").inner_text()
        walk._axe("members-other-admin-not-found")
        for name in ("Ash District", "Alder Elementary", "Aspen Middle", "Every day counts",
                     SHARED_STUDY, "Evening calls"):  # fmt: skip
            assert name not in text
    finally:
        walk.close()


def test_a_coach_refused_five_times_for_naming_students_is_paused(browser, world):
    # The served world's own data folder: run last in this module, the pause is the coach's.
    walk = Walk(browser, world, "coach")
    page = walk.page
    try:
        walk.sign_in()
        page.get_by_role("link", name="Network", exact=True).first.click()
        pk = re.search(r"/networks/(\d+)/", page.url).group(1)
        for n in range(6):
            page.goto(f"{world}/networks/{pk}/library/add/")
            page.get_by_label("Change idea:", exact=True).fill(f"Calls to the Okafor family {n}")
            page.get_by_label("Tier 1: universal", exact=False).check()
            page.get_by_label("What was tested, and what the cycles found").fill("It worked.")
            page.get_by_role("button", name="Add to the library").click()
            page.wait_for_load_state()
        # The sixth is the pause: a 429 page, which Chromium notes on the console.
        alert = page.get_by_role("alert").first.inner_text()
        assert "Paused: 5 texts from your account were refused for naming students" in alert
        walk.errors = [e for e in walk.errors if "status of 429 (Too Many Requests)" not in e]
        walk.check("members-coach-paused")
        no_student_in(alert)
    finally:
        walk.close()
