"""The records the aggregate page and its charts are built from: a unit's or group's published
figures, and the rows of the members, groups and years tables."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from rollcall.report.records import Ratio, Unit


@dataclass(frozen=True)
class Figures:
    """One unit's and group's published figures, ready to show."""

    eligible: int | None
    chronic: int | None
    rate: Ratio | None
    from_counts: bool  # the rate is the counts' own (else as the publisher printed it)
    suppressed: bool

    @property
    def share(self) -> Fraction | None:
        return Fraction(Decimal(repr(self.rate.value))) if self.rate is not None else None


@dataclass(frozen=True)
class MemberRow:
    unit: Unit
    district_id: str
    figures: Figures
    category: str
    concentrated: bool
    last_rate: Ratio | None
    change: str


@dataclass(frozen=True)
class GroupLine:
    dimension: str
    group: str
    label: str
    figures: Figures
    gap_points: str
    last_rate: Ratio | None
    change: str


@dataclass(frozen=True)
class YearLine:
    school_year: str
    figures: Figures
    change: str


def published_ratio(value: float) -> Ratio:
    """A rate as the publisher printed it, in the page's formats."""
    number = Decimal(repr(value))
    exact = format(number.quantize(Decimal("0.000001"), ROUND_HALF_UP).normalize(), "f")
    tenths = (number * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Ratio(exact, f"{tenths}%", value)
