"""Published figures: counts and rates as a state or network printed them, checked on the way in.

Every aggregate layout (rollcall/formats/aggregates_*.py) reads its file into :class:`Reading`
one row at a time. ``Reading.add`` turns the row's three figures (eligible students,
chronically absent students, the rate) into numbers, keeps a suppressed figure suppressed (null,
never zero), and refuses a row whose figures contradict each other, with the file, line and
column, so that the aggregate table only holds figures that agree with themselves.

**The rate check.** A published rate is rounded; rollcall checks that the counts give it back to
that rounding: ``|chronic ÷ eligible − rate| ≤ half a unit of the rate's last decimal``, in whole
numbers (no floating point). When only one count is published, the check is that some whole
number could stand in for the other (a Connecticut district with 27 students chronically absent at
4.8% had between 557 and 568 students: fine; 27 at 0.0% is impossible). The precision is the
publisher's (a tenth of a percent for California and Connecticut, a thousandth for Colorado's
district files), or the digits written when there are more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from rollcall.errors import InputError

# Why a row of an aggregate file is refused (rejects.csv); each is explained in
# docs/sources/aggregates.md.
REASONS = (
    "wrong number of values",
    "missing value",
    "not a school year",
    "not a number",
    "negative count",
    "more chronically absent than eligible",
    "rate out of range",
    "rate does not match counts",
    "duplicate",
)

# A figure the publisher hid. Layouts with another mark (Connecticut's -9999) translate it.
SUPPRESSED_MARKS = frozenset({"*"})
# A figure that is simply not there (R's NA, an empty cell): null, and not a suppression.
MISSING_MARKS = frozenset({"", "na", "n/a"})

# The race and ethnicity groups every layout maps to: the spellings the synthetic data and the
# federal categories use, and California's two extra groups.
RACES = (
    "American Indian or Alaska Native",
    "Asian",
    "Black or African American",
    "Filipino",
    "Hispanic or Latino",
    "Native Hawaiian or Pacific Islander",
    "Two or More Races",
    "White",
    "Not reported",
)

# A published rate written with more decimals than this is full floating-point precision (a
# spreadsheet's own division): it is checked to 9 decimals, give or take one unit.
MAX_DECIMALS = 9


@dataclass(frozen=True)
class Rate:
    """A published rate, ``numerator / scale`` as a fraction of 1, and its rounding: the exact
    rate may lie up to ``slack`` half-units (of ``1 / scale``) away from it."""

    numerator: int
    scale: int
    slack: int = 1

    @property
    def value(self) -> float:
        return self.numerator / self.scale

    def matches(self, chronic: int | None, eligible: int | None) -> bool:
        """Whether whole counts could give this rate: exactly when both are known, else whether
        some whole number could stand in for the one that is not."""
        n, s, x = self.numerator, self.scale, self.slack
        if chronic is not None and eligible is not None:
            if eligible == 0:
                return n == 0
            return 2 * abs(chronic * s - n * eligible) <= x * eligible
        if eligible is not None:
            # Some k in 0..eligible with |k·s − n·eligible| ≤ x·eligible / 2.
            low = -((-(2 * n * eligible - x * eligible)) // (2 * s))
            high = (2 * n * eligible + x * eligible) // (2 * s)
            return max(low, 0) <= min(high, eligible)
        if chronic is not None:
            if chronic == 0:
                return 2 * n <= x
            # Some m ≥ chronic with m·(2n − x) ≤ 2·chronic·s ≤ m·(2n + x).
            low = max(chronic, -(-(2 * chronic * s) // (2 * n + x)))
            if 2 * n - x <= 0:
                return True
            return low <= (2 * chronic * s) // (2 * n - x)
        return True


@lru_cache(maxsize=1 << 16)
def parse_rate(text: str, *, percent: bool, decimals: int = 0) -> Rate:
    """``text`` (``10.7``, ``0.391``, ``3.5e-05``) as a :class:`Rate`, read to at least
    ``decimals`` decimals: a publisher that rounds to one decimal and writes ``10`` meant
    ``10.0``. Raises ValueError when it is not a number."""
    try:
        number = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    exponent = number.as_tuple().exponent
    written = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    places, slack = max(written, decimals), 1
    if places > MAX_DECIMALS:
        places, slack = MAX_DECIMALS, 2
        number = round(number, MAX_DECIMALS)
    scale = 10**places * (100 if percent else 1)
    return Rate(int(number.scaleb(places)), scale, slack)


def parse_count(text: str) -> int:
    """A whole count (``1234``, ``1,234``, ``1234.0`` from a spreadsheet); ValueError if not."""
    if text.isdigit():  # nearly every count: no need for the general reading below
        return int(text)
    try:
        number = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(text)
    return int(number)


@lru_cache(maxsize=1024)
def school_year(text: str) -> str | None:
    """``2017-18`` from ``2017-18``, ``2017-2018`` or ``2017–18``; None when it is not one."""
    value = text.strip().replace("–", "-").replace("/", "-")
    first, _, second = value.partition("-")
    if not (first.isdigit() and len(first) == 4 and second.isdigit()):
        return None
    start = int(first)
    if len(second) == 2 and int(second) == (start + 1) % 100:
        return value
    if len(second) == 4 and int(second) == start + 1:
        return f"{start}-{second[2:]}"
    return None


class Figure(NamedTuple):
    """One figure of a row as written, and the column it was written in. (Named tuples, not
    dataclasses, for the rows: a state's file has hundreds of thousands of them.)"""

    text: str
    column: str


def figure_in(
    values: Sequence[str], header: Sequence[str], columns: Mapping[str, int], name: str
) -> Figure | None:
    """The figure a row holds in the column the layout found for ``name`` (None: no column)."""
    return Figure(values[columns[name]], header[columns[name]]) if name in columns else None


class Row(NamedTuple):
    """One row of the aggregate table as a layout found it, before its figures are read."""

    line: int
    school_year: str
    level: str
    unit_id: str
    unit_name: str
    district_id: str | None
    dimension: str
    group: str
    eligible: Figure | None = None
    chronic: Figure | None = None
    rate: Figure | None = None
    suppressed: bool = False  # the file says so in a column of its own (the generic CSV)


_SUPPRESSED = object()


@dataclass
class Reading:
    """What a layout read from one file: the aggregate rows, the refused rows, the rows left out
    on purpose (counted by what they were), the codes seen and how each was mapped."""

    path: Path
    layout: str  # the layout's name (``cde``)
    title: str  # what it is, in words
    percent: bool  # rates written as percentages (10.7) rather than fractions (0.107)
    decimals: int  # the publisher's rounding of rates, in decimals of how they are written
    rows: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, str]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    codes: Counter[tuple[str, str]] = field(default_factory=Counter)
    mapped: dict[tuple[str, str], str | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    matched: dict[str, str] = field(default_factory=dict)  # aggregate column → source column
    unmatched: tuple[str, ...] = ()
    lines: int = 0  # data lines (or spreadsheet rows) read
    checked: int = 0  # rows whose rate was checked against their counts
    mismatched: list[tuple[int, str, str]] = field(default_factory=list)  # line, column, rate
    suppressed: int = 0
    _keys: set[tuple[str, ...]] = field(default_factory=set)

    def code(self, column: str, code: str, mapped_to: str | None) -> None:
        """Count a code seen in ``column`` and what it is read as (None: not mapped)."""
        self.codes[(column, code)] += 1
        self.mapped[(column, code)] = mapped_to

    def skip(self, what: str, count: int = 1) -> None:
        """Count rows left out on purpose (printed as ``Skipped N <what>``)."""
        self.skipped[what] += count

    def refuse(self, line: int, column: str, value: str, reason: str) -> None:
        assert reason in REASONS, reason  # a new reason must be named and documented
        self.rejects.append(
            {
                "file": self.path.name,
                "line": str(line),
                "column": column,
                "value": value,
                "reason": reason,
            }
        )

    def add(self, row: Row) -> None:
        """Read the row's figures and keep it, or refuse it with the first reason that applies."""
        counts: dict[str, Any] = {}
        for name, figure in (("eligible", row.eligible), ("chronic", row.chronic)):
            value = self._count(row.line, figure)
            if value is _REFUSED:
                return
            counts[name] = value
        rate = self._rate(row.line, row.rate)
        if rate is _REFUSED:
            return
        eligible, chronic = counts["eligible"], counts["chronic"]
        hidden = row.suppressed or _SUPPRESSED in (eligible, chronic, rate)
        eligible = None if eligible is _SUPPRESSED else eligible
        chronic = None if chronic is _SUPPRESSED else chronic
        rate = None if rate is _SUPPRESSED else rate
        if eligible is not None and chronic is not None and chronic > eligible:
            assert row.chronic is not None
            self.refuse(
                row.line,
                row.chronic.column,
                row.chronic.text,
                "more chronically absent than eligible",
            )
            return
        if rate is not None and not self._rate_agrees(row, rate, chronic, eligible):
            return
        key = (row.school_year, row.level, row.unit_id, row.dimension, row.group)
        if key in self._keys:
            column = self.matched.get("group") or self.matched.get("unit_id", "")
            self.refuse(row.line, column, row.group, "duplicate")
            return
        self._keys.add(key)
        self.suppressed += hidden
        self.rows.append(
            {
                "school_year": row.school_year,
                "level": row.level,
                "unit_id": row.unit_id,
                "unit_name": row.unit_name,
                "district_id": row.district_id,
                "dimension": row.dimension,
                "group": row.group,
                "eligible_students": eligible,
                "chronically_absent": chronic,
                "published_rate": rate.value if rate is not None else None,
                "suppressed": hidden,
                "_line": row.line,
            }
        )

    def _count(self, line: int, figure: Figure | None) -> Any:
        if figure is None:
            return None
        text = figure.text.strip()
        if text.isdigit():
            return int(text)
        if text.lower() in MISSING_MARKS:
            return None
        if text in SUPPRESSED_MARKS:
            return _SUPPRESSED
        try:
            value = parse_count(text)
        except ValueError:
            self.refuse(line, figure.column, figure.text, "not a number")
            return _REFUSED
        if value < 0:
            self.refuse(line, figure.column, figure.text, "negative count")
            return _REFUSED
        return value

    def _rate(self, line: int, figure: Figure | None) -> Any:
        if figure is None:
            return None
        text = figure.text.strip()
        if text.lower() in MISSING_MARKS:
            return None
        if text in SUPPRESSED_MARKS:
            return _SUPPRESSED
        try:
            rate = parse_rate(text, percent=self.percent, decimals=self.decimals)
        except ValueError:
            self.refuse(line, figure.column, figure.text, "not a number")
            return _REFUSED
        if not 0 <= rate.numerator <= rate.scale:
            self.refuse(line, figure.column, figure.text, "rate out of range")
            return _REFUSED
        return rate

    def _rate_agrees(self, row: Row, rate: Rate, chronic: int | None, eligible: int | None) -> bool:
        if chronic is None and eligible is None:
            return True
        self.checked += 1
        if rate.matches(chronic, eligible):
            return True
        assert row.rate is not None
        self.mismatched.append((row.line, row.rate.column, row.rate.text))
        self.refuse(row.line, row.rate.column, row.rate.text, "rate does not match counts")
        return False

    @property
    def unmapped(self) -> dict[tuple[str, str], int]:
        return {key: n for key, n in self.codes.items() if self.mapped.get(key) is None}

    def finish(self, *, strict: bool = True) -> Reading:
        """Stop on codes that are not mapped and on a file whose rates do not match its counts
        at all (its columns do not mean what the layout says); ``strict=False`` (inspection)
        only notes them."""
        problems: list[tuple[str, int | None, str | None]] = []
        if self.unmapped:
            listed = ", ".join(
                f"{column} {code!r} ({n:,} rows)" for (column, code), n in self.unmapped.items()
            )
            problems.append(("codes not mapped: " + listed, None, None))
        if self.checked >= 10 and 2 * len(self.mismatched) > self.checked:
            first, column, _ = self.mismatched[0]
            problems.append(
                (
                    f"{len(self.mismatched):,} of {self.checked:,} published rates do not match "
                    f"their counts, so the columns do not mean what the {self.title} says",
                    first,
                    column,
                )
            )
        for message, where, place in problems:
            if strict:
                raise InputError(
                    message,
                    path=self.path,
                    line=where,
                    column=place,
                    hint="docs/sources/aggregates.md lists each layout's columns and codes",
                )
            self.notes.append(message[0].upper() + message[1:] + ".")
        return self

    def table_rows(self) -> list[dict[str, Any]]:
        """The rows for ``formats.aggregates.table.table`` (without the line each came from)."""
        return [{k: v for k, v in row.items() if k != "_line"} for row in self.rows]

    def years(self) -> list[str]:
        return sorted({row["school_year"] for row in self.rows})

    def levels(self) -> Mapping[str, int]:
        """Units at each level."""
        units = {(row["level"], row["unit_id"]) for row in self.rows}
        return Counter(level for level, _ in units)


_REFUSED = object()
