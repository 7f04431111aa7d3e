"""`rollcall measures`: weekly series per unit, p′ charts and the schools' funnel."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from rollcall.cli import cli
from rollcall.engine.micro import MICRO
from rollcall.measures import WeekRow, funnel_week, unit_title
from rollcall.measures.page import signal_meaning, week_text
from rollcall.spc import Chart, Phase, Point
from rollcall.synth import write_synthetic


@pytest.mark.slow
def test_measures_writes_a_p_prime_chart_per_school_and_a_funnel(tmp_path):
    write_synthetic(tmp_path / "in", students=300, seed=2)
    result = CliRunner().invoke(
        cli, ["measures", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    with (tmp_path / "in" / "schools.csv").open() as handle:
        schools = [row["school_id"] for row in csv.DictReader(handle)]
    for school in schools:
        svg = (out / "series" / "school" / school / "absence-pprime.svg").read_text()
        assert svg.startswith("<svg") and "<title>" in svg and "p′" in svg
    assert (out / "series" / "total" / "total" / "chronic.csv").is_file()
    assert "<svg" in (out / "funnel-schools.svg").read_text()
    with (out / "measures.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["level"] for r in rows} == {"school", "district", "total"}
    assert all(int(r["student_days"]) > 0 for r in rows)


@pytest.mark.slow
def test_a_week_without_school_is_a_gap_not_a_zero(tmp_path):
    write_synthetic(tmp_path / "in", students=150, seed=4)
    CliRunner().invoke(
        cli, ["measures", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
    )
    series = tmp_path / "out" / "series" / "total" / "total" / "absence.csv"
    with series.open() as handle:
        rows = list(csv.DictReader(handle))
    winter = [r for r in rows if r["period"] in ("2025-12-22", "2025-12-29")]
    assert winter and all(r["numerator"] == "" and r["denominator"] == "" for r in winter)
    assert all(r["denominator"] != "0" for r in rows)


# --- the page, index.html ---------------------------------------------------------------------


def week_row(start: date, days: int = 7, level: str = "school", unit: str = "A") -> WeekRow:
    return WeekRow(level, unit, start, start + timedelta(days=days - 1), 100, 5 * MICRO, 10, 1)


def test_the_funnel_shows_the_last_complete_week_not_the_partial_one():
    # As of Wednesday 11 March 2026: the week of 9 March has 3 days (9–11), so the funnel shows
    # the week of 2 March (Monday to Sunday, 7 days).
    rows = [week_row(date(2026, 3, 2)), week_row(date(2026, 3, 9), days=3)]
    assert funnel_week(rows) == (date(2026, 3, 2), False)


def test_with_no_complete_week_yet_the_funnel_shows_the_latest_and_says_so():
    # The period starts on Wednesday 2 September and ends on Friday 4 September: 3 days.
    assert funnel_week([week_row(date(2026, 9, 2), days=3)]) == (date(2026, 9, 2), True)


def test_a_unit_is_titled_by_its_name_never_its_id():
    names = {("school", "1000010001"): "Prairie High", ("district", "D1"): "Oakdale Unified"}
    assert unit_title("school", "1000010001", names) == "Prairie High"
    assert unit_title("district", "D1", names) == "Oakdale Unified"
    assert unit_title("total", "total", names) == "All schools"
    assert unit_title("school", "S9", names) == "School S9"  # no name in schools.csv


def test_weeks_are_written_as_people_read_them():
    assert week_text(date(2026, 3, 2), date(2026, 3, 8)) == "2–8 March 2026"
    assert week_text(date(2025, 10, 27), date(2025, 11, 2)) == "27 October – 2 November 2025"
    assert week_text(date(2025, 12, 29), date(2026, 1, 4)) == "29 December 2025 – 4 January 2026"


def point(period: str, value: float, *signals: str) -> Point:
    return Point(period, value, 0.05, 0.02, 0.08, 0.01, tuple(signals))


def test_each_signal_is_said_in_words():
    weeks = {f"w{i}": f"week {i}" for i in range(12)}
    quiet = Chart("pprime", (point("w0", 0.05), point("w1", 0.06)), (Phase("w0", 0.05, 2),))
    assert signal_meaning(quiet, weeks) == (
        "No week stands out: absence moved around its usual level (5.0% of student-days) by no "
        "more than it does from week to week by chance, so no week shows a change that needs "
        "explaining.",
    )
    points = (
        point("w0", 0.09, "outside"),
        *(point(f"w{i}", 0.03, "shift") for i in range(1, 8)),
        point("w8", 0.07, "two_of_three"),
        point("w9", 0.04),
        point("w10", 0.072, "two_of_three"),
    )
    loud = Chart("pprime", points, (Phase("w0", 0.05, 11),))
    assert signal_meaning(loud, weeks) == (
        "Week of week 0: absence was higher than week-to-week chance explains (beyond the "
        "limit): something happened that week worth asking about.",
        "From the week of week 1 to that of week 7: absence stayed lower than its usual level "
        "(5.0%) seven weeks or more in a row: it has changed and stayed changed, not one odd "
        "week.",
        "Weeks of week 8 to week 10: two of three weeks close to the limit, higher than usual: "
        "an early sign of a change, worth watching.",
    )


def test_a_trend_says_which_way_absence_went():
    weeks = {f"w{i}": f"week {i}" for i in range(7)}
    rising = tuple(point(f"w{i}", 0.03 + 0.005 * i, "trend") for i in range(7))
    chart = Chart("pprime", rising, (Phase("w0", 0.045, 7),))
    assert signal_meaning(chart, weeks) == (
        "From the week of week 0 to that of week 6: absence rose seven weeks or more in a row, "
        "a steady drift rather than chance.",
    )


@pytest.mark.slow
def test_measures_writes_a_page_of_its_charts_by_name_with_words_and_numbers(tmp_path):
    write_synthetic(tmp_path / "in", students=300, seed=2)
    # Wednesday 11 March 2026: the last week is partial; the funnel shows the week before.
    result = CliRunner().invoke(
        cli,
        ["measures", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--as-of",
         "2026-03-11"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<h2>Schools, week of 2–8 March 2026</h2>" in page
    assert "The last complete week (Monday to Sunday) with school" in page
    assert (
        "Schools, week of 2–8 March 2026" in (tmp_path / "out" / "funnel-schools.svg").read_text()
    )
    with (tmp_path / "in" / "schools.csv").open(encoding="utf-8") as handle:
        schools = list(csv.DictReader(handle))
    for school in schools:
        assert f"<h2>{school['school_name']}</h2>" in page
        # The chart is in the page (its text kept readable) and linked as a file of its own.
        assert f'href="series/school/{school["school_id"]}/absence-pprime.svg"' in page
        assert f"<title id='series-school-{school['school_id']}-title'>Weekly absence" in page
        svg = tmp_path / "out" / "series" / "school" / school["school_id"] / "absence-pprime.svg"
        assert f"Weekly absence, {school['school_name']}" in svg.read_text(encoding="utf-8")
        assert f"<h2>{school['school_id']}</h2>" not in page
    assert "<h2>All schools</h2>" in page
    units = len(schools) + len({s["district_id"] for s in schools}) + 1
    assert page.count("<details>") == units  # a table of the numbers under every chart
    assert page.count('class="meaning"') >= units + 1  # and at least a sentence for each
    assert '<th scope="row">2–8 March 2026</th>' in page
    # Offline: nothing is loaded from elsewhere.
    assert "http" not in page and "<script" not in page
