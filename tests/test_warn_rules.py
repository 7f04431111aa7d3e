"""The early warning's baselines, ranking, caseload and tiers, by hand-computed examples."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from rollcall.errors import OptionError
from rollcall.warn import ranking, rules
from rollcall.warn.reasons import student_reasons


def students() -> pd.DataFrame:
    # Four students at school A, two at school B.
    return pd.DataFrame(
        {
            "student_id": ["a1", "a2", "a3", "a4", "b1", "b2"],
            "school_id": ["A", "A", "A", "A", "B", "B"],
            "first_month_absent": [2.0, 1.0, 4.0, 0.0, 3.0, 2.0],
            "days_absent": [3.0, 5.0, 4.0, 0.0, 3.0, 2.0],
            "share_absent": [0.1, 0.2, 4 / 22, 0.0, 0.15, 0.09],
            "last_share": [0.12, np.nan, 0.02, 0.3, 0.05, 0.1],
        }
    )


def test_first_month_rule_triggers_at_two_days_missed() -> None:
    rule = rules.RULE_BY_NAME["first_month"]
    assert list(rules.triggered(students(), rule)) == [True, False, True, False, True, True]


def test_last_year_rule_has_no_score_for_a_student_new_this_year() -> None:
    rule = rules.RULE_BY_NAME["last_year"]
    score = rules.rule_score(students(), rule)
    assert np.isnan(score[1])
    assert list(rules.triggered(students(), rule)) == [True, False, False, True, False, True]


def test_days_missed_has_no_trigger_and_share_so_far_triggers_at_ten_percent() -> None:
    assert not rules.triggered(students(), rules.RULE_BY_NAME["days_missed"]).any()
    share = rules.RULE_BY_NAME["share_so_far"]
    assert list(rules.triggered(students(), share)) == [True, True, True, False, True, False]


def test_ranks_are_within_each_school_missing_scores_last_and_ties_by_share() -> None:
    frame = students()
    last = rules.rule_score(frame, rules.RULE_BY_NAME["last_year"])
    # School A by last year's rate: a4 0.3, a1 0.12, a3 0.02, then a2 (none). B: b2 0.1, b1 0.05.
    assert list(ranking.rank_within_schools(frame, last)) == [2, 4, 3, 1, 2, 1]
    tied = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    # All tied: by this year's share, a2 0.2, a3 0.18, a1 0.1, a4 0.
    assert list(ranking.rank_within_schools(frame, tied)) == [3, 1, 2, 4, 1, 2]


def test_caseload_is_a_share_rounded_half_up_or_a_number_per_school() -> None:
    twenty = ranking.parse_caseload("20%")
    assert twenty.share == Fraction(1, 5)
    assert [twenty.size(n) for n in (1, 4, 7, 8, 10, 13)] == [1, 1, 1, 2, 2, 3]
    assert ranking.parse_caseload("25").size(10) == 10
    assert ranking.parse_caseload("25").size(40) == 25
    for bad in ("0%", "120%", "x", "-3", "0"):
        with pytest.raises(OptionError):
            ranking.parse_caseload(bad)


def test_flags_and_tiers_at_a_caseload_of_half_each_school() -> None:
    frame = students()
    score = np.array([0.6, 0.3, 0.2, 0.1, 0.4, 0.45])
    ranks = ranking.rank_within_schools(frame, score)
    flags = ranking.flagged(frame, ranks, ranking.parse_caseload("50%"))
    assert list(flags) == [True, True, False, False, False, True]
    tiers = ranking.tiers(frame, flags, score)
    # a1 likely (0.6) → intensive; a2 missed 20% so far → intensive; b2 flagged → targeted.
    assert list(tiers) == ["intensive", "intensive", "universal", "universal", "universal",
                           "targeted"]  # fmt: skip


def test_reasons_say_the_first_month_and_last_year_in_words() -> None:
    words = student_reasons(
        {"first_month_absent": 4.0, "first_month_days": 22.0, "last_chronic": 1.0,
         "last_share": 0.14, "share_absent": 0.05, "days_absent": 4.0, "days_enrolled": 30.0}
    )  # fmt: skip
    assert words == "missed 4 of the first 22 days; chronically absent last year (14% of days)"
    assert student_reasons({"first_month_absent": 1.0, "share_absent": 0.0}) == ""
