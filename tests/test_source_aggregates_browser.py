"""The aggregate report page in a real browser (Debian's Chromium, headless): Colorado's
district workbook opens offline with no console error and no request beyond the page, its
districts table sorts, and the page does not scroll sideways on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from state_files import CO_2223, need
from test_report_browser import ARGS, _chromium

from rollcall import api


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> Path:
    need(CO_2223)
    result = api.report(CO_2223, tmp_path_factory.mktemp("aggregate-browser"), html=True)
    assert result.html is not None
    return result.html


def test_the_aggregate_page_opens_offline_sorts_and_fits_a_phone(page_path, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            errors: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.as_uri())
            page.screenshot(path=str(tmp_path / "aggregate.png"), full_page=True)
            assert errors == [] and requests == [page_path.as_uri()]
            assert page.locator("h1").inner_text() == "Chronic absence: Colorado"
            assert page.locator("#units figure svg").is_visible()  # the funnel plot
            table = page.locator("#units table")
            rate = table.locator("thead th").nth(3)
            rate.locator("button").click()  # ascending by rate
            first = table.locator("tbody tr").first.get_attribute("data-unit")
            rate.locator("button").click()  # descending
            top = table.locator("tbody tr").first.get_attribute("data-unit")
            assert first != top and rate.get_attribute("aria-sort") == "descending"
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            phone.goto(page_path.as_uri())
            phone.screenshot(path=str(tmp_path / "aggregate-phone.png"))
            assert phone.evaluate("document.documentElement.scrollWidth") <= 400
        finally:
            browser.close()
