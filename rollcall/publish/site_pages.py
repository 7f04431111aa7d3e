"""What each page of the public site shows, computed from the public files' rows into small
records; the templates only place them.

Nothing here computes a new number about students: every value is a cell of
``public_summary.csv``, ``equity.csv`` or ``ca_dashboard.csv`` as published, only formatted
(a fraction written as a percentage). An empty cell is a hidden value and is shown as *hidden*
with the file's ``note`` as the reason, never as a zero.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

from rollcall.grades import GRADE_ORDER
from rollcall.labels import UNKNOWN_GROUP, dimension_label, group_label
from rollcall.levels import DISTRICT, LEVELS, SCHOOL, TOTAL
from rollcall.publish.ca_dashboard import GROUP_NAMES, GROUP_ORDER, MIN_COLOR
from rollcall.publish.site_chart import TrendPoint, trend_svg

Row = Mapping[str, str]
T = TypeVar("T")

LEVEL_NAMES = {"total": "All schools", "district": "District", "school": "School"}
# The site leads with the big picture: the levels in reverse (the total first).
SITE_ORDER: dict[str, int] = {level: n for n, level in enumerate(reversed(LEVELS))}
NO_REASON = "not published"
_RANGE = re.compile(r"^\s*(≤|≥|<|>|<=|>=)\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$")
_PERCENT = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*%\s*$")


# --- one published value --------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A published cell as the site shows it: ``text`` to read, ``sort`` to order by (none
    when hidden), ``hidden`` when the cell was withheld, ``reason`` why it is hidden or a range."""

    text: str
    sort: float | None = None
    hidden: bool = False
    reason: str = ""
    is_range: bool = False


def hidden_value(note: str) -> Value:
    return Value("hidden", hidden=True, reason=note.strip() or NO_REASON)


def count_value(raw: str, note: str) -> Value:
    """A count: digits with thousands separators, or hidden."""
    text = raw.strip()
    if not text:
        return hidden_value(note)
    number = int(Decimal(text))
    return Value(f"{number:,}", float(number))


def percent_text(percent: Decimal) -> str:
    """A percentage with one decimal, halves up: ``12.35`` → ``12.4%``."""
    return f"{percent.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def rate_value(raw: str, note: str) -> Value:
    """A rate: a fraction from 0 to 1 (``0.123456``, as summary.csv writes it) or a percentage
    (``12.3%``) is written as a percentage with one decimal; a range (``≤5%``) as published,
    with its note; an empty cell is hidden."""
    text = raw.strip()
    if not text:
        return hidden_value(note)
    ranged = _RANGE.match(text)
    if ranged:
        bound = float(ranged.group(2))
        return Value(text, bound, reason=note.strip(), is_range=True)
    percent = _PERCENT.match(text)
    try:
        value = Decimal(percent.group(1)) if percent else Decimal(text) * 100
    except InvalidOperation:
        return Value(text, reason=note.strip())
    return Value(percent_text(value), float(value))


def points_text(raw: str) -> str:
    """A gap in percentage points, signed: ``4.2`` → ``+4.2``; empty → ``""``."""
    text = raw.strip()
    if not text:
        return ""
    try:
        value = Decimal(text).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return text
    return f"+{value}" if value > 0 else ("0.0" if value == 0 else f"−{-value}")


# --- units and links ------------------------------------------------------------------------


def page_name(level: str, unit_id: str) -> str:
    """The file a unit's page is written to: ``school-0601234001.html``; ids with other
    characters than letters, digits, ``-`` and ``_`` get a short hash so names stay unique."""
    if level == TOTAL:
        return "total.html"
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", unit_id)
    if safe != unit_id or not safe:
        safe += "-" + hashlib.sha1(unit_id.encode("utf-8")).hexdigest()[:8]
    return f"{level}-{safe}.html"


@dataclass(frozen=True)
class UnitRef:
    level: str
    unit_id: str
    name: str

    @property
    def href(self) -> str:
        return page_name(self.level, self.unit_id)

    @property
    def title(self) -> str:
        if self.level == TOTAL:
            return self.name if self.name and self.name != "total" else "All schools"
        return self.name or self.unit_id

    @property
    def kind(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)


def _group_order(dimension: str, group: str) -> tuple[int, str]:
    if group == UNKNOWN_GROUP:
        return (1_000, group)
    if dimension == "grade":
        return (GRADE_ORDER.get(group, 999), group)
    return (0, "")  # keep the file's order otherwise (sorted() is stable)


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    """One row of public_summary.csv as shown."""

    school_year: str
    dimension: str
    group: str
    label: str
    eligible: Value
    chronic: Value
    rate: Value
    note: str


@dataclass(frozen=True)
class EquityRow:
    group: str
    label: str
    rate: Value
    gap_overall: str
    gap_lowest: str
    lowest_group: str
    ratio: str
    share_chronic: Value
    share_eligible: Value
    note: str

    @property
    def empty(self) -> bool:
        """True when nothing about the group could be published here (its rate is hidden and
        no measure was computed): the group table above already says why."""
        return (
            self.rate.hidden
            and not (self.gap_overall or self.gap_lowest or self.ratio)
            and self.share_chronic.hidden
            and self.share_eligible.hidden
        )


