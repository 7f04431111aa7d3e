"""The aggregate page's sessions section, for a source that publishes sessions (England's DfE
files, docs/sources/england.md): the unit's half-day sessions possible and missed, authorised
(excused) and unauthorised (unexcused), by reason, and week by week. Rates are the sessions' own
(missed ÷ possible), rounded half up as every rate on the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pyarrow as pa

from rollcall.formats.england.dfe import AUTHORISED, REASONS, UNAUTHORISED
from rollcall.report.records import Ratio, Unit

YEAR_TO_DATE = "year to date"
# What the aggregate page leaves out that published sessions give (report/aggregate_page.py).
ANSWERED = (
    "Why days were missed (excused, unexcused, suspension)",
    "Average daily attendance",
    "Through the year, month by month",
)


@dataclass(frozen=True)
class SessionLine:
    """One period's (or reason's) sessions, with their share of the sessions possible."""

    label: str
    possible: int | None
    sessions: int | None
    rate: Ratio | None
    authorised: Ratio | None = None
    unauthorised: Ratio | None = None
    suppressed: bool = False


@dataclass(frozen=True)
class ReasonLine:
    code: str
    reason: str
    kind: str  # authorised or unauthorised
    sessions: int
    rate: Ratio | None


@dataclass(frozen=True)
class SessionsSection:
    period: str  # the period the headline is about (``year to date``, or the last week)
    possible: int | None
    attendance: Ratio | None
    absence: Ratio | None
    authorised: Ratio | None
    unauthorised: Ratio | None
    suppressed: bool
    reasons: list[ReasonLine]
    weeks: list[SessionLine]


def sessions_section(table: pa.Table | None, unit: Unit, year: str) -> SessionsSection | None:
    """The unit's sessions for ``year`` (all pupils), or None when the source has none."""
    if table is None:
        return None
    rows = [
        r
        for r in table.to_pylist()
        if (r["school_year"], r["level"], r["unit_id"], r["dimension"]) == (year, *_key(unit))
    ]
    if not rows:
        return None
    weeks = sorted((r for r in rows if r["week_start"] is not None), key=lambda r: r["week_start"])
    whole = next((r for r in rows if r["period"] == YEAR_TO_DATE), weeks[-1] if weeks else None)
    if whole is None:
        return None
    possible = whole["possible_sessions"]
    return SessionsSection(
        period=whole["period"],
        possible=possible,
        attendance=_share(whole["attended_sessions"], possible),
        absence=_share(whole["absent_sessions"], possible),
        authorised=_share(whole["authorised_sessions"], possible),
        unauthorised=_share(whole["unauthorised_sessions"], possible),
        suppressed=whole["suppressed"],
        reasons=_reasons(whole),
        weeks=_weeks(weeks),
    )


def _weeks(rows: list[dict[str, Any]]) -> list[SessionLine]:
    """Each week's line, and a line saying so for a week between them with no figures (a
    half-term week the DfE published nothing for, for this unit)."""
    found: list[SessionLine] = []
    for before, row in zip([None, *rows], rows, strict=False):
        if before is not None:
            gap = before["week_start"] + timedelta(days=7)
            while gap < row["week_start"]:
                week = gap.isocalendar().week
                found.append(SessionLine(f"week {week} ({gap:%d %b})", None, None, None))
                gap += timedelta(days=7)
        found.append(_week(row))
    return found


def _key(unit: Unit) -> tuple[str, str, str]:
    return unit.level, unit.unit_id, "all"


def _share(part: int | None, whole: int | None) -> Ratio | None:
    if part is None or not whole:
        return None
    return Ratio.of(part, whole)


def _reasons(row: dict[str, Any]) -> list[ReasonLine]:
    """The reasons for absence, authorised then unauthorised, most sessions first."""
    found = [
        ReasonLine(code, reason, kind, row[column], _share(row[column], row["possible_sessions"]))
        for column, (code, reason, kind) in REASONS.items()
        if kind in (AUTHORISED, UNAUTHORISED) and row[column]
    ]
    return sorted(found, key=lambda r: (r.kind != AUTHORISED, -r.sessions))


def _week(row: dict[str, Any]) -> SessionLine:
    possible = row["possible_sessions"]
    return SessionLine(
        label=f"{row['period']} ({row['week_start']:%d %b})",
        possible=possible,
        sessions=row["absent_sessions"],
        rate=_share(row["absent_sessions"], possible),
        authorised=_share(row["authorised_sessions"], possible),
        unauthorised=_share(row["unauthorised_sessions"], possible),
        suppressed=row["suppressed"],
    )
