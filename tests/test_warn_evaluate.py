"""The evaluation's measures and group table against hand calculations, and the model's inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rollcall.warn import evaluate, model
from rollcall.warn.signals import LAST_YEAR, THIS_YEAR


def test_measures_at_the_caseload_by_hand() -> None:
    outcome = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    flags = np.array([1, 1, 0, 1, 0, 0, 0, 0, 0, 0], dtype=bool)
    counts = evaluate.at_caseload(outcome, flags)
    assert (counts.students, counts.chronic, counts.flagged, counts.true_positives) == (10, 3, 3, 2)
    assert counts.recall == 2 / 3
    assert counts.precision == 2 / 3
    assert counts.flag_rate == 3 / 10
    assert counts.false_positive_rate == 1 / 7


def test_group_table_and_its_largest_gap_by_hand() -> None:
    # 25 girls: 10 chronic, 8 of them flagged, 2 others flagged.
    # 25 boys: 10 chronic, 4 of them flagged, 5 others flagged.
    outcome = np.array([1] * 10 + [0] * 15 + [1] * 10 + [0] * 15)
    flags = np.array(
        [1] * 8 + [0] * 2 + [1] * 2 + [0] * 13 + [1] * 4 + [0] * 6 + [1] * 5 + [0] * 10,
        dtype=bool,
    )
    gender = ["F"] * 25 + ["M"] * 25
    rows = evaluate.group_rows(outcome, flags, {"gender": gender})
    by_group = {row.group: row.at_caseload for row in rows}
    assert by_group["F"].recall == 0.8 and by_group["M"].recall == 0.4
    assert (
        by_group["F"].false_positive_rate == 2 / 15 and by_group["M"].false_positive_rate == 5 / 15
    )
    assert by_group["F"].flag_rate == 10 / 25 and by_group["M"].flag_rate == 9 / 25
    gaps = evaluate.largest_gaps(rows)
    assert gaps[0] == (
        "gender: found (recall) is 80.0% for F against 40.0% for M, a gap of 40.0 points."
    )


def test_calibration_bands_hold_the_mean_probability_and_the_observed_share() -> None:
    probability = np.array([0.05, 0.07, 0.55, 0.95, 1.0])
    outcome = np.array([0, 1, 1, 1, 0])
    bands = evaluate.calibration(outcome, probability)
    assert [(b.lower, b.students) for b in bands] == [(0.0, 2), (0.5, 1), (0.9, 2)]
    assert bands[0].mean_probability == pytest.approx(0.06) and bands[0].observed == 0.5
    assert bands[2].observed == 0.5


def _training_frame(seed: int = 1, n: int = 400) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({name: rng.random(n) for name in (*THIS_YEAR, *LAST_YEAR)})
    frame["group_race_ethnicity"] = rng.choice(["A", "B"], n)
    frame["group_economically_disadvantaged"] = rng.choice(["Y", "N"], n)
    frame["group_gender"] = rng.choice(["F", "M"], n)
    outcome = (frame["share_absent"] + 0.3 * rng.random(n) > 0.8).astype(int).to_numpy()
    return frame, outcome


def test_the_excluded_attributes_are_not_inputs_unless_asked_for() -> None:
    frame, _outcome = _training_frame()
    inputs = model.features(frame)
    assert not [name for name in inputs if name.removeprefix("group_") in model.EXCLUDED]
    assert not [name for name in inputs if name.startswith("group_")]
    asked = model.features(frame, protected=True)
    assert {"group_race_ethnicity", "group_economically_disadvantaged"} <= set(asked)
    assert "group_gender" not in asked


def test_last_year_is_an_input_only_when_the_training_year_has_it() -> None:
    frame, _outcome = _training_frame()
    assert set(LAST_YEAR) <= set(model.features(frame))
    frame[list(LAST_YEAR)] = np.nan
    assert not set(LAST_YEAR) & set(model.features(frame))


def test_the_same_seed_gives_the_same_scores() -> None:
    frame, outcome = _training_frame()
    inputs = model.features(frame)
    first = model.train(frame, outcome, inputs=inputs, seed=0).predict(frame)
    again = model.train(frame, outcome, inputs=inputs, seed=0).predict(frame)
    assert np.array_equal(first, again)
    assert ((first >= 0) & (first <= 1)).all()
