"""Improvement work's library calls: bright spots (docs/improvement.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rollcall.formats.sources import Source
from rollcall.improve import BrightSpotsResult, write_bright_spots
from rollcall.policy import Policy


def bright_spots(
    input_dir: Source | Path,
    out_dir: Path,
    *,
    policy: str | Policy = "attendance-works",
    year: str | None = None,
    as_of: date | None = None,
) -> BrightSpotsResult:
    """Schools and districts whose weekly absence improved against their peers beyond chance:
    ``bright_spots.csv`` (docs/improvement.md)."""
    return write_bright_spots(input_dir, Path(out_dir), policy=policy, year=year, as_of=as_of)
