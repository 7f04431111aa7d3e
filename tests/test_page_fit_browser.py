"""Every page rollcall writes, read in a real browser at 1400 px and on a 390 px phone (issue 16):
no page scrolls sideways, every table fits its column or scrolls inside it with its first column
kept in view, no text (charts included) is under 11 px, no caption shows a field name, and no
count shows a fraction. The pages: a synthetic district's report and one school's, the measures
page, the public site's pages, a state's published file (the aggregate page), Ed-Fi's Grand Bend
school page and England's published files."""

from __future__ import annotations

import re
from html import escape, unescape
from pathlib import Path

import pytest
from command import rollcall
from page_fit import WIDTHS, field_names_shown, fit_problems, fractional_totals_shown
from state_files import CO_2223, shared_data
from test_report_browser import ARGS, _chromium

from rollcall.report.charts import NAMED_POINTS, short_name
from rollcall.synth import write_synthetic

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GRAND_BEND = shared_data() / "edfi-grand-bend"
ENGLAND = shared_data() / "england-dfe"
SCHOOL = "1000010002"


def _ran(*args: str) -> None:
    done = rollcall(*args)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Name → page, for every page the project writes (the shared real files when present)."""
    root = tmp_path_factory.mktemp("fit")
    source = root / "input"
    write_synthetic(source, students=1500, seed=7, years=2, messy=True)
    _ran("report", "--input", str(source), "--out", str(root / "district"), "--html")
    _ran("report", "--input", str(source), "--out", str(root / "school"), "--school", SCHOOL)
    _ran("measures", "--input", str(source), "--out", str(root / "measures"))
    _ran("publish", "--input", str(source), "--out", str(root / "public"), "--site")
    found = {
        "district report": root / "district" / "report.html",
        "school report": root / "school" / "report.html",
        "measures page": root / "measures" / "index.html",
    }
    site = root / "public" / "site"
    for page in ("index", "total", "district-100001", f"school-{SCHOOL}", "definitions"):
        found[f"public site: {page}"] = site / f"{page}.html"
    if CO_2223.exists():
        _ran("report", "--input", str(CO_2223), "--out", str(root / "co"), "--html")
        found["aggregate page (Colorado)"] = root / "co" / "report.html"
    if GRAND_BEND.is_dir():
        school = "255901001"
        _ran(
            "report", "--input", str(GRAND_BEND), "--enrollment-from-sessions",
            "--out", str(root / "edfi"), "--school", school,
        )  # fmt: skip
        found["Ed-Fi Grand Bend school page"] = root / "edfi" / "report.html"
    if ENGLAND.is_dir():
        _ran("report", "--input", str(ENGLAND), "--out", str(root / "england"), "--html")
        found["England"] = root / "england" / "report.html"
    return found


def test_every_page_fits_both_widths_with_readable_words_and_numbers(pages, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            for name, path in pages.items():
                for width in WIDTHS:
                    page = browser.new_page(
                        viewport={"width": width, "height": 900}, is_mobile=width < 600
                    )
                    page.goto(path.as_uri())
                    assert page.evaluate("window.visualViewport.scale") == 1, name
                    found = fit_problems(page)
                    if width == WIDTHS[0]:
                        found += [f"field name shown: {f}" for f in field_names_shown(page)]
                        found += [
                            f"count with a fraction: {f}" for f in fractional_totals_shown(page)
                        ]
                    problems += [f"{name} at {width} px: {x}" for x in found]
                    slug = name.replace(" ", "-").replace(":", "")
                    page.screenshot(path=str(tmp_path / f"{slug}-{width}.png"), full_page=True)
                    page.close()
        finally:
            browser.close()
    assert problems == []


def test_the_measure_finds_what_a_reader_would_trip_on(tmp_path):
    """The measure itself, on a page made to fail each way: a wide table with no scroll
    container, a scrolling table whose first column scrolls away, a chart shrunk until its text
    is 6 px, a field name in a caption and a total with a fraction."""
    playwright = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    cells = "".join(f"<td>{n:,} students in a long cell</td>" for n in range(12))
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html lang=en><meta name=viewport content='width=device-width'>"
        "<body style='margin:0'><main style='max-width:30rem'>"
        f"<table><caption>Wide</caption><tbody><tr><th>a</th>{cells}</tr></tbody></table>"
        f"<div class=scroll style='overflow-x:auto'><table><caption>Scrolls</caption>"
        f"<tbody><tr><th>b</th>{cells}</tr></tbody></table></div>"
        "<svg viewBox='0 0 800 100' style='width:100%'><text x=0 y=50 font-size=12>0%</text></svg>"
        "<p>Chronic absence by race_ethnicity: 76,275.25 days missed.</p></main></body></html>",
        encoding="utf-8",
    )
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 800})
            page.goto(bad.as_uri())
            found = fit_problems(page)
            fields, fractions = field_names_shown(page), fractional_totals_shown(page)
        finally:
            browser.close()
    assert any(x.startswith("the page scrolls sideways") for x in found)
    assert any(x.startswith('table "Wide" is') for x in found)
    assert any('table "Scrolls" scrolls sideways without its first column' in x for x in found)
    assert any(x.startswith('text "0%" is') for x in found)
    assert fields == ["race_ethnicity"]
    assert fractions == ["76,275.25"]


def test_a_school_page_puts_its_students_in_the_first_screen(pages):
    """The list to act on starts in the first screen at 1400 px, on the synthetic school and on
    Grand Bend, whose five cautions show as headlines that open to their detail."""
    playwright = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    names = [n for n in ("school report", "Ed-Fi Grand Bend school page") if n in pages]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            for name in names:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(pages[name].as_uri())
                top = page.locator("#support-h").bounding_box()
                assert top is not None and top["y"] < 900, (name, top)
                page.close()
        finally:
            browser.close()


def test_the_scatter_names_its_schools(pages):
    """On the district page every school's point carries its name (12 schools or fewer: all)."""
    html = pages["district report"].read_text(encoding="utf-8")
    figure = html[html.index('aria-labelledby="cap-schools"') :]
    figure = figure[: figure.index("</figure>")]
    rows = re.findall(r'<tr[^>]*data-level="school"[^>]*><th scope="row">([^<]+)</th>', html)
    assert 2 <= len(rows) <= NAMED_POINTS
    plain = [re.sub(r" \(\d+\)$", "", unescape(title)) for title in rows]
    for title, name in zip(rows, plain, strict=True):
        # By name alone, with the id only where two schools share the name.
        shown = name if plain.count(name) == 1 else unescape(title)
        assert f">{escape(short_name(shown))}</text>" in figure, title
    assert "each named" in figure
