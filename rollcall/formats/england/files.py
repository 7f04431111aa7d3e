"""Reading one DfE attendance file: each row checked, its persistent absence into a
:class:`~rollcall.formats.aggregates.published.Reading` (the checks every published figure goes
through) and its sessions into rows of the sessions table.

A row is refused as a whole, at its file, line and column, when its sessions contradict
themselves (authorised and unauthorised absence that do not add up to the absence, attendance
and absence that do not add up to the sessions possible, a published rate its sessions do not
give); a figure the DfE hid (``c``) is kept as suppressed, and its other symbols as not
published, never as zero.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rollcall.formats.aggregates.layout import text_rows
from rollcall.formats.aggregates.published import (
    REASONS as PUBLISHED_REASONS,
)
from rollcall.formats.aggregates.published import (
    Figure,
    Reading,
    Row,
    parse_count,
    parse_rate,
)
from rollcall.formats.england import dfe
from rollcall.formats.england.sessions import COUNTS
from rollcall.formats.textfiles import decode, read_bytes
from rollcall.levels import TOTAL

# Why a row is refused: the published figures' reasons, and one of sessions' own.
ADDS_UP = "sessions do not add up"
REASONS = (*PUBLISHED_REASONS, ADDS_UP)
TITLE = "DfE pupil attendance"
# Enough bytes for the header (the DfE's has about 2,000 characters).
HEADER_BYTES = 16 * 1024


def header(path: Path) -> list[str]:
    """The file's column names (its first line), or an empty list when it is not a CSV."""
    if not path.is_file() or path.suffix.lower() != ".csv":
        return []
    lines = decode(read_bytes(path, HEADER_BYTES)).splitlines()
    line = lines[0] if lines else ""
    return [name.strip().strip('"').lower() for name in line.split(",")]


def recognise(path: Path) -> bool:
    """Whether ``path`` is a DfE attendance file (its header has the DfE's columns)."""
    return set(dfe.REQUIRED) <= set(header(path))


@dataclass
class DfeFile:
    """What was read from one file: the reading (persistent absence, refusals, codes), the
    sessions rows, and what the notes need."""

    reading: Reading
    sessions: list[dict[str, Any]] = field(default_factory=list)
    weekly: bool = False
    has_persistent: bool = False
    symbols: Counter[str] = field(default_factory=Counter)  # DfE symbols met, by symbol
    periods: Counter[str] = field(default_factory=Counter)  # rows per period
    keys: set[tuple[str | None, ...]] = field(default_factory=set)  # sessions rows seen


def read(path: Path) -> DfeFile:
    """Read one DfE attendance file (the caller has recognised it)."""
    rows = ((line, v) for line, v in text_rows(path, ",") if any(c.strip() for c in v))
    _, names = next(rows)
    columns = {name.strip().lower(): i for i, name in enumerate(names)}
    found = DfeFile(Reading(path, "dfe", TITLE, percent=True, decimals=0))
    found.has_persistent = dfe.PERSISTENT in columns
    used = {*dfe.REQUIRED, *dfe.UNIT_COLUMNS, *dfe.SESSION_COLUMNS, *dfe.SESSION_RATES}
    used |= {*dfe.REASONS, dfe.PERSISTENT}
    found.reading.matched = _matched(columns, names)
    found.reading.unmatched = tuple(n for n in names if n.strip().lower() not in used)
    for line, values in rows:
        found.reading.lines += 1
        if len(values) != len(names):
            column = names[len(values)] if len(values) < len(names) else "(beyond the header)"
            refuse(found.reading, line, column, "", "wrong number of values")
            continue
        _row(found, line, {name: values[i].strip() for name, i in columns.items()}, names)
    found.weekly = any(name.startswith("week") for name in found.periods)
    return found


def _matched(columns: dict[str, int], names: list[str]) -> dict[str, str]:
    """Aggregate and sessions columns → the DfE's columns they come from."""
    pairs = {
        "school_year": "time_period",
        "period": "time_identifier",
        "level": "geographic_level",
        "unit_id": "new_la_code",
        "unit_name": "la_name",
        "region": "region_name",
        "group": "education_phase",
        "published_rate": dfe.PERSISTENT,
        "enrolments": "enrolments",
        **COUNTS,
    }
    return {ours: names[columns[theirs]] for ours, theirs in pairs.items() if theirs in columns}


def refuse(reading: Reading, line: int, column: str, value: str, reason: str) -> None:
    assert reason in REASONS, reason  # a new reason must be named and documented
    reading.rejects.append(
        {
            "file": reading.path.name,
            "line": str(line),
            "column": column,
            "value": value,
            "reason": reason,
        }
    )


