"""The California School Dashboard chronic absenteeism indicator, rule by rule.

Every expected value below was worked out by hand from the counts (docs/ca-dashboard.md): the
status is numerator ÷ denominator in percent rounded half up to one decimal, the change is the
difference of the two rounded statuses, and the colour is read off the 5×5 grid."""

from __future__ import annotations

import csv
from dataclasses import fields
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_publish_attack import recovered

from rollcall.api import publish_table
from rollcall.errors import OptionError
from rollcall.formats.aggregates import table as aggregate
from rollcall.publish.ca_dashboard import (
    COLUMNS,
    DEFAULT_MAPPING,
    Counts,
    DashboardRow,
    GroupCode,
    change_level,
    color,
    dashboard_row,
    indicator_rows,
    round_half_up,
    status_level,
    status_of,
    write_ca_dashboard,
)
from rollcall.publish.files import publish_aggregate
from rollcall.publish.rules import PRESETS

D = Decimal


def row(numer, denom, prior=None, *, code="ALL") -> DashboardRow:
    """The row of one group with these counts this year and, optionally, last year."""
    before = None if prior is None else Counts(*prior)
    return dashboard_row("2024-25", "school", "S1", code, Counts(numer, denom), before)


# --- status: percent, rounded half up to one decimal ----------------------------------------


@pytest.mark.parametrize(
    ("numer", "denom", "status"),
    [
        (1, 40, "2.5"),  # exactly 2.5%
        (51, 2000, "2.6"),  # exactly 2.55%: the half goes up
        (2549, 100000, "2.5"),  # 2.549%: down
        (101, 2000, "5.1"),  # exactly 5.05%
        (201, 2000, "10.1"),  # exactly 10.05%
        (401, 2000, "20.1"),  # exactly 20.05%
        (1, 11, "9.1"),  # 9.0909…%
        (2, 3, "66.7"),  # 66.666…%
        (1, 3, "33.3"),  # 33.333…%
        (0, 30, "0.0"),
        (30, 30, "100.0"),
    ],
)
def test_status_is_the_percent_rounded_half_up_to_one_decimal(numer, denom, status):
    assert status_of(numer, denom) == D(status)
    assert str(status_of(numer, denom)) == status


def test_a_half_that_binary_floats_would_round_down_goes_up():
    # 100 × 51 / 2000 is 2.55 exactly; as a float it is 2.54999…, which a float rounding
    # would write as 2.5.
    assert round(100 * 51 / 2000, 1) == 2.5
    assert status_of(51, 2000) == D("2.6")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(255, 100), "2.6"),
        (Fraction(245, 100), "2.5"),
        (Fraction(-255, 100), "-2.6"),
        (Fraction(1, 20), "0.1"),
        (Fraction(1, 21), "0.0"),
    ],
)
def test_round_half_up_takes_halves_away_from_zero(value, expected):
    assert str(round_half_up(value)) == expected


@given(
    st.integers(min_value=1, max_value=10**6).flatmap(
        lambda d: st.tuples(st.integers(0, d), st.just(d))
    )
)
def test_status_agrees_with_decimal_half_up_rounding(counts):
    numer, denom = counts
    reference = (Decimal(100 * numer) / Decimal(denom)).quantize(D("0.1"), rounding=ROUND_HALF_UP)
    assert status_of(numer, denom) == reference


# --- status levels -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "level"),
    [
        ("0.0", "Very Low"),
        ("2.5", "Very Low"),
        ("2.6", "Low"),
        ("5.0", "Low"),
        ("5.1", "Medium"),
        ("10.0", "Medium"),
        ("10.1", "High"),
        ("20.0", "High"),
        ("20.1", "Very High"),
        ("100.0", "Very High"),
    ],
)
def test_status_level_boundaries(status, level):
    assert status_level(D(status)) == level


@pytest.mark.parametrize(
    ("numer", "denom", "status", "level"),
    [
        (1, 40, "2.5", "Very Low"),
        (51, 2000, "2.6", "Low"),  # 2.55 rounds up into Low
        (13, 500, "2.6", "Low"),
        (3, 60, "5.0", "Low"),
        (101, 2000, "5.1", "Medium"),  # 5.05 rounds up into Medium
        (51, 1000, "5.1", "Medium"),
        (3, 30, "10.0", "Medium"),
        (201, 2000, "10.1", "High"),  # 10.05
        (101, 1000, "10.1", "High"),
        (6, 30, "20.0", "High"),
        (401, 2000, "20.1", "Very High"),  # 20.05
        (201, 1000, "20.1", "Very High"),
    ],
)
def test_status_level_from_counts_at_every_boundary(numer, denom, status, level):
    result = row(numer, denom)
    assert (str(result.currstatus), result.statuslevel) == (status, level)


