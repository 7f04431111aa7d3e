"""Attendance Works' four bands of absence, declared once: their names, labels and bounds.

A student's band is decided from the share of enrolled days missed (engine/students.py, exactly,
in whole numbers). Everything said about a band is derived from its bounds here: the share rule
("5% to less than 10%") and the whole days missed that fall in it for a student enrolled all of a
unit's school days ("9 to 17 days" in a 180-day year, "8 to 15 days" in a 160-day one).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil
from typing import Final, Literal

TierName = Literal["satisfactory", "at_risk", "moderate", "severe"]


@dataclass(frozen=True)
class Tier:
    """One band: the share of enrolled days missed from ``lower`` (inclusive) to ``upper``
    (exclusive; None: no upper bound)."""

    name: TierName
    label: str
    lower: Fraction
    upper: Fraction | None

    def share_rule(self) -> str:
        """The band's bounds in words."""
        if self.upper is None:
            return f"{_percent(self.lower)} or more"
        if self.lower == 0:
            return f"fewer than {_percent(self.upper)} of days"
        return f"{_percent(self.lower)} to less than {_percent(self.upper)}"

    def days_rule(self, school_days: int) -> str:
        """The whole days missed in this band for a student enrolled ``school_days`` days."""
        least = ceil(self.lower * school_days)  # the fewest days with days / school_days ≥ lower
        if self.upper is None:
            return f"{_days(least)} or more"
        most = ceil(self.upper * school_days) - 1  # the most days still below the upper bound
        if most < least:
            return "none"
        if least == 0:
            return f"fewer than {_days(most + 1)}"
        return _days(least) if least == most else f"{least} to {_days(most)}"


def _percent(share: Fraction) -> str:
    percent = share * 100
    return f"{percent.numerator}%" if percent.denominator == 1 else f"{float(percent):.1f}%"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


TIERS: Final[tuple[Tier, ...]] = (
    Tier("satisfactory", "Satisfactory", Fraction(0), Fraction(1, 20)),
    Tier("at_risk", "At risk", Fraction(1, 20), Fraction(1, 10)),
    Tier("moderate", "Moderate chronic absence", Fraction(1, 10), Fraction(1, 5)),
    Tier("severe", "Severe chronic absence", Fraction(1, 5), None),
)
TIER_NAMES: Final[tuple[TierName, ...]] = tuple(tier.name for tier in TIERS)
TIER_BY_NAME: Final[dict[str, Tier]] = {tier.name: tier for tier in TIERS}
# The bands of chronic absence under the Attendance Works threshold (10% or more).
CHRONIC_TIERS: Final[tuple[TierName, ...]] = tuple(
    tier.name for tier in TIERS if tier.lower >= Fraction(1, 10)
)
