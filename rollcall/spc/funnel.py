"""Funnel plots: many schools or districts at one time, each against limits for its own size.

A league table ranks a school of 40 pupils next to one of 4,000 as if their rates were equally
certain. A funnel plot (Spiegelhalter 2005, "Funnel plots for comparing institutional
performance", Stat Med 24:1185–1202) draws each unit's proportion against its denominator, with
limits that narrow as the denominator grows: a unit outside the 99.8% limits differs by more than
chance from the common rate p̄ = Σx / Σn.

With very large denominators almost every unit falls outside binomial limits, because real units
differ by more than sampling error (overdispersion). The p′ funnel widens the limits by Laney's
σz: the units' z-scores are ordered by denominator and σz = mean moving range of z / 1.128, so a
moving range compares units of similar size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rollcall.errors import OptionError
from rollcall.spc.records import Funnel, FunnelUnit
from rollcall.spc.shewhart import D2, mean_moving_range

FUNNEL_KINDS = ("p", "pprime")

#: Two-sided 95% and 99.8% points of the standard normal distribution.
Z95 = 1.959964
Z998 = 3.090232


def _check(
    units: Sequence[str], numerators: Sequence[float], denominators: Sequence[float]
) -> list[tuple[str, float, float]]:
    if not len(units) == len(numerators) == len(denominators):
        raise OptionError(
            f"{len(units)} units, {len(numerators)} numerators and {len(denominators)} "
            "denominators; give one of each per unit"
        )
    rows = []
    for unit, x, n in zip(units, numerators, denominators, strict=True):
        if n is None or x is None or n <= 0:
            continue  # suppressed or empty units are left out, never drawn as zero
        if x < 0 or x > n:
            raise OptionError(f"unit {unit!r}: numerator {x} is not between 0 and {n}")
        rows.append((str(unit), float(x), float(n)))
    if not rows:
        raise OptionError("no unit has a usable numerator and a positive denominator")
    return rows


def funnel_sigma_z(rows: Sequence[tuple[str, float, float]], centre: float) -> float:
    """Laney's σz across units: mean moving range of their z-scores, ordered by size, / 1.128."""
    if centre in (0.0, 1.0) or len(rows) < 2:
        return 1.0
    by_size = sorted(rows, key=lambda r: (r[2], r[0]))
    z = [(x / n - centre) / math.sqrt(centre * (1 - centre) / n) for _, x, n in by_size]
    mr = mean_moving_range(z)
    return mr / D2 if mr else 1.0


def _signal(value: float, low95: float, high95: float, low998: float, high998: float) -> str:
    if value > high998:
        return "above"
    if value < low998:
        return "below"
    if value > high95:
        return "above95"
    if value < low95:
        return "below95"
    return ""


def funnel(
    units: Sequence[str],
    numerators: Sequence[float],
    denominators: Sequence[float],
    *,
    kind: str = "p",
    title: str = "",
) -> Funnel:
    """A funnel plot: each unit's xᵢ/nᵢ against p̄ ± z·σz·√(p̄(1 − p̄)/nᵢ), z = 1.96 and 3.09.

    ``kind="p"`` uses binomial limits (σz = 1); ``kind="pprime"`` widens them by Laney's σz (never
    narrows them: σz below 1 is taken as 1). Units with a missing count or a zero denominator are
    left out. Units come back in the order given.
    """
    if kind not in FUNNEL_KINDS:
        raise OptionError(f"unknown funnel kind {kind!r}; use one of {', '.join(FUNNEL_KINDS)}")
    rows = _check(units, numerators, denominators)
    centre = sum(x for _, x, _ in rows) / sum(n for _, _, n in rows)
    sigma_z = max(1.0, funnel_sigma_z(rows, centre)) if kind == "pprime" else 1.0
    shape = Funnel(kind, centre, sigma_z, (), title)
    placed = []
    for unit, x, n in rows:
        low95, high95 = shape.limits(n, Z95)
        low998, high998 = shape.limits(n, Z998)
        value = x / n
        signal = _signal(value, low95, high95, low998, high998)
        placed.append(FunnelUnit(unit, x, n, value, low95, high95, low998, high998, signal))
    return Funnel(kind, centre, sigma_z, tuple(placed), title)
