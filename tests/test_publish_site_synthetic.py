"""`rollcall publish --ca-dashboard --site` end to end on a synthetic state (about 3,000
students, two school years, several districts), under the `california-dashboard` policy so that
the public summary and the Dashboard file count the same students.

The site: a page for every unit, every hidden cell shown as hidden with its note, nothing
outside the site referred to, every link resolving, the downloads identical to the public files,
and the Dashboard colour on each page as in ca_dashboard.csv; in Chromium, no error, no outside
request and no sideways scrolling on a phone. The Dashboard file: every row agrees with a
plain recomputation of the rules from its own counts, and shows no count the public summary
hides."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from rollcall import api
from rollcall.publish.ca_dashboard import DEFAULT_MAPPING
from rollcall.publish.site_pages import page_name
from rollcall.synth import write_synthetic
from tests.site_checks import (
    broken_links,
    external_references,
    heading_problems,
    hidden_cells_problems,
    pages,
    parse,
    read_csv,
)

# Each test here runs whole commands on a synthetic state: the full suite only.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("published")
    write_synthetic(folder / "input", students=3000, seed=3, years=2)
    result = api.publish(
        folder / "input",
        folder / "out",
        policy="california-dashboard",
        ca_dashboard=True,
        site=True,
    )
    assert len(result.school_years) == 2
    return folder / "out"


@pytest.mark.slow
def test_every_unit_has_a_page_and_is_listed(out):
    summary = read_csv(out / "public_summary.csv")
    units = {(r["level"], r["unit_id"]) for r in summary}
    assert {level for level, _ in units} == {"school", "district", "total"}
    assert len([u for u in units if u[0] == "district"]) >= 2
    for level, unit_id in units:
        assert (out / "site" / page_name(level, unit_id)).is_file()
    listed = parse(out / "site" / "index.html").xpath("//tbody/tr")
    assert {(tr.get("data-level"), tr.get("data-unit")) for tr in listed} == units


def test_hidden_cells_are_hidden_with_their_note_and_visible_ones_as_published(out):
    summary = read_csv(out / "public_summary.csv")
    assert any(r["eligible_students"] == "" for r in summary), "the state should hide something"
    assert hidden_cells_problems(out / "site", summary) == []


def test_the_site_is_self_contained_and_its_links_resolve(out):
    site = out / "site"
    assert external_references(site) == []
    assert broken_links(site) == []
    assert [p for page in pages(site) for p in heading_problems(page)] == []


def test_downloads_are_the_public_files(out):
    for name in ("public_summary.csv", "public_summary.json", "equity.csv", "ca_dashboard.csv"):
        assert (out / "site" / "data" / name).read_bytes() == (out / name).read_bytes()


def test_each_page_shows_the_dashboard_colour_of_its_unit(out):
    rows = [r for r in read_csv(out / "ca_dashboard.csv") if r["studentgroup"] == "ALL"]
    assert rows
    for row in rows:
        page = parse(out / "site" / page_name(row["level"], row["unit_id"]))
        shown = page.xpath("//dd[@data-field='dashboard_color']")[0].text_content()
        if row["color"]:
            assert shown == row["color"]
        else:
            assert shown.startswith("none")


GRID = {
    "Very Low": ("Yellow", "Green", "Blue", "Blue", "Blue"),
    "Low": ("Orange", "Yellow", "Green", "Green", "Blue"),
    "Medium": ("Orange", "Orange", "Yellow", "Green", "Green"),
    "High": ("Red", "Orange", "Orange", "Yellow", "Yellow"),
    "Very High": ("Red", "Red", "Red", "Orange", "Yellow"),
}


def _reference(numer: int, denom: int) -> Decimal:
    return (Decimal(100 * numer) / Decimal(denom)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _level(status: Decimal) -> str:
    for name, top in (("Very Low", "2.5"), ("Low", "5.0"), ("Medium", "10.0"), ("High", "20.0")):
        if status <= Decimal(top):
            return name
    return "Very High"


def _change_column(change: Decimal) -> int:
    for column, bottom in enumerate(("3.1", "0.5", "-0.4", "-2.9")):
        if change >= Decimal(bottom):
            return column
    return 4


def test_every_dashboard_row_follows_the_rules_from_its_own_counts(out):
    rows = read_csv(out / "ca_dashboard.csv")
    assert {r["color"] for r in rows} - {""}, "some rows should have a colour"
    for r in rows:
        if not r["currstatus"]:
            assert r["statuslevel"] == "0" and r["currnumer"] == "" and r["color"] == ""
            continue
        numer, denom = int(r["currnumer"]), int(r["currdenom"])
        assert denom >= 11
        status = _reference(numer, denom)
        assert Decimal(r["currstatus"]) == status
        assert r["statuslevel"] == _level(status)
        assert r["smalldenom"] == ("Y" if denom < 150 else "N")
        assert r["currnsizemet"] == ("Y" if denom >= 30 else "N")
        if not r["priorstatus"]:
            assert r["change"] == r["changelevel"] == r["color"] == ""
            continue
        prior = _reference(int(r["priornumer"]), int(r["priordenom"]))
        assert Decimal(r["priorstatus"]) == prior
        assert Decimal(r["change"]) == status - prior
        expected = GRID[r["statuslevel"]][_change_column(status - prior)] if denom >= 30 else ""
        assert r["color"] == expected


def test_the_dashboard_shows_no_count_the_public_summary_hides(out):
    summary = read_csv(out / "public_summary.csv")
    year = max(r["school_year"] for r in summary)
    cells = {
        (r["level"], r["unit_id"], r["dimension"], r["group"].casefold()): r
        for r in summary
        if r["school_year"] == year
    }
    checked = 0
    for row in read_csv(out / "ca_dashboard.csv"):
        for entry in DEFAULT_MAPPING:
            key = (row["level"], row["unit_id"], entry.dimension, entry.value.casefold())
            cell = cells.get(key)
            if entry.code != row["studentgroup"] or cell is None:
                continue
            checked += 1
            if cell["chronically_absent"] == "" or cell["eligible_students"] == "":
                assert row["currnumer"] == row["currdenom"] == row["currstatus"] == ""
            else:
                assert row["currdenom"] == cell["eligible_students"]
                assert row["currnumer"] in ("", cell["chronically_absent"])
    assert checked >= len(read_csv(out / "ca_dashboard.csv"))


@pytest.mark.slow
def test_in_a_browser_the_pages_open_offline_and_fit_a_phone(out, browser, tmp_path):
    site = out / "site"
    school = next(p.name for p in pages(site) if p.name.startswith("school-"))
    for name in ("index.html", "total.html", school):
        page = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True)
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda x, e=errors: e.append(str(x)))
        page.on("request", lambda r, q=requests: q.append(r.url))
        page.goto((site / name).as_uri())
        page.screenshot(path=str(tmp_path / f"phone-{name}.png"), full_page=True)
        assert errors == []
        assert requests == [(site / name).as_uri()]
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        page.close()