@dataclass(frozen=True)
class DashboardEntry:
    """One Dashboard student group of a unit as shown."""

    code: str
    name: str
    denominator: str
    status: str
    status_level: str
    change: str
    change_level: str
    color: str
    why_no_color: str


@dataclass(frozen=True)
class IndexRow:
    unit: UnitRef
    district: UnitRef | None
    eligible: Value
    rate: Value
    note: str


@dataclass
class UnitPage:
    unit: UnitRef
    school_year: str
    district: UnitRef | None
    headline: GroupRow | None
    years: list[GroupRow]
    chart: str
    groups: dict[str, list[GroupRow]]
    equity: dict[str, list[EquityRow]]
    dashboard: list[DashboardEntry]
    dashboard_year: str
    schools: list[IndexRow] = field(default_factory=list)


def group_row(row: Row) -> GroupRow:
    note = row.get("note", "") or ""
    dimension, group = row["dimension"], row["group"]
    return GroupRow(
        school_year=row["school_year"],
        dimension=dimension,
        group=group,
        label="All students" if dimension == "all" else group_label(dimension, group),
        eligible=count_value(row["eligible_students"], note),
        chronic=count_value(row["chronically_absent"], note),
        rate=rate_value(row["chronic_absence_rate"], note),
        note=note.strip(),
    )


def equity_row(row: Row) -> EquityRow:
    note = (row.get("note", "") or "").strip()
    ratio = row.get("rate_ratio", "").strip()
    low, high = row.get("rate_ratio_low", "").strip(), row.get("rate_ratio_high", "").strip()
    if ratio and low and high:
        ratio = f"{ratio} ({low} to {high})"
    lowest = row.get("lowest_group", "").strip()
    return EquityRow(
        group=row["group"],
        label=group_label(row["dimension"], row["group"]),
        rate=rate_value(row.get("chronic_absence_rate", ""), note),
        gap_overall=points_text(row.get("gap_to_overall_pp", "")),
        gap_lowest=points_text(row.get("gap_to_lowest_pp", "")),
        lowest_group=group_label(row["dimension"], lowest) if lowest else "",
        ratio=ratio,
        share_chronic=rate_value(row.get("share_of_chronically_absent", ""), note),
        share_eligible=rate_value(row.get("share_of_eligible", ""), note),
        note=note,
    )


def dashboard_entry(row: Row) -> DashboardEntry:
    """A ca_dashboard.csv row in words: why a group has no colour is said, not left blank."""
    status = row["currstatus"].strip()
    change = row["change"].strip()
    color = row["color"].strip()
    denominator = row["currdenom"].strip()
    if color:
        why = ""
    elif not status:
        why = "no status: fewer than 11 students, or not published"
    elif denominator and int(denominator) < MIN_COLOR:
        why = f"fewer than {MIN_COLOR} students"
    elif not change:
        why = "no status last year to compare with"
    else:
        why = "no colour"
    return DashboardEntry(
        code=row["studentgroup"],
        name=GROUP_NAMES.get(row["studentgroup"], row["studentgroup"]),
        denominator=f"{int(denominator):,}" if denominator else "hidden",
        status=f"{status}%" if status else "no status",
        status_level="" if row["statuslevel"] in ("", "0") else row["statuslevel"],
        change=(points_text(change) + " points") if change else "",
        change_level=row["changelevel"].strip(),
        color=color,
        why_no_color=why,
    )


# --- pages ----------------------------------------------------------------------------------


def units_of(summary: Iterable[Row]) -> dict[tuple[str, str], UnitRef]:
    """Every unit in the public summary, its name from its latest row."""
    found: dict[tuple[str, str], UnitRef] = {}
    for row in sorted(summary, key=lambda r: r["school_year"]):
        key = (row["level"], row["unit_id"])
        found[key] = UnitRef(row["level"], row["unit_id"], row.get("unit_name", "") or "")
    return found


def districts_of(units: Iterable[Mapping[str, object]]) -> dict[str, str]:
    """School id → district id, from the ``units`` list of ``public_summary.json`` (as
    ``rollcall publish`` writes it)."""
    return {
        str(u["unit_id"]): str(u["district_id"])
        for u in units
        if u.get("level") == SCHOOL and u.get("district_id") and u.get("unit_id")
    }


