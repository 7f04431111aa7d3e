"""Shewhart control charts: XmR (individuals) for measurements, p and Laney's p′ for proportions.

Every chart has a centre line and limits at three standard errors (``sigma``) from it. The same
four rules are applied to each (Western Electric / Nelson, as taught in improvement networks):

* ``outside``: a point beyond a limit;
* ``shift``: 7 or more points in a row on one side of the centre line (points on the line neither
  count nor break the run; gaps are skipped);
* ``trend``: 7 or more points in a row all going up or all going down (equal neighbours neither
  count nor break the trend; gaps are skipped);
* ``two_of_three``: 2 of 3 consecutive points beyond two sigma on the same side of the centre line.

Gaps (``None`` values, or a zero or missing denominator) take no part in any calculation, and a
moving range is taken only between two adjacent periods that both have a value.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from statistics import fmean

from rollcall.errors import OptionError
from rollcall.spc.records import Annotation, Chart, Phase, Point
from rollcall.spc.runs import (
    check_annotations,
    check_periods,
    default_periods,
    long_run_points,
    ordered,
    phase_bounds,
    trend_points,
)

XMR_LIMIT = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two
MR_SCREEN = 3.267  # D4 for moving ranges of two: the upper limit of the moving range chart
D2 = 1.128
SHIFT_POINTS = 7
TREND_POINTS = 7


# --- helpers ---------------------------------------------------------------------------------


def moving_ranges(values: Sequence[float | None]) -> list[float]:
    """``|xᵢ − xᵢ₋₁|`` for each pair of adjacent periods that both have a value."""
    return [abs(b - a) for a, b in itertools.pairwise(values) if a is not None and b is not None]


def mean_moving_range(values: Sequence[float | None], *, screen: bool = False) -> float | None:
    """The mean moving range; with ``screen``, moving ranges above 3.267 × that mean are dropped
    and the mean is taken again over the rest (``None`` when there are no moving ranges)."""
    ranges = moving_ranges(values)
    if not ranges:
        return None
    average = fmean(ranges)
    if screen:
        kept = [r for r in ranges if r <= MR_SCREEN * average]
        average = fmean(kept) if kept else average
    return average


def _z(value: float | None, centre: float | None, sigma: float | None) -> float | None:
    if value is None or centre is None or sigma is None:
        return None
    if sigma == 0:
        return 0.0 if value == centre else math.copysign(math.inf, value - centre)
    return (value - centre) / sigma


def _two_of_three(z: Sequence[float | None]) -> set[int]:
    observed = [i for i, v in enumerate(z) if v is not None]
    marked: set[int] = set()
    for k in range(len(observed) - 2):
        window = observed[k : k + 3]
        for side in (1, -1):
            beyond = [i for i in window if side * z[i] > 2]  # type: ignore[operator]
            if len(beyond) >= 2:
                marked.update(beyond)
    return marked


def shewhart_signals(points: Sequence[Point]) -> list[tuple[str, ...]]:
    """The signals at each point of one phase, under the four rules in this module's docstring."""
    values = [p.value for p in points]
    z = [_z(p.value, p.centre, p.sigma) for p in points]
    found: list[set[str]] = [set() for _ in points]
    for i, (p, score) in enumerate(zip(points, z, strict=True)):
        if score is None or p.value is None:
            continue
        if (p.upper is not None and p.value > p.upper) or (
            p.lower is not None and p.value < p.lower
        ):
            found[i].add("outside")
    for i in _two_of_three(z):
        found[i].add("two_of_three")
    side = [None if s is None else (s > 0) - (s < 0) for s in z]
    for i in long_run_points(side, min_length=SHIFT_POINTS):
        found[i].add("shift")
    for i in trend_points(values, min_points=TREND_POINTS):
        found[i].add("trend")
    return [ordered(s) for s in found]


def _with_signals(points: list[Point]) -> list[Point]:
    signals = shewhart_signals(points)
    return [replace(p, signals=s) for p, s in zip(points, signals, strict=True)]


def _setup(
    n: int, periods: Sequence[str] | None, annotations: Iterable[Annotation]
) -> tuple[list[str], tuple[Annotation, ...]]:
    names = check_periods(periods, n) if periods is not None else default_periods(n)
    return names, check_annotations(annotations, names)


# --- XmR -------------------------------------------------------------------------------------


def xmr_chart(
    values: Sequence[float | None],
    *,
    periods: Sequence[str] | None = None,
    screen: bool = False,
    freeze: int | None = None,
    rebase: Iterable[str] = (),
    annotations: Iterable[Annotation] = (),
    title: str = "",
) -> Chart:
    """An individuals (XmR) chart: centre = mean, limits = mean ± 2.66 × mean moving range.

    With ``screen``, moving ranges above 3.267 × the mean moving range are left out before the
    limits are computed (so one wild point does not inflate them). ``sigma`` on each point is
    mean moving range / 1.128.
    """
    values = [None if v is None else float(v) for v in values]
    names, notes = _setup(len(values), periods, annotations)
    points: list[Point] = []
    phases: list[Phase] = []
    for number, (start, stop, base) in enumerate(phase_bounds(names, freeze=freeze, rebase=rebase)):
        baseline = [v for v in values[start:base] if v is not None]
        centre = fmean(baseline) if baseline else None
        mr = mean_moving_range(values[start:base], screen=screen)
        half = XMR_LIMIT * mr if mr is not None else None
        lower = centre - half if centre is not None and half is not None else None
        upper = centre + half if centre is not None and half is not None else None
        sigma = mr / D2 if mr is not None else None
        part = [
            Point(names[i], values[i], centre, lower, upper, sigma, phase=number)
            for i in range(start, stop)
        ]
        points.extend(_with_signals(part))
        phases.append(Phase(names[start], centre, base - start, base < stop, mean_moving_range=mr))
    return Chart("xmr", tuple(points), tuple(phases), notes, screened=screen, title=title)


