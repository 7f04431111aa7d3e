"""Early warning (docs/early-warning.md): which students are likely to end the year chronically
absent, ranked within each school for the caseload it can serve, with the reasons in words, the
simple rules every district has as baselines, and the errors of each for every group.

``signals`` arranges the engine's day-level tables into per-student signals as of a date;
``rules`` ranks by the baselines; ``model`` trains a calibrated gradient-boosting classifier on an
earlier year; ``evaluate`` measures each on a year whose outcome is known; ``run`` puts them
together and writes ``flags.csv``, ``evaluation.json`` and ``evaluation.html``.
"""
