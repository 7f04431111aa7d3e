"""Bright spots: units whose weekly absence improved, beyond chance and beyond the season.

Absence has strong seasons (it rises through winter and falls in spring), so a school's own
series would "improve" every spring. A unit is therefore compared week by week with its **peers
in the same weeks**: a school with the other schools of its district, a district with the other
districts of the input. Its **relative absence** in week *w* is

    observed / expected = days absent / (student-days enrolled × peers' absence share in week w)

which is 1 when the unit misses as much as its peers that week, whatever the season. A school
that only follows the season keeps a flat relative absence; one that improves against it falls.

The relative absence goes on a run chart (median) and an XmR chart (limits), both frozen on the
first ``baseline`` weeks, from :mod:`rollcall.spc`. A unit is a bright spot when, after the
baseline, one of these **special causes on the low side** holds and is **sustained** to the
latest week:

* ``shift``: the latest weeks, six or more in a row (the IHI shift rule), are all below the
  baseline median;
* ``outside``: a week below the XmR lower limit, and every week since below the centre line,
  two weeks or more in all.

A signal counts only when it is **confirmed**: the mean relative absence of the weeks from the
signal's start to the latest lies at least ``CONFIRM_Z`` standard errors below the mean of all
the weeks before it (standard error from those weeks' mean moving range, divided by the square
root of the number of weeks). The runs and limits rules alone fire on about one noise series in
twenty when the baseline is as short as a school term; the confirmation brings that to about two in
a thousand (1.6 in 10,000 seeds; docs/improvement.md), while a school whose absence falls by a fifth
against its peers for ten weeks is found 97 times in 100.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rollcall.spc import run_chart, xmr_chart
from rollcall.spc.runs import IHI_SHIFT

#: Weeks at the start of a unit's series that fix its centre line and limits.
BASELINE_WEEKS = 10
#: Standard errors below the earlier weeks' mean that confirm a sustained improvement.
CONFIRM_Z = 4.0
#: Weeks (the signal's and those after it) an ``outside`` signal needs to count as sustained.
OUTSIDE_MIN_WEEKS = 2

#: The measure every bright spot is about (the ``measure`` column of bright_spots.csv).
MEASURE = "relative_absence"


@dataclass(frozen=True)
class UnitWeek:
    """One unit's week: days absent (may be fractional) of student-days enrolled."""

    week: str
    days_absent: float
    student_days: float


@dataclass(frozen=True)
class Relative:
    """A unit's relative absence, one value per week that both it and its peers had school."""

    weeks: tuple[str, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class Signal:
    """A confirmed, sustained improvement: which rules fired and the week it started."""

    signals: tuple[str, ...]
    since: str
    z: float


def relative_absence(unit: Sequence[UnitWeek], peers: Sequence[UnitWeek]) -> Relative:
    """Observed ÷ expected days absent, per week, expected at the peers' share that week.

    Weeks come in the order of ``unit``; a week missing from ``peers``, or with no student-days
    or no absence among the peers, has no expectation and is left out (a gap, never a zero).
    """
    by_week = {w.week: w for w in peers}
    weeks, values = [], []
    for week in unit:
        peer = by_week.get(week.week)
        if week.student_days <= 0 or peer is None or peer.student_days <= 0:
            continue
        share = peer.days_absent / peer.student_days
        if share <= 0:
            continue
        weeks.append(week.week)
        values.append(week.days_absent / (week.student_days * share))
    return Relative(tuple(weeks), tuple(values))


def _mean_and_se(values: Sequence[float], weeks: int) -> tuple[float, float] | None:
    """The mean of ``values`` and the standard error of a mean of ``weeks`` weeks around it
    (sigma from the mean moving range, as on an XmR chart)."""
    chart = xmr_chart(values)
    sigma = chart.points[0].sigma
    centre = chart.phases[0].centre
    if sigma is None or centre is None:
        return None
    return centre, sigma / math.sqrt(weeks)


def _confirmation(values: Sequence[float], start: int) -> float | None:
    """How many standard errors the weeks from ``start`` lie below those before it (None when
    it cannot be said: fewer than two weeks before, or no variation at all)."""
    if start < 2:
        return None
    stats = _mean_and_se(values[:start], len(values) - start)
    if stats is None:
        return None
    centre, se = stats
    after = math.fsum(values[start:]) / (len(values) - start)
    if se == 0:
        return math.inf if after < centre else None
    return (centre - after) / se


def _trailing_shift(values: Sequence[float], median: float, baseline: int) -> int | None:
    """Where the run of weeks below ``median`` that reaches the latest week starts, if it is
    after the baseline and at least as long as the IHI shift rule asks."""
    start = len(values)
    while start > baseline and values[start - 1] < median:
        start -= 1
    return start if len(values) - start >= IHI_SHIFT else None


def _sustained_outside(values: Sequence[float], baseline: int) -> int | None:
    """The first week after the baseline below the XmR lower limit from which every week to the
    latest stays below the centre line (``OUTSIDE_MIN_WEEKS`` or more weeks)."""
    chart = xmr_chart(values, freeze=baseline)
    centre = chart.phases[0].centre
    if centre is None:
        return None
    for i in range(baseline, len(values) - OUTSIDE_MIN_WEEKS + 1):
        point = chart.points[i]
        if point.lower is None or values[i] >= point.lower:
            continue
        if all(v < centre for v in values[i:]):
            return i
    return None


def improvement(
    series: Relative, *, baseline: int = BASELINE_WEEKS, confirm_z: float = CONFIRM_Z
) -> Signal | None:
    """The confirmed, sustained improvement in ``series`` (this module's docstring), or None.

    ``since`` is the first week of the earliest confirmed signal; ``signals`` names each rule
    that fired (``shift``, ``outside``) in that order.
    """
    values = list(series.values)
    if len(values) < baseline + OUTSIDE_MIN_WEEKS:
        return None
    median = run_chart(values, freeze=baseline).phases[0].centre
    found: dict[str, tuple[int, float]] = {}
    candidates = {
        "shift": _trailing_shift(values, median, baseline) if median is not None else None,
        "outside": _sustained_outside(values, baseline),
    }
    for name, start in candidates.items():
        if start is None:
            continue
        z = _confirmation(values, start)
        if z is not None and z >= confirm_z:
            found[name] = (start, z)
    if not found:
        return None
    start, z = min(found.values())
    return Signal(tuple(found), series.weeks[start], z)