# --- p and p′ --------------------------------------------------------------------------------


def _counts(
    numerators: Sequence[float | None], denominators: Sequence[float | None]
) -> list[tuple[float, float] | None]:
    """Pairs ``(x, n)``, or ``None`` for a gap (a missing count or a zero denominator)."""
    if len(numerators) != len(denominators):
        raise OptionError(
            f"{len(numerators)} numerators but {len(denominators)} denominators; give one of each "
            "per period"
        )
    counts: list[tuple[float, float] | None] = []
    for x, n in zip(numerators, denominators, strict=True):
        if x is None or n is None or n == 0:
            counts.append(None)
            continue
        if n < 0 or x < 0 or x > n:
            raise OptionError(f"numerator {x} and denominator {n} do not make a proportion")
        counts.append((float(x), float(n)))
    return counts


def _binomial_se(centre: float, n: float) -> float:
    return math.sqrt(centre * (1 - centre) / n)


def _proportion_points(
    counts: Sequence[tuple[float, float] | None],
    names: Sequence[str],
    centre: float | None,
    sigma_z: float,
    phase: int,
) -> list[Point]:
    points = []
    for name, count in zip(names, counts, strict=True):
        if count is None or centre is None:
            points.append(Point(name, None, centre, phase=phase))
            continue
        x, n = count
        sigma = _binomial_se(centre, n) * sigma_z
        lower, upper = max(0.0, centre - 3 * sigma), min(1.0, centre + 3 * sigma)
        points.append(Point(name, x / n, centre, lower, upper, sigma, (), x, n, phase))
    return points


def _pooled(counts: Iterable[tuple[float, float] | None]) -> float | None:
    present = [c for c in counts if c is not None]
    total = sum(n for _, n in present)
    return sum(x for x, _ in present) / total if total else None


def laney_sigma_z(
    counts: Sequence[tuple[float, float] | None], centre: float, *, screen: bool = False
) -> float | None:
    """Laney's σz: the mean moving range of zᵢ = (pᵢ − p̄)/√(p̄(1 − p̄)/nᵢ), divided by 1.128."""
    if centre in (0.0, 1.0):
        return None
    z = [None if c is None else (c[0] / c[1] - centre) / _binomial_se(centre, c[1]) for c in counts]
    mr = mean_moving_range(z, screen=screen)
    return mr / D2 if mr is not None else None


def _proportion_chart(
    kind: str,
    numerators: Sequence[float | None],
    denominators: Sequence[float | None],
    *,
    periods: Sequence[str] | None,
    screen: bool,
    freeze: int | None,
    rebase: Iterable[str],
    annotations: Iterable[Annotation],
    title: str,
) -> Chart:
    counts = _counts(numerators, denominators)
    names, notes = _setup(len(counts), periods, annotations)
    points: list[Point] = []
    phases: list[Phase] = []
    for number, (start, stop, base) in enumerate(phase_bounds(names, freeze=freeze, rebase=rebase)):
        centre = _pooled(counts[start:base])
        sigma_z = None
        if kind == "pprime" and centre is not None:
            sigma_z = laney_sigma_z(counts[start:base], centre, screen=screen)
        factor = sigma_z if sigma_z is not None else 1.0
        part = _proportion_points(counts[start:stop], names[start:stop], centre, factor, number)
        points.extend(_with_signals(part))
        phases.append(Phase(names[start], centre, base - start, base < stop, sigma_z=sigma_z))
    return Chart(kind, tuple(points), tuple(phases), notes, screened=screen, title=title)


def p_chart(
    numerators: Sequence[float | None],
    denominators: Sequence[float | None],
    *,
    periods: Sequence[str] | None = None,
    freeze: int | None = None,
    rebase: Iterable[str] = (),
    annotations: Iterable[Annotation] = (),
    title: str = "",
) -> Chart:
    """A p-chart: p̄ = Σx / Σn, limits p̄ ± 3·√(p̄(1 − p̄)/nᵢ) for each point, clipped to [0, 1].

    ``numerators[i]`` of ``denominators[i]`` (say absent sessions of possible sessions) give the
    proportion at ``periods[i]``; a missing count or a zero denominator is a gap.
    """
    return _proportion_chart(
        "p", numerators, denominators, periods=periods, screen=False, freeze=freeze,
        rebase=rebase, annotations=annotations, title=title,
    )  # fmt: skip


def p_prime_chart(
    numerators: Sequence[float | None],
    denominators: Sequence[float | None],
    *,
    periods: Sequence[str] | None = None,
    screen: bool = False,
    freeze: int | None = None,
    rebase: Iterable[str] = (),
    annotations: Iterable[Annotation] = (),
    title: str = "",
) -> Chart:
    """Laney's p′ chart: a p-chart with limits widened by σz, for denominators in the thousands.

    zᵢ = (pᵢ − p̄)/σpᵢ with σpᵢ = √(p̄(1 − p̄)/nᵢ); σz = mean moving range of z / 1.128;
    limits p̄ ± 3·σpᵢ·σz, clipped to [0, 1]. With huge denominators a p-chart's limits hug the
    centre and every week "signals"; σz measures the week-to-week variation actually seen.
    With ``screen``, moving ranges of z above 3.267 × their mean are dropped first.
    """
    return _proportion_chart(
        "pprime", numerators, denominators, periods=periods, screen=screen, freeze=freeze,
        rebase=rebase, annotations=annotations, title=title,
    )  # fmt: skip
