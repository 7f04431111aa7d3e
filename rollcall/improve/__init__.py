"""Improvement work on rollcall's weekly measures, without Django: bright spots (units whose
absence improved beyond chance and beyond the season, ``bright.py`` for the rule, ``spots.py``
for a district's or state's units and ``bright_spots.csv``)."""

from rollcall.improve.bright import Relative, Signal, UnitWeek, improvement, relative_absence
from rollcall.improve.spots import (
    BRIGHT_SPOT_COLUMNS,
    BrightSpot,
    BrightSpotsResult,
    find_bright_spots,
    write_bright_spots,
)

__all__ = [
    "BRIGHT_SPOT_COLUMNS",
    "BrightSpot",
    "BrightSpotsResult",
    "Relative",
    "Signal",
    "UnitWeek",
    "find_bright_spots",
    "improvement",
    "relative_absence",
    "write_bright_spots",
]
