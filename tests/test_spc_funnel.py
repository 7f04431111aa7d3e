"""Funnel plots: many units at one time against limits for their own size."""

from __future__ import annotations

import math

import pytest

from rollcall.errors import OptionError
from rollcall.spc import funnel, funnel_svg
from rollcall.spc.funnel import Z95, Z998


def test_funnel_centre_is_pooled_and_limits_narrow_with_size():
    plot = funnel(["a", "b", "c"], [10, 100, 300], [100, 1000, 1000])
    assert plot.centre == pytest.approx(410 / 2100)
    a, b, _ = plot.units
    se_a = math.sqrt(plot.centre * (1 - plot.centre) / 100)
    assert a.upper998 == pytest.approx(plot.centre + Z998 * se_a)
    assert a.lower95 == pytest.approx(plot.centre - Z95 * se_a)
    assert b.upper998 - b.lower998 < a.upper998 - a.lower998


def test_a_unit_far_from_the_common_rate_signals_above_or_below():
    plot = funnel(["small", "low", "high"], [10, 100, 300], [100, 1000, 1000])
    # small: 0.10 against 0.195 ± 1.96 × 0.040 -> outside the 95% limits only.
    signals = {u.unit: u.signal for u in plot.units}
    assert signals == {"small": "below95", "low": "below", "high": "above"}


def test_a_unit_outside_only_the_95_percent_limits_is_marked_as_such():
    # centre 0.2; n = 400 -> se 0.02; 0.245 is 2.25 se above: outside 95%, inside 99.8%.
    plot = funnel(["x", "big"], [98, 200_000], [400, 1_000_000])
    assert plot.units[0].signal == "above95"


def test_small_units_with_the_same_rate_as_large_outliers_do_not_signal():
    plot = funnel(["tiny", "huge", "rest"], [3, 3000, 20000], [10, 10000, 100000])
    signals = {u.unit: u.signal for u in plot.units}
    assert signals["tiny"] == ""
    assert signals["huge"] == "above"


def test_p_prime_funnel_widens_limits_by_sigma_z_but_never_narrows_them():
    units = [f"u{i}" for i in range(6)]
    x = [500, 800, 450, 900, 600, 700]
    n = [10_000] * 6
    p = funnel(units, x, n, kind="p")
    prime = funnel(units, x, n, kind="pprime")
    assert prime.sigma_z > 1
    assert prime.units[0].upper998 - prime.centre == pytest.approx(
        (p.units[0].upper998 - p.centre) * prime.sigma_z
    )
    assert sum(bool(u.signal) for u in prime.units) < sum(bool(u.signal) for u in p.units)
    calm = funnel(units, [50, 50, 50, 50, 50, 50], [1000] * 6, kind="pprime")
    assert calm.sigma_z == 1.0


def test_units_with_no_denominator_are_left_out_not_drawn_as_zero():
    plot = funnel(["a", "b", "c"], [10, None, 0], [100, 50, 0])
    assert [u.unit for u in plot.units] == ["a"]


def test_funnel_refuses_mismatched_inputs_and_unknown_kinds():
    with pytest.raises(OptionError, match="one of each per unit"):
        funnel(["a"], [1, 2], [10, 10])
    with pytest.raises(OptionError, match="unknown funnel kind"):
        funnel(["a"], [1], [10], kind="z")
    with pytest.raises(OptionError, match="not between"):
        funnel(["a"], [11], [10])


def test_funnel_svg_names_the_outliers_in_its_description():
    plot = funnel(["small", "low", "high"], [10, 100, 300], [100, 1000, 1000], title="Districts")
    svg = funnel_svg(plot)
    assert svg.startswith("<svg") and "<title id='chart-title'>Districts</title>" in svg
    assert "above: high" in svg and "below: low" in svg
    assert "<polygon" in svg  # outliers are diamonds
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
