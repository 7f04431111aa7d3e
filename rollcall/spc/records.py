"""Plain records that every chart function returns and that the SVG, CSV and JSON only render.

A chart is a tuple of points in time order. A point whose ``value`` is ``None`` is a gap (a
missing or suppressed period): it is drawn as a break in the line, never as a zero, and it takes
no part in any calculation.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Chart kinds, as named on the command line and in ``spc.json``.
CHART_KINDS = ("run", "xmr", "p", "pprime")

#: Annotation kinds: ``astronomical`` marks a point as an astronomical data point on a run chart
#: (a judgement only a person can make); the others are notes drawn on the chart.
ANNOTATION_KINDS = ("note", "pdsa", "holiday", "astronomical")


@dataclass(frozen=True)
class Annotation:
    """A note pinned to one period: a PDSA cycle, a holiday, a change in how data were collected."""

    period: str
    text: str
    kind: str = "note"


@dataclass(frozen=True)
class Point:
    """One period of a chart: its value, the centre line and limits in force, and its signals.

    ``lower`` and ``upper`` are ``None`` on a run chart (it has no limits) and on a gap of a p or
    p′ chart (no denominator, so no limits). ``sigma`` is the standard error the limits were built
    from (the limits are ``centre ± 3·sigma`` before clipping). ``signals`` names the rules that
    fired at this point, in a fixed order. ``phase`` counts baselines: 0 before the first rebase.
    """

    period: str
    value: float | None
    centre: float | None
    lower: float | None = None
    upper: float | None = None
    sigma: float | None = None
    signals: tuple[str, ...] = ()
    numerator: float | None = None
    denominator: float | None = None
    phase: int = 0

    @property
    def is_gap(self) -> bool:
        """True when the period has no value: drawn as a break in the line."""
        return self.value is None


@dataclass(frozen=True)
class RunAnalysis:
    """The runs analysis of a run chart (or one phase of it) against its median.

    ``n_useful`` counts observations not on the median. ``longest_run_max`` is the longest run
    allowed before it signals a shift, ``crossings_min`` the fewest crossings of the median allowed.
    Under the IHI rules ``runs_min``/``runs_max`` are the limits from the runs table (``None``
    below 10 useful observations, where the table does not apply).
    """

    rules: str
    n_useful: int
    longest_run: int
    longest_run_max: int | None
    crossings: int
    crossings_min: int | None
    runs: int
    runs_min: int | None = None
    runs_max: int | None = None
    runs_signal: bool = False


@dataclass(frozen=True)
class Phase:
    """A stretch of the chart with its own centre line: the whole chart, or the part after a rebase.

    ``baseline`` is the number of periods at the start of the phase whose values fixed the centre
    line and limits (all of them unless the limits were frozen).
    """

    start: str
    centre: float | None
    baseline: int
    frozen: bool = False
    mean_moving_range: float | None = None
    sigma_z: float | None = None
    runs: RunAnalysis | None = None


@dataclass(frozen=True)
class Chart:
    """A run or control chart: its kind, points, phases, annotations and (run charts) runs analysis.

    ``centre`` is the centre line of the last phase, the one that applies to the latest period.
    """

    kind: str
    points: tuple[Point, ...]
    phases: tuple[Phase, ...]
    annotations: tuple[Annotation, ...] = ()
    rules: str | None = None
    screened: bool = False
    title: str = ""

    @property
    def centre(self) -> float | None:
        """The centre line in force at the end of the chart."""
        return self.phases[-1].centre if self.phases else None

    @property
    def runs(self) -> RunAnalysis | None:
        """The runs analysis of the last phase (run charts only)."""
        return self.phases[-1].runs if self.phases else None

    @property
    def signalling(self) -> tuple[Point, ...]:
        """The points at which at least one rule fired."""
        return tuple(p for p in self.points if p.signals)


@dataclass(frozen=True)
class FunnelUnit:
    """One school or district on a funnel plot: its proportion against limits for its size.

    ``lower95``/``upper95`` and ``lower998``/``upper998`` are the 95% and 99.8% limits at this
    unit's denominator. ``signal`` is ``"above"`` or ``"below"`` when the unit lies outside the
    99.8% limits, ``"above95"``/``"below95"`` when it lies only outside the 95% limits, else ``""``.
    """

    unit: str
    numerator: float
    denominator: float
    value: float
    lower95: float
    upper95: float
    lower998: float
    upper998: float
    signal: str = ""


@dataclass(frozen=True)
class Funnel:
    """Many units at one time against a common centre ``p̄ = Σx / Σn``.

    ``sigma_z`` is 1 for a plain p funnel and Laney's overdispersion factor for a p′ funnel; the
    limits at denominator ``n`` are ``p̄ ± z·sigma_z·√(p̄(1 − p̄)/n)``, clipped to [0, 1].
    """

    kind: str
    centre: float
    sigma_z: float
    units: tuple[FunnelUnit, ...]
    title: str = ""

    def limits(self, denominator: float, z: float) -> tuple[float, float]:
        """The lower and upper limit at ``denominator`` for ``z`` standard errors."""
        half = z * self.sigma_z * (self.centre * (1 - self.centre) / denominator) ** 0.5
        return max(0.0, self.centre - half), min(1.0, self.centre + half)
