"""The report page for published aggregates (docs/sources/aggregates.md): the same questions as
the student-level report (how many, where, which groups, compared with what) answered from a
table of counts per unit and group, and the sections that need student rows left out with the
reason said on the page.

Every figure is the publisher's: a suppressed cell is shown as suppressed, never as zero; a rate
comes from the counts when both are published (rounded as the CSV tables are), else as printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import pyarrow as pa

from rollcall.errors import OptionError
from rollcall.grades import GRADE_ORDER
from rollcall.labels import YES_NO, dimension_label
from rollcall.labels import group_label as labels_group
from rollcall.levels import DISTRICT, SCHOOL, TOTAL
from rollcall.notes import Note, as_notes, cautions_first
from rollcall.report.aggregate_records import (
    Figures,
    GroupLine,
    MemberRow,
    YearLine,
    published_ratio,
)
from rollcall.report.aggregate_sessions import ANSWERED, SessionsSection, sessions_section
from rollcall.report.build import CATEGORIES, CONCENTRATED
from rollcall.report.records import Chart, Ratio, Unit
from rollcall.report.render import templates

REPORT_FILE = "report.html"
SPANS = ("TK-K", "1-3", "4-6", "7-8", "9-12", "K-8", "TK-8")
# What a report from student rows has that published figures cannot give, and why.
LEFT_OUT = (
    (
        "Students by band (satisfactory, at risk, moderate, severe)",
        "it needs each student's share of days missed; the file counts only the students who "
        "were chronically absent",
    ),
    (
        "Through the year, month by month",
        "it needs the school days themselves; the file has one figure per school year",
    ),
    ("Average daily attendance", "it needs the days each student was enrolled and absent"),
    (
        "Why days were missed (excused, unexcused, suspension)",
        "it needs the reason for each absence",
    ),
    (
        "Students to support, and students newly chronically absent",
        "they need student rows, which a published file does not (and must not) have",
    ),
)
# A year-over-year change of a unit or group with fewer eligible students than this, in either
# year, carries SMALL_CHANGE_NOTE: 15 students then 11 moved "−80.0 pts" with no warning. Below
# 30 a single student moves the rate by more than 3 points (and California's Dashboard gives no
# colour to fewer than 30 students for the same reason).
SMALL_CHANGE = 30
SMALL_CHANGE_NOTE = "small group: changes of this size happen by chance"
# Yes/no attributes, shown together in one table of programs and circumstances.
FLAGS = {
    "english_learner": "English learners",
    "disability": "Students with disabilities",
    "economically_disadvantaged": "Economically disadvantaged",
    "foster": "Foster youth",
    "homeless": "Homeless",
    "migrant": "Migrant",
}
PROGRAMS = "programs"
TITLES = {"race_ethnicity": "Race and ethnicity", PROGRAMS: "Programs and circumstances"}


@dataclass
class AggregatePage:
    """Everything the aggregate template shows, in section order."""

    unit: Unit
    source: str  # the layout, in words
    file_name: str
    school_year: str
    last_year: str | None
    headline: Figures | None
    last_headline: Figures | None
    change: str
    years: list[YearLine]
    members: list[MemberRow]
    member_kind: str  # "districts" or "schools"
    matrices: list[Matrix]  # when the members have no figure for all students
    funnel: Chart | None
    funnel_note: str
    grades: list[GroupLine]
    groups: dict[str, list[GroupLine]]
    left_out: tuple[tuple[str, str], ...]
    notes: tuple[Note, ...]
    skipped: Mapping[str, int]
    refused: list[tuple[str, int]]
    published_rates: bool = False  # some rate on the page is as printed, not the counts' own
    sessions: SessionsSection | None = None  # half-day sessions, when the source has them
    charts: dict[str, Chart] = field(default_factory=dict)


# --- figures ---------------------------------------------------------------------------------


def figures(row: Mapping[str, Any]) -> Figures:
    eligible, chronic = row["eligible_students"], row["chronically_absent"]
    if eligible is not None and chronic is not None and eligible > 0:
        return Figures(eligible, chronic, Ratio.of(chronic, eligible), True, row["suppressed"])
    rate = row["published_rate"]
    ratio = published_ratio(rate) if rate is not None else None
    return Figures(eligible, chronic, ratio, False, row["suppressed"])


def _points(now: Fraction | None, before: Fraction | None) -> str:
    """``now − before`` in percentage points, signed, to a tenth."""
    if now is None or before is None:
        return ""
    tenths = round((now - before) * 1000)
    sign = "+" if tenths > 0 else "−" if tenths < 0 else "±"
    return f"{sign}{abs(tenths) // 10}.{abs(tenths) % 10} pts"


def change(now: Figures | None, before: Figures | None) -> str:
    """The change from ``before`` to ``now`` in points (``_points``), with SMALL_CHANGE_NOTE
    when either year had fewer than SMALL_CHANGE eligible students (a size not published
    carries no note: nothing says it is small)."""
    text = _points(now.share if now else None, before.share if before else None)
    if not text or text.startswith("±") or now is None or before is None:
        return text
    sizes = [f.eligible for f in (now, before) if f.eligible is not None]
    if sizes and min(sizes) < SMALL_CHANGE:
        return f"{text} ({SMALL_CHANGE_NOTE})"
    return text


def category(share: Fraction | None) -> str:
    """Attendance Works' concentration category of a rate (report/build.py's bounds)."""
    if share is None:
        return "no rate published"
    return next(label for bound, label in CATEGORIES if share >= bound)


def dimension_title(dimension: str) -> str:
    return TITLES.get(dimension, dimension_label(dimension))


def group_label(dimension: str, group: str) -> str:
    """A group in words; a yes/no attribute's "yes" is the group's own name (English learners),
    its "no" says so (English learners: No)."""
    if dimension in FLAGS and group in YES_NO:
        return FLAGS[dimension] if group == "Y" else f"{FLAGS[dimension]}: No"
    return labels_group(dimension, group)


# --- the table, indexed ------------------------------------------------------------------------


class Index:
    """The aggregate table's rows by (year, level, unit, dimension, group)."""

    def __init__(self, table: pa.Table) -> None:
        self.rows = table.to_pylist()
        self.by_key = {
            (r["school_year"], r["level"], r["unit_id"], r["dimension"], r["group"]): r
            for r in self.rows
        }
        self.years = sorted({r["school_year"] for r in self.rows})

    def get(self, year: str | None, unit: Unit, dimension: str, group: str) -> Figures | None:
        row = self.by_key.get((year or "", unit.level, unit.unit_id, dimension, group))
        return figures(row) if row is not None else None

    def names(self) -> dict[tuple[str, str], str]:
        return {(r["level"], r["unit_id"]): r["unit_name"] for r in self.rows}


