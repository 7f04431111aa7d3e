"""Run charts: the IHI and Anhøj rules, each with a small hand-computed example."""

from __future__ import annotations

import math

import pytest

from rollcall.errors import OptionError
from rollcall.spc import Annotation, anhoej_limits, ihi_runs_limits, run_chart
from rollcall.spc.runs import binomial_quantile, crossings, longest_run, sides, trend_points

# Published limits (Anhøj 2015; Anhøj & Olesen 2014): n -> (longest run max, crossings min).
ANHOEJ_TABLE = {
    10: (6, 2), 12: (7, 3), 14: (7, 4), 17: (7, 5), 19: (7, 6), 20: (7, 6), 22: (7, 7),
    23: (8, 7), 24: (8, 8), 27: (8, 9), 29: (8, 10), 30: (8, 10), 36: (8, 13), 40: (8, 14),
    50: (9, 19), 60: (9, 23), 100: (10, 41),
}  # fmt: skip


def signals_at(chart, rule):
    return [p.period for p in chart.points if rule in p.signals]


@pytest.mark.parametrize(("n", "expected"), sorted(ANHOEJ_TABLE.items()))
def test_anhoej_limits_match_the_published_table(n, expected):
    assert anhoej_limits(n) == expected


def test_binomial_quantile_is_the_least_x_whose_cumulative_probability_reaches_p():
    # Binomial(9, ½): P(X ≤ 1) = 10/512 < 0.05 ≤ P(X ≤ 2) = 46/512.
    assert binomial_quantile(0.05, 9) == 2
    assert binomial_quantile(0.5, 10) == 5
    assert binomial_quantile(0.0, 4) == 0


def test_longest_run_limit_uses_round_half_even_on_log2_n_plus_3():
    # log2(11) + 3 = 6.46 -> 6; log2(12) + 3 = 6.58 -> 7
    assert anhoej_limits(11)[0] == 6
    assert anhoej_limits(12)[0] == 7
    assert round(math.log2(12) + 3) == 7


def test_points_on_the_median_neither_count_nor_break_a_run():
    side = sides([1, 1, 5, 1, 9, 9], 5)
    assert side == [-1, -1, 0, -1, 1, 1]
    assert longest_run(side) == 3
    assert crossings(side) == 1


def test_shift_of_six_points_below_median_signals():
    # sorted: 1 1 1 2 2 2 2 3 | 7 7 8 8 8 9 9 9 -> median 5; periods 7 to 12 lie below it.
    values = [7, 8, 2, 9, 3, 8, 1, 2, 1, 2, 1, 2, 9, 8, 9, 7]
    chart = run_chart(values, rules="ihi")
    assert chart.centre == 5
    assert signals_at(chart, "shift") == ["7", "8", "9", "10", "11", "12"]


def test_five_points_below_median_is_not_a_shift():
    values = [7, 8, 2, 9, 3, 8, 1, 2, 1, 2, 1, 9, 2, 8, 9, 7]
    chart = run_chart(values)
    assert chart.centre == 5
    assert signals_at(chart, "shift") == []


def test_a_point_on_the_median_inside_a_run_does_not_break_the_shift():
    # median 5; the run 1 1 1 [5] 1 1 1 has six useful points below: a shift.
    values = [9, 9, 9, 9, 9, 9, 1, 1, 1, 5, 1, 1, 1, 9, 5, 5, 5]
    chart = run_chart(values)
    assert chart.centre == 5
    assert signals_at(chart, "shift") == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "11",
        "12",
        "13",
    ]
    assert "shift" not in chart.points[9].signals  # the point on the median is not marked


def test_five_points_going_up_is_a_trend():
    values = [3, 1, 2, 3, 4, 5, 2, 3, 2]
    assert signals_at(run_chart(values), "trend") == ["2", "3", "4", "5", "6"]


def test_four_points_going_up_is_not_a_trend():
    assert signals_at(run_chart([3, 1, 2, 3, 4, 2, 3, 2]), "trend") == []


def test_equal_neighbours_neither_count_towards_nor_break_a_trend():
    # 1 2 2 3 4: four counted points only (the repeated 2 does not count): no trend.
    assert trend_points([1, 2, 2, 3, 4], min_points=5) == set()
    # 1 2 2 3 4 5: five counted points, the repeated 2 inside the trend.
    assert trend_points([1, 2, 2, 3, 4, 5], min_points=5) == {0, 1, 2, 3, 4, 5}


def test_a_missing_period_is_skipped_not_read_as_zero():
    chart = run_chart([1, 2, None, 3, 4, 5], periods=list("abcdef"))
    assert chart.points[2].value is None
    assert chart.centre == 3  # median of 1 2 3 4 5, not of 0 1 2 3 4 5
    assert signals_at(chart, "trend") == ["a", "b", "d", "e", "f"]


