"""Publishing an aggregate table: each disclosure rule on a hand-made example, the public files'
shape, and the equity measures against a hand calculation."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from command import rollcall

from rollcall.formats.aggregates import table as aggregate
from rollcall.publish.equity import EQUITY_COLUMNS
from rollcall.publish.files import (
    PUBLIC_COLUMNS,
    public_rows,
    publish_aggregate,
)
from rollcall.publish.rules import PRESETS, Rules

DEFAULT = PRESETS["default"]


def row(level, unit, dimension, group, n, c, *, district="D", year="2024-25", suppressed=False):
    return {
        "school_year": year, "level": level, "unit_id": unit, "unit_name": f"{unit} name",
        "district_id": district if level == "school" else (unit if level == "district" else None),
        "dimension": dimension, "group": group, "eligible_students": n,
        "chronically_absent": c, "suppressed": suppressed,
    }  # fmt: skip


def school_alone(groups: dict[str, tuple[int, int]], year: str = "2024-25") -> list[dict]:
    """School S, alone in district D and in the total, with one dimension ``race``."""
    n, c = sum(g[0] for g in groups.values()), sum(g[1] for g in groups.values())
    rows = []
    for level, unit in (("school", "S"), ("district", "D"), ("total", "total")):
        rows.append(row(level, unit, "all", "all", n, c, year=year))
        rows += [row(level, unit, "race", g, *nc, year=year) for g, nc in groups.items()]
    return rows


def shown(rows: list[dict], rules: Rules = DEFAULT) -> dict[tuple, dict]:
    """The school's published rows by (dimension, group), as the CSV writes them."""
    published = public_rows(aggregate.table(rows), rules)
    return {
        (r.dimension, r.group): {
            "n": r.eligible_students,
            "c": r.chronically_absent,
            "rate": r.chronic_absence_rate,
            "note": r.note,
        }
        for r in published
        if r.level == "school"
    }


# --- each rule, by hand ----------------------------------------------------------------------


def test_a_group_of_fewer_than_11_is_hidden_with_a_note_never_a_zero():
    # race a: 8 students, 2 chronically absent (fewer than 11) → hidden.
    got = shown(school_alone({"a": (8, 2), "b": (60, 12), "c": (80, 16)}))
    assert got[("race", "a")] == {
        "n": None,
        "c": None,
        "rate": "",
        "note": "fewer than 11 students",
    }


def test_the_next_smallest_group_is_hidden_so_the_small_one_cannot_be_subtracted():
    # all = 148 = a (8) + b (60) + c (80): with only a hidden, a = 148 − 60 − 80.
    # b, the next smallest, is hidden too; c and the school's total stay.
    got = shown(school_alone({"a": (8, 2), "b": (60, 12), "c": (80, 16)}))
    assert got[("race", "b")]["note"] == "hidden to protect another group"
    assert got[("race", "b")]["n"] is None
    assert got[("race", "c")] == {"n": 80, "c": 16, "rate": "0.2", "note": ""}
    assert got[("all", "all")] == {"n": 148, "c": 30, "rate": "0.202703", "note": ""}


def test_the_unknown_group_counts_as_a_group():
    got = shown(school_alone({"unknown": (3, 1), "b": (60, 12), "c": (80, 16)}))
    assert got[("race", "unknown")]["note"] == "fewer than 11 students"
    assert got[("race", "b")]["note"] == "hidden to protect another group"


def test_a_rate_of_none_or_all_is_a_range_and_the_count_of_chronically_absent_is_withheld():
    # b: 0 of 40 chronically absent → "≤5%" (0 to 2 of 40); the 40 students stay shown.
    # c: 47 of 48 → "≥95%" (46 to 48 of 48).
    got = shown(school_alone({"a": (30, 9), "b": (40, 0), "c": (48, 47), "d": (50, 20)}))
    assert got[("race", "b")] == {
        "n": 40, "c": None, "rate": "≤5%", "note": "range shown to protect individuals"
    }  # fmt: skip
    assert got[("race", "c")]["rate"] == "≥95%" and got[("race", "c")]["c"] is None
    # Two chronically absent counts are withheld, so neither is the total minus the others.
    assert got[("race", "a")]["c"] == 9 and got[("race", "d")]["c"] == 20


