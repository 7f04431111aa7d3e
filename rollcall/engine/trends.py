"""How absence moves through the year: for each unit and each week (or month) of the period,
the student-days enrolled and absent in it, and the chronic-absence rate to date at its end.

The rate to date at a bin's end is what `rollcall report --as-of` that day would give: a student
counts once enrolled the policy's minimum days by then, and is chronically absent by then when
absent on 10% of the days enrolled so far. It is computed for every bin in one pass, from the
same day counts and the same decision rule as the report, never by re-running the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir

from rollcall.engine import days, students
from rollcall.engine.days import MEASURES, UNIT
from rollcall.engine.results import Computed
from rollcall.period import Period
from rollcall.tables import literal_table, union_all

BIN_UNIT = (*UNIT, "bin")


@dataclass(frozen=True)
class Bin:
    """A stretch of the period: ``number`` in order, ``start`` to ``end`` inclusive."""

    number: int
    start: date
    end: date


def weeks(period: Period) -> list[Bin]:
    """Monday-to-Sunday weeks, the first and last cut to the period."""
    bins: list[Bin] = []
    start = period.start
    while start <= period.end:
        end = min(start + timedelta(days=6 - start.weekday()), period.end)
        bins.append(Bin(len(bins), start, end))
        start = end + timedelta(days=1)
    return bins


def months(period: Period) -> list[Bin]:
    """Calendar months, the last cut to the period."""
    bins: list[Bin] = []
    start = period.start
    while start <= period.end:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = min(following - timedelta(days=1), period.end)
        bins.append(Bin(len(bins), start, end))
        start = following
    return bins


def _bin_table(bins: list[Bin]) -> ir.Table:
    return literal_table(
        {
            "bin": [b.number for b in bins],
            "bin_start": [b.start for b in bins],
            "bin_end": [b.end for b in bins],
        },
        {"bin": "int64", "bin_start": "date", "bin_end": "date"},
    )


def _in_bins(table: ir.Table, bins: ir.Table, column: str) -> ir.Table:
    """``table`` with the bin its ``column`` date falls in."""
    return table.inner_join(
        bins, [table[column] >= bins.bin_start, table[column] <= bins.bin_end]
    ).drop("bin_start", "bin_end")


def bin_rows(computed: Computed, bins: list[Bin]) -> ir.Table:
    """Per student, unit and bin: the days enrolled and the absences in that bin alone."""
    table = _bin_table(bins)
    merged, index, kept, shared_dates = computed.day_tables()
    windows = merged.inner_join(
        table, [merged.start <= table.bin_end, merged.end >= table.bin_start]
    )
    windows = windows.mutate(
        start=ibis.greatest(windows.start, windows.bin_start),
        end=ibis.least(windows.end, windows.bin_end),
    ).drop("bin_start", "bin_end", "days")
    enrolled = days.count_days(windows, index)
    absences = _in_bins(kept, table, "date")
    units = computed.units
    parts = [
        enrolled.inner_join(units, enrolled.sch == units.sch).select(
            enrolled.sid,
            units.level,
            units.unit_id,
            enrolled.bin,
            days_enrolled=enrolled.days.cast("int64"),
            **{m: ibis.literal(0, "int64") for m in MEASURES},
        ),
        absences.inner_join(units, absences.sch == units.sch).select(
            absences.sid,
            units.level,
            units.unit_id,
            absences.bin,
            days_enrolled=ibis.literal(0, "int64"),
            **{m: absences[m].cast("int64") for m in MEASURES},
        ),
    ]
    shared = _in_bins(shared_dates, table, "date")
    parts.append(
        shared.select(
            *BIN_UNIT,
            days_enrolled=(-shared.extra_days).cast("int64"),
            **{m: (-shared[f"extra_{m}"]).cast("int64") for m in MEASURES},
        )
    )
    combined = union_all(*parts)
    return combined.group_by(list(BIN_UNIT)).agg(
        days_enrolled=combined.days_enrolled.sum(), **{m: combined[m].sum() for m in MEASURES}
    )


def to_date(computed: Computed, per_bin: ir.Table, bins: list[Bin]) -> ir.Table:
    """Per student, unit and bin from the student's first enrolled bin on: the running totals
    to the bin's end, and the policy's decisions on them."""
    graded = per_bin.inner_join(
        computed.grades, [per_bin[k] == computed.grades[k] for k in UNIT]
    ).select(*[per_bin[k] for k in BIN_UNIT], computed.grades.grade, "days_enrolled", *MEASURES)
    first = graded.group_by(list(UNIT)).agg(first_bin=graded.bin.min())
    table = _bin_table(bins).select("bin")
    grid = first.cross_join(table)
    grid = grid.filter(grid.bin >= grid.first_bin).drop("first_bin").view()
    filled = grid.left_join(graded, [grid[k] == graded[k] for k in BIN_UNIT]).select(
        *[grid[k] for k in BIN_UNIT],
        grade=graded.grade,
        **{c: graded[c].fill_null(0) for c in ("days_enrolled", *MEASURES)},
    )
    # Bins without a row (after a student left) take the grade the student had at the end.
    grade = filled.grade.max().over(ibis.window(group_by=list(UNIT)))
    running = ibis.cumulative_window(group_by=list(UNIT), order_by="bin")
    totals = filled.select(
        *BIN_UNIT,
        grade=grade,
        bin_days=filled.days_enrolled,
        bin_absent=filled.days_absent,
        days_enrolled=filled.days_enrolled.sum().over(running),
        **{m: filled[m].sum().over(running) for m in MEASURES},
    )
    return students.decide(totals, computed.policy)


def unit_trends(computed: Computed, bins: list[Bin]) -> ir.Table:
    """Per unit and bin: ``student_days`` enrolled and ``absent_micro`` (millionths of a day)
    in the bin; ``eligible`` and ``chronically_absent`` students to the bin's end."""
    decided = to_date(computed, bin_rows(computed, bins), bins)
    counted = decided.group_by(["level", "unit_id", "bin"]).agg(
        student_days=decided.bin_days.sum(),
        absent_micro=decided.bin_absent.sum(),
        eligible=ibis.cases((decided.eligible, 1), else_=0).sum(),
        chronically_absent=ibis.cases((decided.chronically_absent, 1), else_=0).sum(),
    )
    table = _bin_table(bins)
    return counted.inner_join(table, counted.bin == table.bin).select(
        counted.level,
        counted.unit_id,
        counted.bin,
        table.bin_start,
        table.bin_end,
        "student_days",
        "absent_micro",
        "eligible",
        "chronically_absent",
    )
