"""Deliberately bad rows, for ``--messy``: what data-quality reporting should find.

Real extracts carry a few broken rows. Per chunk and school year, each kind below touches about
0.06% of attendance rows (0.1% of enrollment rows), at least one row each:

- ``duplicate``: an attendance row repeated exactly;
- ``unknown_status``: a status code such as ``X`` (the row otherwise intact);
- ``bad_date_format``: a date written ``09/03/2025``;
- ``non_instructional_day``: an extra row on a Saturday or on a district holiday or break;
- ``unknown_student``: an extra row for a student id that is not in ``students``;
- ``exit_before_entry``: an extra enrollment row whose exit date is before its entry date;
- ``unknown_grade``: an extra enrollment row, a copy of another with grade ``14``.

Statuses and dates are changed in place; the other kinds are extra rows inserted right after the
row they copy. Every other row stays as the clean generator wrote it, so once the bad rows are
refused the rest still keeps the clean guarantees.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rollcall.synth.calendars import YearCalendars
from rollcall.synth.districts import State

KINDS = (
    "duplicate",
    "unknown_status",
    "bad_date_format",
    "non_instructional_day",
    "unknown_student",
    "exit_before_entry",
    "unknown_grade",
)
ATTENDANCE_SHARE = 0.0006
ENROLLMENT_SHARE = 0.001
UNKNOWN_STATUSES = ("X", "AB", "99")


def _us_date(iso: str) -> str:
    return f"{iso[5:7]}/{iso[8:10]}/{iso[:4]}"


def _replace(column: pa.ChunkedArray, rows: np.ndarray, values: list[str]) -> pa.Array:
    rows, first = np.unique(rows, return_index=True)
    mask = np.zeros(len(column), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(
        column.combine_chunks(), pa.array(mask), pa.array([values[i] for i in first], pa.string())
    )


def _insert(table: pa.Table, after: np.ndarray, extra: pa.Table) -> pa.Table:
    """``table`` with each row of ``extra`` placed right after row ``after[i]``."""
    key = np.concatenate([np.arange(table.num_rows) * 2, after * 2 + 1])
    order = np.argsort(key, kind="stable")
    return pa.concat_tables([table, extra.cast(table.schema)]).take(pa.array(order))


class Mess:
    """Injects the bad rows of one chunk and year; ``added`` counts the rows made bad."""

    def __init__(
        self,
        rng: np.random.Generator,
        state: State,
        calendars: YearCalendars,
        dates: tuple[int, pa.Array],
    ) -> None:
        self.rng = rng
        self.state = state
        self.calendars = calendars
        self.base, self.strings = dates
        self.added = 0

    def _count(self, rows: int, share: float) -> int:
        return 0 if rows == 0 else max(1, round(rows * share))

    def _iso(self, days: np.ndarray) -> pa.Array:
        return self.strings.take(pa.array(days.astype(np.int64) - self.base))

    def attendance(self, table: pa.Table, district: np.ndarray, day: np.ndarray) -> pa.Table:
        n = table.num_rows
        k = self._count(n, ATTENDANCE_SHARE)
        if k == 0:
            return table
        rng = self.rng
        rows = rng.integers(0, n, k)
        codes = [UNKNOWN_STATUSES[i] for i in rng.integers(0, len(UNKNOWN_STATUSES), k)]
        table = table.set_column(3, "status", _replace(table["status"], rows, codes))
        rows = rng.integers(0, n, k)
        us = [_us_date(iso) for iso in self._iso(day[rows]).to_pylist()]
        table = table.set_column(2, "date", _replace(table["date"], rows, us))

        duplicate = rng.integers(0, n, k)
        moved = rng.integers(0, n, k)
        weekday = (day[moved].astype(np.int64) + 3) % 7
        closed = [self.calendars.calendars[d].closed for d in district[moved].tolist()]
        holiday = np.array(
            [c[rng.integers(0, len(c))] if len(c) else 0 for c in closed], dtype=np.int64
        )
        saturday = day[moved] + (5 - weekday)
        new_day = np.where((rng.random(k) < 0.5) | (holiday == 0), saturday, holiday)
        off_days = table.take(pa.array(moved)).set_column(2, "date", self._iso(new_day))
        stranger = rng.integers(0, n, k)
        ids = pa.array([f"2{x:09d}" for x in rng.integers(0, 10**9, k).tolist()], pa.string())
        strangers = table.take(pa.array(stranger)).set_column(0, "student_id", ids)
        extra = pa.concat_tables([table.take(pa.array(duplicate)), off_days, strangers])
        self.added += 5 * k
        return _insert(table, np.concatenate([duplicate, moved, stranger]), extra)

    def enrollments(self, table: pa.Table) -> pa.Table:
        n = table.num_rows
        k = self._count(n, ENROLLMENT_SHARE)
        if k == 0:
            return table
        rng = self.rng
        graded = rng.integers(0, n, k)
        fourteen = pa.array(["14"] * k, pa.string())
        regraded = table.take(pa.array(graded)).set_column(2, "grade", fourteen)
        source = rng.integers(0, n, k)
        copies = table.take(pa.array(source))
        entry = np.array(
            [np.datetime64(x, "D").astype(np.int64) for x in copies["entry_date"].to_pylist()]
        )
        exits = self._iso(entry - rng.integers(1, 31, k))
        reversed_ = copies.set_column(4, "exit_date", exits)
        self.added += 2 * k
        return _insert(
            table, np.concatenate([graded, source]), pa.concat_tables([regraded, reversed_])
        )
