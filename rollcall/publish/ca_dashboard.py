"""California School Dashboard chronic absenteeism indicator (docs/ca-dashboard.md).

From two aggregate tables (``rollcall.formats.aggregates.table``) computed under the
``california-dashboard`` policy (grades TK–8, 31 or more expected days), one for a school year and
one for the year
before, this module writes ``ca_dashboard.csv``: one row per unit and Dashboard student group
with the status (this year's rate), the change from last year, their levels and the colour.

Every number is computed from the integer counts with exact fractions, never binary floats: a
status of 2.55% must round to 2.6 and 2.5% must stay 2.5, the edges where a colour changes.
The pure functions (``status_of``, ``status_level``, ``change_level``, ``color``,
``indicator_rows``) are tested one rule at a time; ``write_ca_dashboard`` only writes.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pyarrow as pa

from rollcall.errors import OptionError
from rollcall.grades import normalize_grade
from rollcall.levels import LEVELS
from rollcall.period import parse_school_year, school_year_name
from rollcall.policy import CA_DASHBOARD_GRADES
from rollcall.writing import CsvWriter

FILE_NAME = "ca_dashboard.csv"

# n-size rules: below MIN_STATUS no status at all; below MIN_COLOR a status but no colour;
# below SMALL_DENOMINATOR the row is flagged as a small denominator.
MIN_STATUS = 11
MIN_COLOR = 30
SMALL_DENOMINATOR = 150

STATUS_LEVELS = ("Very Low", "Low", "Medium", "High", "Very High")
CHANGE_LEVELS = (
    "Increased Significantly",
    "Increased",
    "Maintained",
    "Declined",
    "Declined Significantly",
)
NO_STATUS = "0"  # how ``statuslevel`` is written when there is no status

# Upper bounds (inclusive) of each status level but the last, in percent with one decimal.
_STATUS_TOPS = (Decimal("2.5"), Decimal("5.0"), Decimal("10.0"), Decimal("20.0"))

# The Dashboard's 5×5 grid: one row per status level (Very Low … Very High), one column per
# change level (Increased Significantly … Declined Significantly). Fewer absences are better,
# so a decline is good news.
COLOR_GRID: Mapping[str, Mapping[str, str]] = {
    status: dict(zip(CHANGE_LEVELS, colors.split(), strict=True))
    for status, colors in zip(
        STATUS_LEVELS,
        (
            "Yellow Green Blue Blue Blue",
            "Orange Yellow Green Green Blue",
            "Orange Orange Yellow Green Green",
            "Red Orange Orange Yellow Yellow",
            "Red Red Red Orange Yellow",
        ),
        strict=True,
    )
}

COLUMNS = (
    "school_year",
    "level",
    "unit_id",
    "studentgroup",
    "currnumer",
    "currdenom",
    "currstatus",
    "priornumer",
    "priordenom",
    "priorstatus",
    "change",
    "statuslevel",
    "changelevel",
    "color",
    "smalldenom",
    "currnsizemet",
)


@dataclass(frozen=True)
class GroupCode:
    """One line of the mapping: the aggregate rows with this ``dimension`` and ``value``
    (compared without regard to case) are the Dashboard student group ``code``."""

    code: str
    dimension: str
    value: str


def _codes(code: str, dimension: str, *values: str) -> tuple[GroupCode, ...]:
    return tuple(GroupCode(code, dimension, value) for value in values)


_YES = ("Y", "Yes", "True", "1")

# The default mapping from rollcall's attribute columns (docs/format.md; what `rollcall synth`
# writes) to the Dashboard's student groups. A value not listed here is not mapped: it stays in
# the public summary but has no Dashboard row. Extend it by passing a longer tuple:
# ``mapping=DEFAULT_MAPPING + (GroupCode("FI", "race_ethnicity", "Pilipino"),)``.
DEFAULT_MAPPING: tuple[GroupCode, ...] = (
    GroupCode("ALL", "all", "all"),
    *_codes("AA", "race_ethnicity", "Black or African American", "African American", "Black"),
    *_codes("AI", "race_ethnicity", "American Indian or Alaska Native", "American Indian"),
    *_codes("AS", "race_ethnicity", "Asian"),
    *_codes("FI", "race_ethnicity", "Filipino"),
    *_codes("HI", "race_ethnicity", "Hispanic or Latino", "Hispanic", "Latino"),
    *_codes(
        "PI",
        "race_ethnicity",
        "Native Hawaiian or Pacific Islander",
        "Native Hawaiian or Other Pacific Islander",
        "Pacific Islander",
    ),
    *_codes("WH", "race_ethnicity", "White"),
    *_codes("MR", "race_ethnicity", "Two or More Races", "Two or More", "Multiple Races"),
    *_codes("EL", "english_learner", *_YES),
    *_codes("SED", "economically_disadvantaged", *_YES),
    *_codes("SWD", "disability", *_YES),
    *_codes("FOS", "foster", *_YES),
    *_codes("HOM", "homeless", *_YES),
)

# The Dashboard's names of its student groups, for pages and documents.
GROUP_NAMES: Mapping[str, str] = {
    "ALL": "All students",
    "AA": "Black/African American",
    "AI": "American Indian or Alaska Native",
    "AS": "Asian",
    "FI": "Filipino",
    "HI": "Hispanic",
    "PI": "Pacific Islander",
    "WH": "White",
    "MR": "Two or More Races",
    "EL": "English Learners",
    "SED": "Socioeconomically Disadvantaged",
    "SWD": "Students with Disabilities",
    "FOS": "Foster Youth",
    "HOM": "Homeless Youth",
}

# The Dashboard's order of student groups, for the rows of the file.
GROUP_ORDER = (
    "ALL",
    "AA",
    "AI",
    "AS",
    "FI",
    "HI",
    "PI",
    "WH",
    "MR",
    "EL",
    "SED",
    "SWD",
    "FOS",
    "HOM",
)


@dataclass(frozen=True)
class DashboardRow:
    """One row of ``ca_dashboard.csv``; ``None`` is written as an empty cell."""

    school_year: str
    level: str
    unit_id: str
    studentgroup: str
    currnumer: int | None
    currdenom: int | None
    currstatus: Decimal | None
    priornumer: int | None
    priordenom: int | None
    priorstatus: Decimal | None
    change: Decimal | None
    statuslevel: str
    changelevel: str | None
    color: str | None
    smalldenom: str | None
    currnsizemet: str


# --- the rules, one function each -----------------------------------------------------------


def round_half_up(value: Fraction, places: int = 1) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero: 2.55 → 2.6, 2.45 → 2.5
    (exact: a Fraction in, no binary float on the way)."""
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    signed = -magnitude if value < 0 else magnitude
    return Decimal(signed).scaleb(-places)