# --- change and its levels -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "level"),
    [
        ("3.1", "Increased Significantly"),
        ("3.0", "Increased"),
        ("0.5", "Increased"),
        ("0.4", "Maintained"),
        ("0.0", "Maintained"),
        ("-0.4", "Maintained"),
        ("-0.5", "Declined"),
        ("-2.9", "Declined"),
        ("-3.0", "Declined Significantly"),
        ("-50.0", "Declined Significantly"),
    ],
)
def test_change_level_boundaries(change, level):
    assert change_level(D(change)) == level


@pytest.mark.parametrize(
    ("current", "prior", "change", "level"),
    [
        # statuses of 1,000 students each: the status is the count in tenths of a percent
        ((81, 1000), (50, 1000), "3.1", "Increased Significantly"),
        ((80, 1000), (50, 1000), "3.0", "Increased"),
        ((55, 1000), (50, 1000), "0.5", "Increased"),
        ((54, 1000), (50, 1000), "0.4", "Maintained"),
        ((46, 1000), (50, 1000), "-0.4", "Maintained"),
        ((45, 1000), (50, 1000), "-0.5", "Declined"),
        ((21, 1000), (50, 1000), "-2.9", "Declined"),
        ((20, 1000), (50, 1000), "-3.0", "Declined Significantly"),
    ],
)
def test_change_is_current_minus_prior_status_at_every_boundary(current, prior, change, level):
    result = row(*current, prior)
    assert (str(result.change), result.changelevel) == (change, level)


def test_change_is_taken_between_rounded_statuses():
    # 51/2000 = 2.55% → 2.6; 214/10000 = 2.14% → 2.1. Change 2.6 − 2.1 = +0.5 (Increased),
    # although the unrounded rates differ by only 0.41 points (which would be Maintained).
    result = row(51, 2000, (214, 10000))
    assert (result.currstatus, result.priorstatus) == (D("2.6"), D("2.1"))
    assert (str(result.change), result.changelevel) == ("0.5", "Increased")
    # Low (2.6) and Increased → Yellow
    assert result.color == "Yellow"


# --- the colour grid -----------------------------------------------------------------------

GRID = {
    # status level: colours for Inc. Signif., Increased, Maintained, Declined, Dec. Signif.
    "Very Low": ("Yellow", "Green", "Blue", "Blue", "Blue"),
    "Low": ("Orange", "Yellow", "Green", "Green", "Blue"),
    "Medium": ("Orange", "Orange", "Yellow", "Green", "Green"),
    "High": ("Red", "Orange", "Orange", "Yellow", "Yellow"),
    "Very High": ("Red", "Red", "Red", "Orange", "Yellow"),
}
CHANGES = (
    "Increased Significantly",
    "Increased",
    "Maintained",
    "Declined",
    "Declined Significantly",
)


@pytest.mark.parametrize(
    ("status", "change", "expected"),
    [(s, c, GRID[s][i]) for s in GRID for i, c in enumerate(CHANGES)],
)
def test_every_cell_of_the_color_grid(status, change, expected):
    assert color(status, change) == expected


