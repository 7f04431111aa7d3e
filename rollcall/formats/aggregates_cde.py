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

``cde-wide``: CDE figures reshaped with one ``CumulativeEnrollment<yyyy>`` / ``Y<yyyy>`` column
pair per school year (``1617`` = 2016-17) and rates only, as the Monterey County file in
``shared/data`` is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rollcall.errors import InputError
from rollcall.formats.aggregates import Layout, Sniff, delimiter_of, text_rows
from rollcall.formats.published import Figure, Reading, Row, figure_in, school_year

TITLE = "California Department of Education chronic absenteeism download"
WIDE_TITLE = "CDE chronic absenteeism with a column pair per year"
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
WIDE_PAIR = re.compile(r"(cumulativeenrollment|y)(\d{2})(\d{2})")


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


def recognise_wide(seen: Sniff) -> bool:
    keys = {key(name) for name in seen.first()}
    years = {m.group(2) + m.group(3) for k in keys if (m := WIDE_PAIR.fullmatch(k))}
    return {"aggregatelevel", "reportingcategory"} <= keys and any(
        f"cumulativeenrollment{y}" in keys and f"y{y}" in keys for y in years
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
    if level == "total":
        return Unit("total", "total", STATE, None)
    if level == "district":
        return Unit("district", district_id, names[0] or district_id, district_id)
    school_id = school.strip().zfill(7)
    return Unit("school", school_id, names[1] or school_id, district_id)


def _level(reading: Reading, column: str, code: str, has_d1: bool) -> str | None:
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


def _category(reading: Reading, column: str, code: str) -> tuple[str, str] | None:
    found = CATEGORIES.get(code)
    reading.code(column, code, f"{found[0]}: {found[1]}" if found else None)
    return (found[0], found[1]) if found else None


# --- cde: the download file ------------------------------------------------------------------


def read(path: Path, seen: Sniff) -> Reading:
    reading = Reading(path, "cde", TITLE, percent=True, decimals=1)
    delimiter = seen.delimiter or delimiter_of("\t".join(seen.first()))
    lines = _data_lines(path, delimiter)
    header_line, header = next(lines)
    columns = _header(reading, header_line, header)
    records = list(lines)
    levels = {
        values[columns["level"]].strip() for _, values in records if len(values) == len(header)
    }
    subsets = _subset_columns(records, columns, len(header))
    kept_schools = _schools_with_all_rows(records, columns, subsets, len(header))
    if "D2" in levels and "D1" not in levels:
        reading.notes.append(
            "District rows are CDE's D2 rows: the district's non-charter schools only (the file "
            "has no D1 rows for all of its schools)."
        )
    taken: set[tuple[str, str, str]] = set()
    for line, values in records:
        reading.lines += 1
        if not _whole(reading, line, values, header):
            continue
        level = _level(
            reading, header[columns["level"]], values[columns["level"]].strip(), "D1" in levels
        )
        if level is None or not _in_whole_unit(
            reading, values, columns, subsets, level, kept_schools, taken
        ):
            continue
        _add(reading, line, values, header, columns, level)
    return reading


def _data_lines(path: Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
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


def _whole(reading: Reading, line: int, values: list[str], header: list[str]) -> bool:
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
    if level == "school":
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
    group = _category(reading, header[columns["category"]], values[columns["category"]].strip())
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


# --- cde-wide: a column pair per year --------------------------------------------------------


def read_wide(path: Path, seen: Sniff) -> Reading:
    reading = Reading(path, "cde-wide", WIDE_TITLE, percent=True, decimals=1)
    lines = _data_lines(path, ",")
    header_line, header = next(lines)
    keys = [key(name) for name in header]
    needed = {"aggregatelevel", "districtcode", "schoolcode", "reportingcategory"}
    missing = sorted(needed - set(keys))
    if missing:
        raise InputError(f"the header lacks {', '.join(missing)}", path=path, line=header_line)
    index = {k: keys.index(k) for k in (*needed, "districtname", "schoolname") if k in keys}
    pairs = _year_pairs(keys)
    reading.matched = {
        "level": header[index["aggregatelevel"]],
        "group": header[index["reportingcategory"]],
        "unit_id": header[index["schoolcode"]],
        "district_id": header[index["districtcode"]],
        "published_rate": ", ".join(header[r] for _, _, r in pairs),
    }
    denominators = [header[e] for year, e, _ in pairs if _eligible_years(year)]
    if denominators:
        reading.matched["eligible_students"] = ", ".join(denominators)
    name_columns = [header[index[k]] for k in ("schoolname", "districtname") if k in index]
    if name_columns:
        reading.matched["unit_name"] = ", ".join(name_columns)
    used = set(index.values()) | {i for y, e, r in pairs for i in (e, r) if _eligible_years(y)}
    used |= {r for _, _, r in pairs}
    reading.unmatched = tuple(name for i, name in enumerate(header) if i not in used)
    records = list(lines)
    levels = {v[index["aggregatelevel"]].strip() for _, v in records if len(v) == len(header)}
    _wide_notes(reading, pairs, levels)
    for line, values in records:
        reading.lines += 1
        if not _whole(reading, line, values, header):
            continue
        code = values[index["aggregatelevel"]].strip()
        level = _level(reading, header[index["aggregatelevel"]], code, "D1" in levels)
        category = values[index["reportingcategory"]].strip()
        group = _category(reading, header[index["reportingcategory"]], category) if level else None
        if level is None or group is None:
            continue
        names = (
            values[index["districtname"]].strip() if "districtname" in index else "",
            values[index["schoolname"]].strip() if "schoolname" in index else "",
        )
        unit = unit_of(level, values[index["districtcode"]], values[index["schoolcode"]], names)
        for year, enrolled, rate in pairs:
            _add_year(reading, line, header, values, unit, group, year, enrolled, rate)
    return reading


def _year_pairs(keys: list[str]) -> list[tuple[str, int, int]]:
    """(school year, enrollment column, rate column) for each year with both columns."""
    pairs = []
    for i, k in enumerate(keys):
        match = WIDE_PAIR.fullmatch(k)
        if match and match.group(1) == "cumulativeenrollment":
            first, second = match.group(2), match.group(3)
            rate = f"y{first}{second}"
            if rate in keys:
                pairs.append((f"20{first}-{second}", i, keys.index(rate)))
    return sorted(pairs)


def _eligible_years(year: str) -> bool:
    """Whether CDE's cumulative enrollment is the rate's denominator that year: it was in
    2016-17; from 2017-18 CDE divides by the eligible enrollment, a column of its own."""
    return year <= "2016-17"


def _wide_notes(reading: Reading, pairs: list[tuple[str, int, int]], levels: set[str]) -> None:
    reading.notes.append(
        "The file publishes rates, not counts of chronically absent students: "
        "chronically_absent is empty."
    )
    later = [year for year, _, _ in pairs if not _eligible_years(year)]
    if later:
        reading.notes.append(
            f"For {', '.join(later)} the file's CumulativeEnrollment counts all students "
            "enrolled, not the eligible students the rate divides (CDE published those in a "
            "column this file left out): eligible_students is empty and only the rate is kept."
        )
    if "D2" in levels and "D1" not in levels:
        reading.notes.append(
            "District rows are CDE's D2 rows: the district's non-charter schools only (the file "
            "has no D1 rows for all of its schools)."
        )


def _add_year(
    reading: Reading,
    line: int,
    header: list[str],
    values: list[str],
    unit: Unit,
    group: tuple[str, str],
    year: str,
    enrolled: int,
    rate: int,
) -> None:
    size, shown = values[enrolled].strip(), values[rate].strip()
    if size.upper() in ("", "NA") and shown.upper() in ("", "NA"):
        reading.skip("unit-years with no figures (the unit or group is not in that year's data)")
        return
    # A suppressed enrollment marks the whole cell suppressed in every year; a number is the
    # denominator only in the years it was.
    eligible = size if size == "*" or _eligible_years(year) else ""
    reading.add(
        Row(
            line,
            year,
            unit.level,
            unit.unit_id,
            unit.unit_name,
            unit.district_id,
            *group,
            eligible=Figure(eligible, header[enrolled]),
            rate=Figure(shown, header[rate]),
        )
    )


LAYOUTS = (
    Layout("cde", TITLE, recognise, read),
    Layout("cde-wide", WIDE_TITLE, recognise_wide, read_wide),
)
