"""Disclosure rule sets: the presets, the TOML file and its validation, the extreme-value ranges."""

from __future__ import annotations

from pathlib import Path

import pytest

from rollcall.errors import OptionError
from rollcall.publish.equity import EQUITY_COLUMNS
from rollcall.publish.files import PUBLIC_COLUMNS
from rollcall.publish.rules import (
    NOTE_COMPLEMENTARY,
    NOTE_RANGE,
    NOTE_SOURCE,
    NOTE_SOURCE_RATE,
    PRESETS,
    Rules,
    get_rules,
    load_rules,
)


def test_the_default_hides_groups_of_fewer_than_11_and_shows_ranges_within_5_percent():
    rules = get_rules(None)
    assert rules == PRESETS["default"]
    assert (rules.minimum_students, rules.minimum_chronic, rules.extreme_percent) == (11, 0, 5)
    assert rules.primary_note == "fewer than 11 students"


def test_presets_carry_each_states_thresholds():
    assert get_rules("california").minimum_students == 11  # 10 or fewer hidden
    connecticut = get_rules("connecticut")
    assert (connecticut.minimum_students, connecticut.minimum_chronic) == (20, 6)
    assert connecticut.numerator_note == "fewer than 6 chronically absent students"
    assert get_rules("federal").minimum_students == 30


def test_an_unknown_preset_names_the_known_ones():
    with pytest.raises(OptionError, match="unknown rules 'texas'") as raised:
        get_rules("texas")
    assert "connecticut" in str(raised.value.hint)


# --- the extreme-value rule, by hand --------------------------------------------------------


def test_a_count_within_5_percent_of_none_or_all_is_a_range():
    rules = Rules(name="ranges-to-100", ranges_up_to=100)
    # 100 students: m = ⌊5% × 100⌋ = 5, so 0–5 read "≤5%" and 95–100 read "≥95%".
    assert rules.extreme(100, 0) == "≤5%"
    assert rules.extreme(100, 5) == "≤5%"
    assert rules.extreme(100, 6) is None
    assert rules.extreme(100, 94) is None
    assert rules.extreme(100, 95) == "≥95%"
    assert rules.extreme(100, 100) == "≥95%"


def test_in_a_small_group_the_range_widens_to_cover_at_least_two_counts():
    rules = PRESETS["default"]
    # 11 students: 5% is 0.55 of a student, so the range is 0 or 1 of 11, at most 9.09%,
    # shown rounded up as "≤10%"; a reader learns only "0 or 1".
    assert rules.extreme_count(11) == 1
    assert rules.extreme(11, 1) == "≤10%"
    assert rules.extreme(11, 2) is None
    assert rules.extreme(11, 10) == "≥90%"
    # 40 students: 5% is 2 students, exactly "≤5%".
    assert rules.extreme(40, 2) == "≤5%"
    assert rules.extreme(40, 3) is None


def test_with_a_numerator_rule_only_the_high_range_is_used():
    rules = PRESETS["connecticut"]
    assert not rules.low_ranges
    assert rules.extreme(40, 0) is None  # hidden by "fewer than 6 chronically absent"
    assert rules.extreme(40, 39) == "≥95%"


def test_ranges_are_for_groups_of_up_to_50_students_by_default():
    rules = PRESETS["default"]
    assert rules.ranges_up_to == 50 and rules.ranged(50) and not rules.ranged(51)
    # 50 students (at the size): m = ⌊5% × 50⌋ = 2, so 0–2 read "≤5%", 48–50 "≥95%".
    assert rules.extreme(50, 0) == rules.extreme(50, 2) == "≤5%"
    assert rules.extreme(50, 3) is None and rules.extreme(50, 47) is None
    assert rules.extreme(50, 48) == rules.extreme(50, 50) == "≥95%"
    # 49 students (below): m = ⌊2.45⌋ = 2, the same ranges.
    assert rules.extreme(49, 2) == "≤5%" and rules.extreme(49, 47) == "≥95%"
    # 51 students (above): the exact rate, none or all included.
    assert rules.extreme(51, 0) is None and rules.extreme(51, 51) is None