def test_ranges_only_in_groups_up_to_the_rule_sets_size_above_it_the_exact_rate():
    # ranges_up_to = 40. b: 0 of 40 (at the size) → "≤5%"; f: 39 of 39 (below) → "≥95%"
    # (m = 1: 38 or 39 of 39, at least 97.4%, shown as the rule's 95%); e: 0 of 41 (above)
    # → its exact rate 0, its count shown. b + f = 68 − 9 − 20 − 0 = 39 with b 0 to 2 and f
    # 38 to 39: b is 0 or 1, nothing more is hidden.
    rules = Rules(name="ranges-to-40", ranges_up_to=40)
    groups = {"a": (30, 9), "b": (40, 0), "e": (41, 0), "f": (39, 39), "d": (50, 20)}
    got = shown(school_alone(groups), rules)
    assert got[("race", "b")] == {
        "n": 40, "c": None, "rate": "≤5%", "note": "range shown to protect individuals"
    }  # fmt: skip
    assert got[("race", "f")]["rate"] == "≥95%" and got[("race", "f")]["c"] is None
    assert got[("race", "e")] == {"n": 41, "c": 0, "rate": "0", "note": ""}
    assert {g: got[("race", g)]["c"] for g in "ad"} == {"a": 9, "d": 20}


def test_a_lone_withheld_count_of_chronically_absent_gets_a_companion():
    # Only b is a range; its count would be 107 − 9 − 20 − 78; the smallest other group's
    # count of chronically absent (a, 30 students) is withheld too, its 30 students shown.
    got = shown(school_alone({"a": (30, 9), "b": (40, 0), "d": (50, 20), "e": (60, 30)}))
    assert got[("race", "b")]["rate"] == "≤5%"
    assert got[("race", "a")] == {
        "n": 30, "c": None, "rate": "", "note": "hidden to protect another group"
    }  # fmt: skip


def test_connecticuts_numerator_rule_hides_fewer_than_6_chronically_absent():
    rules = PRESETS["connecticut"]
    got = shown(school_alone({"a": (40, 3), "b": (45, 10), "c": (90, 20)}), rules)
    assert got[("race", "a")] == {
        "n": 40, "c": None, "rate": "", "note": "fewer than 6 chronically absent students"
    }  # fmt: skip
    assert got[("race", "b")]["c"] is None  # its companion


def test_a_rule_set_with_a_larger_minimum_hides_more():
    got = shown(school_alone({"a": (25, 5), "b": (60, 12), "c": (80, 16)}), PRESETS["federal"])
    assert got[("race", "a")]["note"] == "fewer than 30 students"


def test_cells_the_source_suppressed_are_hidden_by_the_source():
    rows = school_alone({"a": (50, 10), "b": (60, 12), "c": (80, 16)})
    rows[1] = row("school", "S", "race", "a", None, None, suppressed=True)
    got = shown(rows)
    assert got[("race", "a")] == {"n": None, "c": None, "rate": "", "note": "hidden by the source"}


def test_each_school_year_is_suppressed_on_its_own_and_written_oldest_first():
    rows = school_alone({"a": (50, 10), "b": (60, 12)}, "2024-25")
    rows += school_alone({"a": (5, 1), "b": (60, 12), "c": (70, 7)}, "2023-24")
    published = public_rows(aggregate.table(rows), DEFAULT)
    assert published[0].school_year == "2023-24"
    this_year = {(r.dimension, r.group): r for r in published if r.school_year == "2024-25"}
    assert this_year[("race", "a")].eligible_students == 50  # last year's small a hides nothing


# --- the files ------------------------------------------------------------------------------


@pytest.fixture
def written(tmp_path) -> Path:
    publish_aggregate(
        aggregate.table(school_alone({"a": (8, 2), "b": (60, 12), "c": (80, 16)})),
        tmp_path,
        DEFAULT,
    )
    return tmp_path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_public_summary_has_exactly_its_columns_and_one_row_per_cell(written):
    with (written / "public_summary.csv").open(encoding="utf-8") as handle:
        assert handle.readline().strip() == ",".join(PUBLIC_COLUMNS)
    rows = read_csv(written / "public_summary.csv")
    assert len(rows) == 12  # 3 levels × (all + 3 groups)
    hidden = [r for r in rows if r["note"]]
    assert hidden and all(r["eligible_students"] != "0" for r in hidden)
    assert all(r["eligible_students"] == "" for r in hidden if "fewer than" in r["note"])


