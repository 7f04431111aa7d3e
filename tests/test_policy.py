"""Named policies and custom TOML policies, validated at the boundary."""

from __future__ import annotations

from fractions import Fraction

import pytest

from rollcall.errors import PolicyError
from rollcall.grades import normalize_grade
from rollcall.policy import POLICIES, get_policy


def test_named_policies_hold_the_documented_parameters():
    aw, ed = POLICIES["attendance-works"], POLICIES["edfacts"]
    ca, dash = POLICIES["california"], POLICIES["california-dashboard"]
    assert (aw.minimum_enrolled_days, aw.partial_day, aw.grades) == (10, "fraction", None)
    assert (ed.minimum_enrolled_days, ed.partial_day_cutoff) == (10, Fraction(1, 2))
    assert (ca.minimum_enrolled_days, ca.partial_day_cutoff, ca.require_attended_day) == (
        31,
        Fraction(1),
        True,
    )
    assert dash.grades == frozenset(["TK", "K", "1", "2", "3", "4", "5", "6", "7", "8"])
    assert all(p.threshold == Fraction(1, 10) for p in POLICIES.values())


def test_custom_policy_from_toml(tmp_path):
    path = tmp_path / "state.toml"
    path.write_text(
        'name = "state"\nminimum_enrolled_days = 15\npartial_day = "cutoff"\n'
        'partial_day_cutoff = 0.5\ngrades = ["KG", "01", 2]\nchronic_threshold = 0.15\n'
    )
    policy = get_policy(str(path))
    assert policy.name == "state" and policy.minimum_enrolled_days == 15
    assert policy.grades == frozenset(["K", "1", "2"])
    assert policy.threshold == Fraction(3, 20)  # exactly 0.15, not the nearest float


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'name = "x"\nminimum_enrolled_days = 10\nminimum_days = 3\n',
            "unknown key 'minimum_days'",
        ),
        ('name = "x"\n', "missing key 'minimum_enrolled_days'"),
        ('name = "x"\nminimum_enrolled_days = "ten"\n', "'minimum_enrolled_days' must be int"),
        ('name = "x"\nminimum_enrolled_days = true\n', "'minimum_enrolled_days' must be int"),
        ('name = "x"\nminimum_enrolled_days = 10\npartial_day = "cutoff"\n', "partial_day_cutoff"),
        (
            'name = "x"\nminimum_enrolled_days = 10\npartial_day = "half"\n',
            "'fraction' or 'cutoff'",
        ),
        ('name = "x"\nminimum_enrolled_days = 10\ngrades = ["13"]\n', "unknown grade '13'"),
        ('name = "x"\nminimum_enrolled_days = 10\nchronic_threshold = 2\n', "chronic_threshold"),
        ("name = \n", "not valid TOML"),
    ],
)
def test_bad_policy_files_name_the_problem(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=message):
        get_policy(str(path))


def test_unknown_policy_name():
    with pytest.raises(PolicyError, match="unknown policy 'truancy'"):
        get_policy("truancy")


@pytest.mark.parametrize(
    ("code", "grade"),
    [
        ("K", "K"),
        ("kg", "K"),
        ("KN", "K"),
        ("0K", "K"),
        ("00", "K"),
        ("0", "K"),
        ("pk", "PK"),
        ("TK", "TK"),
        ("07", "7"),
        ("12", "12"),
        ("012", "12"),
        ("ug", "UG"),
        (" 3 ", "3"),
        ("13", None),
        ("K1", None),
        ("", None),
        ("001", None),
    ],
)
def test_grade_codes(code, grade):
    assert normalize_grade(code) == grade
