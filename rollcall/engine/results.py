"""What an engine run hands on: the counts of each input file and the computed tables."""

from __future__ import annotations

from dataclasses import dataclass

import ibis.expr.types as ir

from rollcall.engine.backend import Backend
from rollcall.formats.canonical.format import RawFile
from rollcall.formats.sources import Loaded
from rollcall.notes import Note, as_notes
from rollcall.period import Period
from rollcall.policy import Policy


@dataclass(frozen=True)
class FileCounts:
    """What happened to the rows of one input file; the four numbers add up."""

    read: int
    accepted: int
    ignored: int
    rejected: int


# What a principal calls the rows of each canonical table.
ROW_WORDS = {
    "schools": "school records",
    "students": "student records",
    "enrollments": "enrollment records",
    "calendar": "calendar days",
    "attendance": "attendance records",
    "totals": "students' yearly totals",
}


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
    # Each student's name (``sid`` and the name columns students.csv has: first, middle, last),
    # None when it has none. For the staff report's list of students only: never in a table,
    # never printed, never published (docs/security.md).
    names: ir.Table | None = None

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

    @property
    def notes(self) -> tuple[Note, ...]:
        """What the reader assumed or found, then the engine's own: each file's refused rows
        (cautions: they are not counted) and rows dated outside the period."""
        found = list(as_notes(self.source.notes if self.source else ()))
        for name, file in self.raw.items():
            counts = self.counts.get(file.file_name)
            if counts is None:
                continue
            words = ROW_WORDS.get(name, f"rows of {name}")
            where = file.file_name.removesuffix(f" ({name})")  # "Student.xml (students)"
            if counts.rejected:
                found.append(
                    Note(
                        f"{file.file_name}: {counts.rejected:,} of {counts.read:,} rows refused "
                        "(each in rejects.csv, with its reason).",
                        kind="refused",
                        plain=f"{counts.rejected:,} of {counts.read:,} {words} "
                        f"({where}) could not be used and are not counted: "
                        "rejects.csv lists each one with the reason.",
                        size=counts.rejected,
                        out_of=counts.read,
                        file=where,
                    )
                )
            if counts.ignored:
                found.append(
                    Note(
                        f"{file.file_name}: {counts.ignored:,} of {counts.read:,} rows dated "
                        "outside the period, not used.",
                        kind="ignored",
                        plain=f"{counts.ignored:,} of {counts.read:,} {words} "
                        f"({where}) are dated outside "
                        f"{self.period.start.isoformat()} to {self.period.end.isoformat()} and "
                        "are not used.",
                        size=counts.ignored,
                        out_of=counts.read,
                        file=where,
                    )
                )
        return tuple(found)
