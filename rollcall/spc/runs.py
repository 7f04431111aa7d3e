"""Run charts on the median, with the IHI rules or the Anhøj rules, and the runs helpers they share.

Definitions used throughout (Perla, Provost & Murray 2011, "The run chart: a simple analytical
tool for learning from variation in healthcare processes", BMJ Qual Saf 20:46–51; Anhøj & Olesen
2014, "Run charts revisited", PLoS ONE 9(11): e113825; Anhøj 2015, "Diagnostic value of run chart
analysis", PLoS ONE 10(3): e0121349):

* A **gap** (``None``) is a missing period: it neither counts towards nor breaks anything.
* A **useful observation** is a value not equal to the centre line. Points on the centre line
  neither count towards a run nor break it.
* A **run** is a maximal sequence of useful observations on the same side of the centre line.
* A **crossing** is a pair of consecutive useful observations on opposite sides, so
  runs = crossings + 1.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence

from rollcall.errors import OptionError
from rollcall.spc.records import Annotation, Chart, Phase, Point, RunAnalysis

#: Run chart rule sets, as named by ``--rules``.
RULE_SETS = ("ihi", "anhoej")

#: The order in which signals are named on a point.
SIGNAL_ORDER = ("outside", "two_of_three", "shift", "trend", "astronomical")

IHI_SHIFT = 6  # six or more consecutive points on one side of the median
IHI_TREND = 5  # five or more consecutive points all going up or all going down


# --- sides, runs and crossings ---------------------------------------------------------------


def sides(values: Sequence[float | None], centre: float) -> list[int | None]:
    """+1 above ``centre``, -1 below, 0 on it, ``None`` for a gap."""
    return [None if v is None else (v > centre) - (v < centre) for v in values]


def useful(side: Sequence[int | None]) -> list[tuple[int, int]]:
    """``(index, side)`` of the useful observations: neither gaps nor on the centre line."""
    return [(i, s) for i, s in enumerate(side) if s]


def runs_of(side: Sequence[int | None]) -> list[list[int]]:
    """The runs, each as the indices of its useful observations, in order."""
    runs: list[list[int]] = []
    previous = 0
    for index, s in useful(side):
        if s != previous:
            runs.append([])
            previous = s
        runs[-1].append(index)
    return runs


def longest_run(side: Sequence[int | None]) -> int:
    """The length of the longest run of useful observations on one side (0 when there are none)."""
    return max((len(run) for run in runs_of(side)), default=0)


def crossings(side: Sequence[int | None]) -> int:
    """How many times consecutive useful observations change side."""
    return max(len(runs_of(side)) - 1, 0)


def long_run_points(side: Sequence[int | None], *, min_length: int) -> set[int]:
    """Indices of the useful observations in runs of ``min_length`` or more."""
    return {i for run in runs_of(side) if len(run) >= min_length for i in run}


def trend_points(values: Sequence[float | None], *, min_points: int) -> set[int]:
    """Indices of the points in a trend: ``min_points`` or more points all going up or all down.

    An equal neighbour neither counts towards a trend nor breaks it; gaps are skipped. The trend
    is marked from its first to its last counted point (equal neighbours inside it included).
    """
    observed = [(i, v) for i, v in enumerate(values) if v is not None]
    marked: set[int] = set()
    direction, count, start, last = 0, 1, 0, 0

    def close() -> None:
        if direction and count >= min_points:
            marked.update(i for i, _ in observed[start : last + 1])

    for k in range(1, len(observed)):
        step = (observed[k][1] > observed[last][1]) - (observed[k][1] < observed[last][1])
        if step == 0:
            continue
        if step == direction:
            count += 1
        else:
            close()
            direction, count, start = step, 2, last
        last = k
    close()
    return marked


# --- limits for the number of runs and crossings ---------------------------------------------


def round_half_even(x: float) -> int:
    """R's ``round()``: to the nearest integer, halves to the even neighbour (IEC 60559)."""
    return round(x)


def binomial_quantile(prob: float, n: int) -> int:
    """R's ``qbinom(prob, n, 0.5)``: the least x with P(X ≤ x) ≥ ``prob`` for X ~ Binomial(n, ½).

    Exact: the cumulative sum of ``comb(n, k)`` is compared with ``prob·2ⁿ``.
    """
    if n < 0:
        raise ValueError("n must be at least 0")
    target = prob * 2**n
    total = 0
    for k in range(n + 1):
        total += math.comb(n, k)
        if total >= target:
            return k
    return n


