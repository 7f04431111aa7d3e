"""Ranking within each school, the caseload, and the suggested tier.

A school's caseload is a share of its scored students (``20%``, rounded to the nearest whole
student, at least one) or a number of students (``25``). The students ranked 1 to the caseload
are flagged. The tier suggested: ``intensive`` for a flagged student who is likely to end the year
chronically absent (a score of 0.5 or more) or who already missed 20% of days or more;
``targeted`` for the other flagged students; ``universal`` for everyone else (what every student
gets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from rollcall.errors import OptionError

INTENSIVE, TARGETED, UNIVERSAL = "intensive", "targeted", "universal"
LIKELY = 0.5
SEVERE_SO_FAR = 0.2


@dataclass(frozen=True)
class Caseload:
    """A share of each school's students (``share``) or a number per school (``students``)."""

    share: Fraction | None = None
    students: int | None = None

    def size(self, scored: int) -> int:
        """How many of a school's ``scored`` students are flagged."""
        if self.students is not None:
            return min(self.students, scored)
        assert self.share is not None
        exact = self.share * scored
        return min(scored, max(1, int(exact + Fraction(1, 2))))  # half up

    def __str__(self) -> str:
        if self.students is not None:
            return f"{self.students} students per school"
        assert self.share is not None
        return f"{float(self.share * 100):g}% of each school's students"


def parse_caseload(text: str | int | Caseload) -> Caseload:
    """``"20%"`` → 20% of each school's students; ``"25"`` → 25 students per school."""
    if isinstance(text, Caseload):
        return text
    value = str(text).strip()
    percent = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", value)
    if percent:
        share = Fraction(percent.group(1)) / 100
        if not 0 < share <= 1:
            raise OptionError(f"--caseload {value} is not a share between 0% and 100%")
        return Caseload(share=share)
    if re.fullmatch(r"\d+", value) and int(value) > 0:
        return Caseload(students=int(value))
    raise OptionError(
        f"--caseload {value!r} is neither a share nor a number of students",
        hint="write a share of each school's students like 20% or a number per school like 25",
    )


def rank_within_schools(frame: pd.DataFrame, score: np.ndarray) -> np.ndarray:
    """Each student's rank in their school (1: most at risk): by ``score`` (a missing score
    last), then this year's share missed so far, then the student id."""
    order = pd.DataFrame(
        {
            "school": frame["school_id"].to_numpy(),
            "score": np.nan_to_num(score, nan=-np.inf),
            "share": frame["share_absent"].fillna(-1.0).to_numpy(),
            "student": frame["student_id"].to_numpy(),
        }
    )
    order = order.sort_values(
        ["school", "score", "share", "student"], ascending=[True, False, False, True],
        kind="stable",
    )  # fmt: skip
    ranks = order.groupby("school", sort=False).cumcount().to_numpy() + 1
    result = np.empty(len(frame), dtype=np.int64)
    result[order.index.to_numpy()] = ranks
    return result


def flagged(frame: pd.DataFrame, ranks: np.ndarray, caseload: Caseload) -> np.ndarray:
    """Whether each student is within their school's caseload."""
    sizes = frame.groupby("school_id")["school_id"].transform("size").to_numpy()
    limit = np.array([caseload.size(int(n)) for n in sizes])
    return ranks <= limit


def needs_intensive(probability: float | None, share_absent: float | None) -> bool:
    """Whether a flagged student is suggested intensive support (module docstring): likely to
    end the year chronically absent, or already missing 20% of days or more."""
    likely = probability is not None and probability == probability and probability >= LIKELY
    severe = share_absent is not None and share_absent == share_absent
    return likely or (severe and share_absent >= SEVERE_SO_FAR)  # type: ignore[operator]


def suggested_tier(is_flagged: bool, intensive: bool) -> str:
    """The tier suggested: intensive or targeted within the caseload, universal outside it."""
    if not is_flagged:
        return UNIVERSAL
    return INTENSIVE if intensive else TARGETED


def tiers(frame: pd.DataFrame, flags: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """The tier suggested for each student (module docstring)."""
    shares = frame["share_absent"].to_numpy()
    return np.array(
        [
            suggested_tier(bool(f), needs_intensive(float(p), float(s)))
            for f, p, s in zip(flags, probability, shares, strict=True)
        ],
        dtype=object,
    )
