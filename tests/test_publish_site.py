"""The public site, in process: built from hand-made public files (tests/fixtures/public_site/,
written like `rollcall publish` writes them), it has a page for every unit, shows every hidden
value as hidden with its reason (never a zero), makes no external reference, links only to
pages and files that exist, and offers the public files byte for byte.

The fixture tests the display only; whether the suppression in it would hold up is the concern
of the publishing tests, which attack `rollcall publish`'s own output."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from rollcall.errors import InputError
from rollcall.publish.site import write_site
from rollcall.publish.site_chart import TrendPoint, trend_svg
from rollcall.publish.site_pages import page_name, percent_text, points_text, rate_value
from tests.site_checks import (
    broken_links,
    external_references,
    heading_problems,
    hidden_cells_problems,
    pages,
    parse,
    read_csv,
)

FIXTURE = Path(__file__).parent / "fixtures" / "public_site"


@pytest.fixture
def public(tmp_path) -> Path:
    """A copy of the hand-made public files, as `rollcall publish --out` leaves them."""
    out = tmp_path / "public"
    shutil.copytree(FIXTURE, out)
    return out


@pytest.fixture
def site(public) -> Path:
    write_site(public)
    return public / "site"


def test_every_unit_in_the_public_summary_has_a_page(site, public):
    units = {(r["level"], r["unit_id"]) for r in read_csv(public / "public_summary.csv")}
    assert len(units) == 5
    for level, unit_id in units:
        page = site / page_name(level, unit_id)
        assert page.is_file(), page.name
        assert len(parse(page).xpath("//h1")) == 1
    index = parse(site / "index.html")
    listed = {(tr.get("data-level"), tr.get("data-unit")) for tr in index.xpath("//tbody/tr")}
    assert listed == units


def test_write_site_returns_every_file_it_wrote(public):
    written = write_site(public)
    site = public / "site"
    assert sorted(written) == sorted(p for p in site.rglob("*") if p.is_file())


def test_hidden_cells_say_hidden_with_the_reason_and_are_never_zero(site, public):
    assert hidden_cells_problems(site, read_csv(public / "public_summary.csv")) == []


def test_a_hidden_school_says_so_in_its_headline(site):
    page = parse(site / page_name("school", "S/3"))
    rate = page.xpath("//dd[@data-field='chronic_absence_rate']")[0]
    assert rate.get("data-hidden") == "true"
    assert rate.text_content() == "hiddenfewer than 11 students"
    row = parse(site / "index.html").xpath("//tr[@data-unit='S/3']")[0]
    assert "hidden" in row.xpath("td[@data-field='chronic_absence_rate']")[0].text_content()
    assert row.xpath("th//*[@class='note']")[0].text_content() == "fewer than 11 students"


def test_a_range_is_shown_as_published_with_its_reason(site):
    page = parse(site / "school-0601.html")
    row = page.xpath("//tr[@data-dimension='english_learner'][@data-group='Y']")[0]
    cells = [td.text_content() for td in row.xpath("td")]
    assert cells == ["12", "hidden", "≤5%"]
    assert row.xpath("th")[0].text_content() == "Yesrange shown to protect individuals"


def test_no_file_refers_to_anything_outside_the_site(site):
    assert external_references(site) == []
    for page in pages(site):
        policy = parse(page).xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert policy and policy[0].startswith("default-src 'none'")


def test_links_between_pages_resolve(site):
    assert broken_links(site) == []


def test_downloads_are_the_public_files_byte_for_byte(site, public):
    names = ["public_summary.csv", "public_summary.json", "equity.csv", "ca_dashboard.csv"]
    for name in names:
        assert (site / "data" / name).read_bytes() == (public / name).read_bytes(), name
    links = parse(site / "downloads.html").xpath("//main//a[@download]/@href")
    assert links == [f"data/{name}" for name in names]


def test_pages_have_landmarks_ordered_headings_and_table_captions(site):
    problems = [p for page in pages(site) for p in heading_problems(page)]
    assert problems == []


def test_names_are_escaped(site):
    html = (site / "school-0602.html").read_text(encoding="utf-8")
    assert "<Middle>" not in html
    assert "Baker &amp; &#34;Sons&#34; &lt;Middle&gt;" in html
    assert parse(site / "school-0602.html").xpath("//h1")[0].text_content() == (
        'Baker & "Sons" <Middle>'
    )


def test_an_id_that_is_not_a_safe_file_name_gets_a_unique_one():
    assert page_name("school", "0601") == "school-0601.html"
    assert page_name("district", "D1") == "district-D1.html"
    assert page_name("total", "total") == "total.html"
    odd = page_name("school", "S/3")
    assert odd.startswith("school-S_3-") and odd.endswith(".html")
    assert odd != page_name("school", "S_3") != page_name("school", "S 3")


def test_unit_page_shows_its_rate_trend_groups_equity_and_dashboard_colour(site):
    page = parse(site / "school-0601.html")
    assert (
        page.xpath("//dd[@data-field='chronic_absence_rate']")[0].text_content().startswith("15.0%")
    )
    years = [tr.get("data-year") for tr in page.xpath("//tr[@data-year]")]
    assert years == ["2022-23", "2023-24", "2024-25"]
    chart = page.xpath("//svg")[0]
    assert "2022-23: 20.0%; 2023-24: 17.9%; 2024-25: 15.0%" in chart.xpath("desc")[0].text
    assert [h.text_content() for h in page.xpath("//section/h3")] == [
        "Grade",
        "Race and ethnicity",
        "English learners",
        "Race and ethnicity",
        "English learners",
    ]
    hispanic = page.xpath(
        "//section[@aria-labelledby='equity-h']//tr[@data-group='Hispanic or Latino']"
    )
    assert [td.text_content() for td in hispanic[0].xpath("td")][:4] == [
        "16.5%",
        "+1.5",
        "+3.2vs White",
        "1.24 (0.75 to 2.05)",
    ]
    colour = page.xpath("//dd[@data-field='dashboard_color']")[0].text_content()
    assert colour == "Yellow"
    el = page.xpath("//tr[@data-studentgroup='EL']")[0].text_content()
    assert "no status" in el and "hidden" in el


def test_a_hidden_year_is_a_gap_in_the_trend_not_a_zero(site):
    page = parse(site / "school-0602.html")
    hidden = page.xpath("//tr[@data-year='2022-23']")[0]
    assert hidden.xpath("td[@data-field='chronic_absence_rate']")[0].text_content() == "hidden"
    svg = page.xpath("//svg")[0]
    assert "2022-23: hidden" in svg.xpath("desc")[0].text
    assert len(svg.xpath("circle")) == 2  # the two published years only


def test_without_ca_dashboard_csv_there_is_no_dashboard_section(public):
    (public / "ca_dashboard.csv").unlink()
    write_site(public)
    site = public / "site"
    assert parse(site / "school-0601.html").xpath("//*[@id='dashboard-h']") == []
    assert parse(site / "definitions.html").xpath("//*[@id='dashboard']") == []
    assert not (site / "data" / "ca_dashboard.csv").exists()
    assert broken_links(site) == []


def test_the_definitions_explain_every_note_in_the_files(site, public):
    notes = {r["note"] for r in read_csv(public / "public_summary.csv")} - {""}
    terms = parse(site / "definitions.html").xpath("//section[@aria-labelledby='hidden']//dt")
    assert {dt.text_content() for dt in terms} == notes


def test_schools_and_their_district_link_to_each_other(site):
    school = parse(site / "school-0601.html")
    assert "district-D1.html" in school.xpath("//nav[@aria-label='Breadcrumb']//a/@href")
    district = parse(site / "district-D1.html")
    assert district.xpath("//section[@aria-labelledby='schools-h']//tbody/tr/@data-unit") == [
        "0601",
        "0602",
        "S/3",
    ]
    index = parse(site / "index.html").xpath("//tr[@data-unit='0601']")[0]
    assert "Riverside Unified" in index.get("data-search")


def test_without_the_json_document_schools_are_not_linked_but_still_listed(public):
    (public / "public_summary.json").unlink()
    write_site(public)
    site = public / "site"
    assert parse(site / "district-D1.html").xpath("//*[@id='schools-h']") == []
    assert (site / "school-0601.html").exists()
    assert broken_links(site) == []


def test_the_definitions_state_the_rules_used(site):
    text = parse(site / "definitions.html").text_content()
    assert "The rules used for these files: groups of fewer than 11 students hidden" in text


def test_a_second_run_leaves_no_page_of_a_unit_no_longer_published(public):
    write_site(public)
    rows = [r for r in read_csv(public / "public_summary.csv") if r["unit_id"] != "0602"]
    with (public / "public_summary.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    write_site(public)
    assert not (public / "site" / "school-0602.html").exists()
    assert (public / "site" / "school-0601.html").exists()


def test_without_a_public_summary_the_site_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"public_summary\.csv: file not found") as caught:
        write_site(tmp_path)
    assert "rollcall publish" in (caught.value.hint or "")


def test_a_public_file_without_a_column_is_refused_naming_it(public):
    text = (public / "equity.csv").read_text(encoding="utf-8")
    (public / "equity.csv").write_text(text.replace(",rate_ratio_high", ""), encoding="utf-8")
    with pytest.raises(InputError, match=r"equity.csv, line 1, column 'rate_ratio_high'"):
        write_site(public)


@pytest.mark.parametrize(
    ("raw", "text", "hidden", "is_range"),
    [
        ("0.15", "15.0%", False, False),
        ("0.123456", "12.3%", False, False),
        ("0.12345", "12.3%", False, False),
        ("0.12355", "12.4%", False, False),  # half up
        ("12.3%", "12.3%", False, False),
        ("≤5%", "≤5%", False, True),
        ("≥95%", "≥95%", False, True),
        ("", "hidden", True, False),
        ("0", "0.0%", False, False),  # a published zero is a zero
    ],
)
def test_rates_are_written_as_percentages(raw, text, hidden, is_range):
    value = rate_value(raw, "a note")
    assert (value.text, value.hidden, value.is_range) == (text, hidden, is_range)
    if hidden:
        assert value.reason == "a note"


def test_percentages_round_half_up_and_gaps_carry_a_sign():
    from decimal import Decimal

    assert percent_text(Decimal("2.55")) == "2.6%"
    assert percent_text(Decimal("2.549")) == "2.5%"
    assert [points_text(v) for v in ("4.2", "-1.25", "0", "")] == ["+4.2", "−1.3", "0.0", ""]


def test_a_chart_needs_two_published_years():
    one = [TrendPoint("2024-25", 10.0, "10.0%"), TrendPoint("2023-24", None, "hidden")]
    assert trend_svg(one, unit="Adams", chart_id="c") == ""
    two = [TrendPoint("2023-24", 12.0, "12.0%"), TrendPoint("2024-25", 10.0, "10.0%")]
    svg = trend_svg(two, unit="A <b>", chart_id="c")
    assert svg.startswith("<svg") and "A &lt;b&gt;" in svg and "<b>" not in svg


def test_a_group_with_every_measure_hidden_is_not_repeated_among_the_gaps(site):
    page = parse(site / "school-0601.html")
    gaps = page.xpath("//section[@aria-labelledby='equity-h']//tbody/tr/@data-group")
    # Asian and Black students: fewer than 11, nothing to show; the range row keeps its place
    assert gaps == ["White", "Hispanic or Latino", "Y", "N"]
    groups = page.xpath("//section[@aria-labelledby='groups-h']//tr/@data-group")
    assert "Asian" in groups


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_have_sufficient_contrast():
    css = (Path(__file__).parents[1] / "rollcall/publish/templates/site/site.css").read_text(
        encoding="utf-8"
    )
    var = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-f]{6})", css))
    pairs = [
        ("ink", "#ffffff"),
        ("muted", "#ffffff"),
        ("muted", var["soft"]),  # notes and card labels on the light panels
        ("accent", "#ffffff"),  # links
        ("#ffffff", var["accent"]),  # the header bar
        ("hide", "#ffffff"),  # the word "hidden"
        ("ink", var["soft"]),
    ]
    for text, background in pairs:
        ratio = _contrast(var.get(text, text), background)
        assert ratio >= 4.5, (text, background, ratio)  # WCAG AA for body text