def anhoej_longest_run_max(n_useful: int) -> int | None:
    """Anhøj's most allowed longest run: ``round(log2(n) + 3)``; a longer run signals a shift."""
    return round_half_even(math.log2(n_useful) + 3) if n_useful > 0 else None


def anhoej_crossings_min(n_useful: int) -> int | None:
    """Anhøj's lower limit for crossings: the 5% quantile of Binomial(n − 1, ½); fewer signal."""
    return binomial_quantile(0.05, n_useful - 1) if n_useful > 0 else None


def anhoej_limits(n_useful: int) -> tuple[int | None, int | None]:
    """``(longest_run_max, crossings_min)`` for ``n_useful`` useful observations."""
    return anhoej_longest_run_max(n_useful), anhoej_crossings_min(n_useful)


def _runs_probability(runs: int, n1: int, n2: int) -> float:
    """P(R = runs) for a random arrangement of n1 points above and n2 below (Swed & Eisenhart)."""
    total = math.comb(n1 + n2, n1)
    if runs % 2 == 0:
        k = runs // 2
        return 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1) / total
    k = (runs - 1) // 2
    ways = math.comb(n1 - 1, k) * math.comb(n2 - 1, k - 1)
    ways += math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k)
    return ways / total


def ihi_runs_limits(n_useful: int, *, tail: float = 0.025) -> tuple[int, int] | None:
    """The IHI runs table: ``(runs_min, runs_max)``; fewer than min or more than max runs signal.

    Computed from the exact distribution of the number of runs (Swed & Eisenhart 1943) with the
    useful observations split as evenly as possible above and below the median, each tail at most
    ``tail`` (2.5%, a 5% test in all). ``runs_min`` is the least r with P(R ≤ r) > tail,
    ``runs_max`` the greatest r with P(R ≥ r) > tail. ``None`` below 10 useful observations,
    where the table in Perla, Provost & Murray (2011) starts.
    """
    if n_useful < 10:
        return None
    n1, n2 = n_useful // 2, n_useful - n_useful // 2
    probabilities = {r: _runs_probability(r, n1, n2) for r in range(2, n_useful + 1)}
    low = high = 0.0
    runs_min = runs_max = 0
    for r in sorted(probabilities):
        low += probabilities[r]
        if low > tail:
            runs_min = r
            break
    for r in sorted(probabilities, reverse=True):
        high += probabilities[r]
        if high > tail:
            runs_max = r
            break
    return runs_min, runs_max


# --- phases, baselines and annotations -------------------------------------------------------


def default_periods(n: int) -> list[str]:
    """Periods ``"1"`` to ``"n"`` for series given without period names."""
    return [str(i + 1) for i in range(n)]


def check_periods(periods: Sequence[str], n: int) -> list[str]:
    """The periods as strings, checked to be as many as the values and all different."""
    names = [str(p) for p in periods]
    if len(names) != n:
        raise OptionError(f"{len(names)} periods for {n} values; give one period per value")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise OptionError(f"period {name!r} appears twice; each period must be distinct")
        seen.add(name)
    return names


def phase_bounds(
    periods: Sequence[str], *, freeze: int | None = None, rebase: Iterable[str] = ()
) -> list[tuple[int, int, int]]:
    """``(start, stop, baseline_stop)`` index ranges of each phase.

    A new phase starts at each ``rebase`` period. Each phase's centre and limits come from its own
    points, except that ``freeze=k`` fixes the first phase's centre and limits on its first ``k``
    periods (gaps among them simply contribute nothing).
    """
    index = {p: i for i, p in enumerate(periods)}
    starts = [0]
    for period in rebase:
        if period not in index:
            raise OptionError(f"rebase period {period!r} is not a period of the series")
        if index[period] == 0:
            raise OptionError(f"rebase period {period!r} is the first period; rebase later")
        starts.append(index[period])
    starts = sorted(set(starts))
    stops = [*starts[1:], len(periods)]
    bounds = [(a, b, b) for a, b in zip(starts, stops, strict=True)]
    if freeze is not None:
        a, b, _ = bounds[0]
        if not 1 <= freeze <= b - a:
            raise OptionError(
                f"--freeze {freeze} must be between 1 and {b - a}, the periods before any rebase"
            )
        bounds[0] = (a, b, a + freeze)
    return bounds


def check_annotations(annotations: Iterable[Annotation], periods: Sequence[str]) -> tuple:
    """The annotations, checked to name periods of the series."""
    known = set(periods)
    checked = tuple(annotations)
    for note in checked:
        if note.period not in known:
            raise OptionError(
                f"annotation {note.text!r} is for period {note.period!r}, not in the series",
                hint="write the period exactly as it appears in the series file",
            )
    return checked


