"""Bright spots: a sustained improvement in weekly absence against peers, beyond chance and the
season (rollcall/improve/bright.py, docs/improvement.md)."""

from __future__ import annotations

import csv
import math
import random
from datetime import date, timedelta

import pytest

from rollcall.engine.micro import MICRO
from rollcall.improve import (
    BRIGHT_SPOT_COLUMNS,
    Relative,
    UnitWeek,
    find_bright_spots,
    improvement,
    relative_absence,
)
from rollcall.measures import WeekRow
from tests.command import rollcall

MONDAYS = [date(2025, 9, 1) + timedelta(weeks=k) for k in range(36)]
WEEKS = tuple(m.isoformat() for m in MONDAYS)


def series(values) -> Relative:
    return Relative(WEEKS[: len(values)], tuple(values))


def noise(seed: int, n: int = 36, sd: float = 0.08) -> list[float]:
    """Relative absence of a school no different from its peers: 1 ± sampling noise (8% is the
    week-to-week noise of a school of 400 pupils at 7% absence)."""
    rng = random.Random(seed)
    return [1 + rng.gauss(0, sd) for _ in range(n)]


def season(week: int) -> float:
    """Absence rises through winter and falls in spring: +40% at its peak in week 18."""
    return 1 + 0.4 * math.sin(math.pi * week / 35)


# --- relative absence, by hand -----------------------------------------------------------------


def test_relative_absence_is_observed_over_expected_at_the_peers_share_that_week():
    unit = [UnitWeek("w1", 10, 200), UnitWeek("w2", 6, 100), UnitWeek("w3", 3, 100)]
    peers = [UnitWeek("w1", 50, 1000), UnitWeek("w3", 0, 900)]
    # w1: expected 200 × 50/1000 = 10, observed 10 -> 1.0; w2: peers had no school -> left out;
    # w3: peers had no absence, so nothing is expected -> left out (never a division by zero).
    assert relative_absence(unit, peers) == Relative(("w1",), (1.0,))


def test_a_week_the_unit_had_no_school_is_left_out():
    unit = [UnitWeek("w1", 0, 0), UnitWeek("w2", 12, 100)]
    peers = [UnitWeek("w1", 5, 100), UnitWeek("w2", 6, 100)]
    assert relative_absence(unit, peers) == Relative(("w2",), (2.0,))


# --- known series ------------------------------------------------------------------------------


def test_a_shift_of_six_weeks_below_the_median_is_a_bright_spot():
    values = noise(1, n=30) + [0.7] * 6
    found = improvement(series(values))
    assert found is not None and "shift" in found.signals
    assert found.since == WEEKS[30]


def test_a_shift_of_five_weeks_is_not_yet_a_bright_spot():
    values = noise(1, n=31) + [0.7] * 5
    found = improvement(series(values))
    assert found is None or "shift" not in found.signals


def test_a_week_beyond_the_lower_limit_that_holds_is_a_bright_spot():
    # Week 32 falls far below the lower limit and the weeks after stay below the centre (too few
    # weeks in a row for a shift).
    values = [*noise(3, n=31), 1.1, 0.4, 0.8, 0.82, 0.85]
    found = improvement(series(values))
    assert found is not None and found.signals == ("outside",)
    assert found.since == WEEKS[32]


def test_one_odd_good_week_followed_by_a_return_is_not_sustained():
    values = [*noise(3, n=32), 0.4, 1.1, 1.0, 1.05]
    assert improvement(series(values)) is None


def test_a_worsening_is_never_a_bright_spot():
    assert improvement(series(noise(5, n=28) + [1.4] * 8)) is None


def test_too_few_weeks_after_the_baseline_are_not_assessed():
    assert improvement(series([1.0, 0.9, 1.1] * 3 + [0.5])) is None


