"""Family outreach's main path in a real browser: the school team of Aspen Middle (A2) opens
"Family outreach" from the school's page, plans a round (half held out, the seed under which
s3's family gets the letter and s5's is held out: tests/test_web_outreach.py), reads the letter,
approves the round, rehearses the sending, and finds the record on both students' pages. Every
page is checked by ``Walk`` (axe-core, console errors, no sideways scrolling at 390 px);
screenshots at 1400 and 390 px go to /tmp/i18n-shots (or ROLLCALL_SHOTS)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_web_browser import Walk, served
from test_web_outreach import SEED

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[str]:
    yield from served(tmp_path_factory.mktemp("outreach"))


def test_a_school_team_plans_previews_approves_and_sends_a_round(browser, world):
    walk = Walk(browser, world, "team")
    walk.sign_in()
    page = walk.page
    try:
        page.goto(f"{world}/schools/A/A2/")
        page.get_by_role("link", name="Family outreach").click()
        walk.check("outreach-rounds")
        page.get_by_label("Random seed").fill(str(SEED))
        page.get_by_label("Share of families held out (percent)").fill("50")
        page.get_by_role("button", name="Plan the round").click()
        page.wait_for_load_state()
        assert "/outreach/" in page.url and "/schools/" not in page.url, page.content()[-3000:]
        walk.check("outreach-round")
        assert page.locator("h1").inner_text() == "Aspen Middle: outreach round 1"
        page.get_by_role("link", name="Letter to auto-s3").click()
        walk.check("outreach-letter")
        assert "out of 40 school days so far" in page.locator(".letter-preview").inner_text()
        page.get_by_role("link", name="Back to the round").click()
        page.get_by_role("button", name="Approve the round").click()
        page.wait_for_load_state()
        assert "Approved on" in page.content()
        page.get_by_role("button", name="Send").click()  # a dry run: the box is not ticked
        walk.check("outreach-round-sent")
        assert "Dry run" in page.content()
        page.get_by_role("link", name="Letter to auto-s3").wait_for()
        page.goto(f"{world}/students/A/s5/")
        walk.check("outreach-student-holdout")
        assert "In the comparison group (no letter this round) (round 1)." in page.content()
        page.goto(f"{world}/students/A/s3/")
        assert "Printed letter in English approved on" in page.content()
    finally:
        walk.close()
