"""The public site in a real browser: headless Chromium (Debian's package) opens the pages from
the folder (file://) with no console error (a style or script the page's Content-Security-Policy
did not allow would be one) and no request beyond the site's own files; the list of units sorts
and filters; a phone-width screen (375 px) never scrolls sideways; screenshots are saved in the
test's folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rollcall.publish.site import write_site

FIXTURE = Path(__file__).parent / "fixtures" / "public_site"
PAGES = ("index.html", "school-0601.html", "district-D1.html", "definitions.html", "downloads.html")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    public = tmp_path_factory.mktemp("browser") / "public"
    shutil.copytree(FIXTURE, public)
    write_site(public)
    return public / "site"


def open_page(browser, url: str, **options):
    """A page at ``url`` that records console errors and every request it makes."""
    page = browser.new_page(**options)
    page.errors, page.requests = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(url)
    return page


@pytest.mark.parametrize("name", PAGES)
def test_pages_open_offline_without_errors_or_outside_requests(browser, site, name, tmp_path):
    page = open_page(browser, (site / name).as_uri(), viewport={"width": 1200, "height": 900})
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert page.errors == []
    assert page.requests == [(site / name).as_uri()]
    assert (tmp_path / f"{name}.png").stat().st_size > 5_000


def test_the_list_of_units_sorts_and_filters(browser, site):
    page = open_page(browser, (site / "index.html").as_uri())
    search = page.get_by_label("Search schools and districts")
    assert search.is_visible()  # shown only once the script runs: the table works without it
    rows = page.locator("#units tbody tr:not([hidden])")
    assert rows.count() == 5

    search.fill("adams")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-unit") == "0601"
    assert page.locator("#unit-count").inner_text() == "Showing 1 of 5"
    search.fill("riverside")  # a school is found by its district's name too
    assert rows.count() == 4
    search.fill("")
    assert rows.count() == 5

    page.locator("#units thead th button", has_text="eligible students").click()
    header = page.locator("#units thead th", has_text="eligible students")
    assert header.get_attribute("aria-sort") == "ascending"
    cells = page.locator("#units tbody td[data-field=eligible_students]")
    texts = cells.all_inner_texts()
    # 300, 400, 708, 708, then the hidden school: hidden values sort last, never as zeros
    assert texts == ["300", "400", "708", "708", "hidden"]
    page.locator("#units thead th button", has_text="eligible students").press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    assert cells.all_inner_texts() == ["708", "708", "400", "300", "hidden"]
    assert page.errors == []


def test_the_sort_buttons_and_search_are_reachable_by_keyboard(browser, site):
    page = open_page(browser, (site / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent")
        )
    assert "unit-search" in focused
    assert "name" in focused  # the first sort button


@pytest.mark.parametrize("name", (*PAGES, "school-0602.html"))
def test_a_phone_screen_never_scrolls_sideways(browser, site, name, tmp_path):
    page = open_page(
        browser, (site / name).as_uri(), viewport={"width": 375, "height": 812}, is_mobile=True
    )
    page.screenshot(path=str(tmp_path / f"phone-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name} is {width} px wide on a 375 px screen"
    assert page.errors == []


def test_without_javascript_the_full_list_still_shows(browser, site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((site / "index.html").as_uri())
        assert page.locator("#units tbody tr").count() == 5
        assert all(row.is_visible() for row in page.locator("#units tbody tr").all())
        assert not page.get_by_label("Search schools and districts").is_visible()
        assert page.locator("#units thead th button").count() == 0  # plain headings instead
    finally:
        context.close()
