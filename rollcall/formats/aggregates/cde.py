"""California Department of Education (CDE) chronic absenteeism downloads.

``cde``: the DataQuest download file (``chronicabsenteeism24.txt``), tab-delimited, one row per
year, aggregate level, unit, charter/DASS subset and reporting category. Its header changed over
the years; every spelling below is read (spaces and case do not matter):

- year: ``Academic Year`` (2016-17 and again from 2023-24), ``AcademicYear`` between;
- charter: ``Charter (Y/N)`` (2016-17: a flag on each school), ``CharterYN`` (All/Y/N),
  ``CharterSchool`` or ``Charter School`` (All/Yes/No);
- DASS (Dashboard Alternative School Status, from 2019-20): ``DASS`` (All/Yes/No);
- the rate's denominator: ``Cumulative Enrollment`` (2016-17, when it was the denominator),
  ``ChronicAbsenteeismEligibleEnrollment`` (2017-18, 2018-19), then
  ``ChronicAbsenteeismEligibleCumulativeEnrollment``; a file with an eligible column also has
  ``CumulativeEnrollment`` (all students enrolled), which is not used;
- ``ChronicAbsenteeismCount`` and ``ChronicAbsenteeismRate`` (a percentage, one decimal).

The ``cde-wide`` layout (a column pair per year) is in cde_wide.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rollcall.errors import InputError
from rollcall.formats.aggregates.layout import Layout, Sniff, text_rows
from rollcall.formats.aggregates.published import Reading, Row, figure_in, school_year
from rollcall.levels import DISTRICT, SCHOOL, TOTAL
from rollcall.notes import Note

# CDE's district rows for non-charter schools only (D2), when the file has no D1 rows: the
# district figures leave the charter schools out, which a reader must know.
D2_NOTE = Note(
    "District rows are CDE's D2 rows: the district's non-charter schools only (the file "
    "has no D1 rows for all of its schools).",
    kind="not_counted",
    plain="District figures count the district's non-charter schools only: its charter schools "
    "are not in them (the file has no figures for all of the district's schools).",
)

TITLE = "California Department of Education chronic absenteeism download"
STATE = "California"

# Reporting category → (dimension, group, CDE's own label). Dimensions and groups are spelled
# as rollcall's student attributes are (docs/format.md), so that a state file and the engine's
# summary line up; docs/sources/aggregates.md shows this table.
CATEGORIES: dict[str, tuple[str, str, str]] = {
    "TA": ("all", "all", "Total"),
    "RB": ("race_ethnicity", "Black or African American", "African American"),
    "RI": (
        "race_ethnicity",
        "American Indian or Alaska Native",
        "American Indian or Alaska Native",
    ),
    "RA": ("race_ethnicity", "Asian", "Asian"),
    "RF": ("race_ethnicity", "Filipino", "Filipino"),
    "RH": ("race_ethnicity", "Hispanic or Latino", "Hispanic or Latino"),
    "RP": ("race_ethnicity", "Native Hawaiian or Pacific Islander", "Pacific Islander"),
    "RT": ("race_ethnicity", "Two or More Races", "Two or More Races"),
    "RW": ("race_ethnicity", "White", "White"),
    "RD": ("race_ethnicity", "Not reported", "Did not Report"),
    "GF": ("gender", "F", "Female"),
    "GM": ("gender", "M", "Male"),
    "GX": ("gender", "X", "Non-Binary"),
    "GZ": ("gender", "Not reported", "Missing Gender"),
    "SE": ("english_learner", "Y", "English Learners"),
    "SD": ("disability", "Y", "Students with Disabilities"),
    "SS": ("economically_disadvantaged", "Y", "Socioeconomically Disadvantaged"),
    "SM": ("migrant", "Y", "Migrant"),
    "SF": ("foster", "Y", "Foster"),
    "SH": ("homeless", "Y", "Homeless"),
    "GRK": ("grade", "K", "Kindergarten"),
    "GRUG": ("grade", "UG", "Ungraded Elementary and Secondary"),
    "GRTKKN": ("grade_span", "TK-K", "Grades TK–K"),
    "GR13": ("grade_span", "1-3", "Grades 1–3"),
    "GR46": ("grade_span", "4-6", "Grades 4–6"),
    "GR78": ("grade_span", "7-8", "Grades 7–8"),
    "GRK8": ("grade_span", "K-8", "Grades K–8"),
    "GRTK8": ("grade_span", "TK-8", "Grades TK–8"),
    "GR912": ("grade_span", "9-12", "Grades 9–12"),
}

# Aggregate level → rollcall's level; None: skipped. County rows are skipped: rollcall reports
# schools, districts and the total (the county's own figures stay in the file).
LEVELS: dict[str, str | None] = {
    "T": "total",
    "C": None,
    "D": "district",
    "D1": "district",
    "D2": "district",  # non-charter schools only: used only when the file has no D1 rows
    "S": "school",
}

# Field → the header spellings it has had (compared lower-case with anything but letters and
# digits removed, so "Academic Year", "AcademicYear" and "Academic.Year" are one).
SPELLINGS: dict[str, tuple[str, ...]] = {
    "year": ("academicyear",),
    "level": ("aggregatelevel",),
    "district_code": ("districtcode",),
    "school_code": ("schoolcode",),
    "district_name": ("districtname",),
    "school_name": ("schoolname",),
    "charter": ("charterschool", "charteryn", "charter"),
    "dass": ("dass",),
    "category": ("reportingcategory",),
    "eligible": (
        "chronicabsenteeismeligiblecumulativeenrollment",
        "chronicabsenteeismeligibleenrollment",
        "cumulativeeligibleenrollment",
    ),
    "enrolled": ("cumulativeenrollment",),
    "chronic": ("chronicabsenteeismcount",),
    "rate": ("chronicabsenteeismrate",),
}
REQUIRED = ("year", "level", "district_code", "school_code", "category", "rate")
ALL = ("", "all")


def key(name: str) -> str:
    """A header name compared without case, spaces or punctuation."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _columns(header: tuple[str, ...] | list[str]) -> dict[str, int]:
    """Field → index of the first header column spelled as one of its spellings."""
    keys = [key(name) for name in header]
    found = {}
    for field_name, spellings in SPELLINGS.items():
        for spelling in spellings:
            if spelling in keys:
                found[field_name] = keys.index(spelling)
                break
    return found