@pytest.mark.parametrize(
    ("current", "prior", "expected"),
    [
        # (current counts, prior counts) → status level, change level, colour; 1,000 students
        ((20, 1000), (20, 1000), ("Very Low", "Maintained", "Blue")),  # 2.0, 0.0
        ((25, 1000), (10, 1000), ("Very Low", "Increased", "Green")),  # 2.5, +1.5
        ((40, 1000), (80, 1000), ("Low", "Declined Significantly", "Blue")),  # 4.0, −4.0
        ((40, 1000), (5, 1000), ("Low", "Increased Significantly", "Orange")),  # 4.0, +3.5
        ((80, 1000), (90, 1000), ("Medium", "Declined", "Green")),  # 8.0, −1.0
        ((80, 1000), (81, 1000), ("Medium", "Maintained", "Yellow")),  # 8.0, −0.1
        ((150, 1000), (100, 1000), ("High", "Increased Significantly", "Red")),  # 15.0, +5.0
        ((150, 1000), (140, 1000), ("High", "Increased", "Orange")),  # 15.0, +1.0
        ((150, 1000), (200, 1000), ("High", "Declined Significantly", "Yellow")),  # 15.0, −5.0
        ((250, 1000), (249, 1000), ("Very High", "Maintained", "Red")),  # 25.0, +0.1
        ((250, 1000), (260, 1000), ("Very High", "Declined", "Orange")),  # 25.0, −1.0
        ((250, 1000), (300, 1000), ("Very High", "Declined Significantly", "Yellow")),  # −5.0
    ],
)
def test_rows_take_their_color_from_the_grid(current, prior, expected):
    result = row(*current, prior)
    assert (result.statuslevel, result.changelevel, result.color) == expected


# --- n-size rules --------------------------------------------------------------------------


def test_ten_students_give_no_status():
    result = row(3, 10, (1, 100))
    assert result.currdenom == 10
    assert (result.currnumer, result.currstatus, result.change) == (None, None, None)
    assert (result.statuslevel, result.changelevel, result.color) == ("0", None, None)
    assert (result.currnsizemet, result.smalldenom) == ("N", "Y")


def test_eleven_students_give_a_status_but_no_color():
    # 1/11 = 9.0909…% → 9.1 Medium; prior 5/100 = 5.0 → change +4.1 Increased Significantly
    result = row(1, 11, (5, 100))
    assert (result.currnumer, result.currdenom, result.currstatus) == (1, 11, D("9.1"))
    assert (result.statuslevel, result.change, result.changelevel) == (
        "Medium",
        D("4.1"),
        "Increased Significantly",
    )
    assert (result.color, result.currnsizemet, result.smalldenom) == (None, "N", "Y")


def test_twenty_nine_students_have_no_color_and_thirty_have_one():
    # 3/29 = 10.34…% → 10.3 High; 3/30 = 10.0 Medium; prior 3/30 = 10.0
    small = row(3, 29, (3, 30))
    assert (small.currstatus, small.statuslevel, small.change, small.changelevel) == (
        D("10.3"),
        "High",
        D("0.3"),
        "Maintained",
    )
    assert (small.color, small.currnsizemet) == (None, "N")
    enough = row(3, 30, (3, 30))
    assert (enough.currstatus, enough.statuslevel, enough.changelevel) == (
        D("10.0"),
        "Medium",
        "Maintained",
    )
    assert (enough.color, enough.currnsizemet) == ("Yellow", "Y")


def test_fewer_than_150_students_is_a_small_denominator():
    # 149: 15/149 = 10.067…% → 10.1 High; 150: 15/150 = 10.0 Medium
    assert (row(15, 149).smalldenom, row(15, 149).currstatus) == ("Y", D("10.1"))
    assert (row(15, 150).smalldenom, row(15, 150).currstatus) == ("N", D("10.0"))


def test_without_a_prior_year_only_the_status_level_is_given():
    result = row(45, 300)  # 15.0 High
    assert (result.currstatus, result.statuslevel) == (D("15.0"), "High")
    assert (result.priornumer, result.priordenom, result.priorstatus) == (None, None, None)
    assert (result.change, result.changelevel, result.color) == (None, None, None)
    assert result.currnsizemet == "Y"


def test_a_prior_year_of_fewer_than_11_students_has_no_prior_status():
    result = row(45, 300, (2, 10))
    assert (result.priornumer, result.priordenom, result.priorstatus) == (None, 10, None)
    assert (result.statuslevel, result.changelevel, result.color) == ("High", None, None)


def test_a_cell_the_source_suppressed_has_no_status_and_is_never_a_zero():
    result = row(None, None, (5, 100))
    assert (result.currnumer, result.currdenom, result.currstatus) == (None, None, None)
    assert (result.statuslevel, result.color, result.smalldenom, result.currnsizemet) == (
        "0",
        None,
        None,
        "N",
    )
    hidden_numerator = row(None, 40)
    assert (hidden_numerator.currdenom, hidden_numerator.currstatus) == (40, None)
    assert hidden_numerator.statuslevel == "0"


# --- groups --------------------------------------------------------------------------------