def test_equity_has_exactly_the_columns_the_site_reads(written):
    with (written / "equity.csv").open(encoding="utf-8") as handle:
        assert handle.readline().strip() == ",".join(EQUITY_COLUMNS)
    assert len(read_csv(written / "equity.csv")) == 9  # the group rows, not the `all` rows


def test_the_json_holds_the_rules_the_units_the_summary_and_the_equity_rows(written):
    document = json.loads((written / "public_summary.json").read_text(encoding="utf-8"))
    assert document["rules"]["minimum_students"] == 11
    assert document["school_years"] == ["2024-25"]
    assert {"level": "school", "unit_id": "S", "district_id": "D"}.items() <= (
        document["units"][0].items()
    )
    school_all = document["summary"][0]
    assert school_all["eligible_students"] == 148 and school_all["chronic_absence_rate"] == 0.202703
    hidden = next(r for r in document["summary"] if r["note"])
    assert hidden["eligible_students"] is None  # null, never 0
    assert len(document["equity"]) == 9


def test_the_result_counts_cells_hidden_by_each_rule(tmp_path):
    result = publish_aggregate(
        aggregate.table(school_alone({"a": (8, 2), "b": (60, 12), "c": (80, 16)})),
        tmp_path,
        DEFAULT,
    )
    assert result.cells == 12
    assert result.hidden == {"fewer than 11 students": 3, "hidden to protect another group": 3}
    assert ("2024-25", "school", "S", "race", "a") in result.withheld


# --- information loss -----------------------------------------------------------------------

LOSS_BY_HAND = {
    # a (8 students, fewer than 11) and b (60, hidden so that a is not 148 − 60 − 80), at the
    # school, at district D and in the total (the school is alone in both): 6 cells, of 8 + 60
    # students three times; of them b's 3 cells hide 60 students three times.
    "cells_hidden": 6,
    "students_in_hidden_cells": 3 * (8 + 60),
    "cells_hidden_to_protect_another_group": 3,
    "students_in_them": 3 * 60,
}


def test_the_information_lost_is_in_the_result_and_in_the_json(written, tmp_path):
    document = json.loads((written / "public_summary.json").read_text(encoding="utf-8"))
    assert document["information_loss"] == LOSS_BY_HAND
    result = publish_aggregate(
        aggregate.table(school_alone({"a": (8, 2), "b": (60, 12), "c": (80, 16)})),
        tmp_path / "again",
        DEFAULT,
    )
    assert result.loss.as_dict() == LOSS_BY_HAND