def _row(found: DfeFile, line: int, cell: dict[str, str], names: list[str]) -> None:
    reading = found.reading
    when = dfe.period(cell["time_period"], cell["time_identifier"])
    if when is None:
        value = f"{cell['time_period']} {cell['time_identifier']}"
        refuse(reading, line, _name(names, "time_period"), value, "not a school year")
        return
    found.periods[when.name] += 1
    geography = cell["geographic_level"]
    level = dfe.LEVELS.get(geography, "")
    reading.code("geographic_level", geography, _level_words(geography, level))
    if level is None:
        reading.skip("regional rows (rollcall has no level between local authority and England)")
        return
    phase = cell["education_phase"]
    group = ("all", "all") if phase == "Total" else (dfe.PHASE_DIMENSION, phase)
    known = phase == "Total" or phase in dfe.PHASES
    reading.code("education_phase", phase, f"{group[0]}: {group[1]}" if known else None)
    if not level or not known:
        return  # not mapped: finish() stops the load (inspect notes it)
    if level == TOTAL:
        unit_id, unit_name, district = TOTAL, cell.get("country_name") or "England", None
    else:
        unit_id = cell.get("new_la_code", "")
        if not unit_id:
            refuse(reading, line, _name(names, "new_la_code"), "", "missing value")
            return
        unit_name, district = cell.get("la_name") or unit_id, unit_id
    sessions = _sessions(found, line, cell, names)
    if sessions is None:
        return
    refused = len(reading.rejects)
    if found.has_persistent:
        rate = _symbol(found, cell[dfe.PERSISTENT])
        reading.add(
            Row(
                line,
                when.school_year,
                level,
                unit_id,
                unit_name,
                district,
                *group,
                rate=Figure(rate, _name(names, dfe.PERSISTENT)),
            )
        )
    if len(reading.rejects) > refused:
        return  # the persistent absence figure was refused: the row goes with it
    key = (when.school_year, when.name, level, unit_id, *group)
    if key in found.keys:
        refuse(reading, line, _name(names, "education_phase"), phase, "duplicate")
        return
    found.keys.add(key)
    found.sessions.append(
        {
            "school_year": when.school_year,
            "period": when.name,
            "week_start": when.week_start,
            "level": level,
            "unit_id": unit_id,
            "unit_name": unit_name,
            "region": cell.get("region_name") or None,
            "dimension": group[0],
            "group": group[1],
            **sessions,
        }
    )


def _level_words(geography: str, level: str | None) -> str | None:
    if level is None:
        return "skipped: region"
    return level or None


def _name(names: list[str], column: str) -> str:
    """The column as the file spells it."""
    return next((n for n in names if n.strip().lower() == column), column)


def _symbol(found: DfeFile, text: str) -> str:
    """A figure as the aggregate reading takes it: the DfE's ``c`` as suppressed (``*``), its
    other symbols as not published (empty); each symbol counted for the notes."""
    value = text.strip().lower()
    if value == dfe.SUPPRESSED:
        found.symbols[dfe.SUPPRESSED] += 1
        return "*"
    if value in dfe.NOT_PUBLISHED:
        if value:
            found.symbols[value] += 1
        return ""
    return text


def _sessions(
    found: DfeFile, line: int, cell: dict[str, str], names: list[str]
) -> dict[str, Any] | None:
    """The row's session figures, checked; None when the row is refused."""
    counts: dict[str, int | None] = {}
    hidden = False
    for column in (*COUNTS.values(), *dfe.REASONS):
        if column not in cell:
            counts[column] = None
            continue
        text = _symbol(found, cell[column])
        if text in ("*", ""):
            hidden = hidden or text == "*"
            counts[column] = None
            continue
        try:
            counts[column] = parse_count(text)
        except ValueError:
            refuse(found.reading, line, _name(names, column), cell[column], "not a number")
            return None
        if counts[column] < 0:  # type: ignore[operator]
            refuse(found.reading, line, _name(names, column), cell[column], "negative count")
            return None
    enrolments = _enrolments(found, line, cell, names)
    if enrolments is False:
        return None
    if not _adds_up(found.reading, line, counts, cell, names):
        return None
    if not _rates_agree(found.reading, line, counts, cell, names):
        return None
    return {
        "enrolments": enrolments,
        **{ours: counts[theirs] for ours, theirs in COUNTS.items()},
        **{column: counts[column] for column in dfe.REASONS},
        "suppressed": hidden,
    }


def _enrolments(
    found: DfeFile, line: int, cell: dict[str, str], names: list[str]
) -> float | bool | None:
    """The average number of pupils on roll over the period (the DfE's ``enrolments``, not a
    whole number); False when the row is refused."""
    text = _symbol(found, cell.get("enrolments", ""))
    if text in ("*", ""):
        return None
    try:
        value = float(text)
    except ValueError:
        refuse(found.reading, line, _name(names, "enrolments"), text, "not a number")
        return False
    if value < 0:
        refuse(found.reading, line, _name(names, "enrolments"), text, "negative count")
        return False
    return value


def _adds_up(
    reading: Reading,
    line: int,
    counts: dict[str, int | None],
    cell: dict[str, str],
    names: list[str],
) -> bool:
    """Authorised and unauthorised absence make the absence; attendance and absence make the
    sessions possible (when all are published)."""
    sums = (
        ("overall_absence", ("authorised_absence", "unauthorised_absence")),
        ("possible_sessions", ("overall_attendance", "overall_absence")),
    )
    for whole, parts in sums:
        values = [counts[whole], *(counts[p] for p in parts)]
        if any(v is None for v in values):
            continue
        if sum(counts[p] or 0 for p in parts) != counts[whole]:
            refuse(reading, line, _name(names, whole), cell[whole], ADDS_UP)
            return False
    return True


def _rates_agree(
    reading: Reading,
    line: int,
    counts: dict[str, int | None],
    cell: dict[str, str],
    names: list[str],
) -> bool:
    """Each published session rate is its sessions over the sessions possible, to its rounding
    (the aggregate rate check: docs/sources/aggregates.md)."""
    possible = counts["possible_sessions"]
    for rate_column, count_column in dfe.SESSION_RATES.items():
        text = cell.get(rate_column, "").strip()
        count = counts[count_column]
        symbols = (dfe.SUPPRESSED, *dfe.NOT_PUBLISHED)
        if possible is None or count is None or text.lower() in symbols:
            continue
        try:
            rate = parse_rate(text, percent=True)
        except ValueError:
            refuse(reading, line, _name(names, rate_column), text, "not a number")
            return False
        reading.checked += 1
        if not rate.matches(count, possible):
            reading.mismatched.append((line, _name(names, rate_column), text))
            refuse(reading, line, _name(names, rate_column), text, "rate does not match counts")
            return False
    return True
