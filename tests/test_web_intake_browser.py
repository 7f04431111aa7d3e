"""A district administrator refreshes the data from the browser (issue 11's "done when": a
district user refreshes data and sees the new snapshot): the real server (test_web_browser.py's
``server``) starts the real job runner; the page shows the progress, then the new snapshot, whose
school page opens. axe-core, console errors, requests leaving the server and the 390 px width are
checked on each page by ``Walk``; screenshots go to /tmp/i18n-shots (or ROLLCALL_SHOTS)."""

from __future__ import annotations

import zipfile

import pytest
from test_web_browser import Walk, server  # noqa: F401 (the served world, a module fixture)
from test_web_intake import AS_OF, write_ash

pytestmark = pytest.mark.slow


def test_a_district_administrator_uploads_a_file_and_sees_the_new_snapshot(
    browser,
    server,  # noqa: F811 (the fixture imported above)
    tmp_path,
):
    folder = write_ash(tmp_path / "ash")
    archive = tmp_path / "ash-export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.iterdir()):
            out.write(path, f"export/{path.name}")
    walk = Walk(browser, server, "admin")
    try:
        walk.sign_in()
        page = walk.page
        walk.check("admin-home")
        page.get_by_role("link", name="Refresh the data").click()
        walk.check("refresh-form")
        page.get_by_label("File to upload").set_input_files(str(archive))
        page.get_by_label("As of").fill(AS_OF.isoformat())
        page.get_by_role("button", name="Start the refresh").click()
        page.wait_for_load_state()
        status = page.get_by_role("status")
        assert status.inner_text() in {"Waiting to start.", "Done."} or "Running" in (
            status.inner_text()
        )
        # The poller updates the status line, then loads the page once with the result.
        page.wait_for_selector(".progress.status-done", timeout=120_000)
        assert page.get_by_role("status").inner_text() == "Done."
        walk.check("refresh-done")
        assert page.get_by_role("cell", name="attendance.csv").count() == 1
        page.get_by_role("link", name="Alder Elementary").click()
        walk.check("refresh-school")
        assert page.locator("h1").inner_text() == "Alder Elementary"
        assert AS_OF.strftime("%-d") in page.content()  # the school page is as of the new date
    finally:
        walk.close()