def agg(school_year, rows):
    """An aggregate table of one school (S1, district D1) from (dimension, group, n, chronic)."""
    return aggregate.table(
        {
            "school_year": school_year,
            "level": "school",
            "unit_id": "S1",
            "unit_name": "Adams",
            "district_id": "D1",
            "dimension": dimension,
            "group": group,
            "eligible_students": n,
            "chronically_absent": chronic,
        }
        for dimension, group, n, chronic in rows
    )


SYNTH_GROUPS = [
    ("all", "all", 400, 40),
    ("race_ethnicity", "White", 100, 10),
    ("race_ethnicity", "Hispanic or Latino", 100, 10),
    ("race_ethnicity", "Black or African American", 50, 5),
    ("race_ethnicity", "Asian", 50, 5),
    ("race_ethnicity", "Two or More Races", 40, 4),
    ("race_ethnicity", "American Indian or Alaska Native", 20, 2),
    ("race_ethnicity", "Native Hawaiian or Pacific Islander", 20, 2),
    ("race_ethnicity", "unknown", 20, 2),
    ("english_learner", "Y", 60, 6),
    ("english_learner", "N", 340, 34),
    ("economically_disadvantaged", "Y", 200, 20),
    ("disability", "Y", 50, 5),
    ("foster", "Y", 12, 1),
    ("homeless", "Y", 15, 2),
    ("migrant", "Y", 11, 1),
    ("gender", "F", 200, 20),
    ("grade", "3", 400, 40),
]


def test_the_attributes_rollcall_synth_writes_map_to_dashboard_groups():
    rows = indicator_rows(agg("2024-25", SYNTH_GROUPS), agg("2023-24", []))
    # Filipino is not a value synth writes; migrant, gender, grade and unknown have no code.
    assert [r.studentgroup for r in rows] == [
        "ALL",
        "AA",
        "AI",
        "AS",
        "HI",
        "PI",
        "WH",
        "MR",
        "EL",
        "SED",
        "SWD",
        "FOS",
        "HOM",
    ]
    denominators = {r.studentgroup: r.currdenom for r in rows}
    assert denominators == {
        "ALL": 400,
        "AA": 50,
        "AI": 20,
        "AS": 50,
        "HI": 100,
        "PI": 20,
        "WH": 100,
        "MR": 40,
        "EL": 60,
        "SED": 200,
        "SWD": 50,
        "FOS": 12,
        "HOM": 15,
    }


def test_values_are_matched_without_regard_to_case_and_unknown_values_are_not_mapped():
    rows = indicator_rows(
        agg("2024-25", [("Race_Ethnicity", "WHITE", 30, 3), ("race_ethnicity", "Other", 30, 3)]),
        agg("2023-24", []),
    )
    assert [(r.studentgroup, r.currdenom) for r in rows] == [("WH", 30)]


def test_the_mapping_can_be_extended():
    mapping = (*DEFAULT_MAPPING, GroupCode("FI", "race_ethnicity", "Pilipino"))
    rows = indicator_rows(
        agg("2024-25", [("race_ethnicity", "Pilipino", 30, 3)]), agg("2023-24", []), mapping=mapping
    )
    assert [(r.studentgroup, r.currstatus) for r in rows] == [("FI", D("10.0"))]


def test_two_spellings_of_one_value_are_added_up():
    rows = indicator_rows(
        agg("2024-25", [("english_learner", "Y", 20, 2), ("english_learner", "Yes", 20, 1)]),
        agg("2023-24", []),
    )
    # 3/40 = 7.5% Medium
    assert [(r.studentgroup, r.currnumer, r.currdenom, r.currstatus) for r in rows] == [
        ("EL", 3, 40, D("7.5"))
    ]


def test_one_code_from_two_attributes_is_refused():
    mapping = (*DEFAULT_MAPPING, GroupCode("SWD", "iep", "Y"))
    table = agg("2024-25", [("disability", "Y", 20, 2), ("iep", "Y", 20, 2)])
    with pytest.raises(OptionError, match="SWD"):
        indicator_rows(table, agg("2023-24", []), mapping=mapping)


def test_a_mapping_that_gives_one_value_two_codes_is_refused():
    mapping = (*DEFAULT_MAPPING, GroupCode("MR", "race_ethnicity", "White"))
    with pytest.raises(OptionError, match="two codes"):
        indicator_rows(agg("2024-25", SYNTH_GROUPS), agg("2023-24", []), mapping=mapping)


