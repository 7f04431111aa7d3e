"""Attendance measures over time, for improvement work: weekly series for every school, district
and the total, drawn as Laney p′ charts, and a funnel plot of the schools for the latest week.

Two measures per unit and week:
- **absence share**: days absent ÷ student-days enrolled that week (a p′ chart: thousands of
  student-days a week make a plain p-chart's limits too tight);
- **chronic-absence rate to date**: students chronically absent so far ÷ students eligible so far,
  at the week's end (what `rollcall report --as-of` that Sunday would say).
Weeks without school at a unit (a break) are gaps in its series, never zeros.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rollcall.engine import trends
from rollcall.engine.backend import connect
from rollcall.engine.micro import MICRO
from rollcall.engine.pipeline import compute
from rollcall.engine.results import Computed
from rollcall.formats.sources import Source
from rollcall.levels import LEVEL_ORDER, SCHOOL, TOTAL
from rollcall.period import Period
from rollcall.policy import Policy, get_policy
from rollcall.spc import chart_svg, funnel, funnel_svg, p_prime_chart
from rollcall.writing import CsvWriter

MEASURE_COLUMNS = (
    "school_year", "level", "unit_id", "week_start", "week_end", "student_days", "days_absent",
    "absence_share", "eligible_students", "chronically_absent", "chronic_absence_rate",
)  # fmt: skip


@dataclass(frozen=True)
class WeekRow:
    """One unit's week."""

    level: str
    unit_id: str
    week_start: date
    week_end: date
    student_days: int
    absent_micro: int
    eligible: int
    chronically_absent: int

    @property
    def days_absent(self) -> float:
        return self.absent_micro / MICRO


@dataclass(frozen=True)
class MeasuresResult:
    school_year: str
    units: int
    weeks: int
    files: tuple[Path, ...]
    notes: tuple[str, ...] = ()  # what the reader assumed or found (formats/sources.py)


def weekly_rows(
    input_dir: Source | Path,
    *,
    policy: str | Policy = "attendance-works",
    year: str | None = None,
    as_of: date | None = None,
) -> tuple[Period, list[WeekRow], tuple[str, ...]]:
    """The period, every unit's weeks that had school (in unit and week order), and the
    reader's notes."""
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    backend = connect()
    try:
        computed = compute(
            backend, Source.of(input_dir), policy=chosen, year=year, as_of=as_of, grains=("days",)
        )
        weeks = week_rows(computed)
    finally:
        backend.close()
    return computed.period, weeks, computed.source.notes if computed.source else ()


def week_rows(computed: Computed) -> list[WeekRow]:
    """Every unit's weeks that had school in ``computed`` (a day-level run), in unit and week
    order."""
    table = trends.unit_trends(computed, trends.weeks(computed.period))
    rows = computed.backend.ibis.to_pyarrow(table.filter(table.student_days > 0)).to_pylist()
    weeks = [
        WeekRow(
            level=r["level"], unit_id=r["unit_id"], week_start=r["bin_start"],
            week_end=r["bin_end"], student_days=r["student_days"], absent_micro=r["absent_micro"],
            eligible=r["eligible"], chronically_absent=r["chronically_absent"],
        )
        for r in rows
    ]  # fmt: skip
    weeks.sort(key=lambda w: (LEVEL_ORDER[w.level], w.unit_id, w.week_start))
    return weeks


def write_measures(
    input_dir: Source | Path,
    out_dir: Path,
    *,
    policy: str | Policy = "attendance-works",
    year: str | None = None,
    as_of: date | None = None,
) -> MeasuresResult:
    """Write ``measures.csv``, SERIES files and a p′ chart per unit, and the schools' funnel."""
    period, rows, notes = weekly_rows(input_dir, policy=policy, year=year, as_of=as_of)
    school_year = period.school_year
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [_write_table(out_dir / "measures.csv", school_year, rows)]
    by_unit: dict[tuple[str, str], list[WeekRow]] = defaultdict(list)
    for row in rows:
        by_unit[(row.level, row.unit_id)].append(row)
    every_week = [week.start for week in trends.weeks(period)]
    for (level, unit_id), unit_rows in by_unit.items():
        files.extend(_write_unit(out_dir, level, unit_id, unit_rows, every_week))
    files.extend(_write_funnel(out_dir, rows))
    weeks_with_school = len({row.week_start for row in rows})
    return MeasuresResult(school_year, len(by_unit), weeks_with_school, tuple(files), notes)


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.6f}" if denominator else ""


def _write_table(path: Path, school_year: str, rows: list[WeekRow]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvWriter(handle)
        writer.writerow(MEASURE_COLUMNS)
        for r in rows:
            writer.writerow(
                [
                    school_year, r.level, r.unit_id, r.week_start.isoformat(),
                    r.week_end.isoformat(), r.student_days, f"{r.days_absent:g}",
                    _ratio(r.days_absent, r.student_days), r.eligible, r.chronically_absent,
                    _ratio(r.chronically_absent, r.eligible),
                ]
            )  # fmt: skip
    return path


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def _write_unit(
    out_dir: Path, level: str, unit_id: str, rows: list[WeekRow], every_week: list[date]
) -> list[Path]:
    """SERIES files (period, numerator, denominator) and the p′ chart of one unit.

    The unit's series runs from its first week with school to its last; a week between without
    school at this unit is a gap.
    """
    weeks = {row.week_start: row for row in rows}
    span = [w for w in every_week if rows[0].week_start <= w <= rows[-1].week_start]
    folder = out_dir / "series" / level / _slug(unit_id)
    folder.mkdir(parents=True, exist_ok=True)
    periods = [w.isoformat() for w in span]
    absent = [weeks[w].days_absent if w in weeks else None for w in span]
    enrolled = [weeks[w].student_days if w in weeks else None for w in span]
    chronic = [weeks[w].chronically_absent if w in weeks else None for w in span]
    eligible = [weeks[w].eligible if w in weeks else None for w in span]
    paths = [
        _write_series(folder / "absence.csv", periods, absent, enrolled),
        _write_series(folder / "chronic.csv", periods, chronic, eligible),
    ]
    name = f"{level} {unit_id}" if level != TOTAL else "all schools"
    chart = p_prime_chart(absent, enrolled, periods=periods, title=f"Weekly absence, {name}")
    svg = folder / "absence-pprime.svg"
    svg.write_text(chart_svg(chart, y_label="share of student-days absent"), encoding="utf-8")
    paths.append(svg)
    return paths


def _write_series(path: Path, periods: list[str], numerators: list, denominators: list) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvWriter(handle)
        writer.writerow(["period", "numerator", "denominator"])
        for period, x, n in zip(periods, numerators, denominators, strict=True):
            writer.writerow([period, "" if x is None else f"{x:g}", "" if n is None else n])
    return path


def _write_funnel(out_dir: Path, rows: list[WeekRow]) -> list[Path]:
    """The schools' absence share in the latest week any school had, against p′ funnel limits."""
    schools = [r for r in rows if r.level == SCHOOL]
    if not schools:
        return []
    latest = max(r.week_start for r in schools)
    week = [r for r in schools if r.week_start == latest]
    plot = funnel(
        [r.unit_id for r in week],
        [r.days_absent for r in week],
        [r.student_days for r in week],
        kind="pprime",
        title=f"Schools, week of {latest.isoformat()}",
    )
    path = out_dir / "funnel-schools.svg"
    path.write_text(
        funnel_svg(plot, x_label="student-days enrolled that week", y_label="share absent"),
        encoding="utf-8",
    )
    return [path]