def test_ihi_runs_table_matches_the_exact_runs_distribution_at_the_corners():
    # Swed & Eisenhart, 5 above and 5 below: P(R ≤ 2) = 2/252 and P(R ≥ 10) = 2/252.
    assert ihi_runs_limits(10) == (3, 9)
    assert ihi_runs_limits(9) is None
    assert ihi_runs_limits(20) == (7, 15)
    assert ihi_runs_limits(30) == (11, 21)
    assert ihi_runs_limits(60) == (24, 38)


def test_too_few_runs_signals_under_ihi_rules():
    # Ten useful points in two runs of five: 2 runs < 3 (the table's minimum for n = 10).
    chart = run_chart([1, 1, 1, 1, 1, 9, 9, 9, 9, 9])
    assert chart.runs.runs == 2
    assert chart.runs.runs_min == 3
    assert chart.runs.runs_signal


def test_too_many_runs_signals_under_ihi_rules():
    chart = run_chart([1, 9] * 5)
    assert chart.runs.runs == 10
    assert chart.runs.runs_max == 9
    assert chart.runs.runs_signal


def test_random_looking_series_has_no_runs_signal():
    chart = run_chart([3, 7, 2, 8, 8, 1, 2, 9, 4, 6, 5, 7])
    assert not chart.runs.runs_signal
    assert chart.signalling == ()


def test_anhoej_long_run_signals_when_longer_than_round_log2_n_plus_3():
    # 16 useful points (median 6.5): the most allowed is round(log2(16) + 3) = 7; a run of 8
    # below the median (periods 5 to 12) signals.
    values = [10, 12, 11, 13, 1, 2, 3, 1, 2, 3, 1, 2, 12, 11, 13, 12]
    chart = run_chart(values, rules="anhoej")
    assert chart.centre == 6.5
    assert (chart.runs.n_useful, chart.runs.longest_run, chart.runs.longest_run_max) == (16, 8, 7)
    assert signals_at(chart, "shift") == [str(i) for i in range(5, 13)]
    assert chart.runs.runs_signal


def test_anhoej_too_few_crossings_signals_without_any_long_run():
    # 14 useful points (median 5) in runs of 4, 4, 3, 3 -> 3 crossings < 4, the 5% quantile of
    # Binomial(13, ½); the longest run, 4, is well under 7.
    values = [1, 2, 1, 2, 9, 8, 9, 8, 1, 2, 1, 9, 8, 9]
    chart = run_chart(values, rules="anhoej")
    assert chart.runs.crossings == 3
    assert chart.runs.crossings_min == 4
    assert chart.runs.longest_run <= chart.runs.longest_run_max
    assert chart.runs.runs_signal
    assert signals_at(chart, "shift") == []


def test_anhoej_rules_have_no_trend_rule():
    chart = run_chart([1, 2, 3, 4, 5, 6, 5, 4, 3, 2], rules="anhoej")
    assert signals_at(chart, "trend") == []


def test_astronomical_point_comes_only_from_a_user_annotation():
    values = [3, 4, 3, 100, 4, 3]
    plain = run_chart(values)
    assert plain.signalling == ()
    noted = run_chart(values, annotations=[Annotation("4", "data entry", "astronomical")])
    assert signals_at(noted, "astronomical") == ["4"]


def test_freeze_fixes_the_median_on_the_first_k_periods():
    values = [1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]
    chart = run_chart(values, freeze=5)
    assert chart.centre == 3
    assert chart.phases[0].frozen
    assert signals_at(chart, "shift") == ["4", "5", "6", "7", "8", "9", "10", "11"]


def test_rebase_starts_a_new_median_after_a_sustained_shift():
    values = [1, 2, 3, 2, 1, 2, 8, 9, 8, 9, 8, 9]
    chart = run_chart(values, rebase=["7"])
    assert [phase.centre for phase in chart.phases] == [2, 8.5]
    assert [p.phase for p in chart.points] == [0] * 6 + [1] * 6


def test_unknown_rules_and_bad_baselines_are_refused():
    with pytest.raises(OptionError, match="unknown run chart rules"):
        run_chart([1, 2, 3], rules="western")
    with pytest.raises(OptionError, match="--freeze 9"):
        run_chart([1, 2, 3], freeze=9)
    with pytest.raises(OptionError, match="not a period"):
        run_chart([1, 2, 3], rebase=["x"])
    with pytest.raises(OptionError, match="not in the series"):
        run_chart([1, 2, 3], annotations=[Annotation("9", "typo")])
