"""What ``rollcall report`` hands back (rollcall/api/reports.py): what a run read, wrote and
found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Not imported at run time: the engine's modules (Ibis) load only once the input is being read
# (rollcall/api/reports.py).
if TYPE_CHECKING:
    from rollcall.engine.results import FileCounts


@dataclass(frozen=True)
class Published:
    """What a report on a state's published file kept (docs/sources/aggregates.md)."""

    figures: int  # aggregate rows kept
    suppressed: int  # of them, hidden by the publisher (kept as hidden, never zero)
    units: Mapping[str, int]  # units at each level
    total: Mapping[str, Any] | None  # the all-students row of the total that year, if published


@dataclass(frozen=True)
class ReportResult:
    """What a report run read, wrote and found.

    From student rows, ``counts`` says what happened to each file's rows and the student numbers
    are set; from a state's published file, ``published`` holds what was kept instead and the
    student numbers are None (the file has counts, not students)."""

    school_year: str  # the year the results are about
    school_years: tuple[str, ...]  # every year in summary.csv
    policy: str  # the policy's name, or "as published"
    files: tuple[Path, ...]
    html: Path | None = None
    # What the reader and the engine assumed or found (rollcall/notes.py), and rows the reader
    # left out on purpose (formats/sources.py).
    notes: tuple[str, ...] = ()
    skipped: Mapping[str, int] = field(default_factory=dict)
    refused: int = 0  # input rows refused, each in rejects.csv
    period_start: date | None = None
    period_end: date | None = None
    counts: Mapping[str, FileCounts] = field(default_factory=dict)
    students: int | None = None
    eligible: int | None = None
    chronically_absent: int | None = None
    published: Published | None = None
    # The school or district the student numbers are about (--school, --district); None: all.
    unit: str | None = None

    @property
    def chronic_rate(self) -> float | None:
        if self.eligible and self.chronically_absent is not None:
            return self.chronically_absent / self.eligible
        return None
