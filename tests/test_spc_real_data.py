"""Real published data: England's weekly attendance as p′ charts, state files as funnel plots."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from state_files import CALIFORNIA, CO_2223, CT_RAW_1819, shared_data

from rollcall.cli import cli
from rollcall.formats.aggregates import reader as aggregates
from rollcall.spc import chart_svg, funnel, funnel_svg, p_chart, p_prime_chart

DATA = shared_data()
ENGLAND = DATA / "england-dfe" / "EES_weekly_data_2025-autumn.csv"
CONNECTICUT = CT_RAW_1819
COLORADO = CO_2223
WEEKS = [f"Week {n}" for n in range(37, 46)]  # autumn 2025; week 44 is half-term nearly everywhere


def need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (see ../shared/data/README.md)")


def number(text: str) -> float | None:
    """A count from a DfE file; 'c' (suppressed) and empty cells are missing."""
    return float(text) if text.replace(".", "", 1).isdigit() else None


def weekly(la_name: str, phase: str = "Total") -> tuple[list, list]:
    """Overall absent sessions and possible sessions for every autumn week; None where absent."""
    need(ENGLAND)
    found: dict[str, tuple] = {}
    with ENGLAND.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["la_name"] == la_name and row["education_phase"] == phase:
                found[row["time_identifier"]] = (
                    number(row["overall_absence"]),
                    number(row["possible_sessions"]),
                )
    return [found.get(w, (None, None))[0] for w in WEEKS], [
        found.get(w, (None, None))[1] for w in WEEKS
    ]


def test_leeds_p_prime_chart_treats_the_missing_half_term_week_as_a_gap():
    absent, possible = weekly("Leeds")
    assert absent[WEEKS.index("Week 44")] is None  # not published: half-term
    chart = p_prime_chart(absent, possible, periods=WEEKS, title="Leeds")
    week44 = chart.points[WEEKS.index("Week 44")]
    assert week44.value is None and week44.lower is None and week44.upper is None
    present = [p for p in chart.points if p.value is not None]
    assert len(present) == 8
    assert 0.04 < chart.centre < 0.08  # England's overall absence is around 6%
    assert all(0 < p.lower < chart.centre < p.upper < 0.2 for p in present)
    # Week 43 is part half-term (fewer possible sessions), so its limits are wider, not broken.
    week42, week43 = chart.points[5], chart.points[6]
    assert week43.denominator < week42.denominator
    assert week43.upper - week43.lower > week42.upper - week42.lower


def test_p_prime_is_needed_for_a_local_authority_with_a_million_sessions_a_week():
    absent, possible = weekly("Birmingham")
    plain = p_chart(absent, possible, periods=WEEKS)
    prime = p_prime_chart(absent, possible, periods=WEEKS)
    assert len(plain.signalling) >= 6  # binomial limits hug the centre: nearly every week "signals"
    assert prime.phases[0].sigma_z > 5
    assert len(prime.signalling) < len(plain.signalling)


def test_a_local_authority_with_half_term_in_week_43_has_two_gaps_and_still_draws():
    need(ENGLAND)
    weeks_by_la: dict[str, set] = {}
    with ENGLAND.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            local = row["geographic_level"] == "Local authority"
            total = row["education_phase"] == "Total"
            if local and total and number(row["possible_sessions"]) is not None:
                weeks_by_la.setdefault(row["la_name"], set()).add(row["time_identifier"])
    missing_43 = sorted(
        la for la, weeks in weeks_by_la.items() if not weeks & {"Week 43", "Week 44"}
    )
    assert missing_43, "expected local authorities whose half-term fell in week 43"
    absent, possible = weekly(missing_43[0])
    chart = p_prime_chart(absent, possible, periods=WEEKS)
    assert [p.period for p in chart.points if p.value is None] == ["Week 43", "Week 44"]
    assert chart.centre is not None and 0.02 < chart.centre < 0.15
    assert "No data for Week 43, Week 44" in chart_svg(chart)


def test_suppressed_local_authority_gives_an_empty_chart_not_zeros():
    absent, possible = weekly("Isles of Scilly")
    chart = p_prime_chart(absent, possible, periods=WEEKS)
    assert all(p.value is None for p in chart.points)
    assert chart.centre is None


def test_england_series_through_the_command_draws_a_readable_svg(tmp_path):
    absent, possible = weekly("Leeds")
    series = tmp_path / "leeds.csv"
    with series.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["period", "numerator", "denominator"])
        for week, x, n in zip(WEEKS, absent, possible, strict=True):
            writer.writerow([week, "" if x is None else int(x), "" if n is None else int(n)])
    notes = tmp_path / "notes.csv"
    notes.write_text("period,text,kind\nWeek 44,half-term,holiday\n")
    args = ["spc", str(series), "--chart", "pprime", "--annotations", str(notes),
            "--title", "Leeds: sessions missed", "--out", str(tmp_path / "out")]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "out" / "spc.svg").read_text()
    assert "<title id='chart-title'>Leeds: sessions missed</title>" in svg
    assert "No data for Week 44" in svg and "HOLIDAY: half-term" in svg
    lines = re.findall(r"<polyline points='([^']*)' fill='none' stroke='#4a6f8a'", svg)
    assert [len(line.split()) for line in lines] == [7]  # weeks 37-43 joined; nothing across 44
    summary = json.loads((tmp_path / "out" / "spc.json").read_text())
    assert summary["gaps"] == ["Week 44"] and summary["chart"] == "pprime"
    (tmp_path / "out" / "chart.svg").write_text(chart_svg(p_prime_chart(absent, possible)))


def monterey_districts() -> tuple[list, list, list]:
    """Districts of Monterey County, 2016-17, read by the aggregate reader: the file publishes
    eligible students and the rate, so chronically absent = rate × eligible (rounded)."""
    need(CALIFORNIA)
    units, absent, enrolled = [], [], []
    for row in aggregates.read(CALIFORNIA).rows:
        key = (row["school_year"], row["level"], row["dimension"])
        if key == ("2016-17", "district", "all") and row["eligible_students"]:
            units.append(row["unit_name"])
            enrolled.append(float(row["eligible_students"]))
            absent.append(round(row["published_rate"] * row["eligible_students"]))
    return units, absent, enrolled


def test_monterey_districts_as_a_funnel_plot():
    units, absent, enrolled = monterey_districts()
    assert len(units) == 25
    plain = funnel(units, absent, enrolled, kind="p", title="Monterey County districts, 2017-18")
    prime = funnel(units, absent, enrolled, kind="pprime")
    assert 0.05 < plain.centre < 0.25
    assert prime.sigma_z > 1
    outside_p = {u.unit for u in plain.units if u.signal in ("above", "below")}
    outside_prime = {u.unit for u in prime.units if u.signal in ("above", "below")}
    assert outside_prime < outside_p  # overdispersion: p′ keeps only the most extreme
    # the county office of education (alternative schools, 48.7%) stands out on either funnel
    assert "Monterey County Office of Education" in outside_prime
    svg = funnel_svg(plain)
    assert "Monterey County Office of Education" in svg


def connecticut_districts(group: str) -> tuple[list, list, list]:
    """One race/ethnicity group by district, 2018-19, read by the aggregate reader; Connecticut
    publishes no denominator, so it is estimated from the count and the rate."""
    need(CONNECTICUT)
    units, absent, enrolled = [], [], []
    for row in aggregates.read(CONNECTICUT).rows:
        count, rate = row["chronically_absent"], row["published_rate"]
        if row["level"] != "district" or row["group"] != group or not count or not rate:
            continue  # suppressed cells are left out, never read as zero
        units.append(row["unit_name"])
        absent.append(float(count))
        enrolled.append(round(count / rate))
    return units, absent, enrolled


def test_connecticut_districts_as_p_and_p_prime_funnels():
    units, absent, enrolled = connecticut_districts("Hispanic or Latino")
    assert len(units) > 50
    plain = funnel(units, absent, enrolled, kind="p")
    prime = funnel(units, absent, enrolled, kind="pprime")
    assert all(0 <= u.lower998 <= u.value or u.signal == "below" for u in plain.units)
    assert sum(bool(u.signal in ("above", "below")) for u in prime.units) < sum(
        bool(u.signal in ("above", "below")) for u in plain.units
    )
    assert "Funnel plot" in funnel_svg(prime, title="Connecticut: Hispanic/Latino students")


def colorado_districts() -> list[tuple[str, float, float]]:
    """(district, chronically absent, K-12 students) from Colorado's own Excel download, read by
    the aggregate reader (the state's row is the total, not a district)."""
    need(COLORADO)
    return [
        (row["unit_name"], float(row["chronically_absent"]), float(row["eligible_students"]))
        for row in aggregates.read(COLORADO).rows
        if row["level"] == "district" and row["chronically_absent"] is not None
    ]


def test_colorado_districts_as_a_p_prime_funnel():
    districts = colorado_districts()
    assert len(districts) > 150
    names, counts, sizes = zip(*districts, strict=True)
    plot = funnel(list(names), list(counts), list(sizes), kind="pprime", title="Colorado")
    assert 0.2 < plot.centre < 0.4  # Colorado's 2022-23 rate was about 30%
    signals = [u.signal for u in plot.units]
    # Districts differ beyond chance in both directions, even with Laney's wider limits...
    assert signals.count("above") > 0 and signals.count("below") > 0
    # ...but most lie inside the limits for their size.
    assert signals.count("") > len(signals) / 2
    svg = funnel_svg(plot, x_label="students", y_label="chronically absent")
    assert svg.startswith("<svg") and "Colorado" in svg
