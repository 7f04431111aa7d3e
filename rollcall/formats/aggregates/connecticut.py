"""Connecticut's published chronic absenteeism by district and race/ethnicity.

``ct-raw``: the State Department of Education's EdSight download: a title line
(``Chronic Absenteeism, 2018-19``), a line of what the file covers, a line grouping the figures
(``Chronically Absent``), then ``District, District Code, Race/Ethnicity, Student Count, %``.
``Student Count`` is the number chronically absent and ``%`` the rate, a tenth of a percent;
no denominator is published. ``*`` marks a suppressed figure (a count below 6 or a group below
20 students; the rule changed over the years). District codes are written ``="0070011"`` so
that a spreadsheet keeps their leading zeros.

``ct-long``: the CT Data Collaborative's long layout of the same figures
(``District, FIPS, Year, Race/Ethnicity, Variable, Measure Type, Value``), one value per row,
with ``-9999`` for suppressed and ``-6666`` for a district and year with no figure. District
names are the only ids it has; ``Connecticut`` is the state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rollcall.errors import InputError
from rollcall.formats.aggregates.layout import Layout, Sniff, text_rows
from rollcall.formats.aggregates.published import Figure, Reading, Row, figure_in, school_year

TITLE = "Connecticut EdSight chronic absenteeism download"
LONG_TITLE = "CT Data Collaborative chronic absenteeism (long layout)"
STATE = "Connecticut"
STATE_NAMES = frozenset({"connecticut", "state level", "notset"})

# Connecticut's race/ethnicity labels → rollcall's groups (docs/sources/aggregates.md).
GROUPS: dict[str, tuple[str, str]] = {
    "All Students": ("all", "all"),
    "American Indian or Alaska Native": ("race_ethnicity", "American Indian or Alaska Native"),
    "Asian": ("race_ethnicity", "Asian"),
    "Black or African American": ("race_ethnicity", "Black or African American"),
    "Hispanic/Latino of any race": ("race_ethnicity", "Hispanic or Latino"),
    "Native Hawaiian or Other Pacific Islander": (
        "race_ethnicity",
        "Native Hawaiian or Pacific Islander",
    ),
    "Two or More Races": ("race_ethnicity", "Two or More Races"),
    "White": ("race_ethnicity", "White"),
}
RATE_HEADERS = ("%", "% Chronically Absent")
COUNT_HEADERS = ("Student Count",)
LONG_HEADER = ("District", "FIPS", "Year", "Race/Ethnicity", "Variable", "Measure Type", "Value")
# The CT Data Collaborative's markers.
LONG_SUPPRESSED, LONG_MISSING = "-9999", "-6666"
TITLE_LINE = re.compile(r"chronic absenteeism,?\s*(\d{4}\s*[-–]\s*\d{2,4})", re.IGNORECASE)


def _header_row(rows: tuple[tuple[str, ...], ...] | list[list[str]]) -> int | None:
    """Index of the row naming District and Race/Ethnicity, within the first ten rows."""
    for i, row in enumerate(rows[:10]):
        cells = [cell.strip() for cell in row]
        if "District" in cells and "Race/Ethnicity" in cells:
            return i
    return None


def recognise(seen: Sniff) -> bool:
    at = _header_row(seen.rows)
    if at is None or seen.delimiter is None:
        return False
    cells = [cell.strip() for cell in seen.rows[at]]
    title = " ".join(seen.first())
    return bool(TITLE_LINE.search(title)) and any(h in cells for h in RATE_HEADERS)


def recognise_long(seen: Sniff) -> bool:
    return tuple(cell.strip() for cell in seen.first()) == LONG_HEADER


def _unit(name: str, code: str) -> tuple[str, str, str, str | None]:
    """(level, unit_id, unit_name, district_id) of a Connecticut row."""
    if name.strip().lower() in STATE_NAMES:
        return "total", "total", STATE, None
    unit_id = code.strip().lstrip("=").strip('"') or name.strip()
    return "district", unit_id, name.strip(), unit_id


def _group(reading: Reading, column: str, label: str) -> tuple[str, str] | None:
    found = GROUPS.get(label)
    reading.code(column, label, f"{found[0]}: {found[1]}" if found else None)
    return found


# --- ct-raw ----------------------------------------------------------------------------------


def read(path: Path, seen: Sniff) -> Reading:
    reading = Reading(path, "ct-raw", TITLE, percent=True, decimals=1)
    records = [(line, values) for line, values in text_rows(path, ",")]
    title = next((" ".join(v) for _, v in records if any(c.strip() for c in v)), "")
    match = TITLE_LINE.search(title)
    year = school_year(re.sub(r"\s", "", match.group(1)).replace("–", "-")) if match else None
    if year is None:
        raise InputError(
            "the title line names no school year",
            path=path,
            line=1,
            hint="an EdSight download starts with a line like 'Chronic Absenteeism, 2018-19'",
        )
    at = _header_row([values for _, values in records])
    assert at is not None  # recognise found it
    header_line, header = records[at]
    columns = _columns(reading, header_line, [cell.strip() for cell in header])
    reading.notes.append(
        "Connecticut publishes the number and share of students chronically absent, not the "
        "number of students: eligible_students is empty."
    )
    for line, values in records[at + 1 :]:
        if not any(cell.strip() for cell in values):
            continue
        reading.lines += 1
        if len(values) != len(header):
            column = header[len(values)] if len(values) < len(header) else "(beyond the header)"
            reading.refuse(line, column, "", "wrong number of values")
            continue
        group = _group(reading, header[columns["group"]], values[columns["group"]].strip())
        if group is None:
            continue
        code = values[columns["code"]] if "code" in columns else ""
        level, unit_id, name, district = _unit(values[columns["district"]], code)
        reading.add(
            Row(
                line,
                year,
                level,
                unit_id,
                name,
                district,
                *group,
                chronic=figure_in(values, header, columns, "count"),
                rate=figure_in(values, header, columns, "rate"),
            )
        )
    return reading


def _columns(reading: Reading, line: int, header: list[str]) -> dict[str, int]:
    found = {"district": "District", "code": "District Code", "group": "Race/Ethnicity"}
    columns = {name: header.index(h) for name, h in found.items() if h in header}
    for name, spellings in (("count", COUNT_HEADERS), ("rate", RATE_HEADERS)):
        for spelling in spellings:
            if spelling in header:
                columns[name] = header.index(spelling)
                break
    missing = [h for name, h in found.items() if name not in columns and name != "code"]
    if missing:
        raise InputError(f"the header lacks {', '.join(missing)}", path=reading.path, line=line)
    names = {
        "district": "unit_name",
        "code": "unit_id",
        "group": "group",
        "count": "chronically_absent",
        "rate": "published_rate",
    }
    reading.matched = {names[n]: header[i] for n, i in columns.items()}
    reading.unmatched = tuple(h for i, h in enumerate(header) if i not in columns.values())
    return columns


# --- ct-long ---------------------------------------------------------------------------------


def read_long(path: Path, seen: Sniff) -> Reading:
    reading = Reading(path, "ct-long", LONG_TITLE, percent=True, decimals=1)
    rows = _long_rows(path)
    _, header = next(rows)
    reading.matched = {
        "unit_name": "District",
        "unit_id": "District",
        "school_year": "Year",
        "group": "Race/Ethnicity",
        "published_rate": "Value (Percent)",
        "chronically_absent": "Value (Number)",
    }
    reading.unmatched = ("FIPS",)
    reading.notes.append(
        "The long layout names districts but gives no district codes: unit_id is the name."
    )
    # One aggregate row from up to two lines (a Percent and a Number), at the first line.
    cells: dict[tuple[str, str, str], _Cell] = {}
    for line, values in rows:
        reading.lines += 1
        if len(values) != len(header):
            column = header[len(values)] if len(values) < len(header) else "(beyond the header)"
            reading.refuse(line, column, "", "wrong number of values")
            continue
        district, _, year_text, label, variable, measure, value = (v.strip() for v in values)
        year = school_year(year_text)
        if year is None:
            reading.refuse(line, "Year", year_text, "not a school year")
            continue
        reading.code(
            "Variable",
            variable,
            "chronically absent" if variable == "Chronically Absent Students" else None,
        )
        kind = {"Percent": "rate", "Number": "count"}.get(measure)
        reading.code("Measure Type", measure, kind)
        group = _group(reading, "Race/Ethnicity", label)
        if group is None or kind is None or variable != "Chronically Absent Students":
            continue
        if value == LONG_MISSING:
            reading.skip("values marked -6666 (no figure published for that district and year)")
            continue
        cell = cells.setdefault((district, year, label), _Cell(line, group))
        setattr(cell, kind, Figure("*" if value == LONG_SUPPRESSED else value, "Value"))
    for (district, year, _), cell in cells.items():
        level, unit_id, name, district_id = _unit(district, "")
        reading.add(
            Row(
                cell.line,
                year,
                level,
                unit_id,
                name,
                district_id,
                *cell.group,
                chronic=cell.count,
                rate=cell.rate,
            )
        )
    return reading


@dataclass
class _Cell:
    """The figures of one district, year and group, gathered from the long layout's lines."""

    line: int
    group: tuple[str, str]
    count: Figure | None = None
    rate: Figure | None = None


def _long_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    return ((line, v) for line, v in text_rows(path, ",") if any(c.strip() for c in v))


LAYOUTS = (
    Layout("ct-raw", TITLE, recognise, read),
    Layout("ct-long", LONG_TITLE, recognise_long, read_long),
)
