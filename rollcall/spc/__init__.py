"""Statistical process control: is a change a signal or noise?

One function per chart, each returning plain records (:mod:`rollcall.spc.records`) that the SVG
renderer, the command line and the report only render:

* :func:`run_chart` — values against their median, IHI or Anhøj rules;
* :func:`xmr_chart` — individuals chart for measurements;
* :func:`p_chart` and :func:`p_prime_chart` — proportions (Laney's p′ for huge denominators);
* :func:`funnel` — many units at one time, each against limits for its own size.

All take plain sequences (``None`` for a missing period) and period names, so callers need no
data-frame library.
"""

from rollcall.spc.funnel import funnel
from rollcall.spc.records import Annotation, Chart, Funnel, FunnelUnit, Phase, Point, RunAnalysis
from rollcall.spc.runs import anhoej_limits, ihi_runs_limits, run_chart
from rollcall.spc.series import Series, read_annotations, read_series
from rollcall.spc.shewhart import p_chart, p_prime_chart, xmr_chart
from rollcall.spc.svg import chart_svg, describe, describe_funnel, fit_style, funnel_svg, inline_svg

__all__ = [
    "Annotation",
    "Chart",
    "Funnel",
    "FunnelUnit",
    "Phase",
    "Point",
    "RunAnalysis",
    "Series",
    "anhoej_limits",
    "chart_svg",
    "describe",
    "describe_funnel",
    "fit_style",
    "funnel",
    "funnel_svg",
    "ihi_runs_limits",
    "inline_svg",
    "p_chart",
    "p_prime_chart",
    "read_annotations",
    "read_series",
    "run_chart",
    "xmr_chart",
]