def choose_unit(index: Index, *, school: str | None, district: str | None) -> Unit:
    """The unit the page is about: a school, a district, or (default) the whole file."""
    if school is not None and district is not None:
        raise OptionError("give --school or --district, not both")
    level, unit_id = ("school", school) if school else ("district", district or "total")
    if not district and not school:
        level = "total"
    names = index.names()
    if (level, unit_id) in names:
        return Unit(level, unit_id, names[(level, unit_id)])
    if level == TOTAL:
        return Unit("total", "total", "every unit in the file")
    raise OptionError(
        f"{level} {unit_id!r} is not in the file",
        hint=f"use a {level} id as the file writes it (rollcall inspect lists the units)",
    )


def previous_year(year: str) -> str:
    start = int(year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


# --- sections ----------------------------------------------------------------------------------


def member_units(index: Index, unit: Unit, year: str) -> tuple[list[Unit], str]:
    """For the whole file its districts (or, without districts, its schools); for a district
    its schools; none for a school. Sorted by district, then name."""
    if unit.level == SCHOOL:
        return [], ""
    rows = [r for r in index.rows if r["school_year"] == year]
    if unit.level == DISTRICT:
        rows = [r for r in rows if r["level"] == SCHOOL and r["district_id"] == unit.unit_id]
        kind = "schools"
    elif any(r["level"] == DISTRICT for r in rows):
        rows, kind = [r for r in rows if r["level"] == DISTRICT], "districts"
    else:
        rows, kind = [r for r in rows if r["level"] == SCHOOL], "schools"
    found = {(r["district_id"] or "", r["unit_name"], r["unit_id"]): r for r in rows}
    return [Unit(found[k]["level"], k[2], k[1]) for k in sorted(found)], kind


def members(index: Index, units: list[Unit], year: str, last: str | None) -> list[MemberRow]:
    """Each member's figures for all students, with last year's rate beside them."""
    found = []
    for member in units:
        now = index.get(year, member, "all", "all")
        if now is None:
            continue
        before = index.get(last, member, "all", "all") if last else None
        share = now.share
        row = index.by_key[(year, member.level, member.unit_id, "all", "all")]
        found.append(
            MemberRow(
                unit=member,
                district_id=row["district_id"] or "",
                figures=now,
                category="suppressed" if now.suppressed and share is None else category(share),
                concentrated=share is not None and share >= CONCENTRATED,
                last_rate=before.rate if before else None,
                change=change(now, before),
            )
        )
    return found


@dataclass(frozen=True)
class Matrix:
    """Members × the groups of one dimension, for a file with no figure for all students."""

    dimension: str
    groups: list[tuple[str, str]]  # (group, label)
    rows: list[tuple[Unit, list[Figures | None]]]


def matrices(index: Index, units: list[Unit], year: str) -> list[Matrix]:
    found = []
    dimensions = sorted({r["dimension"] for r in index.rows} - {"all"})
    for dimension in dimensions:
        groups = sorted(
            {r["group"] for r in index.rows if r["dimension"] == dimension},
            key=lambda g: _group_order(dimension, g),
        )
        rows = [(u, [index.get(year, u, dimension, g) for g in groups]) for u in units]
        rows = [(u, cells) for u, cells in rows if any(c is not None for c in cells)]
        if rows:
            labels = [(g, group_label(dimension, g)) for g in groups]
            found.append(Matrix(dimension, labels, rows))
    return found


def group_lines(
    index: Index, unit: Unit, year: str, last: str | None, dimensions: list[str]
) -> dict[str, list[GroupLine]]:
    """The unit's groups in each dimension, with the gap to the unit's own rate."""
    overall = index.get(year, unit, "all", "all")
    base = overall.share if overall else None
    found: dict[str, list[GroupLine]] = {d: [] for d in dimensions}
    for r in index.rows:
        if (r["school_year"], r["level"], r["unit_id"]) != (year, unit.level, unit.unit_id):
            continue
        if r["dimension"] not in found:
            continue
        now = figures(r)
        before = index.get(last, unit, r["dimension"], r["group"]) if last else None
        found[r["dimension"]].append(
            GroupLine(
                dimension=r["dimension"],
                group=r["group"],
                label=group_label(r["dimension"], r["group"]),
                figures=now,
                gap_points=_points(now.share, base),
                last_rate=before.rate if before else None,
                change=change(now, before),
            )
        )
    for dimension, lines in found.items():
        lines.sort(key=lambda g: _group_order(dimension, g.group))
    programs = [line for d in FLAGS for line in found.pop(d, [])]
    if programs:
        found[PROGRAMS] = programs
    return {d: lines for d, lines in found.items() if lines}


def _group_order(dimension: str, group: str) -> tuple[int, str]:
    if dimension == "grade":
        return GRADE_ORDER.get(group, len(GRADE_ORDER)), group
    if dimension == "grade_span":
        return (SPANS.index(group) if group in SPANS else len(SPANS)), group
    return (group == "Not reported"), group


def years_of(index: Index, unit: Unit) -> list[YearLine]:
    found, before = [], None
    for year in index.years:
        now = index.get(year, unit, "all", "all")
        if now is None:
            continue
        found.append(YearLine(year, now, change(now, before) if before is not None else ""))
        before = now
    return found


# --- the page ----------------------------------------------------------------------------------


def build_page(
    table: pa.Table,
    unit: Unit,
    *,
    year: str,
    source: str,
    file_name: str,
    notes: tuple[str, ...] = (),
    skipped: Mapping[str, int] | None = None,
    rejects: tuple[Mapping[str, str], ...] = (),
    sessions: pa.Table | None = None,
) -> AggregatePage:
    # Altair loads with the charts, on first use (summary.csv alone does not need it).
    from rollcall.report import aggregate_charts

    index = Index(table)
    last: str | None = previous_year(year)
    last = last if last in index.years else None
    headline = index.get(year, unit, "all", "all")
    before = index.get(last, unit, "all", "all") if last else None
    units, kind = member_units(index, unit, year)
    member_rows = members(index, units, year, last)
    funnel, funnel_note = (
        aggregate_charts.funnel_of(member_rows, kind, year, headline=headline, unit=unit)
        if member_rows
        else (None, "")
    )
    dimensions = sorted({r["dimension"] for r in index.rows} - {"all"})
    lines = group_lines(index, unit, year, last, dimensions)
    grades = lines.pop("grade", []) + lines.pop("grade_span", [])
    session_figures = sessions_section(sessions, unit, year)
    left_out: tuple[tuple[str, str], ...] = LEFT_OUT
    if session_figures is not None:
        left_out = tuple(item for item in LEFT_OUT if item[0] not in ANSWERED)
    refused: dict[str, int] = {}
    for reject in rejects:
        refused[reject["reason"]] = refused.get(reject["reason"], 0) + 1
    page = AggregatePage(
        unit=unit,
        source=source,
        file_name=file_name,
        school_year=year,
        last_year=last,
        headline=headline,
        last_headline=before,
        change=change(headline, before),
        years=years_of(index, unit),
        members=member_rows,
        member_kind=kind,
        matrices=[] if member_rows else matrices(index, units, year),
        funnel=funnel,
        funnel_note=funnel_note,
        grades=grades,
        groups=lines,
        left_out=left_out,
        notes=cautions_first(as_notes(notes)),
        skipped=dict(skipped or {}),
        refused=sorted(refused.items()),
        sessions=session_figures,
    )
    shown = [
        headline,
        *(m.figures for m in member_rows),
        *(y.figures for y in page.years),
        *(g.figures for g in grades),
        *(g.figures for ls in lines.values() for g in ls),
        *(f for x in page.matrices for _, cells in x.rows for f in cells),
    ]
    page.published_rates = any(f is not None and f.rate and not f.from_counts for f in shown)
    if grades:
        title = "Chronic absence by grade"
        page.charts["grades"] = aggregate_charts.rates_chart("grades", title, grades, headline)
    for dimension, group in lines.items():
        title = f"Chronic absence: {dimension_title(dimension).lower()}"
        page.charts[f"group-{dimension}"] = aggregate_charts.rates_chart(
            f"group-{dimension}", title, group, headline
        )
    return page


def render_page(page: AggregatePage) -> str:
    environment = templates()
    environment.filters["count"] = lambda n: "—" if n is None else f"{n:,}"
    environment.filters["dimension"] = dimension_title
    return environment.get_template("aggregate.html.j2").render(page=page)


def write_page(page: AggregatePage, out_dir: Path) -> Path:
    path = Path(out_dir) / REPORT_FILE
    path.write_text(render_page(page), encoding="utf-8")
    return path