def recognise(seen: Sniff) -> bool:
    found = _columns(seen.first())
    return all(f in found for f in ("level", "category", "rate")) and (
        "chronic" in found or "eligible" in found or "enrolled" in found
    )


@dataclass(frozen=True)
class Unit:
    level: str
    unit_id: str
    unit_name: str
    district_id: str | None


@lru_cache(maxsize=4096)
def unit_of(level: str, district: str, school: str, names: tuple[str, str]) -> Unit:
    """The unit of a row: codes zero-padded as CDE writes them (district 5, school 7 digits),
    which a spreadsheet round trip may have stripped."""
    district_id = district.strip().zfill(5)
    if level == TOTAL:
        return Unit("total", "total", STATE, None)
    if level == DISTRICT:
        return Unit("district", district_id, names[0] or district_id, district_id)
    school_id = school.strip().zfill(7)
    return Unit("school", school_id, names[1] or school_id, district_id)


def level_of(reading: Reading, column: str, code: str, has_d1: bool) -> str | None:
    """Rollcall's level for an aggregate level code (None: skipped and counted), noting codes."""
    level = LEVELS.get(code)
    if code not in LEVELS:
        reading.code(column, code, None)
        return None
    if level is None or (code == "D2" and has_d1):
        what = "county" if code == "C" else "non-charter district subset (D2)"
        reading.code(column, code, f"skipped: {what}")
        reading.skip(
            "county rows (rollcall reports schools, districts and the state)"
            if code == "C"
            else "D2 district rows (non-charter schools only; D1 kept)"
        )
        return None
    reading.code(column, code, level)
    return level


def category_of(reading: Reading, column: str, code: str) -> tuple[str, str] | None:
    found = CATEGORIES.get(code)
    reading.code(column, code, f"{found[0]}: {found[1]}" if found else None)
    return (found[0], found[1]) if found else None


# --- cde: the download file ------------------------------------------------------------------


def read(path: Path, seen: Sniff) -> Reading:
    reading = Reading(path, "cde", TITLE, percent=True, decimals=1)
    delimiter = seen.delimiter or "\t"  # (a workbook's cells, read as text, as before)
    lines = data_lines(path, delimiter)
    header_line, header = next(lines)
    columns = _header(reading, header_line, header)
    records = list(lines)
    levels = {
        values[columns["level"]].strip() for _, values in records if len(values) == len(header)
    }
    subsets = _subset_columns(records, columns, len(header))
    kept_schools = _schools_with_all_rows(records, columns, subsets, len(header))
    if "D2" in levels and "D1" not in levels:
        reading.notes.append(D2_NOTE)
    taken: set[tuple[str, str, str]] = set()
    for line, values in records:
        reading.lines += 1
        if not whole_row(reading, line, values, header):
            continue
        level = level_of(
            reading, header[columns["level"]], values[columns["level"]].strip(), "D1" in levels
        )
        if level is None or not _in_whole_unit(
            reading, values, columns, subsets, level, kept_schools, taken
        ):
            continue
        _add(reading, line, values, header, columns, level)
    return reading


