"""The report in a real browser: headless Chromium (Debian's package) opens a synthetic
district's report with no console error and no request beyond the page itself, sorts and pages
the student list, and saves screenshots (desktop and phone) in the test's folder."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from rollcall import api
from rollcall.synth import write_synthetic

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _chromium() -> Path:
    """Debian's chromium, installed here when running as root with apt (as CI does)."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("chromium is not installed and cannot be (not root, or no apt-get)")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        subprocess.run(command, check=False, capture_output=True, timeout=600)
    if not CHROMIUM.exists():
        pytest.skip("apt-get could not install chromium on this machine")
    return CHROMIUM


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    write_synthetic(folder / "input", students=1500, seed=7, years=2, messy=True)
    api.report(folder / "input", folder / "total")
    summary = (folder / "total" / "summary.csv").read_text(encoding="utf-8").splitlines()
    district_id = next(line.split(",")[2] for line in summary if ",district," in line)
    result = api.report(folder / "input", folder / "district", district=district_id)
    assert result.html is not None
    return result.html


def test_report_opens_offline_without_errors_and_its_table_sorts_and_pages(report, tmp_path):
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
            page.goto(report.as_uri())
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            assert errors == []
            assert requests == [report.as_uri()]
            assert page.locator("h1").inner_text().startswith("Chronic absence")
            assert page.locator("figure svg").count() >= 6
            # The page leads with what to do: the list of students starts in the first screen.
            page.set_viewport_size({"width": 1400, "height": 900})
            top = page.locator("#support-h").bounding_box()
            assert top is not None and top["y"] < 900, "the student list should be on screen"
            page.set_viewport_size({"width": 1200, "height": 900})
            _sorts_and_pages(page)
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            phone.goto(report.as_uri())
            phone.screenshot(path=str(tmp_path / "report-phone.png"))
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 400, "the page should not scroll sideways on a phone"
        finally:
            browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000


def _sorts_and_pages(page) -> None:
    table = page.locator("#support-table")  # always open: every row is there without script
    rows = table.locator("tbody tr")
    total = rows.count()
    visible = table.locator("tbody tr:not([hidden])").count()
    assert visible == min(total, 50)
    header = table.locator("thead th button", has_text="days enrolled")
    header.click()
    values = [
        int(v)
        for v in table.locator("tbody tr:not([hidden]) td[data-field=days_enrolled]").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-value'))"
        )
    ]
    assert values == sorted(values)
    if total > 50:
        page.locator(".pager button", has_text="Next").click()
        assert "Page 2" in page.locator(".pager span").inner_text()
