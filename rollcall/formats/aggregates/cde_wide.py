"""CDE chronic absenteeism figures reshaped with one ``CumulativeEnrollment<yyyy>`` /
``Y<yyyy>`` column pair per school year (``1617`` = 2016-17) and rates only, as the Monterey
County file in ``shared/data`` is (layout ``cde-wide``). Levels, categories and codes are read
as in CDE's own download (cde.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from rollcall.errors import InputError
from rollcall.formats.aggregates.cde import (
    D2_NOTE,
    Unit,
    category_of,
    data_lines,
    key,
    level_of,
    unit_of,
    whole_row,
)
from rollcall.formats.aggregates.layout import Layout, Sniff
from rollcall.formats.aggregates.published import Figure, Reading, Row

WIDE_TITLE = "CDE chronic absenteeism with a column pair per year"
WIDE_PAIR = re.compile(r"(cumulativeenrollment|y)(\d{2})(\d{2})")


def recognise_wide(seen: Sniff) -> bool:
    keys = {key(name) for name in seen.first()}
    years = {m.group(2) + m.group(3) for k in keys if (m := WIDE_PAIR.fullmatch(k))}
    return {"aggregatelevel", "reportingcategory"} <= keys and any(
        f"cumulativeenrollment{y}" in keys and f"y{y}" in keys for y in years
    )


def read_wide(path: Path, seen: Sniff) -> Reading:
    reading = Reading(path, "cde-wide", WIDE_TITLE, percent=True, decimals=1)
    lines = data_lines(path, ",")
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
        if not whole_row(reading, line, values, header):
            continue
        code = values[index["aggregatelevel"]].strip()
        level = level_of(reading, header[index["aggregatelevel"]], code, "D1" in levels)
        if level is None:
            continue
        category = values[index["reportingcategory"]].strip()
        group = category_of(reading, header[index["reportingcategory"]], category)
        if group is None:
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
        reading.notes.append(D2_NOTE)


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


LAYOUTS = (Layout("cde-wide", WIDE_TITLE, recognise_wide, read_wide),)
