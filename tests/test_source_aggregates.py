"""The states' published files in shared/data/state-public load with their published figures
reproduced (numbers copied from the raw files by hand), suppressed cells kept suppressed, and
every published rate matching its counts to its rounding."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from state_files import (
    ALL_FILES,
    CALIFORNIA,
    CO_2122,
    CO_2223,
    CO_STATE,
    CT_LONG,
    CT_RAW_1819,
    CT_RAW_1920,
    need,
)

from rollcall.formats.aggregates import reader as aggregates
from rollcall.formats.aggregates.published import Rate, Reading

LAYOUTS = {
    CALIFORNIA: "cde-wide",
    CT_RAW_1819: "ct-raw",
    CT_RAW_1920: "ct-raw",
    CT_LONG: "ct-long",
    CO_2122: "co-district",
    CO_2223: "co-district",
    CO_STATE: "co-state",
}


_READ: dict[Path, Reading] = {}


def read(path: Path) -> Reading:
    need(path)
    if path not in _READ:
        _READ[path] = aggregates.read(path)
    return _READ[path]


def cell(path: Path, year: str, level: str, unit_id: str, dimension: str, group: str) -> dict:
    found = [
        r
        for r in read(path).rows
        if (r["school_year"], r["level"], r["unit_id"], r["dimension"], r["group"])
        == (year, level, unit_id, dimension, group)
    ]
    assert len(found) == 1, (year, level, unit_id, dimension, group)
    return found[0]


def figures(row: dict[str, Any]) -> tuple:
    return (
        row["eligible_students"],
        row["chronically_absent"],
        row["published_rate"],
        row["suppressed"],
    )


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_each_real_file_is_recognised_as_its_layout(path):
    need(path)
    found = aggregates.find_layout(path)
    assert found is not None and found[0].name == LAYOUTS[path]
    assert aggregates.READER.detect(path)


# --- California --------------------------------------------------------------------------------


def test_california_state_totals_by_year_as_published():
    # Line 29: T,NA,NA,California,California,TA,6405496,10.8,6384919,11.1
    assert figures(cell(CALIFORNIA, "2016-17", "total", "total", "all", "all")) == (
        6405496, None, 0.108, False,
    )  # fmt: skip
    # 2017-18: CumulativeEnrollment1718 is not the rate's denominator, so only the rate is kept.
    assert figures(cell(CALIFORNIA, "2017-18", "total", "total", "all", "all")) == (
        None, None, 0.111, False,
    )  # fmt: skip
    assert cell(CALIFORNIA, "2016-17", "total", "total", "all", "all")["unit_name"] == "California"


def test_california_district_school_and_categories_as_published():
    # Line 156: D2,65961,0,Alisal Union,District Office,TA,9327,9,9256,8.7
    alisal = cell(CALIFORNIA, "2016-17", "district", "65961", "all", "all")
    assert figures(alisal) == (9327, None, 0.09, False)
    assert alisal["unit_name"] == "Alisal Union" and alisal["district_id"] == "65961"
    # Line 124 (RB = African American): 30, 10 (%), 23, 21.7
    assert figures(cell(CALIFORNIA, "2016-17", "district", "65961", "race_ethnicity",
                        "Black or African American")) == (30, None, 0.1, False)  # fmt: skip
    assert cell(CALIFORNIA, "2017-18", "district", "65961", "race_ethnicity",
                "Black or African American")["published_rate"] == 0.217  # fmt: skip
    # Line 1336: S,65961,127456,...,Monte Bella Elementary,TA,757,8.5,813,7.7 (a 7-digit code
    # that lost its leading zero in a spreadsheet).
    school = cell(CALIFORNIA, "2016-17", "school", "0127456", "all", "all")
    assert figures(school) == (757, None, 0.085, False)
    assert school["unit_name"] == "Monte Bella Elementary" and school["district_id"] == "65961"
    # Line 120 (GRK8) and 118 (GRK): grade spans and kindergarten.
    assert cell(CALIFORNIA, "2016-17", "district", "65961", "grade_span", "K-8")["published_rate"]
    assert figures(cell(CALIFORNIA, "2017-18", "district", "65961", "grade", "K"))[2] == 0.163


def test_california_suppressed_cells_stay_suppressed_never_zero():
    # Line 132: D2,65961,0,Alisal Union,District Office,RI,*,NA,*,NA
    for year in ("2016-17", "2017-18"):
        row = cell(CALIFORNIA, year, "district", "65961", "race_ethnicity",
                   "American Indian or Alaska Native")  # fmt: skip
        assert figures(row) == (None, None, None, True)
    # Monterey Bay Charter, RB: suppressed in 2016-17 (*, NA), published in 2017-18 (11, 0).
    charter = ("school", "0112177", "race_ethnicity", "Black or African American")
    assert figures(cell(CALIFORNIA, "2016-17", *charter)) == (None, None, None, True)
    assert cell(CALIFORNIA, "2017-18", *charter)["published_rate"] == 0.0
    assert read(CALIFORNIA).suppressed == 1633


def test_california_county_rows_are_skipped_and_counted_not_dropped():
    reading = read(CALIFORNIA)
    assert not any(r["unit_name"] == "Monterey County" for r in reading.rows)
    assert reading.skipped["county rows (rollcall reports schools, districts and the state)"] == 24
    assert {r["level"] for r in reading.rows} == {"total", "district", "school"}
    assert reading.levels() == {"school": 138, "district": 25, "total": 1}


def test_california_2016_17_enrollment_is_the_rates_denominator_and_2017_18_is_not():
    """The file carries CDE's CumulativeEnrollment for both years. In 2016-17 CDE divided by it:
    every published rate is a whole count over it. From 2017-18 CDE divided by the eligible
    enrollment (a column the file's maker left out): a thousand rates cannot come from any whole
    count over CumulativeEnrollment1718, which is why rollcall does not use it."""
    import csv

    need(CALIFORNIA)
    impossible = {"1617": 0, "1718": 0}
    with CALIFORNIA.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            for year in impossible:
                size, rate = row[f"CumulativeEnrollment{year}"], row[f"Y{year}"]
                if size.isdigit() and rate != "NA":
                    # Whole counts k with |100·k/n − rate| ≤ 0.05: k from ⌈n(rate − 0.05)/100⌉
                    # to ⌊n(rate + 0.05)/100⌋, within 0..n.
                    n, r = int(size), Fraction(rate)
                    low = math.ceil(n * (r - Fraction(1, 20)) / 100)
                    high = math.floor(n * (r + Fraction(1, 20)) / 100)
                    impossible[year] += max(low, 0) > min(high, n)
    assert impossible == {"1617": 0, "1718": 1054}
    assert read(CALIFORNIA).checked == 2211 and not read(CALIFORNIA).mismatched


# --- Connecticut -------------------------------------------------------------------------------


def test_connecticut_raw_file_counts_and_rates_as_published():
    # Line 450: "Hartford School District","=""0640011""","Black or African American",1214,22.1
    hartford = cell(CT_RAW_1819, "2018-19", "district", "0640011", "race_ethnicity",
                    "Black or African American")  # fmt: skip
    assert figures(hartford) == (None, 1214, 0.221, False)
    assert hartford["unit_name"] == "Hartford School District"
    # Line 1018: "State Level",...,"Hispanic/Latino of any race",21698,16.4 (the state).
    state = cell(CT_RAW_1819, "2018-19", "total", "total", "race_ethnicity", "Hispanic or Latino")
    assert figures(state) == (None, 21698, 0.164, False) and state["unit_name"] == "Connecticut"
    # 2019-20, line 1021: "State Level",...,"White",22240,8.6
    assert figures(cell(CT_RAW_1920, "2019-20", "total", "total", "race_ethnicity", "White")) == (
        None, 22240, 0.086, False,
    )  # fmt: skip


def test_connecticut_suppressed_figures_stay_suppressed_and_a_published_zero_stays_zero():
    branford = ("2018-19", "district", "0140011", "race_ethnicity")
    # Line 100: "Black or African American","*","*" — both hidden.
    assert figures(cell(CT_RAW_1819, *branford, "Black or African American")) == (
        None, None, None, True,
    )  # fmt: skip
    # Line 98: "American Indian or Alaska Native",0,"*" — the count is published (zero), the
    # rate hidden: kept as a real zero, and marked suppressed because part of the row is hidden.
    assert figures(cell(CT_RAW_1819, *branford, "American Indian or Alaska Native")) == (
        None, 0, None, True,
    )  # fmt: skip


def test_connecticut_long_layout_as_published_with_its_markers():
    # The CT Data Collaborative's own spot checks (datapackage.json), by line:
    assert cell(CT_LONG, "2011-12", "district", "Branford School District", "race_ethnicity",
                "Hispanic or Latino")["published_rate"] == 0.062  # line 1013  # fmt: skip
    assert cell(CT_LONG, "2013-14", "district", "Hebron School District", "race_ethnicity",
                "White")["published_rate"] == 0.02  # line 4873  # fmt: skip
    # -9999 is suppressed (line 7773), -6666 is no figure at all (line 1427): skipped, counted.
    plainfield = cell(CT_LONG, "2014-15", "district", "Plainfield School District",
                      "race_ethnicity", "Asian")  # fmt: skip
    assert figures(plainfield) == (None, None, None, True)
    assert not [
        r for r in read(CT_LONG).rows
        if r["unit_id"] == "Canaan School District" and r["school_year"] == "2016-17"
        and r["group"] == "Native Hawaiian or Pacific Islander"
    ]  # fmt: skip
    reading = read(CT_LONG)
    assert sum(reading.skipped.values()) == 1824 and reading.suppressed == 6365
    assert reading.years()[0] == "2011-12" and reading.years()[-1] == "2019-20"


def test_the_two_connecticut_layouts_agree_on_every_rate_they_both_publish():
    """The long layout was made from the raw files: for 2019-20 the state's and every
    district's published rates must be the same in both."""
    raw = {(r["unit_name"] if r["level"] == "district" else "total", r["group"]): r
           for r in read(CT_RAW_1920).rows}  # fmt: skip
    long = {(r["unit_id"], r["group"]): r for r in read(CT_LONG).rows
            if r["school_year"] == "2019-20"}  # fmt: skip
    both = [k for k in raw if k in long and raw[k]["published_rate"] is not None]
    assert len(both) > 400
    assert all(long[k]["published_rate"] == raw[k]["published_rate"] for k in both)
    assert long[("total", "White")]["published_rate"] == 0.086  # line 2332


# --- Colorado ----------------------------------------------------------------------------------


def test_colorado_district_workbooks_as_published_in_both_header_spellings():
    # 2021-22, row 6: 2021-2022, 01, ADAMS, 0010, Mapleton 1, 3655, 9341, 0.391
    assert figures(cell(CO_2122, "2021-22", "district", "0010", "all", "all")) == (
        9341, 3655, 0.391, False,
    )  # fmt: skip
    # 2022-23, row 7: Mapleton 1, PK-12 7530, K-12 6946 (the denominator), 2967, 0.427
    mapleton = cell(CO_2223, "2022-23", "district", "0010", "all", "all")
    assert figures(mapleton) == (6946, 2967, 0.427, False) and mapleton["unit_name"] == "Mapleton 1"
    # The state total rows ("State Total*" and "State Total").
    assert figures(cell(CO_2122, "2021-22", "total", "total", "all", "all")) == (
        896039, 317796, 0.355, False,
    )  # fmt: skip
    assert figures(cell(CO_2223, "2022-23", "total", "total", "all", "all")) == (
        866788, 269582, 0.311, False,
    )  # fmt: skip
    assert read(CO_2122).levels() == {"district": 185, "total": 1}
    assert "PK-12 Student Count" in read(CO_2223).unmatched


def test_colorado_footnote_and_title_are_said_not_read_as_rows():
    notes = " ".join(read(CO_2122).notes)
    assert "State Total and District Totals may differ" in notes
    assert "2021-2022 Students with Chronic Absenteeism" in notes


def test_colorado_statewide_workbook_groups_as_published():
    # Rows 22-23: K Count 61785, K Chronically Absent Count 21847.
    assert figures(cell(CO_STATE, "2022-23", "total", "total", "grade", "K"))[:2] == (61785, 21847)
    # Rows 6-7 (gender), 36-37 (race), 19-20 (free or reduced lunch).
    assert figures(cell(CO_STATE, "2022-23", "total", "total", "gender", "F"))[:2] == (
        422109, 131650,
    )  # fmt: skip
    assert figures(cell(CO_STATE, "2022-23", "total", "total", "race_ethnicity",
                        "Hispanic or Latino"))[:2] == (304880, 125260)  # fmt: skip
    assert figures(cell(CO_STATE, "2022-23", "total", "total", "economically_disadvantaged",
                        "Y"))[:2] == (349020, 151201)  # fmt: skip
    # "Amer Indian/Alaskan Native Count" sits over "Amer Indian/Alaska Native Chronically
    # Absent Count" (two spellings in one pair): one group.
    assert figures(cell(CO_STATE, "2022-23", "total", "total", "race_ethnicity",
                        "American Indian or Alaska Native"))[:2] == (5663, 2704)  # fmt: skip
    assert len(read(CO_STATE).rows) == 28


def test_colorado_state_total_is_the_same_in_the_district_and_the_statewide_workbooks():
    assert figures(cell(CO_STATE, "2022-23", "total", "total", "all", "all")) == figures(
        cell(CO_2223, "2022-23", "total", "total", "all", "all")
    )


# --- every file --------------------------------------------------------------------------------


def _half_unit(rate: float, path: Path) -> Fraction:
    """The rounding of a rate as each publisher prints it (a reference, apart from published.py):
    a tenth of a percent (California, Connecticut, Colorado's 3-decimal fractions), or the
    statewide workbook's full floating-point precision."""
    text = repr(rate)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Fraction(1, 2 * 10**9) if decimals > 3 else Fraction(1, 2000)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_every_published_rate_matches_its_counts_to_its_rounding(path):
    reading = read(path)
    assert not [r for r in reading.rejects if r["reason"] == "rate does not match counts"]
    both = [
        r for r in reading.rows
        if r["published_rate"] is not None and r["eligible_students"]
        and r["chronically_absent"] is not None
    ]  # fmt: skip
    for r in both:
        exact = Fraction(r["chronically_absent"], r["eligible_students"])
        assert abs(exact - Fraction(repr(r["published_rate"]))) <= _half_unit(
            r["published_rate"], path
        ), r
    if path in (CO_2122, CO_2223, CO_STATE):
        assert len(both) == len(reading.rows)  # Colorado publishes all three figures


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_nothing_is_dropped_silently(path):
    """Every data line is kept, refused or skipped-and-counted (California's lines each hold
    two years, Connecticut's long layout one value per line)."""
    reading = read(path)
    assert reading.lines > 0 and not reading.rejects
    accounted = len(reading.rows) + len(reading.rejects) + sum(reading.skipped.values())
    if path == CALIFORNIA:
        assert accounted == 2 * reading.lines - 24  # a county line is counted once, not twice
    else:
        assert accounted == reading.lines


def test_a_suppressed_cell_is_never_a_zero_in_any_file():
    for path in ALL_FILES:
        for row in read(path).rows:
            if row["suppressed"] and row["chronically_absent"] == 0:
                # Only Connecticut's "0, *": a published zero count beside a hidden rate.
                assert path in (CT_RAW_1819, CT_RAW_1920) and row["published_rate"] is None


def test_the_rate_check_would_refuse_a_row_whose_rate_contradicts_its_counts():
    assert Rate(391, 1000).matches(3655, 9341)  # Mapleton 1, 2021-22
    assert not Rate(392, 1000).matches(3655, 9341)
