"""The random holdout: stratified, by household, reproducible from the seed; and the minimum
detectable effect of the round.

Strata: school × grade band × absence band, each household in the stratum of its lead student
(the eligible member with the largest share of days absent; ties: the smallest student id).
In each stratum the households are put in a random order drawn from the seed and the stratum's
name (so one stratum's draw does not depend on the others), and the first
``floor(share × households + u)`` are held out, ``u`` a uniform draw of the same stream: the
expected holdout is exactly the share, and each stratum's is within one household of it.

Minimum detectable effect (Bloom 1995, "Minimum detectable effects: a simple way to report the
statistical power of experimental designs", Evaluation Review 19(5); Duflo, Glennerster &
Kremer 2007, "Using randomization in development economics research: a toolkit", eq. 8): for a
two-arm trial with a share ``p`` treated, ``n`` units and outcome variance ``σ²``, at a two-sided
level α = 0.05 with power 0.8,

    MDE = (z₀.₉₇₅ + z₀.₈) × √(σ² / (n × p × (1 − p)))  ≈  2.80 × σ / √(n p (1 − p)).

The units are households (what is randomised) and ``σ²`` is the sample's own variance of the
household mean share of days absent so far: the best guide there is to the variance of the
outcome before it is observed.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

MESSAGE, HOLDOUT = "message", "holdout"
ALPHA = 0.05
POWER = 0.8
GRADE_BANDS = (
    ("PK-2", ("PK", "TK", "K", "1", "2")),
    ("3-5", ("3", "4", "5")),
    ("6-8", ("6", "7", "8")),
    ("9-12", ("9", "10", "11", "12")),
)


def grade_band(grade: str) -> str:
    """``PK-2``, ``3-5``, ``6-8``, ``9-12`` or ``UG`` (ungraded and anything else)."""
    for name, grades in GRADE_BANDS:
        if grade in grades:
            return name
    return "UG"


def stratum(school_id: str, grade: str, band: str) -> str:
    return f"{school_id}|{grade_band(grade)}|{band}"


def assign(households: pd.DataFrame, *, share: float, seed: int) -> pd.Series:
    """``households``: one row per household (``household_id``, ``stratum``). Returns each
    household's arm, ``message`` or ``holdout``, indexed by household_id."""
    arms: dict[str, str] = {}
    for name, group in households.groupby("stratum", sort=True):
        ids = sorted(group["household_id"])
        rng = np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(str(name).encode())]))
        order = rng.permutation(len(ids))
        held = math.floor(share * len(ids) + rng.random())
        for rank, index in enumerate(order):
            arms[ids[index]] = HOLDOUT if rank < held else MESSAGE
    return pd.Series(arms, name="arm", dtype=object)


@dataclass(frozen=True)
class DetectableEffect:
    """The smallest true effect on the share of days absent the round would detect."""

    effect: float  # in share of days (0.01 is one day in 100)
    households: int
    share_held_out: float
    sd: float
    method: str = "two-arm minimum detectable effect, alpha 0.05 two-sided, power 0.8 (Bloom 1995)"


def detectable_effect(household_shares: np.ndarray, *, share: float) -> DetectableEffect | None:
    """The MDE for households whose mean shares absent so far are ``household_shares``, a
    share ``share`` of them held out; None with fewer than two households."""
    n = len(household_shares)
    if n < 2:
        return None
    sd = float(np.std(household_shares, ddof=1))
    z = NormalDist().inv_cdf(1 - ALPHA / 2) + NormalDist().inv_cdf(POWER)
    effect = z * sd / math.sqrt(n * share * (1 - share))
    return DetectableEffect(effect=effect, households=n, share_held_out=share, sd=sd)


__all__ = ["HOLDOUT", "MESSAGE", "DetectableEffect", "assign",
           "detectable_effect", "grade_band", "stratum"]  # fmt: skip