def status_of(numerator: int, denominator: int) -> Decimal:
    """The status: ``numerator ÷ denominator`` in percent, rounded half up to one decimal."""
    if denominator <= 0:
        raise ValueError("a status needs at least one student")
    return round_half_up(Fraction(100 * numerator, denominator))


def status_level(status: Decimal) -> str:
    """Very Low ≤ 2.5; Low 2.6–5.0; Medium 5.1–10.0; High 10.1–20.0; Very High ≥ 20.1."""
    for level, top in zip(STATUS_LEVELS, _STATUS_TOPS, strict=False):
        if status <= top:
            return level
    return STATUS_LEVELS[-1]


def change_level(change: Decimal) -> str:
    """Increased Significantly > +3.0; Increased +0.5 to +3.0; Maintained −0.4 to +0.4;
    Declined −0.5 to −2.9; Declined Significantly ≤ −3.0 (a change has one decimal)."""
    if change > Decimal("3.0"):
        return "Increased Significantly"
    if change >= Decimal("0.5"):
        return "Increased"
    if change > Decimal("-0.5"):
        return "Maintained"
    if change > Decimal("-3.0"):
        return "Declined"
    return "Declined Significantly"


def color(status_level: str, change_level: str) -> str:
    """The colour in the 5×5 grid at the status level's row and the change level's column."""
    return COLOR_GRID[status_level][change_level]


# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """A group's chronically absent students (numerator) and eligible students (denominator);
    None where the source hid the count."""

    numerator: int | None
    denominator: int | None


def _status(counts: Counts | None) -> Decimal | None:
    """A status exists when the denominator is at least 11 and both counts are known."""
    if counts is None or counts.numerator is None or counts.denominator is None:
        return None
    if counts.denominator < MIN_STATUS:
        return None
    return status_of(counts.numerator, counts.denominator)


def dashboard_row(
    school_year: str,
    level: str,
    unit_id: str,
    code: str,
    current: Counts,
    prior: Counts | None,
) -> DashboardRow:
    """One unit's and group's row from its counts this year and (when known) last year."""
    denominator = current.denominator
    status = _status(current)
    prior_status = _status(prior)
    change = status - prior_status if status is not None and prior_status is not None else None
    s_level = status_level(status) if status is not None else None
    c_level = change_level(change) if change is not None else None
    big_enough = denominator is not None and denominator >= MIN_COLOR
    shown = s_level is not None and c_level is not None and big_enough
    return DashboardRow(
        school_year=school_year,
        level=level,
        unit_id=unit_id,
        studentgroup=code,
        currnumer=current.numerator if status is not None else None,
        currdenom=denominator,
        currstatus=status,
        priornumer=prior.numerator if prior is not None and prior_status is not None else None,
        priordenom=prior.denominator if prior is not None else None,
        priorstatus=prior_status,
        change=change,
        statuslevel=s_level or NO_STATUS,
        changelevel=c_level,
        color=color(s_level, c_level) if shown and s_level and c_level else None,
        smalldenom=None
        if denominator is None
        else ("Y" if denominator < SMALL_DENOMINATOR else "N"),
        currnsizemet="Y" if big_enough else "N",
    )


def _lookup(mapping: Iterable[GroupCode]) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for entry in mapping:
        key = (entry.dimension.casefold(), entry.value.casefold())
        if found.setdefault(key, entry.code) != entry.code:
            raise OptionError(
                f"the Dashboard group mapping gives {entry.dimension}={entry.value} two codes "
                f"({found[key]} and {entry.code})"
            )
    return found


Key = tuple[str, str, str]  # level, unit_id, Dashboard code


Cell = tuple[str, str, str, str, str]  # school_year, level, unit_id, dimension, group


def _counts(row: Mapping[str, Any], withheld: Collection[Cell]) -> Counts:
    """A row's counts; none where publishing withheld the cell, no numerator where the source
    suppressed it."""
    cell = (row["school_year"], row["level"], row["unit_id"], row["dimension"], row["group"])
    if cell in withheld:
        return Counts(None, None)
    numerator = None if row["suppressed"] else row["chronically_absent"]
    return Counts(numerator, row["eligible_students"])


def grouped(
    table: pa.Table, mapping: Iterable[GroupCode], withheld: Collection[Cell] = ()
) -> dict[Key, Counts]:
    """The aggregate table's rows that the mapping knows, keyed by level, unit and code.

    Two rows of one unit that map to the same code (``Y`` and ``Yes`` both present) are
    added up when they come from the same dimension (a student has one value there); from two
    dimensions they could count a student twice, so that is refused.
    """
    lookup = _lookup(mapping)
    counts: dict[Key, Counts] = {}
    source: dict[Key, str] = {}
    for row in table.to_pylist():
        code = lookup.get((str(row["dimension"]).casefold(), str(row["group"]).casefold()))
        if code is None:
            continue
        key = (row["level"], row["unit_id"], code)
        here = _counts(row, withheld)
        if key in counts:
            if source[key] != row["dimension"]:
                raise OptionError(
                    f"{row['level']} {row['unit_id']}: the Dashboard group {code} is mapped from "
                    f"both {source[key]} and {row['dimension']}",
                    hint="map each Dashboard group from one attribute only",
                )
            here = _add(counts[key], here)
        counts[key] = here
        source[key] = row["dimension"]
    return counts


def _add(a: Counts, b: Counts) -> Counts:
    def plus(x: int | None, y: int | None) -> int | None:
        return None if x is None or y is None else x + y

    return Counts(plus(a.numerator, b.numerator), plus(a.denominator, b.denominator))


def _one_year(table: pa.Table, which: str) -> str:
    years = sorted(set(table.column("school_year").to_pylist()))
    if len(years) != 1:
        raise OptionError(
            f"the {which} year's aggregate table holds {len(years)} school years ({years}), not one"
        )
    return str(years[0])


def _check_grades(table: pa.Table, school_year: str) -> None:
    """Refuse an aggregate that counted grades the Dashboard leaves out (9–12, PK, UG)."""
    for row in table.select(["dimension", "group", "eligible_students"]).to_pylist():
        if row["dimension"] != "grade" or not row["eligible_students"]:
            continue
        grade = normalize_grade(str(row["group"]))
        if grade not in CA_DASHBOARD_GRADES:
            raise OptionError(
                f"{school_year} counts students in grade {row['group']}, which the California "
                "Dashboard leaves out",
                hint="compute both years with --policy california-dashboard (grades TK–8)",
            )


def indicator_rows(
    current: pa.Table,
    prior: pa.Table,
    *,
    mapping: Sequence[GroupCode] = DEFAULT_MAPPING,
    withheld: Collection[Cell] = (),
) -> list[DashboardRow]:
    """The indicator for every unit and mapped group of ``current``, with ``prior`` (the year
    before) for the change. A group only in ``prior`` has no row; a group only in ``current``
    has no prior status. Rows are ordered by level (school, district, total), unit, group.

    ``withheld``: cells (school year, level, unit, dimension, group) that the public summary
    hides; they are treated as unknown here too (no counts, no status), so that this file does
    not give away what the disclosure rules hid. Without it, the Dashboard's own rules alone
    decide what is shown (docs/ca-dashboard.md)."""
    year = _one_year(current, "current")
    if prior.num_rows:
        before = _one_year(prior, "prior")
        if parse_school_year(before) + 1 != parse_school_year(year):
            raise OptionError(
                f"the prior year is {before}, not the year before {year}",
                hint=f"give the aggregate of {school_year_name(parse_school_year(year) - 1)}",
            )
        _check_grades(prior, before)
    _check_grades(current, year)
    hidden = frozenset(withheld)
    now = grouped(current, mapping, hidden)
    then = grouped(prior, mapping, hidden)
    order = {code: rank for rank, code in enumerate(GROUP_ORDER)}

    def sort_key(key: Key) -> tuple[Any, ...]:
        level, unit_id, code = key
        return (LEVELS.index(level), unit_id, order.get(code, len(order)), code)

    return [
        dashboard_row(year, key[0], key[1], key[2], now[key], then.get(key))
        for key in sorted(now, key=sort_key)
    ]


# --- the file -------------------------------------------------------------------------------


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def row_cells(row: DashboardRow) -> list[str]:
    """A row as written: numbers as digits (status and change with one decimal), empty for
    none."""
    return [_cell(value) for value in astuple(row)]


def write_ca_dashboard(
    current: pa.Table,
    prior: pa.Table,
    out_dir: Path,
    *,
    mapping: Sequence[GroupCode] = DEFAULT_MAPPING,
    withheld: Collection[Cell] = (),
) -> Path:
    """Write ``ca_dashboard.csv`` into ``out_dir`` (see ``indicator_rows``) and return its path."""
    rows = indicator_rows(current, prior, mapping=mapping, withheld=withheld)
    path = Path(out_dir) / FILE_NAME
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvWriter(handle)
        writer.writerow(COLUMNS)
        writer.writerows(row_cells(row) for row in rows)
    return path