def test_high_school_grades_are_refused():
    table = agg("2024-25", [("all", "all", 30, 3), ("grade", "09", 30, 3)])
    with pytest.raises(OptionError, match="grade 09") as caught:
        indicator_rows(table, agg("2023-24", []))
    assert "california-dashboard" in (caught.value.hint or "")


def test_the_prior_year_must_be_the_year_before():
    with pytest.raises(OptionError, match="not the year before 2024-25"):
        indicator_rows(agg("2024-25", SYNTH_GROUPS), agg("2022-23", SYNTH_GROUPS))


def test_each_table_holds_one_school_year():
    both = aggregate.table(
        [*agg("2024-25", SYNTH_GROUPS).to_pylist(), *agg("2023-24", SYNTH_GROUPS).to_pylist()]
    )
    with pytest.raises(OptionError, match="2 school years"):
        indicator_rows(both, agg("2023-24", SYNTH_GROUPS))


def test_row_fields_are_the_file_columns():
    assert tuple(f.name for f in fields(DashboardRow)) == COLUMNS


# --- the file, from a hand-made two-year aggregate -----------------------------------------


def _unit(year, level, unit_id, district_id, groups):
    return [
        {
            "school_year": year,
            "level": level,
            "unit_id": unit_id,
            "unit_name": unit_id.title(),
            "district_id": district_id,
            "dimension": dimension,
            "group": group,
            "eligible_students": n,
            "chronically_absent": chronic,
        }
        for dimension, group, n, chronic in groups
    ]


def test_ca_dashboard_csv_from_a_two_year_aggregate(tmp_path):
    current = aggregate.table(
        [
            *_unit(
                "2024-25",
                "school",
                "S1",
                "D1",
                [
                    ("all", "all", 200, 31),  # 15.5 High; prior 12.0 → +3.5 IS → Red
                    ("race_ethnicity", "Hispanic or Latino", 120, 3),  # 2.5 VL; 2.6 → −0.1 M
                    ("english_learner", "Y", 25, 2),  # 8.0 Medium, n < 30: no colour
                    ("disability", "Y", 9, 1),  # fewer than 11: no status
                    ("homeless", "Y", 40, 10),  # 25.0 VH, no prior row: status only
                    ("gender", "M", 100, 16),  # not a Dashboard group
                ],
            ),
            *_unit(
                "2024-25",
                "school",
                "S2",
                "D1",
                [("all", "all", 150, 4)],  # 2.666…→2.7 Low; prior 10/150 = 6.7 → −4.0 DS → Blue
            ),
            *_unit(
                "2024-25",
                "district",
                "D1",
                "D1",
                [("all", "all", 350, 35)],  # 10.0 Medium; prior 10.3 → −0.3 M → Yellow
            ),
        ]
    )
    prior = aggregate.table(
        [
            *_unit(
                "2023-24",
                "school",
                "S1",
                "D1",
                [
                    ("all", "all", 200, 24),  # 12.0
                    ("race_ethnicity", "Hispanic or Latino", 115, 3),  # 2.608… → 2.6
                    ("english_learner", "Y", 30, 3),  # 10.0
                    ("disability", "Y", 12, 2),  # 16.7
                ],
            ),
            *_unit("2023-24", "school", "S2", "D1", [("all", "all", 150, 10)]),  # 6.666…→6.7
            *_unit("2023-24", "district", "D1", "D1", [("all", "all", 350, 36)]),  # 10.28…→10.3
            *_unit("2023-24", "school", "S3", "D1", [("all", "all", 90, 9)]),  # closed since
        ]
    )
    path = write_ca_dashboard(current, prior, tmp_path)
    assert path == tmp_path / "ca_dashboard.csv"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines() == [
        ",".join(COLUMNS),
        "2024-25,school,S1,ALL,31,200,15.5,24,200,12.0,3.5,High,Increased Significantly,Red,N,Y",
        "2024-25,school,S1,HI,3,120,2.5,3,115,2.6,-0.1,Very Low,Maintained,Blue,Y,Y",
        "2024-25,school,S1,EL,2,25,8.0,3,30,10.0,-2.0,Medium,Declined,,Y,N",
        "2024-25,school,S1,SWD,,9,,2,12,16.7,,0,,,Y,N",
        "2024-25,school,S1,HOM,10,40,25.0,,,,,Very High,,,Y,Y",
        "2024-25,school,S2,ALL,4,150,2.7,10,150,6.7,-4.0,Low,Declined Significantly,Blue,N,Y",
        "2024-25,district,D1,ALL,35,350,10.0,36,350,10.3,-0.3,Medium,Maintained,Yellow,N,Y",
    ]
    with path.open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 7