def test_the_size_is_set_per_rule_set():
    rules = Rules(name="r20", ranges_up_to=20)
    # 20 students: m = ⌊5% × 20⌋ = 1: 0 or 1 reads "≤5%"; 21 students: exact.
    assert rules.extreme(20, 1) == "≤5%" and rules.extreme(20, 19) == "≥95%"
    assert rules.extreme(21, 0) is None and rules.extreme(21, 21) is None
    everywhere = Rules(name="all-sizes", ranges_up_to=1_000_000)
    assert everywhere.extreme(5000, 250) == "≤5%" and everywhere.extreme(5000, 251) is None
    assert "groups of up to 20 students" in rules.describe()
    assert rules.as_dict()["ranges_up_to"] == 20


def test_extreme_values_can_be_turned_off():
    assert Rules(name="plain", extreme_percent=0).extreme(100, 0) is None


# --- the TOML file ----------------------------------------------------------------------------


def write(tmp_path, text: str):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_rules_file_is_read_into_a_frozen_rule_set(tmp_path):
    path = write(
        tmp_path,
        'name = "my-state"\ndescription = "n of 15"\nminimum_students = 15\n'
        "minimum_chronic = 4\nextreme_percent = 10\nranges_up_to = 30\n",
    )
    rules = get_rules(str(path))
    assert rules == Rules("my-state", "n of 15", 15, 4, 10, 30)
    with pytest.raises(AttributeError):
        rules.minimum_students = 3  # type: ignore[misc]


def test_unset_keys_take_the_defaults(tmp_path):
    assert load_rules(write(tmp_path, 'name = "x"\n')) == Rules(name="x")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"\nminimum_student = 11\n', "unknown key 'minimum_student'"),
        ('name = "x"\nminimum_students = "11"\n', "key 'minimum_students' must be int"),
        ('name = "x"\nminimum_students = true\n', "key 'minimum_students' must be int"),
        ('name = "x"\nminimum_students = 4\n', "minimum_students must be from 5 to 30, not 4"),
        ('name = "x"\nminimum_students = 31\n', "minimum_students must be from 5 to 30"),
        ('name = "x"\nminimum_chronic = 1\n', "minimum_chronic must be 0 (off) or from 2 to 10"),
        ('name = "x"\nminimum_chronic = 11\n', "minimum_chronic must be 0 (off) or from 2"),
        ('name = "x"\nextreme_percent = 25\n', "extreme_percent must be 0 (off) or from 1 to 20"),
        (
            'name = "x"\nminimum_students = 15\nranges_up_to = 14\n',
            "ranges_up_to must be from minimum_students (15) to 1,000,000, not 14",
        ),
        ('name = "x"\nranges_up_to = 1000001\n', "ranges_up_to must be from minimum_students"),
        ("minimum_students = 11\n", "missing key 'name'"),
        ("name = \n", "not valid TOML"),
    ],
)
def test_a_bad_rules_file_names_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(OptionError, match=message.replace("(", r"\(").replace(")", r"\)")) as e:
        get_rules(str(path))
    assert str(path) in str(e.value)


def test_a_missing_rules_file_says_so(tmp_path):
    with pytest.raises(OptionError, match="rules file not found"):
        get_rules(str(tmp_path / "none.toml"))


# --- the documentation --------------------------------------------------------------------------

DOCS = (Path(__file__).resolve().parents[1] / "docs" / "publish.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("column", sorted(set(PUBLIC_COLUMNS) | set(EQUITY_COLUMNS)))
def test_every_public_column_is_explained(column):
    assert f"`{column}`" in DOCS


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_is_in_the_docs(name):
    assert f"| `{name}` |" in DOCS


@pytest.mark.parametrize(
    "key",
    [
        "name",
        "description",
        "minimum_students",
        "minimum_chronic",
        "extreme_percent",
        "ranges_up_to",
    ],
)
def test_every_rules_key_is_in_the_docs_toml_example(key):
    assert f"\n{key} = " in DOCS


@pytest.mark.parametrize(
    "note",
    [
        PRESETS["default"].primary_note,
        PRESETS["connecticut"].numerator_note,
        NOTE_RANGE,
        NOTE_COMPLEMENTARY,
        NOTE_SOURCE_RATE,
        NOTE_SOURCE,
    ],
)
def test_every_note_is_explained(note):
    assert f"| `{note}` |" in DOCS