def _by_dimension(rows: Iterable[Row], make: Callable[[Row], T]) -> dict[str, list[T]]:
    """The rows of each dimension but ``all``, made into records: dimensions in the order they
    first appear, grades in grade order, ``unknown`` last, other groups as in the file."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row["dimension"] != "all":
            grouped[row["dimension"]].append(row)
    return {
        dimension_label(dimension): [
            make(r) for r in sorted(items, key=lambda r: _group_order(dimension, r["group"]))
        ]
        for dimension, items in grouped.items()
    }


def _measured(equity: dict[str, list[EquityRow]]) -> dict[str, list[EquityRow]]:
    """The equity rows with something to show; a dimension with none is left out."""
    kept = {dimension: [r for r in rows if not r.empty] for dimension, rows in equity.items()}
    return {dimension: rows for dimension, rows in kept.items() if rows}


def build_pages(
    summary: Sequence[Row],
    equity: Sequence[Row],
    dashboard: Sequence[Row],
    district_of: Mapping[str, str],
) -> tuple[list[UnitPage], list[IndexRow], str]:
    """Every unit's page, the index rows and the school year shown (the latest in the file).
    ``district_of`` (school id → district id) links schools and their district."""
    if not summary:
        return [], [], ""
    year = max(r["school_year"] for r in summary)
    units = units_of(summary)
    rows: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in summary:
        rows[(r["level"], r["unit_id"])].append(r)
    fairness: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in equity:
        if r["school_year"] == year:
            fairness[(r["level"], r["unit_id"])].append(r)
    colours: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in dashboard:
        colours[(r["level"], r["unit_id"])].append(r)
    dashboard_year = max((r["school_year"] for r in dashboard), default="")

    pages: list[UnitPage] = []
    index: list[IndexRow] = []
    for key in sorted(units, key=lambda k: (SITE_ORDER.get(k[0], 9), units[k].title, k[1])):
        unit = units[key]
        district_id = district_of.get(unit.unit_id) if unit.level == SCHOOL else None
        district = units.get(("district", district_id)) if district_id else None
        page = unit_page(unit, year, district, rows[key], fairness[key], colours[key])
        page.dashboard_year = dashboard_year
        pages.append(page)
        index.append(index_row(page))
    by_district: dict[str, list[IndexRow]] = defaultdict(list)
    for entry in index:
        if entry.district is not None:
            by_district[entry.district.unit_id].append(entry)
    for page in pages:
        if page.unit.level == DISTRICT:
            page.schools = by_district.get(page.unit.unit_id, [])
    return pages, index, year


def index_row(page: UnitPage) -> IndexRow:
    head = page.headline
    if head is None:
        missing = hidden_value(f"no row for {page.school_year}")
        return IndexRow(page.unit, page.district, missing, missing, missing.reason)
    return IndexRow(page.unit, page.district, head.eligible, head.rate, head.note)


def unit_page(
    unit: UnitRef,
    year: str,
    district: UnitRef | None,
    rows: Sequence[Row],
    equity: Sequence[Row],
    dashboard: Sequence[Row],
) -> UnitPage:
    overall = sorted(
        (group_row(r) for r in rows if r["dimension"] == "all"), key=lambda g: g.school_year
    )
    headline = next((g for g in overall if g.school_year == year), None)
    points = [
        TrendPoint(
            g.school_year,
            g.rate.sort if not g.rate.hidden and not g.rate.is_range else None,
            g.rate.text,
        )
        for g in overall
    ]
    chart_id = "trend-" + re.sub(r"[^A-Za-z0-9_-]", "_", f"{unit.level}-{unit.unit_id}")
    order = {code: rank for rank, code in enumerate(GROUP_ORDER)}
    return UnitPage(
        unit=unit,
        school_year=year,
        district=district,
        headline=headline,
        years=overall,
        chart=trend_svg(points, unit=unit.title, chart_id=chart_id),
        groups=_by_dimension((r for r in rows if r["school_year"] == year), group_row),
        equity=_measured(_by_dimension(equity, equity_row)),
        dashboard=[
            dashboard_entry(r)
            for r in sorted(dashboard, key=lambda r: order.get(r["studentgroup"], len(order)))
        ],
        dashboard_year="",
    )


# --- the notes that explain hidden values -----------------------------------------------------


@dataclass(frozen=True)
class NoteExplained:
    note: str
    explanation: str


_EXPLANATIONS = (
    (
        "chronically absent",
        "So few students in the group were chronically absent that the count could point to "
        "them, so the count is not published.",
    ),
    (
        "by the source",
        "The data these figures were made from had already hidden this value.",
    ),
    (
        "fewer than",
        "The group is too small to publish, so its figures are left out (primary suppression).",
    ),
    (
        "another group",
        "Once one group is hidden, its numbers could be worked out by subtracting the visible "
        "groups from the total (all students minus boys gives girls). So at least one more "
        "group is hidden too, usually the next smallest (complementary suppression). The same "
        "is done across a district's schools, so that a school cannot be found from its "
        "district's total.",
    ),
    (
        "range",
        "When all or almost none of a small group is chronically absent, the exact rate would "
        "tell you about every child in it. The rate is shown as a range instead, such as ≤5% "
        "(5% or less) or ≥95% (95% or more), and the counts are hidden.",
    ),
)


def explain_notes(rows: Iterable[Row]) -> list[NoteExplained]:
    """Each distinct note of the public summary, with what it means in plain words."""
    notes = sorted({(r.get("note") or "").strip() for r in rows} - {""})
    explained = []
    for note in notes:
        text = next(
            (words for key, words in _EXPLANATIONS if key in note.lower()),
            "A note from the publishing rules; the value beside it is hidden or shown as "
            "published.",
        )
        explained.append(NoteExplained(note, text))
    return explained
