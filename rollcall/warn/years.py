"""The engine runs the early warning needs, one school year at a time: a year's signals as of a
date, and a whole year's outcome and last-year signals. Every run is the engine's own, from one
read of the input (``engine/pipeline.read``) on one connection; each run's tables are freed once
its rows are read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import ibis
import pandas as pd

from rollcall.engine.backend import connect
from rollcall.engine.pipeline import Read, read
from rollcall.engine.results import Computed
from rollcall.errors import RollcallError
from rollcall.formats.sources import Source
from rollcall.period import parse_school_year, school_year_name
from rollcall.policy import Policy
from rollcall.warn import signals

# A year's outcome is known when its school days run into May or later past the as-of date.
LAST_MONTHS = (5, 6)
# The calendar's last school days on which attendance must be recorded for a year to be over.
END_DAYS = 10


def shifted(day: date, years: int) -> date:
    """The same calendar date ``years`` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def earlier(school_year: str, years: int = 1) -> str:
    return school_year_name(parse_school_year(school_year) - years)


@dataclass
class WholeYear:
    """A whole school year: who ended it chronically absent, and its last-year signals."""

    outcome: pd.DataFrame  # student_id, chronic
    last_year: pd.DataFrame  # student_id, last_share, last_chronic, last_band, last_trend
    last_school_day: date | None  # the calendar's
    recorded_to_end: bool  # attendance recorded on most of the calendar's last school days


@dataclass
class YearRuns:
    """The engine's runs on one input, each made once, from one read of it; ``close`` (or
    leaving a ``with`` block) closes the connection."""

    source: Source | Path
    policy: Policy
    _whole: dict[str, WholeYear | None] = field(default_factory=dict)
    _read: Read | None = None

    def _found(self) -> Read:
        if self._read is None:
            backend = connect()
            try:
                self._read = read(backend, self.source)
            except BaseException:
                backend.close()
                raise
        return self._read

    def close(self) -> None:
        if self._read is not None:
            self._read.backend.close()
            self._read = None

    def __enter__(self) -> YearRuns:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def whole(self, school_year: str) -> WholeYear | None:
        """The whole year, or None when the input has no student in it."""
        if school_year not in self._whole:
            self._whole[school_year] = self._run_whole(school_year)
        return self._whole[school_year]

    def _run_whole(self, school_year: str) -> WholeYear | None:
        found = self._found()
        since = len(found.backend.made)
        try:
            try:
                computed = found.year(policy=self.policy, year=school_year)
            except RollcallError:
                return None
            outcome = _frame(computed, signals.outcome(computed))
            if outcome.empty:
                return None
            return WholeYear(
                outcome=outcome[["student_id", "chronic"]],
                last_year=_frame(computed, signals.last_year_signals(computed)),
                last_school_day=_last_school_day(computed),
                recorded_to_end=_recorded_to_end(computed),
            )
        finally:
            found.backend.drop_made(since)

    def signals_as_of(self, school_year: str, as_of: date) -> pd.DataFrame:
        """Every student enrolled in ``school_year`` up to ``as_of``, with this year's signals and
        the student's groups (names and values as the input gives them)."""
        found = self._found()
        since = len(found.backend.made)
        try:
            computed = found.year(policy=self.policy, year=school_year, as_of=as_of)
            frame = _frame(computed, signals.student_signals(computed))
            groups = _frame(computed, _groups(computed))
            # In the student id's order, without the run's own numbering: DuckDB returns rows in
            # no set order, and the model's folds and bins depend on the order of its rows.
            merged = frame.drop(columns="sid").merge(groups, on="student_id", how="left")
            return merged.sort_values("student_id", kind="stable").reset_index(drop=True)
        finally:
            found.backend.drop_made(since)

    def known(self, school_year: str, as_of: date) -> bool:
        """Whether the input holds ``school_year`` to its end, past ``as_of``, so that its
        outcome is known: its calendar ends in May or June after ``as_of``, and attendance was
        recorded on most of the calendar's last school days. The calendar alone cannot say (a
        school's calendar lists the days still to come), nor the last record alone (an absence
        entered ahead, such as a planned trip in June, dates a row in the future)."""
        whole = self.whole(school_year)
        if whole is None or whole.last_school_day is None or not whole.recorded_to_end:
            return False
        last = whole.last_school_day
        return last > as_of and last.month in LAST_MONTHS


def _frame(computed: Computed, expr: ibis.Table) -> pd.DataFrame:
    return computed.backend.ibis.to_pyarrow(expr).to_pandas()


def _groups(computed: Computed) -> ibis.Table:
    rows = computed.student_groups
    total = rows.filter(rows.level == "total")
    ids = computed.student_ids
    joined = total.inner_join(ids, total.sid == ids.sid)
    return joined.select("student_id", **{f"group_{a}": joined[a] for a in computed.attributes})


def _last_school_day(computed: Computed) -> date | None:
    _merged, index, _absences, _shared = computed.day_tables()
    value = computed.backend.scalar(index.filter(index.school_day == 1).date.max())
    return value if isinstance(value, date) else None


def _recorded_to_end(computed: Computed) -> bool:
    """Whether attendance rows fall on at least half of the calendar's last ``END_DAYS`` school
    days (any school's): a year whose attendance stops early has none there."""
    _merged, index, absences, _shared = computed.day_tables()
    days = index.filter(index.school_day == 1).select("date").distinct()
    last = days.order_by(days.date.desc()).limit(END_DAYS)
    recorded = absences.select(_day=absences.date).distinct()
    covered = last.inner_join(recorded, last.date == recorded._day)
    wanted = computed.backend.count(last)
    return wanted > 0 and 2 * computed.backend.count(covered) >= wanted
