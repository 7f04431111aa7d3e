"""Colorado Department of Education chronic absenteeism workbooks (Excel ``.xlsx``).

``co-district``: one row per district, under a title merged across the first rows and a header
row (found by its ``School Year`` cell). The header changed between years:

| field | 2021-22 | 2022-23 |
|---|---|---|
| chronically absent | Number of Students with Chronic Absenteeism | Chronic Absent Count |
| denominator | 2021-2022 Student Count | K-12 Student Count (used in Chronic Absent Rate) |
| rate | Chronically Absent Rate (a fraction, 0.391) | same |

The state's row (``State Total``) is the total; a footnote under the table says the state total
counts each student once statewide, so it is not the sum of the districts.

``co-state``: the statewide workbook, laid out as a form: label cells (``K Count``,
``K Chronically Absent Count``) with the figure to their right and the rate (merged over the
two rows) beside the first. Groups: grade, gender, program (IPST) and race/ethnicity.
"""

from __future__ import annotations

import re
from pathlib import Path

from rollcall.errors import InputError
from rollcall.formats.aggregates.layout import Layout, Sniff
from rollcall.formats.aggregates.published import (
    Figure,
    Reading,
    Row,
    figure_in,
    school_year,
)
from rollcall.formats.textfiles import cell_text, open_workbook

TITLE = "Colorado district chronic absenteeism workbook"
STATE_TITLE = "Colorado statewide chronic absenteeism workbook"
STATE = "Colorado"
RATE = "Chronically Absent Rate"
COUNT_HEADERS = ("Chronic Absent Count", "Number of Students with Chronic Absenteeism")
ELIGIBLE_HEADERS = ("K-12 Student Count (used in Chronic Absent Rate)",)
ELIGIBLE_PATTERN = re.compile(r"\d{4}-\d{4} Student Count")
YEAR_IN_TITLE = re.compile(r"(\d{4}-\d{4})")

# The statewide workbook's group labels → rollcall's groups (docs/sources/aggregates.md).
STATE_GROUPS: dict[str, tuple[str, str]] = {
    "Female": ("gender", "F"),
    "Male": ("gender", "M"),
    "ELL": ("english_learner", "Y"),
    "Special Education": ("disability", "Y"),
    "Free or Reduced Lunch": ("economically_disadvantaged", "Y"),
    "Homeless": ("homeless", "Y"),
    "Migrant": ("migrant", "Y"),
    "Amer Indian/Alaskan Native": ("race_ethnicity", "American Indian or Alaska Native"),
    "Amer Indian/Alaska Native": ("race_ethnicity", "American Indian or Alaska Native"),
    "Asian": ("race_ethnicity", "Asian"),
    "Black or African American": ("race_ethnicity", "Black or African American"),
    "Hispanic or Latino": ("race_ethnicity", "Hispanic or Latino"),
    "White": ("race_ethnicity", "White"),
    "Hawaiian/Pacific Islander": ("race_ethnicity", "Native Hawaiian or Pacific Islander"),
    "Two or More Races": ("race_ethnicity", "Two or More Races"),
    "K": ("grade", "K"),
    **{
        f"{n}{'st' if n == 1 else 'nd' if n == 2 else 'rd' if n == 3 else 'th'}": ("grade", str(n))
        for n in range(1, 13)
    },
}
STATE_TOTAL = {
    "K-12 Student Count": "eligible",
    "Chronic Absenteeism Count": "chronic",
    "Chronic Absenteeism Rate": "rate",
}
COUNT_SUFFIX, CHRONIC_SUFFIX = " Count", " Chronically Absent Count"


def workbook_rows(path: Path, limit: int | None = None) -> list[tuple[object, ...]]:
    """The values of the first worksheet's rows."""
    with open_workbook(path) as book:
        rows = []
        for row in book.worksheets[0].iter_rows(values_only=True):
            rows.append(tuple(row))
            if limit is not None and len(rows) == limit:
                break
        return rows


