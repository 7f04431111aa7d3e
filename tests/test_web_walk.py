"""Each role's main path through the platform in a real browser (issue 11's "done when"): a
teacher finds a student newly at risk and starts a plan; a principal sees the school's
follow-through; district staff compare their schools; a partner sees only the caseload; a
coach sees measures and no student. (A district administrator refreshing from the browser and
seeing the new snapshot: tests/test_web_intake_browser.py.)

The served world is tests/web_world.py's with one change: Ben Okafor (s2, in the teacher's
advisory) misses three days between the two refreshes, 0 of 20 then 3 of 40 (7.5%): newly at
risk. Every page is checked by ``Walk`` (axe-core, console errors, requests leaving the server,
no sideways scrolling at 390 px); screenshots go to /tmp/i18n-shots (or ROLLCALL_SHOTS)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from outputs import absences
from test_web_browser import Walk, served
from web_world import DAYS, write_world

pytestmark = pytest.mark.slow


def write_walk_world(folder: Path) -> Path:
    source = write_world(folder)
    rows = absences("s2", "A1", DAYS[30:33], "unexcused")
    with (source / "attendance.csv").open("a", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writerows(rows)
    return source


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[str]:
    yield from served(tmp_path_factory.mktemp("walk"), write_walk_world)


def walking(browser, base: str, who: str) -> Walk:
    walk = Walk(browser, base, who)
    walk.sign_in()
    walk.check("walk-home")
    return walk


def test_a_teacher_finds_a_student_newly_at_risk_and_starts_a_plan(browser, world):
    walk = walking(browser, world, "teacher")
    page = walk.page
    try:
        page.get_by_role("link", name="Advisory").click()
        page.locator("select[name=band]").select_option("at_risk")
        page.locator("select[name=view]").select_option("new")
        page.get_by_role("button", name="Show").click()
        walk.check("walk-newly-at-risk")
        assert page.get_by_role("link", name="Ben Okafor").count() == 1
        assert page.get_by_role("link", name="Ana Lopez").count() == 0  # severe, not at risk
        page.get_by_role("link", name="Ben Okafor").click()
        walk.check("walk-student")
        assert page.get_by_role("heading", name="Attendance calendar").count() == 1
        page.get_by_role("link", name="Start a support plan").click()
        walk.check("walk-new-plan")
        page.get_by_label("Tier 2: early, personalised outreach").check()
        page.get_by_label("Misconceptions", exact=False).check()
        page.get_by_label("Family conference to identify barriers", exact=False).check()
        page.get_by_label("Goal").fill("Ben attends 9 days in 10 for the next four weeks.")
        page.get_by_role("button", name="Start the plan").click()
        walk.check("walk-plan")
        assert page.locator("h1").inner_text() == "Support plan for Ben Okafor"
        assert "Family conference to identify barriers" in page.content()
        # The plan is on the student's page now.
        page.get_by_role("link", name="Back to the student").click()
        page.wait_for_url("**/students/A/s2/")
        assert page.get_by_role("cell", name="open").count() == 1
    finally:
        walk.close()


def test_a_principal_sees_the_schools_follow_through(browser, world):
    walk = walking(browser, world, "principal")
    page = walk.page
    try:
        page.get_by_role("link", name="Alder Elementary").click()
        walk.check("walk-school")
        assert page.get_by_role("heading", name="Follow-through").count() == 1
        # Newly chronically absent at A1: Ana (moderate at the first refresh) is severe, not new
        # to chronic absence; nobody else is chronically absent: 0 of 0.
        assert page.locator("#newly-with-plan").inner_text() == "0 / 0"
        assert page.get_by_role("heading", name="Week by week").count() == 1
    finally:
        walk.close()


def test_district_staff_compare_their_schools(browser, world):
    walk = walking(browser, world, "district")
    page = walk.page
    try:
        page.get_by_role("link", name="Ash District").click()
        walk.check("walk-district")
        assert page.get_by_role("img", name="Funnel plot of 2 schools", exact=False).count() == 1
        assert page.get_by_role("link", name="Aspen Middle").count() == 1
        assert page.get_by_role("heading", name="Refreshes").count() == 1
    finally:
        walk.close()


def test_a_partner_sees_only_the_caseload(browser, world):
    walk = walking(browser, world, "partner")
    page = walk.page
    try:
        assert page.get_by_role("link", name="Alder Elementary").count() == 0
        page.get_by_role("link", name="Partner").click()
        walk.check("walk-partner-caseload")
        links = page.locator("table a").all_inner_texts()
        assert links == ['=HYPERLINK("http://x") Chen']  # s3, the caseload's one student
        page.locator("table a").first.click()
        walk.check("walk-partner-student")
        assert "suspension" not in page.locator("main").inner_text().lower()
        assert page.get_by_role("link", name="Start a support plan").count() == 0
        # Another student's page is "not found", as if it did not exist.
        answer = page.goto(f"{world}/students/A/s1/")
        assert answer is not None and answer.status == 404
    finally:
        walk.close()


def test_a_coach_sees_measures_and_no_student(browser, world):
    walk = walking(browser, world, "coach")
    page = walk.page
    try:
        page.get_by_role("link", name="Network").click()
        walk.check("walk-coach-network")
        text = page.locator("main").inner_text()
        assert "Ash District" in text and "Alder Elementary" in text
        for private in ("Ana", "Lopez", "Okafor", "Chen", "s1"):
            assert private not in text
        assert page.locator("a[href^='/students/']").count() == 0
        for path in ("/students/A/s1/", "/schools/A/A1/", "/districts/A/"):
            answer = page.goto(f"{world}{path}")
            assert answer is not None and answer.status == 404, path
    finally:
        walk.close()