@pytest.mark.parametrize("chunk", range(4))
def test_no_bright_spot_on_noise_over_many_seeds(chunk):
    seeds = range(chunk * 100, chunk * 100 + 100)
    flagged = [s for s in seeds if improvement(series(noise(s))) is not None]
    assert flagged == []


def test_the_confirmation_holds_false_alarms_to_a_few_in_a_thousand():
    """The rate the docs state: about 3 in 1,000 noise series (here 2,000 seeds)."""
    flagged = sum(improvement(series(noise(10_000 + s))) is not None for s in range(2000))
    assert flagged / 2000 < 0.006


# --- seasons -----------------------------------------------------------------------------------


def school_weeks(rate, seed, days=2000):
    rng = random.Random(seed)
    weeks = []
    for k, week in enumerate(WEEKS):
        p = rate(k)
        absent = max(0.0, rng.gauss(days * p, math.sqrt(days * p * (1 - p))))
        weeks.append(UnitWeek(week, absent, days))
    return weeks


def test_a_school_that_only_follows_the_season_is_not_a_bright_spot():
    district = school_weeks(lambda k: 0.07 * season(k), seed=1, days=20_000)
    school = school_weeks(lambda k: 0.05 * season(k), seed=2)
    # On its own share the spring fall after the winter peak looks like an improvement ...
    own = [w.days_absent / w.student_days for w in school]
    assert improvement(series(own)) is not None
    # ... against the district in the same weeks it is not.
    assert improvement(relative_absence(school, district)) is None


def test_a_school_that_improves_against_the_season_is_a_bright_spot():
    district = school_weeks(lambda k: 0.07 * season(k), seed=1, days=20_000)
    school = school_weeks(lambda k: 0.07 * season(k) * (0.75 if k >= 24 else 1), seed=2)
    found = improvement(relative_absence(school, district))
    assert found is not None and found.since == WEEKS[24]


# --- a district's units ------------------------------------------------------------------------


def week_rows(level, unit, rate, seed, days=2000):
    return [
        WeekRow(level, unit, date.fromisoformat(w.week), date.fromisoformat(w.week) + timedelta(4),
                int(w.student_days), round(w.days_absent * MICRO), 0, 0)
        for w in school_weeks(rate, seed, days)
    ]  # fmt: skip


def test_find_bright_spots_compares_each_school_with_the_rest_of_its_district():
    usual = lambda k: 0.07 * season(k)  # noqa: E731
    better = lambda k: 0.07 * season(k) * (0.7 if k >= 26 else 1)  # noqa: E731
    rows = (
        week_rows("school", "A", usual, 1) + week_rows("school", "B", better, 2)
        + week_rows("school", "C", usual, 3) + week_rows("school", "Z", better, 4)
    )  # fmt: skip
    districts = {"A": "D1", "B": "D1", "C": "D1", "Z": "D2"}
    spots, assessed, alone = find_bright_spots(
        rows, districts=districts, names={("school", "B"): "Birch Elementary"}
    )
    assert [(s.level, s.unit_id, s.unit_name, s.measure) for s in spots] == [
        ("school", "B", "Birch Elementary", "relative_absence")
    ]
    assert spots[0].since == WEEKS[26] and "shift" in spots[0].signal
    # Z is alone in its district: it has no peers and is not assessed.
    assert (assessed, alone) == (3, 1)


# --- the command -------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_command_writes_bright_spots_csv(tmp_path):
    from rollcall.synth import write_synthetic

    write_synthetic(tmp_path / "in", students=300, seed=2)
    out = tmp_path / "out"
    result = rollcall("bright-spots", "--input", str(tmp_path / "in"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "schools and districts assessed" in result.stdout
    with (out / "bright_spots.csv").open() as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == BRIGHT_SPOT_COLUMNS
        for row in reader:
            assert row["measure"] == "relative_absence" and row["signal"]


def test_the_command_names_a_missing_input(tmp_path):
    result = rollcall("bright-spots", "--input", str(tmp_path / "nowhere"), "--out", str(tmp_path))
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr
