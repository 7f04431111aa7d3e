"""Attendance measures over time, for improvement work: weekly series for every school, district
and the total, drawn as Laney p′ charts, a funnel plot of the schools for the last complete week,
and ``index.html`` showing them all (``page.py``).

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
from decimal import Decimal
from pathlib import Path

from rollcall.engine import trends
from rollcall.engine.aggregate import unit_names
from rollcall.engine.backend import connect
from rollcall.engine.micro import MICRO
from rollcall.engine.pipeline import compute
from rollcall.engine.results import Computed
from rollcall.formats.sources import Source
from rollcall.labels import days_text
from rollcall.levels import LEVEL_ORDER, SCHOOL, TOTAL
from rollcall.measures.page import (
    FunnelSection,
    MeasuresPage,
    UnitSection,
    WeekLine,
    funnel_meaning,
    limits_text,
    percent,
    signal_meaning,
    signal_words,
    week_text,
    write_page,
)
from rollcall.period import Period
from rollcall.policy import Policy, get_policy
from rollcall.spc import Chart, chart_svg, funnel, funnel_svg, inline_svg, p_prime_chart
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
) -> tuple[Period, list[WeekRow], dict[tuple[str, str], str], tuple[str, ...]]:
    """The period, every unit's weeks that had school (in unit and week order), the units'
    names from ``schools.csv`` (by level and id), and the reader's notes."""
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    backend = connect()
    try:
        computed = compute(
            backend, Source.of(input_dir), policy=chosen, year=year, as_of=as_of, grains=("days",)
        )
        weeks = week_rows(computed)
        names = unit_names(computed)
    finally:
        backend.close()
    return computed.period, weeks, names, computed.source.notes if computed.source else ()


def week_rows(computed: Computed) -> list[WeekRow]:
    """Every unit's weeks that had school in ``computed`` (a day-level run), in unit and week
    order."""
    table = trends.unit_trends(computed, trends.weeks(computed.period))
    rows = computed.backend.rows(table.filter(table.student_days > 0))
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
    """Write ``measures.csv``, SERIES files and a p′ chart per unit, the schools' funnel and
    ``index.html``, the page that shows them."""
    period, rows, names, notes = weekly_rows(input_dir, policy=policy, year=year, as_of=as_of)
    school_year = period.school_year
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [_write_table(out_dir / "measures.csv", school_year, rows)]
    by_unit: dict[tuple[str, str], list[WeekRow]] = defaultdict(list)
    for row in rows:
        by_unit[(row.level, row.unit_id)].append(row)
    every_week = [week.start for week in trends.weeks(period)]
    sections = []
    for (level, unit_id), unit_rows in by_unit.items():
        title = unit_title(level, unit_id, names)
        paths, chart = _write_unit(out_dir, level, unit_id, unit_rows, every_week, title)
        files.extend(paths)
        sections.append(_section(out_dir, title, paths[-1].relative_to(out_dir), chart, unit_rows))
    funnel_section = _write_funnel(out_dir, rows, names)
    if funnel_section is not None:
        files.append(out_dir / funnel_section.chart_path)
    page = MeasuresPage(school_year, funnel_section, tuple(sections))
    files.append(write_page(page, out_dir))
    weeks_with_school = len({row.week_start for row in rows})
    return MeasuresResult(school_year, len(by_unit), weeks_with_school, tuple(files), notes)


def unit_title(level: str, unit_id: str, names: dict[tuple[str, str], str]) -> str:
    """A unit as people call it: its name from ``schools.csv`` (its id where it has none), and
    "All schools" for the total."""
    if level == TOTAL:
        return "All schools"
    if (level, unit_id) in names:
        return names[(level, unit_id)]
    return f"{level.capitalize()} {unit_id}"


