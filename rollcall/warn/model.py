"""The model: scikit-learn's histogram gradient boosting, calibrated, with a fixed seed.

It is trained on an earlier school year of the same input, with that year's signals as of the
same point of the year and that year's end-of-year chronic absence as the outcome, and only then
applied to the year being scored: leave-future-out, never a random split of students.

The attributes a student is not to be judged by (``EXCLUDED``: race and ethnicity, income,
disability, English learner status, home language) are never inputs unless the caller asks for
them (``protected=True``, documented in docs/early-warning.md), and then the evaluation shows
the model without them beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from rollcall.warn.signals import LAST_YEAR, THIS_YEAR

EXCLUDED = (
    "race_ethnicity",
    "economically_disadvantaged",
    "disability",
    "section_504",
    "english_learner",
    "home_language",
)
SEED = 0
# One thread: OpenMP's threads spin while waiting, and on a busy machine the booster took four
# times as long with two threads as with one (measured here, 6,000 students).
THREADS = 1
LAST_YEAR_INPUTS = LAST_YEAR


@dataclass
class Model:
    """A trained model and the inputs it takes, in order."""

    features: tuple[str, ...]
    estimator: CalibratedClassifierCV
    categories: dict[str, tuple[str, ...]]

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """The probability of ending the year chronically absent, for each row."""
        with threadpool_limits(limits=THREADS):
            matrix = _matrix(frame, self.features, self.categories)
            return self.estimator.predict_proba(matrix)[:, 1]


def features(frame: pd.DataFrame, *, protected: bool = False) -> tuple[str, ...]:
    """The inputs the model takes from ``frame``: this year's signals, last year's when some
    training student has them, and the excluded attributes only with ``protected``."""
    chosen = list(THIS_YEAR)
    if all(c in frame for c in LAST_YEAR) and frame[list(LAST_YEAR)].notna().any().any():
        chosen += LAST_YEAR
    if protected:
        chosen += [f"group_{c}" for c in EXCLUDED if f"group_{c}" in frame]
    return tuple(chosen)


def train(
    frame: pd.DataFrame,
    outcome: Sequence[int] | np.ndarray,
    *,
    inputs: tuple[str, ...],
    seed: int = SEED,
) -> Model:
    """Fit the calibrated model on ``frame``'s ``inputs`` (isotonic calibration on three folds,
    which scikit-learn takes in order: the same data and seed give the same model)."""
    categories = {
        c: tuple(sorted(frame[c].fillna("").astype(str).unique()))
        for c in inputs
        if c not in THIS_YEAR and c not in LAST_YEAR
    }
    # Small trees, chosen by five-fold cross-validation within a training year (recall at 20%,
    # synthetic districts of 8,000 students), never on the year evaluated: 7 leaves of at least
    # 80 students found as many or more than 15 leaves of 40 (docs/early-warning.md).
    booster = HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=100,
        max_leaf_nodes=7,
        min_samples_leaf=80,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )
    estimator = CalibratedClassifierCV(booster, method="isotonic", cv=3)
    with threadpool_limits(limits=THREADS):
        estimator.fit(_matrix(frame, inputs, categories), np.asarray(outcome, dtype=int))
    return Model(features=inputs, estimator=estimator, categories=categories)


def _matrix(
    frame: pd.DataFrame, inputs: tuple[str, ...], categories: dict[str, tuple[str, ...]]
) -> np.ndarray:
    """The numeric inputs as floats (missing: NaN, which the booster handles); each categorical
    attribute as the number of its value among the training year's values (unseen: NaN)."""
    columns = []
    for name in inputs:
        if name in categories:
            codes = {value: float(n) for n, value in enumerate(categories[name])}
            values = frame[name] if name in frame else pd.Series([""] * len(frame))
            text = values.fillna("").astype(str)
            columns.append(text.map(codes).to_numpy(dtype=float))
        elif name in frame:
            columns.append(frame[name].to_numpy(dtype=float))
        else:
            columns.append(np.full(len(frame), np.nan))
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))
