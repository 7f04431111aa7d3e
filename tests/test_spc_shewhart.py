"""XmR, p and Laney p′ charts: published known answers and a hand-computed example per rule."""

from __future__ import annotations

import math

import pytest

from rollcall.errors import OptionError
from rollcall.spc import p_chart, p_prime_chart, xmr_chart
from rollcall.spc.shewhart import mean_moving_range

# The known-answer series of the issue (20 draws from N(0, 1), R's set.seed(123)).
SERIES = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def with_outlier():
    values = list(SERIES)
    values[14] = 10
    return values


def limits(chart):
    point = chart.points[0]
    return chart.centre, point.lower, point.upper


def signals_at(chart, rule):
    return [p.period for p in chart.points if rule in p.signals]


def test_xmr_known_answer_mean_and_limits():
    centre, lower, upper = limits(xmr_chart(SERIES))
    assert round(centre, 7) == 0.1416238
    assert round(lower, 5) == -3.01138
    assert round(upper, 6) == 3.294627


def test_xmr_known_answer_with_an_outlier_and_no_screening():
    centre, lower, upper = limits(xmr_chart(with_outlier()))
    assert round(centre, 7) == 0.6694159
    assert round(lower, 6) == -4.596625
    assert round(upper, 6) == 5.935457


def test_xmr_known_answer_with_an_outlier_and_screened_moving_ranges():
    chart = xmr_chart(with_outlier(), screen=True)
    centre, lower, upper = limits(chart)
    assert round(centre, 7) == 0.6694159
    assert round(lower, 6) == -2.383666
    assert round(upper, 6) == 3.722497
    assert chart.screened
    assert signals_at(chart, "outside") == ["15"]


def test_screening_drops_moving_ranges_above_3_267_times_their_mean():
    # moving ranges 1, 1, 1, 1, 20: mean 4.8; 20 > 3.267 × 4.8 = 15.7 is dropped -> mean 1.
    values = [0, 1, 0, 1, 0, 20]
    assert mean_moving_range(values) == pytest.approx(4.8)
    assert mean_moving_range(values, screen=True) == pytest.approx(1.0)


def test_xmr_point_beyond_a_limit_signals_outside():
    # mean 2.2; moving ranges eight 1s and one 8: mean 16/9; upper limit 2.2 + 2.66 × 16/9 = 6.93.
    chart = xmr_chart([1, 2, 1, 2, 1, 2, 1, 2, 1, 9])
    assert chart.points[0].upper == pytest.approx(2.2 + 2.66 * 16 / 9)
    assert signals_at(chart, "outside") == ["10"]


def test_seven_points_in_a_row_above_the_mean_is_a_shift():
    # Baseline frozen on 3 1 3 1 3 1 (mean 2); seven points then sit just above it.
    values = [3, 1, 3, 1, 3, 1, 2.5, 2.6, 2.5, 2.6, 2.5, 2.6, 2.5]
    chart = xmr_chart(values, freeze=6)
    assert chart.centre == 2
    assert signals_at(chart, "shift") == [str(i) for i in range(7, 14)]
    assert signals_at(chart, "outside") == []


def test_six_points_in_a_row_above_the_mean_is_not_a_shift():
    values = [3, 1, 3, 1, 3, 1, 2.5, 2.6, 2.5, 2.6, 2.5, 2.6, 1.5]
    assert signals_at(xmr_chart(values, freeze=6), "shift") == []


def test_seven_points_going_up_is_a_trend():
    # Baseline 0 10 0 10 0 10 (mean 5, limits 5 ± 26.6); then 1 to 7, straddling the mean.
    values = [0, 10, 0, 10, 0, 10, 1, 2, 3, 4, 5, 6, 7]
    chart = xmr_chart(values, freeze=6)
    assert signals_at(chart, "trend") == [str(i) for i in range(7, 14)]
    assert signals_at(chart, "shift") == []


def test_six_points_going_up_is_not_a_trend_on_a_control_chart():
    values = [0, 10, 0, 10, 0, 10, 1, 2, 3, 4, 5, 6]
    assert signals_at(xmr_chart(values, freeze=6), "trend") == []


def test_two_of_three_points_beyond_two_sigma_on_one_side_signal():
    # sigma = 10 / 1.128 = 8.87; two sigma above the mean is 22.7, the limit 31.6.
    values = [0, 10, 0, 10, 0, 10, 25, 5, 24]
    chart = xmr_chart(values, freeze=6)
    assert signals_at(chart, "two_of_three") == ["7", "9"]
    assert signals_at(chart, "outside") == []


def test_two_points_beyond_two_sigma_on_opposite_sides_do_not_signal():
    values = [0, 10, 0, 10, 0, 10, 25, 5, -15]
    assert signals_at(xmr_chart(values, freeze=6), "two_of_three") == []