# --- cells hidden by the source or by publishing -------------------------------------------


def test_a_cell_the_source_marked_suppressed_has_no_status():
    table = aggregate.table(
        [
            {
                **agg("2024-25", [("all", "all", 40, None)]).to_pylist()[0],
                "suppressed": True,
            }
        ]
    )
    (result,) = indicator_rows(table, agg("2023-24", []))
    assert (result.currnumer, result.currdenom, result.currstatus, result.statuslevel) == (
        None,
        40,
        None,
        "0",
    )


def test_cells_the_public_summary_hides_are_not_given_away():
    # Publishing hid English learners this year (complementary suppression) and students with
    # disabilities last year: their counts and statuses must not appear in ca_dashboard.csv.
    current = agg(
        "2024-25",
        [("all", "all", 200, 20), ("english_learner", "Y", 12, 0), ("disability", "Y", 40, 4)],
    )
    prior = agg(
        "2023-24",
        [("all", "all", 200, 30), ("english_learner", "Y", 12, 1), ("disability", "Y", 40, 8)],
    )
    withheld = {
        ("2024-25", "school", "S1", "english_learner", "Y"),
        ("2023-24", "school", "S1", "disability", "Y"),
    }
    rows = {r.studentgroup: r for r in indicator_rows(current, prior, withheld=withheld)}
    el, swd, everyone = rows["EL"], rows["SWD"], rows["ALL"]
    assert (el.currnumer, el.currdenom, el.currstatus, el.statuslevel, el.color) == (
        None,
        None,
        None,
        "0",
        None,
    )
    assert el.smalldenom is None
    # 4/40 = 10.0 Medium; the prior year withheld: status level only
    assert (swd.currstatus, swd.statuslevel, swd.priordenom, swd.priorstatus, swd.color) == (
        D("10.0"),
        "Medium",
        None,
        None,
        None,
    )
    # 20/200 = 10.0 against 30/200 = 15.0: −5.0, Declined Significantly, Medium → Green
    assert (everyone.change, everyone.color) == (D("-5.0"), "Green")


# --- the Dashboard's n-size in the file, and the file beside the public summary -------------


def test_the_file_gives_a_status_to_11_students_and_none_to_10(tmp_path):
    # The Dashboard's rule exactly: a status for 11 or more students, none for 10.
    # EL: 3/11 = 27.27…% → 27.3 Very High; prior 2/12 = 16.66…% → 16.7; change +10.6
    #     (Increased Significantly), but 11 < 30 students: no colour.
    # SWD: 10 students, no status (prior 1/11 = 9.09…% → 9.1, shown for reference).
    # ALL: 30/200 = 15.0 High against 20/200 = 10.0: +5.0 Increased Significantly → Red.
    current = agg(
        "2024-25",
        [("all", "all", 200, 30), ("english_learner", "Y", 11, 3), ("disability", "Y", 10, 3)],
    )
    prior = agg(
        "2023-24",
        [("all", "all", 200, 20), ("english_learner", "Y", 12, 2), ("disability", "Y", 11, 1)],
    )
    path = write_ca_dashboard(current, prior, tmp_path)
    assert path.read_text(encoding="utf-8").splitlines()[1:] == [
        "2024-25,school,S1,ALL,30,200,15.0,20,200,10.0,5.0,High,Increased Significantly,Red,N,Y",
        "2024-25,school,S1,EL,3,11,27.3,2,12,16.7,10.6,Very High,Increased Significantly,,Y,N",
        "2024-25,school,S1,SWD,,10,,1,11,9.1,,0,,,Y,N",
    ]


def _school(year: str, groups) -> list[dict]:
    """School S1 of district D1 (no district or total rows) from (dimension, group, n, c)."""
    return _unit(year, "school", "S1", "D1", groups)