def ordered(signals: Iterable[str]) -> tuple[str, ...]:
    """Signal names in the fixed order of ``SIGNAL_ORDER``."""
    found = set(signals)
    return tuple(name for name in SIGNAL_ORDER if name in found)


# --- the run chart ---------------------------------------------------------------------------


def analyse_runs(values: Sequence[float | None], centre: float, *, rules: str) -> RunAnalysis:
    """The runs analysis of ``values`` against ``centre`` under ``rules`` (``ihi`` or ``anhoej``).

    Anhøj: the runs signal fires when the longest run exceeds ``round(log2(n) + 3)`` or the
    crossings fall below the 5% quantile of Binomial(n − 1, ½). IHI: it fires on a shift (a run of
    six or more) or on too few or too many runs for the runs table.
    """
    side = sides(values, centre)
    n_useful = len(useful(side))
    longest, crossed = longest_run(side), crossings(side)
    runs = crossed + 1 if n_useful else 0
    if rules == "anhoej":
        run_max, cross_min = anhoej_limits(n_useful)
        signal = bool(n_useful) and (longest > run_max or crossed < cross_min)  # type: ignore[operator]
        return RunAnalysis(
            rules, n_useful, longest, run_max, crossed, cross_min, runs, None, None, signal
        )
    table = ihi_runs_limits(n_useful)
    runs_min, runs_max = table if table else (None, None)
    cross_min = runs_min - 1 if runs_min is not None else None
    signal = longest >= IHI_SHIFT or (table is not None and not runs_min <= runs <= runs_max)  # type: ignore[operator]
    return RunAnalysis(
        rules,
        n_useful,
        longest,
        IHI_SHIFT - 1,
        crossed,
        cross_min,
        runs,
        runs_min,
        runs_max,
        signal,
    )


def _run_signals(
    values: Sequence[float | None], centre: float, analysis: RunAnalysis
) -> dict[int, set[str]]:
    side = sides(values, centre)
    found: dict[int, set[str]] = {}
    shift_length = IHI_SHIFT if analysis.rules == "ihi" else (analysis.longest_run_max or 0) + 1
    for i in long_run_points(side, min_length=shift_length):
        found.setdefault(i, set()).add("shift")
    if analysis.rules == "ihi":
        for i in trend_points(values, min_points=IHI_TREND):
            found.setdefault(i, set()).add("trend")
    return found


def run_chart(
    values: Sequence[float | None],
    *,
    periods: Sequence[str] | None = None,
    rules: str = "ihi",
    freeze: int | None = None,
    rebase: Iterable[str] = (),
    annotations: Iterable[Annotation] = (),
    title: str = "",
) -> Chart:
    """A run chart: each value against the median of its phase's baseline, with runs signals.

    IHI rules: ``shift`` marks points in a run of 6 or more on one side of the median, ``trend``
    marks 5 or more points all going up or all going down, and the runs table judges too few or
    too many runs. Anhøj rules: ``shift`` marks points in a run longer than ``round(log2(n) + 3)``,
    and crossings fewer than the 5% quantile of Binomial(n − 1, ½) signal (chart-wide). A point
    annotated with kind ``astronomical`` gets the ``astronomical`` signal under either rule set.
    """
    if rules not in RULE_SETS:
        raise OptionError(f"unknown run chart rules {rules!r}; use one of {', '.join(RULE_SETS)}")
    values = [None if v is None else float(v) for v in values]
    names = (
        check_periods(periods, len(values)) if periods is not None else default_periods(len(values))
    )
    notes = check_annotations(annotations, names)
    astronomical = {n.period for n in notes if n.kind == "astronomical"}
    points: list[Point] = []
    phases: list[Phase] = []
    for number, (start, stop, base) in enumerate(phase_bounds(names, freeze=freeze, rebase=rebase)):
        baseline = [v for v in values[start:base] if v is not None]
        centre = statistics.median(baseline) if baseline else None
        part = values[start:stop]
        analysis = analyse_runs(part, centre, rules=rules) if centre is not None else None
        found = _run_signals(part, centre, analysis) if centre is not None and analysis else {}
        for offset, value in enumerate(part):
            period = names[start + offset]
            marks = found.get(offset, set()) | (
                {"astronomical"} if period in astronomical else set()
            )
            points.append(Point(period, value, centre, signals=ordered(marks), phase=number))
        frozen = base < stop
        phases.append(Phase(names[start], centre, base - start, frozen, runs=analysis))
    return Chart("run", tuple(points), tuple(phases), notes, rules=rules, title=title)