def _section(
    out_dir: Path, title: str, chart_path: Path, chart: Chart, rows: list[WeekRow]
) -> UnitSection:
    """The page's section of one unit: its chart, its signals in words, its weeks' numbers."""
    by_week = {row.week_start.isoformat(): row for row in rows}
    names = {
        p.period: week_text(by_week[p.period].week_start, by_week[p.period].week_end)
        for p in chart.points
        if p.period in by_week
    }
    lines = []
    for point in chart.points:
        row = by_week.get(point.period)
        if row is None:  # a week without school: a gap, not a row of zeros
            continue
        lines.append(
            WeekLine(
                week=names[point.period],
                student_days=f"{row.student_days:,}",
                days_absent=days_text(Decimal(row.absent_micro) / MICRO),
                absence_share=percent(row.absent_micro / MICRO / row.student_days),
                limits=limits_text(point),
                signal=signal_words(point),
                eligible=f"{row.eligible:,}",
                chronic_rate=percent(row.chronically_absent / row.eligible) if row.eligible else "",
            )
        )
    svg = inline_svg(
        (out_dir / chart_path).read_text(encoding="utf-8"), chart_path.parent.as_posix()
    )
    return UnitSection(
        title, chart_path.as_posix(), svg, signal_meaning(chart, names), tuple(lines)
    )


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
    out_dir: Path,
    level: str,
    unit_id: str,
    rows: list[WeekRow],
    every_week: list[date],
    title: str,
) -> tuple[list[Path], Chart]:
    """SERIES files (period, numerator, denominator) and the p′ chart of one unit, titled by
    its name; the chart's path comes last.

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
    chart = p_prime_chart(absent, enrolled, periods=periods, title=f"Weekly absence, {title}")
    svg = folder / "absence-pprime.svg"
    svg.write_text(chart_svg(chart, y_label="share of student-days absent"), encoding="utf-8")
    paths.append(svg)
    return paths, chart


def _write_series(path: Path, periods: list[str], numerators: list, denominators: list) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvWriter(handle)
        writer.writerow(["period", "numerator", "denominator"])
        for period, x, n in zip(periods, numerators, denominators, strict=True):
            writer.writerow([period, "" if x is None else f"{x:g}", "" if n is None else n])
    return path


def funnel_week(rows: list[WeekRow]) -> tuple[date, bool]:
    """The week the funnel shows: the last complete week (Monday to Sunday, all of it in the
    period) that any school had school in, and False; or, when no week is complete yet, the
    latest week and True. A week cut short by the period's end (an as-of date on a Wednesday)
    has a few days only: its shares move by chance and would crowd the funnel's edges."""
    weeks = {(r.week_start, r.week_end) for r in rows}
    complete = [start for start, end in weeks if (end - start).days == 6]
    if complete:
        return max(complete), False
    return max(start for start, _ in weeks), True


def _write_funnel(
    out_dir: Path, rows: list[WeekRow], names: dict[tuple[str, str], str]
) -> FunnelSection | None:
    """The schools' absence share in the funnel's week (``funnel_week``), against p′ funnel
    limits, each school by its name."""
    schools = [r for r in rows if r.level == SCHOOL]
    if not schools:
        return None
    start, partial = funnel_week(schools)
    week = [r for r in schools if r.week_start == start]
    labels = _labels([r.unit_id for r in week], names)
    shown = week_text(start, week[0].week_end)
    plot = funnel(
        [labels[r.unit_id] for r in week],
        [r.days_absent for r in week],
        [r.student_days for r in week],
        kind="pprime",
        title=f"Schools, week of {shown}" + (" (not complete)" if partial else ""),
    )
    path = out_dir / "funnel-schools.svg"
    svg = funnel_svg(plot, x_label="student-days enrolled that week", y_label="share absent")
    path.write_text(svg, encoding="utf-8")
    return FunnelSection(
        path.name, inline_svg(svg, "funnel"), shown, partial, funnel_meaning(plot, {})
    )


def _labels(unit_ids: list[str], names: dict[tuple[str, str], str]) -> dict[str, str]:
    """Each school's name, with its id where two schools share a name."""
    named = {u: names.get((SCHOOL, u), u) for u in unit_ids}
    seen: dict[str, int] = defaultdict(int)
    for name in named.values():
        seen[name] += 1
    return {u: name if seen[name] == 1 else f"{name} ({u})" for u, name in named.items()}