# Race: Asian has 5 students (hidden), so one more race group must go: White (45 students),
# the smallest other. EL: 11 students, shown with its rate. Both years alike.
BESIDE = [
    ("all", "all", 200, 30),
    ("race_ethnicity", "Hispanic or Latino", 150, 20),
    ("race_ethnicity", "White", 45, 9),
    ("race_ethnicity", "Asian", 5, 1),
    ("english_learner", "Y", 11, 3),
    ("english_learner", "N", 189, 27),
]


def disclosed_by_dashboard(out_dir) -> list[str]:
    """What ``ca_dashboard.csv`` shows of a count that ``public_summary.csv`` hides: a count
    itself, or a status (a rate to 0.1 point, which with the count of students tells the
    count of chronically absent). Empty when the Dashboard file adds nothing to the public
    summary, whose own attack (tests/test_publish_attack.py) then covers both files."""
    with (out_dir / "public_summary.csv").open(encoding="utf-8", newline="") as handle:
        public = list(csv.DictReader(handle))
    with (out_dir / "ca_dashboard.csv").open(encoding="utf-8", newline="") as handle:
        dashboard = list(csv.DictReader(handle))
    code_of = {(g.dimension.casefold(), g.value.casefold()): g.code for g in DEFAULT_MAPPING}
    by_key = {(r["level"], r["unit_id"], r["studentgroup"]): r for r in dashboard}
    this_year = {r["school_year"] for r in dashboard}
    found = []
    for p in public:
        code = code_of.get((p["dimension"].casefold(), p["group"].casefold()))
        shown = by_key.get((p["level"], p["unit_id"], code)) if code else None
        if shown is None:
            continue
        prefix = "curr" if p["school_year"] in this_year else "prior"
        denominator, numerator, status = (shown[prefix + f] for f in ("denom", "numer", "status"))
        name = f"{p['school_year']} {p['level']}/{p['unit_id']}/{code}"
        if p["eligible_students"] == "" and denominator != "":
            found.append(f"{name} eligible {denominator}")
        if p["chronically_absent"] == "" and (numerator != "" or status != ""):
            found.append(f"{name} chronically absent {numerator or status + '%'}")
    return found


def test_a_group_hidden_to_protect_another_gets_no_dashboard_status_and_nothing_leaks(tmp_path):
    table = aggregate.table(_school("2023-24", BESIDE) + _school("2024-25", BESIDE))
    publish_table(table, tmp_path, rules=PRESETS["california"], dashboard=table)
    rows = {
        r.studentgroup: r
        for r in indicator_rows(aggregate.table(_school("2024-25", BESIDE)), table.slice(0, 0))
    }
    with (tmp_path / "ca_dashboard.csv").open(encoding="utf-8", newline="") as handle:
        written = {r["studentgroup"]: r for r in csv.DictReader(handle)}
    # White (45 students) would have a status under the Dashboard's rules alone (9/45 = 20.0)…
    assert rows["WH"].currstatus == D("20.0")
    # …but the public summary hides it for Asian's sake (5 = 200 − 150 − 45), so it has none.
    assert (written["WH"]["currdenom"], written["WH"]["currstatus"]) == ("", "")
    assert written["WH"]["statuslevel"] == "0"
    assert (written["AS"]["currdenom"], written["AS"]["currstatus"]) == ("", "")
    # 11 English learners: shown in both files, a status of 3/11 = 27.3.
    assert (written["EL"]["currdenom"], written["EL"]["currstatus"]) == ("11", "27.3")
    assert disclosed_by_dashboard(tmp_path) == []
    assert recovered(tmp_path) == []


def test_the_dashboard_file_alone_beside_the_public_summary_would_give_a_group_away(tmp_path):
    """The attack over both files is not toothless: written under the Dashboard's rules alone
    (no ``withheld``), the file shows White's 45 students, and Asian's 5 follow."""
    table = aggregate.table(_school("2023-24", BESIDE) + _school("2024-25", BESIDE))
    publish_aggregate(table, tmp_path, PRESETS["california"])
    write_ca_dashboard(
        aggregate.table(_school("2024-25", BESIDE)),
        aggregate.table(_school("2023-24", BESIDE)),
        tmp_path,
    )
    assert "2024-25 school/S1/WH eligible 45" in disclosed_by_dashboard(tmp_path)