def data_lines(path: Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records: the header first."""
    return ((line, values) for line, values in text_rows(path, delimiter) if any(values))


def _header(reading: Reading, line: int, header: list[str]) -> dict[str, int]:
    columns = _columns(header)
    enrolled = columns.pop("enrolled", None)
    if "eligible" not in columns and enrolled is not None:
        # CDE's 2016-17 layout: the rate divides by cumulative enrollment itself. Later files
        # also have it (all students enrolled), beside the eligible enrollment: not used.
        columns["eligible"] = enrolled
        reading.notes.append(
            "The file has no eligible-enrollment column (CDE's 2016-17 layout): the rate's "
            "denominator is its Cumulative Enrollment."
        )
    missing = [name for name in REQUIRED if name not in columns]
    if "eligible" not in columns and "chronic" not in columns:
        missing.append("eligible")
    if missing:
        wanted = "; ".join(f"{name}: {' or '.join(SPELLINGS[name])}" for name in missing)
        raise InputError(
            f"the header lacks {', '.join(missing)}",
            path=reading.path,
            line=line,
            hint=f"a CDE chronic absenteeism file names these columns ({wanted})",
        )
    names = {
        "year": "school_year",
        "level": "level",
        "category": "group",
        "eligible": "eligible_students",
        "chronic": "chronically_absent",
        "rate": "published_rate",
        "district_code": "district_id",
        "school_code": "unit_id",
    }
    reading.matched = {names[f]: header[i] for f, i in columns.items() if f in names}
    named = [columns[n] for n in ("school_name", "district_name") if n in columns]
    if named:
        reading.matched["unit_name"] = ", ".join(header[i] for i in named)
    used = set(columns.values())
    reading.unmatched = tuple(name for i, name in enumerate(header) if i not in used)
    return columns


def whole_row(reading: Reading, line: int, values: list[str], header: list[str]) -> bool:
    """Whether the record has one value per header column (trailing empty values aside)."""
    while len(values) > len(header) and not values[-1].strip():
        values.pop()
    if len(values) == len(header):
        return True
    column = header[len(values)] if len(values) < len(header) else "(beyond the header)"
    reading.refuse(line, column, "", "wrong number of values")
    return False


def _subset_columns(
    records: list[tuple[int, list[str]]], columns: dict[str, int], width: int
) -> tuple[int, ...]:
    """The charter and DASS columns that split units into subsets (they hold ``All``). In
    CDE's 2016-17 layout the charter column is a per-school flag (Y/N, no All): no subsets."""
    found = []
    for name in ("charter", "dass"):
        if name in columns:
            index = columns[name]
            if any(len(v) == width and v[index].strip().lower() == "all" for _, v in records):
                found.append(index)
    return tuple(found)


def _schools_with_all_rows(
    records: list[tuple[int, list[str]]],
    columns: dict[str, int],
    subsets: tuple[int, ...],
    width: int,
) -> set[tuple[str, str, str]]:
    """(year, school, category) of the school rows published for all of the school (``All``)."""
    if not subsets:
        return set()
    y, s, c, lv = columns["year"], columns["school_code"], columns["category"], columns["level"]
    return {
        (v[y].strip(), v[s].strip(), v[c].strip())
        for _, v in records
        if len(v) == width
        and v[lv].strip() == "S"
        and all(v[i].strip().lower() in ALL for i in subsets)
    }


def _in_whole_unit(
    reading: Reading,
    values: list[str],
    columns: dict[str, int],
    subsets: tuple[int, ...],
    level: str,
    kept_schools: set[tuple[str, str, str]],
    taken: set[tuple[str, str, str]],
) -> bool:
    """Whether the row counts the whole unit: rows for charter-only, non-charter-only or DASS
    subsets are skipped (counted), except a school's own row when the file has no ``All`` row
    for that school (a school is charter or not: its one row is the whole school)."""
    if all(values[i].strip().lower() in ALL for i in subsets):
        return True
    if level == SCHOOL:
        school = (
            values[columns["year"]].strip(),
            values[columns["school_code"]].strip(),
            values[columns["category"]].strip(),
        )
        if school not in kept_schools and school not in taken:
            taken.add(school)
            return True
    reading.skip("rows for a charter or DASS subset of a unit (the unit's All row is kept)")
    return False


def _add(
    reading: Reading,
    line: int,
    values: list[str],
    header: list[str],
    columns: dict[str, int],
    level: str,
) -> None:
    year = school_year(values[columns["year"]])
    if year is None:
        reading.refuse(line, header[columns["year"]], values[columns["year"]], "not a school year")
        return
    group = category_of(reading, header[columns["category"]], values[columns["category"]].strip())
    if group is None:
        return
    names = tuple(
        values[columns[n]].strip() if n in columns else "" for n in ("district_name", "school_name")
    )
    unit = unit_of(
        level,
        values[columns["district_code"]],
        values[columns["school_code"]],
        (names[0], names[1]),
    )

    reading.add(
        Row(
            line,
            year,
            unit.level,
            unit.unit_id,
            unit.unit_name,
            unit.district_id,
            *group,
            eligible=figure_in(values, header, columns, "eligible"),
            chronic=figure_in(values, header, columns, "chronic"),
            rate=figure_in(values, header, columns, "rate"),
        )
    )


LAYOUTS = (Layout("cde", TITLE, recognise, read),)
