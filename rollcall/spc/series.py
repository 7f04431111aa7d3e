"""Reading a series file (``SERIES.csv``) and an annotations file, with errors that name the cell.

A series file has a header and one row per period, in time order:

* ``period, value`` for run and XmR charts;
* ``period, numerator, denominator`` for p and p′ charts.

An empty cell (or ``NA``) is a gap: a week with no data, drawn as a break in the line, never as a
zero. Other columns are ignored. An annotations file has ``period, text`` and an optional ``kind``
(``note``, ``pdsa``, ``holiday`` or ``astronomical``).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rollcall.errors import InputError
from rollcall.spc.records import ANNOTATION_KINDS, Annotation

#: Cells read as a gap rather than a number.
MISSING = frozenset({"", "na", "n/a", "nan"})

COLUMNS = {
    "run": ("period", "value"),
    "xmr": ("period", "value"),
    "p": ("period", "numerator", "denominator"),
    "pprime": ("period", "numerator", "denominator"),
}


@dataclass(frozen=True)
class Series:
    """The periods of a series file and its values or counts, by chart kind (``None`` = gap)."""

    path: Path
    periods: tuple[str, ...]
    values: tuple[float | None, ...] = ()
    numerators: tuple[float | None, ...] = ()
    denominators: tuple[float | None, ...] = ()


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """``(line number, row)`` pairs of a CSV file whose header has every ``required`` column."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", path=path) from exc
    with handle:
        reader = csv.DictReader(handle)
        header = [name.strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in required if name not in header]
        if missing:
            found = ", ".join(header) or "none"
            raise InputError(
                f"the header has no {', '.join(missing)} column (found: {found})",
                path=path,
                line=1,
                hint=f"the first line must name the columns {', '.join(required)}",
            )
        reader.fieldnames = header
        return [(reader.line_num, row) for row in reader]


def _number(text: str | None, *, path: Path, line: int, column: str) -> float | None:
    cell = (text or "").strip()
    if cell.lower() in MISSING:
        return None
    try:
        number = float(cell.replace(",", ""))
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InputError(
            f"{cell!r} is not a number",
            path=path,
            line=line,
            column=column,
            hint="write plain numbers like 0.12 or 1534; leave the cell empty for a missing period",
        )
    return number


def _period(row: dict[str, str], seen: set[str], *, path: Path, line: int) -> str:
    period = (row.get("period") or "").strip()
    if not period:
        raise InputError("the period is empty", path=path, line=line, column="period")
    if period in seen:
        raise InputError(
            f"period {period!r} appears twice", path=path, line=line, column="period",
            hint="give each period one row; add the counts together first if a period was split",
        )  # fmt: skip
    seen.add(period)
    return period


def _check_counts(x: float | None, n: float | None, *, path: Path, line: int) -> None:
    for value, column in ((x, "numerator"), (n, "denominator")):
        if value is not None and value < 0:
            raise InputError("counts cannot be negative", path=path, line=line, column=column)
    if x is not None and n is not None and x > n:
        raise InputError(
            f"numerator {x:g} is larger than denominator {n:g}",
            path=path,
            line=line,
            column="numerator",
            hint="the numerator counts part of the denominator (absent sessions of possible ones)",
        )


def read_series(path: Path | str, *, kind: str) -> Series:
    """The series in ``path`` for a chart of ``kind`` (``run``, ``xmr``, ``p`` or ``pprime``)."""
    path = Path(path)
    rows = _rows(path, COLUMNS[kind])
    if not rows:
        raise InputError("the file has a header but no periods", path=path)
    seen: set[str] = set()
    periods, values, numerators, denominators = [], [], [], []
    for line, row in rows:
        periods.append(_period(row, seen, path=path, line=line))
        if kind in ("run", "xmr"):
            values.append(_number(row.get("value"), path=path, line=line, column="value"))
            continue
        x = _number(row.get("numerator"), path=path, line=line, column="numerator")
        n = _number(row.get("denominator"), path=path, line=line, column="denominator")
        _check_counts(x, n, path=path, line=line)
        numerators.append(x)
        denominators.append(n)
    return Series(path, tuple(periods), tuple(values), tuple(numerators), tuple(denominators))


def read_annotations(
    path: Path | str, *, periods: Sequence[str] | None = None
) -> tuple[Annotation, ...]:
    """The annotations in ``path``: columns ``period, text`` and an optional ``kind``.

    With ``periods``, each annotation must name one of them (a typo would otherwise vanish).
    """
    path = Path(path)
    known = set(periods) if periods is not None else None
    notes = []
    for line, row in _rows(path, ("period", "text")):
        period = (row.get("period") or "").strip()
        if not period:
            raise InputError("the period is empty", path=path, line=line, column="period")
        if known is not None and period not in known:
            raise InputError(
                f"period {period!r} is not in the series",
                path=path,
                line=line,
                column="period",
                hint="write the period exactly as it appears in the series file",
            )
        kind = (row.get("kind") or "note").strip().lower() or "note"
        if kind not in ANNOTATION_KINDS:
            raise InputError(
                f"unknown kind {kind!r}",
                path=path,
                line=line,
                column="kind",
                hint=f"use one of {', '.join(ANNOTATION_KINDS)}",
            )
        notes.append(Annotation(period, (row.get("text") or "").strip(), kind))
    return tuple(notes)