def test_publish_prints_the_information_lost_in_one_line(tmp_path):
    # One school alone (no district or total rows): only a (8) and b (60) are hidden.
    path = tmp_path / "figures.csv"
    header = "school_year,level,unit_id,unit_name,district_id,dimension,group"
    lines = [f"{header},eligible_students,chronically_absent"]
    for group, n, c in (("all", 148, 30), ("a", 8, 2), ("b", 60, 12), ("c", 80, 16)):
        dimension = "all" if group == "all" else "race_ethnicity"
        lines.append(f"2024-25,school,S,Adams,D,{dimension},{group},{n},{c}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = rollcall("publish", str(path), "--out", str(tmp_path / "public"))
    assert done.returncode == 0, done.stderr
    assert (
        "Information lost: 2 cells hidden, 68 students in them; "
        "hidden to protect another group: 1 cell, 60 students."
    ) in done.stdout
    document = json.loads((tmp_path / "public" / "public_summary.json").read_text("utf-8"))
    assert document["information_loss"] == {
        "cells_hidden": 2,
        "students_in_hidden_cells": 68,
        "cells_hidden_to_protect_another_group": 1,
        "students_in_them": 60,
    }


# --- equity, by hand ------------------------------------------------------------------------


def equity_of(
    groups: dict[str, tuple[int, int]], tmp_path: Path, rules: Rules = DEFAULT
) -> dict[str, dict[str, str]]:
    publish_aggregate(aggregate.table(school_alone(groups)), tmp_path, rules)
    return {
        r["group"]: r
        for r in read_csv(tmp_path / "equity.csv")
        if r["level"] == "school" and r["dimension"] == "race"
    }


def test_equity_measures_agree_with_a_hand_calculation(tmp_path):
    # The school: 200 eligible, 40 chronically absent (20%).
    #   a:  50 students, 20 chronically absent → 40%
    #   b: 100 students, 15 chronically absent → 15%
    #   c:  50 students,  5 chronically absent → 10%  (the lowest)
    got = equity_of({"a": (50, 20), "b": (100, 15), "c": (50, 5)}, tmp_path)
    a, b, c = got["a"], got["b"], got["c"]
    assert (a["chronic_absence_rate"], b["chronic_absence_rate"]) == ("0.4", "0.15")
    # Gap to the overall rate, in points: 40 − 20 = 20.0; 15 − 20 = −5.0; 10 − 20 = −10.0.
    assert (a["gap_to_overall_pp"], b["gap_to_overall_pp"], c["gap_to_overall_pp"]) == (
        "20.0", "-5.0", "-10.0"
    )  # fmt: skip
    # Gap to the lowest group (c, 10%): 30.0, 5.0, 0.0.
    assert {g["lowest_group"] for g in got.values()} == {"c"}
    assert (a["gap_to_lowest_pp"], b["gap_to_lowest_pp"], c["gap_to_lowest_pp"]) == (
        "30.0", "5.0", "0.0"
    )  # fmt: skip
    # a against everyone else: the rest are 150 students, 20 chronically absent (13.33%), so
    # RR = 0.40 / 0.1333 = 3.00. Katz: SE(ln RR) = √(1/20 − 1/50 + 1/20 − 1/150) = √0.073333
    # = 0.270801; ln 3 = 1.098612; 1.959964 × 0.270801 = 0.530760;
    # low = e^(1.098612 − 0.530760) = e^0.567852 = 1.7645; high = e^1.629372 = 5.1008.
    assert math.isclose(math.sqrt(1 / 20 - 1 / 50 + 1 / 20 - 1 / 150), 0.270801, abs_tol=1e-6)
    assert (a["rate_ratio"], a["rate_ratio_low"], a["rate_ratio_high"]) == ("3.00", "1.76", "5.10")
    # b against the rest: 15/100 ÷ 25/100 = 0.60; SE = √(1/15 − 1/100 + 1/25 − 1/100) = 0.294392,
    # 1.959964 × 0.294392 = 0.576998; e^(−0.510826 ∓ 0.576998) = 0.3369 and 1.0684.
    assert (b["rate_ratio"], b["rate_ratio_low"], b["rate_ratio_high"]) == ("0.60", "0.34", "1.07")
    # Shares: a has 20 of 40 chronically absent (0.5) and 50 of 200 students (0.25).
    assert (a["share_of_chronically_absent"], a["share_of_eligible"]) == ("0.5", "0.25")
    assert (c["share_of_chronically_absent"], c["share_of_eligible"]) == ("0.125", "0.25")
    assert all(g["note"] == "" for g in got.values())


def test_a_measure_that_needs_a_hidden_count_is_empty_with_a_note(tmp_path):
    got = equity_of({"a": (8, 2), "b": (60, 12), "c": (80, 16), "d": (90, 9)}, tmp_path)
    a = got["a"]
    assert all(a[m] == "" for m in ("chronic_absence_rate", "gap_to_overall_pp", "rate_ratio"))
    assert a["note"].startswith("group: fewer than 11 students")
    # The lowest group is found among the groups shown (d, 10%), leaving the hidden ones out.
    assert got["c"]["lowest_group"] == "d" and got["c"]["gap_to_lowest_pp"] == "10.0"


def test_the_unknown_group_is_never_the_lowest_group(tmp_path):
    got = equity_of({"unknown": (40, 4), "b": (60, 12), "c": (80, 16)}, tmp_path)
    # unknown has the lowest rate (10%) but says nothing about a group; b and c tie at 20%.
    assert got["b"]["lowest_group"] == "b"


def test_no_rate_ratio_without_chronically_absent_students_on_both_sides(tmp_path):
    # Without ranges, b's 0 of 80 is shown; a's rest (b) and b itself have none: no ln 0.
    got = equity_of({"a": (60, 30), "b": (80, 0)}, tmp_path, Rules(name="plain", extreme_percent=0))
    for group in ("a", "b"):
        assert got[group]["rate_ratio"] == got[group]["rate_ratio_low"] == ""
        assert "no chronically absent students in the group or in the rest" in got[group]["note"]
    assert got["b"]["gap_to_overall_pp"] == "-21.4"  # 0% − 30/140 = −21.43 points
