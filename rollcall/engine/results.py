"""What an engine run hands on: the counts of each input file and the computed tables."""

from __future__ import annotations

from dataclasses import dataclass

import ibis.expr.types as ir

from rollcall.engine.backend import Backend
from rollcall.formats.canonical.format import RawFile
from rollcall.formats.sources import Loaded
from rollcall.period import Period
from rollcall.policy import Policy


@dataclass(frozen=True)
class FileCounts:
    """What happened to the rows of one input file; the four numbers add up."""

    read: int
    accepted: int
    ignored: int
    rejected: int


@dataclass
class Computed:
    """The engine's results, as tables in ``backend``."""

    backend: Backend
    period: Period
    policy: Policy
    raw: dict[str, RawFile]
    students: ir.Table
    student_ids: ir.Table
    summary: ir.Table
    rejects: ir.Table
    counts: dict[str, FileCounts]
    attributes: tuple[str, ...]
    # Every student row (as ``students``) with the student's attribute values (``unknown`` when
    # empty): the groups of the summary, for breakdowns the summary does not hold.
    student_groups: ir.Table
    # Engine tables the trends reuse (engine/trends.py): merged enrollment windows, the day
    # index, kept absences, unit membership, grades at each unit, dates shared by two schools.
    # Per-student totals (engine/totals.py) hold no days: their merged, index, absences and
    # shared are None.
    merged: ir.Table | None
    index: ir.Table | None
    absences: ir.Table | None
    units: ir.Table
    grades: ir.Table
    shared: ir.Table | None
    # What the reader assumed or found, and rows it left out on purpose (formats/sources.py).
    source: Loaded | None = None

    @property
    def day_level(self) -> bool:
        """Whether the run counted days (not per-student totals): what the timeline, last
        year's months and the calendar checks need."""
        return self.index is not None

    def day_tables(self) -> tuple[ir.Table, ir.Table, ir.Table, ir.Table]:
        """``merged``, ``index``, ``absences`` and ``shared``, which only a day-level run has."""
        if self.merged is None or self.index is None or self.absences is None:
            raise ValueError("per-student totals hold no day-level tables")
        assert self.shared is not None
        return self.merged, self.index, self.absences, self.shared