def first_rows(path: Path, limit: int) -> tuple[tuple[str, ...], ...]:
    """The first rows as text cells, for telling the layout."""
    return tuple(tuple(cell_text(v) for v in row) for row in workbook_rows(path, limit))


def _header_row(rows: list[tuple[str, ...]] | tuple[tuple[str, ...], ...]) -> int | None:
    for i, row in enumerate(rows):
        if row and row[0] == "School Year" and "District Name" in row:
            return i
    return None


def recognise(seen: Sniff) -> bool:
    at = _header_row(seen.rows)
    return seen.delimiter is None and at is not None and RATE in seen.rows[at]


def recognise_state(seen: Sniff) -> bool:
    cells = {cell for row in seen.rows for cell in row}
    return seen.delimiter is None and {"K-12 Student Count", "Chronic Absenteeism Count"} <= cells


def _letter(index: int) -> str:
    # Imported here, as textfiles.py does: openpyxl takes a tenth of a second to import, and
    # every command reading any input would pay it (the readers are all registered at start).
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --- co-district -----------------------------------------------------------------------------


def read(path: Path, seen: Sniff) -> Reading:
    reading = Reading(path, "co-district", TITLE, percent=False, decimals=3)
    rows = [tuple(cell_text(v) for v in row) for row in workbook_rows(path)]
    at = _header_row(rows)
    assert at is not None  # recognise found it
    header = list(rows[at])
    columns = _columns(reading, at + 1, header)
    title = next((cell for row in rows[:at] for cell in row if cell), "")
    if title:
        reading.notes.append(f"Workbook title (above the header on row {at + 1}): {title}.")
    for number, values in enumerate(rows[at + 1 :], start=at + 2):
        cells = [v for v in values if v]
        if not cells:
            continue
        if len(cells) == 1 and values[0] and not values[columns["district"]]:
            reading.notes.append(f"Footnote on row {number}: {values[0]}")
            continue
        reading.lines += 1
        _add_district(reading, number, values, header, columns)
    return reading


def _columns(reading: Reading, line: int, header: list[str]) -> dict[str, int]:
    columns = {
        "year": "School Year",
        "district": "District Code",
        "name": "District Name",
        "county": "County Code",
        "rate": RATE,
    }
    found = {name: header.index(h) for name, h in columns.items() if h in header}
    for name, spellings in (("chronic", COUNT_HEADERS), ("eligible", ELIGIBLE_HEADERS)):
        for spelling in spellings:
            if spelling in header:
                found[name] = header.index(spelling)
                break
    if "eligible" not in found:
        for i, h in enumerate(header):
            if ELIGIBLE_PATTERN.fullmatch(h):
                found["eligible"] = i
                break
    missing = [n for n in ("year", "district", "chronic", "eligible", "rate") if n not in found]
    if missing:
        raise InputError(
            f"the header lacks {', '.join(missing)}",
            path=reading.path,
            line=line,
            hint="a Colorado district workbook has School Year, District Code, a chronically "
            "absent count, a student count and Chronically Absent Rate",
        )
    names = {
        "year": "school_year",
        "district": "unit_id",
        "name": "unit_name",
        "chronic": "chronically_absent",
        "eligible": "eligible_students",
        "rate": "published_rate",
    }
    reading.matched = {names[n]: header[i] for n, i in found.items() if n in names}
    used = {i for n, i in found.items() if n in names}
    reading.unmatched = tuple(h for i, h in enumerate(header) if h and i not in used)
    return found


def _add_district(
    reading: Reading,
    number: int,
    values: tuple[str, ...],
    header: list[str],
    columns: dict[str, int],
) -> None:
    year = school_year(values[columns["year"]])
    if year is None:
        reading.refuse(
            number, header[columns["year"]], values[columns["year"]], "not a school year"
        )
        return
    if values[columns["county"]].lower().startswith("state total"):
        level, unit_id, name, district = "total", "total", STATE, None
    else:
        unit_id = values[columns["district"]]
        level, name, district = (
            "district",
            values[columns.get("name", columns["district"])],
            unit_id,
        )

    reading.add(
        Row(
            number,
            year,
            level,
            unit_id,
            name,
            district,
            "all",
            "all",
            eligible=figure_in(values, header, columns, "eligible"),
            chronic=figure_in(values, header, columns, "chronic"),
            rate=figure_in(values, header, columns, "rate"),
        )
    )