def test_a_gap_is_no_value_and_breaks_the_moving_range():
    chart = xmr_chart([1, 2, None, 10, 11])
    assert chart.points[2].value is None
    assert chart.centre == pytest.approx(6)
    # moving ranges 1 (1->2) and 1 (10->11); none across the gap.
    assert chart.phases[0].mean_moving_range == pytest.approx(1)


def test_rebase_gives_each_phase_its_own_mean_and_limits():
    chart = xmr_chart([1, 2, 1, 2, 10, 11, 10, 11], rebase=["5"])
    assert [round(ph.centre, 2) for ph in chart.phases] == [1.5, 10.5]
    assert chart.points[0].upper == pytest.approx(1.5 + 2.66)
    assert chart.points[-1].upper == pytest.approx(10.5 + 2.66)


def test_p_chart_limits_follow_each_denominator():
    # p̄ = 60/300 = 0.2; with n = 100, sigma = √(0.2 × 0.8 / 100) = 0.04.
    chart = p_chart([10, 20, 30], [100, 100, 100])
    assert chart.centre == pytest.approx(0.2)
    assert chart.points[0].lower == pytest.approx(0.08)
    assert chart.points[0].upper == pytest.approx(0.32)
    assert [p.value for p in chart.points] == pytest.approx([0.1, 0.2, 0.3])
    wide = p_chart([10, 20, 5], [100, 100, 25])
    assert wide.points[2].upper - wide.points[2].lower > wide.points[0].upper - wide.points[0].lower


def test_p_chart_limits_are_clipped_to_zero_and_one():
    chart = p_chart([1, 2, 1], [100, 100, 50])
    assert chart.centre == pytest.approx(4 / 250)
    assert all(p.lower == 0.0 for p in chart.points)
    high = p_chart([99, 98, 49], [100, 100, 50])
    assert all(p.upper == 1.0 for p in high.points)


def test_p_chart_missing_count_or_zero_denominator_is_a_gap_not_zero():
    chart = p_chart([10, None, 0, 30], [100, 100, 0, 100], periods=["a", "b", "c", "d"])
    assert [p.value for p in chart.points] == [0.1, None, None, 0.3]
    assert chart.points[1].lower is None and chart.points[1].upper is None
    assert chart.centre == pytest.approx(40 / 200)


def test_p_chart_refuses_a_numerator_above_its_denominator():
    with pytest.raises(OptionError, match="do not make a proportion"):
        p_chart([120], [100])


def test_laney_p_prime_hand_computed_example():
    x, n = [50, 60, 40, 70], [1000, 1000, 1000, 1000]
    centre = 220 / 4000
    se = math.sqrt(centre * (1 - centre) / 1000)
    z = [(xi / 1000 - centre) / se for xi in x]
    sigma_z = (abs(z[1] - z[0]) + abs(z[2] - z[1]) + abs(z[3] - z[2])) / 3 / 1.128
    chart = p_prime_chart(x, n)
    assert chart.phases[0].sigma_z == pytest.approx(sigma_z)
    assert chart.points[0].upper == pytest.approx(centre + 3 * se * sigma_z)
    assert chart.points[0].lower == pytest.approx(centre - 3 * se * sigma_z)


def test_laney_p_prime_with_equal_denominators_equals_xmr_on_the_proportions():
    x, n = [50, 61, 43, 70, 55, 48], [1000] * 6
    prime = p_prime_chart(x, n)
    xmr = xmr_chart([xi / 1000 for xi in x])
    # 3·σp·σz = 3 × mean moving range of p / 1.128 = 2.6596 × it; XmR rounds 3/1.128 to 2.66.
    assert prime.points[0].upper == pytest.approx(xmr.points[0].upper, rel=1e-3)
    assert prime.points[0].lower == pytest.approx(xmr.points[0].lower, rel=1e-3)


def test_laney_p_prime_widens_limits_when_denominators_are_huge():
    # Weeks of a large local authority: a p-chart flags nearly every week, p′ does not.
    x = [55758, 65183, 65775, 67575, 66197, 68081]
    n = [1078632, 1081002, 1084929, 1087543, 1082733, 1087816]
    plain = p_chart(x, n)
    assert len(plain.signalling) >= 4
    prime = p_prime_chart(x, n)
    assert prime.phases[0].sigma_z > 5
    assert len(prime.signalling) < len(plain.signalling)


def test_freeze_fixes_p_bar_on_the_first_k_periods():
    chart = p_chart([10, 10, 30, 30], [100, 100, 100, 100], freeze=2)
    assert chart.centre == pytest.approx(0.1)
    assert chart.phases[0].frozen and chart.phases[0].baseline == 2
    assert signals_at(chart, "outside") == ["3", "4"]
