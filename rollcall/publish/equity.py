"""Equity measures for each unit, dimension and group, computed from published counts only.

For a group g of a unit (a school, a district or the total) in one dimension (grade or a
student attribute), with n eligible and c chronically absent students, and the unit's ``all``
row (N, C):

- ``chronic_absence_rate`` = c ÷ n;
- ``gap_to_overall_pp`` = (c ÷ n − C ÷ N) × 100, in percentage points;
- ``gap_to_lowest_pp`` = (c ÷ n − the lowest rate) × 100, where the lowest rate is that of the
  ``lowest_group``: the shown group of the dimension with the lowest rate, leaving out
  ``unknown`` (needs two shown groups);
- ``rate_ratio`` = (c ÷ n) ÷ ((C − c) ÷ (N − n)): the group against every other student of the
  unit, with a 95% confidence interval by the Katz log method:
  exp(ln RR ± 1.96 × √(1/c − 1/n + 1/(C − c) − 1/(N − n)));
- ``share_of_chronically_absent`` = c ÷ C beside ``share_of_eligible`` = n ÷ N.

Rates and shares are fractions rounded half up to six places (as in ``summary.csv``); gaps
have one decimal, ratios two (halves away from zero). A measure that needs a count the public
summary hides is empty, and the ``note`` says which count is hidden and why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

EQUITY_COLUMNS = (
    "school_year",
    "level",
    "unit_id",
    "unit_name",
    "dimension",
    "group",
    "chronic_absence_rate",
    "gap_to_overall_pp",
    "gap_to_lowest_pp",
    "lowest_group",
    "rate_ratio",
    "rate_ratio_low",
    "rate_ratio_high",
    "share_of_chronically_absent",
    "share_of_eligible",
    "note",
)

UNKNOWN = "unknown"
Z_95 = 1.959964


def rounded(value: Fraction | float, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero, exactly for fractions."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        # Decimal division is exact to 28 digits; enough for counts of students.
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fraction_text(value: Fraction) -> str:
    """A rate or share as in ``summary.csv``: six places, no trailing zeros (``0.217647``)."""
    text = format(rounded(value, 6), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fixed_text(value: Fraction | float, places: int) -> str:
    """A gap (one place) or ratio (two places) with its decimals: ``-2.0``, ``1.25``."""
    text = format(rounded(value, places), "f")
    return "0." + "0" * places if text.startswith("-") and set(text) <= set("-0.") else text


@dataclass(frozen=True)
class Shown:
    """What the public summary shows of a cell: its counts (None when hidden) and note."""

    eligible: int | None
    chronic: int | None
    note: str

    @property
    def rate(self) -> Fraction | None:
        if self.eligible is None or self.chronic is None or self.eligible == 0:
            return None
        return Fraction(self.chronic, self.eligible)


@dataclass(frozen=True)
class EquityRow:
    """One group's measures, as text (empty when not computable)."""

    chronic_absence_rate: str
    gap_to_overall_pp: str
    gap_to_lowest_pp: str
    lowest_group: str
    rate_ratio: str
    rate_ratio_low: str
    rate_ratio_high: str
    share_of_chronically_absent: str
    share_of_eligible: str
    note: str


def lowest(groups: Sequence[tuple[str, Shown]]) -> tuple[str, Fraction] | None:
    """The shown group with the lowest rate (the first of equals), leaving out ``unknown``;
    None unless at least two groups have a shown rate."""
    rated = [(name, g.rate) for name, g in groups if name != UNKNOWN and g.rate is not None]
    if len(rated) < 2:
        return None
    name, rate = min(rated, key=lambda item: item[1])  # type: ignore[arg-type,return-value]
    assert rate is not None
    return name, rate


def rate_ratio(group: Shown, unit: Shown) -> tuple[Fraction, float, float] | str:
    """The group's rate against the rest of the unit's, with its Katz 95% interval; or why it
    cannot be computed."""
    n, c, total_n, total_c = group.eligible, group.chronic, unit.eligible, unit.chronic
    assert n is not None and c is not None and total_n is not None and total_c is not None
    rest_n, rest_c = total_n - n, total_c - c
    if rest_n <= 0:
        return "no other students in the unit to compare with"
    if c <= 0 or rest_c <= 0 or c > n or rest_c > rest_n:
        return "no rate ratio: no chronically absent students in the group or in the rest"
    ratio = Fraction(c * rest_n, n * rest_c)
    spread = Z_95 * math.sqrt(1 / c - 1 / n + 1 / rest_c - 1 / rest_n)
    log = math.log(ratio)
    return ratio, math.exp(log - spread), math.exp(log + spread)


def measures(name: str, group: Shown, unit: Shown, low: tuple[str, Fraction] | None) -> EquityRow:
    """The equity measures of one group, given its unit's ``all`` row and the dimension's
    lowest-rate group."""
    notes = []
    if group.note:
        notes.append(f"group: {group.note}")
    if unit.note:
        notes.append(f"unit: {unit.note}")
    rate, overall = group.rate, unit.rate
    gap_overall = "" if rate is None or overall is None else fixed_text((rate - overall) * 100, 1)
    gap_lowest = ""
    if low is None:
        notes.append("fewer than two groups shown to compare")
    elif rate is not None:
        gap_lowest = fixed_text((rate - low[1]) * 100, 1)
    ratio = ("", "", "")
    if rate is not None and overall is not None:
        found = rate_ratio(group, unit)
        if isinstance(found, str):
            notes.append(found)
        else:
            ratio = (fixed_text(found[0], 2), fixed_text(found[1], 2), fixed_text(found[2], 2))
    share_c = (
        fraction_text(Fraction(group.chronic, unit.chronic))
        if group.chronic is not None and unit.chronic
        else ""
    )
    share_n = (
        fraction_text(Fraction(group.eligible, unit.eligible))
        if group.eligible is not None and unit.eligible
        else ""
    )
    return EquityRow(
        chronic_absence_rate="" if rate is None else fraction_text(rate),
        gap_to_overall_pp=gap_overall,
        gap_to_lowest_pp=gap_lowest,
        lowest_group="" if low is None else low[0],
        rate_ratio=ratio[0],
        rate_ratio_low=ratio[1],
        rate_ratio_high=ratio[2],
        share_of_chronically_absent=share_c,
        share_of_eligible=share_n,
        note="; ".join(notes),
    )