# --- co-state --------------------------------------------------------------------------------


def read_state(path: Path, seen: Sniff) -> Reading:
    reading = Reading(path, "co-state", STATE_TITLE, percent=False, decimals=3)
    rows = [tuple(cell_text(v) for v in row) for row in workbook_rows(path)]
    title = next((cell for row in rows for cell in row if cell), "")
    found = YEAR_IN_TITLE.search(title)
    year = school_year(found.group(1)) if found else None
    if year is None:
        raise InputError(
            "the title names no school year",
            path=path,
            line=1,
            hint="the statewide workbook's title starts with the year, like '2022-2023 State ...'",
        )
    reading.matched = {
        "eligible_students": "<group> Count",
        "published_rate": "the cell beside it",
        "chronically_absent": "<group> Chronically Absent Count",
    }
    total: dict[str, Figure] = {}
    total_line = 0
    for r, row in enumerate(rows):
        for c, label in enumerate(row):
            if label in STATE_TOTAL:
                total[STATE_TOTAL[label]] = Figure(
                    _at(rows, r, c + 1), f"{_letter(c + 1)} ({label})"
                )
                total_line = total_line or r + 1
            elif _is_group(rows, r, c):
                reading.lines += 1
                _add_group(reading, rows, r, c, year)
    if total:
        reading.lines += 1
        reading.add(
            Row(
                total_line,
                year,
                "total",
                "total",
                STATE,
                None,
                "all",
                "all",
                eligible=total.get("eligible"),
                chronic=total.get("chronic"),
                rate=total.get("rate"),
            )
        )
    # The labels of figures the workbook has and rollcall does not use (attendance, truancy).
    reading.unmatched = tuple(
        dict.fromkeys(
            label
            for row in rows
            for label in row
            if label.endswith((COUNT_SUFFIX, " Rate"))
            and label not in STATE_TOTAL
            and not label.endswith(CHRONIC_SUFFIX)
            and label[: -len(COUNT_SUFFIX)] not in STATE_GROUPS
        )
    )
    return reading


def _at(rows: list[tuple[str, ...]], r: int, c: int) -> str:
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""


def _is_group(rows: list[tuple[str, ...]], r: int, c: int) -> bool:
    """A ``<group> Count`` label with ``<group> Chronically Absent Count`` under it."""
    label = rows[r][c]
    return (
        label.endswith(COUNT_SUFFIX)
        and not label.endswith(CHRONIC_SUFFIX)
        and _at(rows, r + 1, c).endswith(CHRONIC_SUFFIX)
    )


def _add_group(reading: Reading, rows: list[tuple[str, ...]], r: int, c: int, year: str) -> None:
    label = rows[r][c][: -len(COUNT_SUFFIX)]
    group = STATE_GROUPS.get(label)
    reading.code("label", label, f"{group[0]}: {group[1]}" if group else None)
    if group is None:
        return
    reading.add(
        Row(
            r + 1,
            year,
            "total",
            "total",
            STATE,
            None,
            *group,
            eligible=Figure(_at(rows, r, c + 1), f"{_letter(c + 1)} ({rows[r][c]})"),
            chronic=Figure(_at(rows, r + 1, c + 1), f"{_letter(c + 1)} ({rows[r + 1][c]})"),
            rate=Figure(_at(rows, r, c + 2), f"{_letter(c + 2)} (rate of {label})"),
        )
    )


LAYOUTS = (
    Layout("co-district", TITLE, recognise, read),
    Layout("co-state", STATE_TITLE, recognise_state, read_state),
)
