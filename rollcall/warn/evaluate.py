"""How well a ranking finds the students who end the year chronically absent, on a year whose
outcome is known: at the caseload and over every threshold, and for every group of students.

Every measure is a plain count over the evaluated students (those eligible at the end of the
year, docs/rules.md) and tested against a hand calculation (tests/test_warn_evaluate.py):

- ``recall``: of the students who ended the year chronically absent, the share flagged;
- ``precision``: of the students flagged, the share who ended the year chronically absent;
- ``flag_rate``: the share of students flagged;
- ``false_positive_rate``: of the students who did not end the year chronically absent, the
  share flagged;
- ``pr_auc`` (average precision) and ``roc_auc`` over every threshold of the score;
- ``calibration``: in ten equal bands of the predicted probability, the mean probability and
  the share who ended the year chronically absent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

MIN_GROUP = 20  # a group's rates are compared in words only with at least this many students
CALIBRATION_BINS = 10


@dataclass(frozen=True)
class AtCaseload:
    students: int
    chronic: int
    flagged: int
    true_positives: int

    @property
    def recall(self) -> float | None:
        return _ratio(self.true_positives, self.chronic)

    @property
    def precision(self) -> float | None:
        return _ratio(self.true_positives, self.flagged)

    @property
    def flag_rate(self) -> float | None:
        return _ratio(self.flagged, self.students)

    @property
    def false_positive_rate(self) -> float | None:
        return _ratio(self.flagged - self.true_positives, self.students - self.chronic)

    def as_dict(self) -> dict[str, object]:
        return {
            **asdict(self),
            "recall": self.recall,
            "precision": self.precision,
            "flag_rate": self.flag_rate,
            "false_positive_rate": self.false_positive_rate,
        }


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    students: int
    mean_probability: float
    observed: float


@dataclass(frozen=True)
class MethodResult:
    """One ranking (the model or a rule) on the evaluation year."""

    name: str
    label: str
    at_caseload: AtCaseload
    pr_auc: float | None
    roc_auc: float | None
    calibration: list[CalibrationBin] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            **self.at_caseload.as_dict(),
            "pr_auc": self.pr_auc,
            "roc_auc": self.roc_auc,
            "calibration": [asdict(b) for b in self.calibration],
        }


@dataclass(frozen=True)
class GroupRow:
    dimension: str
    group: str
    at_caseload: AtCaseload

    def as_dict(self) -> dict[str, object]:
        return {"dimension": self.dimension, "group": self.group, **self.at_caseload.as_dict()}


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def at_caseload(outcome: np.ndarray, flags: np.ndarray) -> AtCaseload:
    """The counts behind recall, precision, flag rate and false-positive rate."""
    outcome = np.asarray(outcome, dtype=bool)
    flags = np.asarray(flags, dtype=bool)
    return AtCaseload(
        students=len(outcome),
        chronic=int(outcome.sum()),
        flagged=int(flags.sum()),
        true_positives=int((outcome & flags).sum()),
    )


def method_result(
    name: str,
    label: str,
    outcome: np.ndarray,
    score: np.ndarray,
    flags: np.ndarray,
    probability: np.ndarray | None,
) -> MethodResult:
    """One ranking's measures; a missing score ranks below every other."""
    ranked = np.nan_to_num(np.asarray(score, dtype=float), nan=-1e9)
    both = len(set(np.asarray(outcome, dtype=int))) == 2
    return MethodResult(
        name=name,
        label=label,
        at_caseload=at_caseload(outcome, flags),
        pr_auc=float(average_precision_score(outcome, ranked)) if both else None,
        roc_auc=float(roc_auc_score(outcome, ranked)) if both else None,
        calibration=calibration(outcome, probability) if probability is not None else [],
    )


def calibration(outcome: np.ndarray, probability: np.ndarray) -> list[CalibrationBin]:
    """Ten equal bands of probability (the last includes 1): mean probability and observed share."""
    outcome = np.asarray(outcome, dtype=float)
    band = np.minimum(
        (np.asarray(probability) * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1
    )
    bins = []
    for n in range(CALIBRATION_BINS):
        inside = band == n
        if inside.any():
            bins.append(
                CalibrationBin(
                    lower=n / CALIBRATION_BINS,
                    upper=(n + 1) / CALIBRATION_BINS,
                    students=int(inside.sum()),
                    mean_probability=float(probability[inside].mean()),
                    observed=float(outcome[inside].mean()),
                )
            )
    return bins


def group_rows(
    outcome: np.ndarray, flags: np.ndarray, groups: Mapping[str, Sequence[str]]
) -> list[GroupRow]:
    """For every dimension and every group in it: the counts at the caseload."""
    outcome = np.asarray(outcome, dtype=bool)
    flags = np.asarray(flags, dtype=bool)
    rows = []
    for dimension, given in groups.items():
        values = np.asarray(given, dtype=object)
        for group in sorted(set(values)):
            inside = values == group
            rows.append(
                GroupRow(dimension, str(group), at_caseload(outcome[inside], flags[inside]))
            )
    return rows


MEASURE_WORDS = {
    "recall": "found (recall)",
    "false_positive_rate": "flagged without need (false-positive rate)",
    "flag_rate": "flagged (flag rate)",
}


def largest_gaps(rows: Sequence[GroupRow], *, count: int = 5) -> list[str]:
    """The largest differences between groups of one dimension, in words, largest first; only
    groups of at least ``MIN_GROUP`` students (and a measure's denominator of at least 10)."""
    found: list[tuple[float, str]] = []
    for dimension in dict.fromkeys(row.dimension for row in rows):
        members = [
            r for r in rows if r.dimension == dimension and r.at_caseload.students >= MIN_GROUP
        ]
        for measure, words in MEASURE_WORDS.items():
            rated = [(getattr(r.at_caseload, measure), r) for r in members if _enough(r, measure)]
            rated = [(v, r) for v, r in rated if v is not None]
            if len(rated) < 2:
                continue
            low = min(rated, key=lambda item: (item[0], item[1].group))
            high = max(rated, key=lambda item: (item[0], item[1].group))
            gap = high[0] - low[0]
            found.append(
                (
                    gap,
                    f"{dimension}: {words} is {_pct(high[0])} for {high[1].group} "
                    f"against {_pct(low[0])} for {low[1].group}, a gap of "
                    f"{gap * 100:.1f} points.",
                )
            )
    found.sort(key=lambda item: -item[0])
    return [text for _gap, text in found[:count]]


def _enough(row: GroupRow, measure: str) -> bool:
    counts = row.at_caseload
    denominator = {
        "recall": counts.chronic,
        "false_positive_rate": counts.students - counts.chronic,
        "flag_rate": counts.students,
    }[measure]
    return denominator >= 10


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"
