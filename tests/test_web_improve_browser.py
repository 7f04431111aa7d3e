"""An improvement project in a real browser (issue 14's "done when"): a school team sets an aim,
draws a driver diagram and runs two PDSA cycles whose dates appear on the measure's chart; a
teacher and a coach find none of it. Every page is checked by ``Walk`` (axe-core, console
errors, requests leaving the server, no sideways scrolling at 390 px)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from test_web_browser import Walk, served

pytestmark = pytest.mark.slow

# A project's page (a form sent from a page whose skip link was used keeps its #main).
PROJECT_URL = re.compile(r".*/improve/\d+/(#main)?$")
OUTLINE = """# Families know every day counts
## Positive messages home
- Welcome calls in the first week
# Students feel connected
## An adult who notices
- Check-in, check-out mentoring"""


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[str]:
    yield from served(tmp_path_factory.mktemp("improve"))


def plan_cycle(page, question: str, start: str, end: str) -> None:
    page.get_by_label("Plan: what question does this cycle answer?").fill(question)
    page.get_by_label("Plan: what do we predict will happen?").fill("Half the families answer")
    page.get_by_label("Plan: who, where and when").fill("Grade 7 homerooms, one week")
    page.get_by_label("Plan: what data will we collect?").fill("Calls made and answered")
    page.get_by_label("First day of the test").fill(start)
    page.get_by_label("Last day of the test").fill(end)


def test_a_school_team_sets_an_aim_draws_its_diagram_and_marks_two_cycles(browser, world):
    walk = Walk(browser, world, "team")
    page = walk.page
    try:
        walk.sign_in()
        page.get_by_role("link", name="Improvement projects").click()
        walk.check("improve-projects")
        page.get_by_role("link", name="Start a project").click()
        walk.check("improve-new")
        page.get_by_label("School or district").select_option(label="Aspen Middle")
        page.get_by_label("Name of the project").fill("Every day counts")
        page.get_by_label("For whom").fill("7th graders")
        page.get_by_label("Chronic absence now (percent)").fill("24")
        page.get_by_label("Chronic absence to reach (percent)").fill("18")
        page.get_by_label("By when").fill("2025-06-13")
        page.get_by_role("button", name="Start the project").click()
        page.wait_for_url(PROJECT_URL)
        assert "from 24.0% to 18.0% by 2025-06-13" in page.locator(".aim").inner_text()
        page.get_by_role("link", name="Draw the driver diagram").click()
        walk.check("improve-diagram-edit")
        page.get_by_label("Driver diagram").fill(OUTLINE)
        page.get_by_role("button", name="Save a new version").click()
        page.wait_for_url(PROJECT_URL)
        diagram = page.get_by_role("img", name="Driver diagram. Aim:", exact=False)
        assert diagram.count() == 1
        cycles = (("Do calls reach families?", "2024-09-09", "2024-09-13"),
                  ("Do evening calls reach more?", "2024-09-23", "2024-09-27"))  # fmt: skip
        for question, start, end in cycles:
            name = "Plan a PDSA cycle of “Welcome calls in the first week”"
            page.get_by_role("link", name=name).click()
            walk.check("improve-cycle")
            plan_cycle(page, question, start, end)
            page.get_by_role("button", name="Plan the cycle").click()
            page.wait_for_url(PROJECT_URL)
        walk.check("improve-project")
        assert page.get_by_role("link", name="PDSA 2, 2024-09-23 to 2024-09-27").count() == 1
        # The weekly share of days missed at Aspen Middle, from the refresh, with both cycles.
        page.get_by_role(
            "link", name="Share of school days missed each week, from the latest refresh"
        ).first.click()
        walk.check("improve-measure")
        chart = page.get_by_role("img", name="PDSA cycles marked: 1 (2024-09-09); 2 (2024-09-23)",
                                 exact=False)  # fmt: skip
        assert chart.count() == 1
        marked = page.locator("p", has_text="PDSA cycles marked on the chart").inner_text()
        assert "from 2024-09-09" in marked and "from 2024-09-23" in marked
        # Study and Act on the first cycle.
        first = "PDSA 1 of “Welcome calls in the first week”"
        page.get_by_role("link", name=first, exact=False).click()
        page.get_by_label("Study: the results against the prediction").fill("11 of 30 answered")
        page.get_by_label("Adapt", exact=True).check()
        page.get_by_role("button", name="Save the cycle").click()
        page.wait_for_url(PROJECT_URL)
        assert "Adapt" in page.locator("main").inner_text()
    finally:
        walk.close()


def test_a_teacher_and_a_coach_see_no_project(browser, world):
    for who in ("teacher", "coach"):
        walk = Walk(browser, world, who)
        page = walk.page
        try:
            walk.sign_in()
            assert page.get_by_role("link", name="Improvement projects").count() == 0
            response = page.goto(f"{world}/improve/1/")
            assert response is not None and response.status == 404
        finally:
            walk.close()
