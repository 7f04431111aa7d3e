"""England's attendance files as a source (kind ``england``): a DfE file, or a folder of them,
read into the aggregate table (persistent absence, England's chronic absence) and the sessions
table (rollcall/formats/england/sessions.py). docs/sources/england.md says how England's
definitions map to rollcall's."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from rollcall.errors import InputError
from rollcall.formats.aggregates import table as aggregate
from rollcall.formats.england import dfe, files, sessions
from rollcall.formats.england.files import DfeFile
from rollcall.formats.sources import CodeSeen, FileSeen, Grain, Inspection, Loaded, ReadOptions

DEFINITIONS = (
    "England counts attendance in half-day sessions (two a day) and calls a pupil persistently "
    "absent who misses 10% or more of their possible sessions: rollcall reads persistent absence "
    "as chronic absence (the same 10% threshold, counted in sessions rather than days), "
    "authorised absence as excused and unauthorised absence as unexcused."
)
RATE_ONLY = (
    "The DfE publishes persistent absence as a percentage of pupils (its column pa_perc), with no "
    "count of pupils: the counts of eligible and chronically absent pupils are empty and the rate "
    "is as published. "
    "Its enrolments column is the average number of pupils on roll over the period, not a count "
    "of pupils: it is kept in sessions.csv, not used as the denominator."
)

REASONS_READ = (
    f"The {len(dfe.REASONS)} reason columns (reason_present … reason_n_no_reason_yet) are read "
    "into sessions.csv under the DfE's own names; each is authorised, unauthorised, present or "
    "an approved educational activity (docs/sources/england.md)."
)


def dfe_files(path: Path) -> list[Path]:
    """The DfE attendance files ``path`` is (a file) or holds (a folder, not its subfolders)."""
    if path.is_dir():
        return [p for p in sorted(path.iterdir()) if files.recognise(p)]
    return [path] if files.recognise(path) else []


def read(path: Path, *, strict: bool = True) -> list[DfeFile]:
    """Every DfE file of ``path`` read; stops (``strict``) on a code not mapped or on a file
    whose rates mostly do not match its sessions, naming the file, line and column."""
    found = dfe_files(path)
    if not found:
        raise InputError(
            "no DfE attendance file here (a CSV whose header has " + ", ".join(dfe.REQUIRED) + ")",
            path=path,
            hint="docs/sources/england.md says which files the England reader reads",
        )
    readings = [files.read(p) for p in found]
    for one in readings:
        one.reading.finish(strict=strict)
    _refuse_repeats(readings)
    return readings


def _refuse_repeats(readings: list[DfeFile]) -> None:
    """A unit's persistent absence given again by a later file (two year-to-date files of one
    year) is refused there, as a duplicate is within one file."""
    seen: set[tuple[Any, ...]] = set()
    for one in readings:
        kept = []
        for row in one.reading.rows:
            key = tuple(row[k] for k in ("school_year", "level", "unit_id", "dimension", "group"))
            if key in seen:
                files.refuse(one.reading, row["_line"], dfe.PERSISTENT, "", "duplicate")
                continue
            seen.add(key)
            kept.append(row)
        one.reading.rows = kept


def notes(readings: list[DfeFile]) -> list[str]:
    """What the user must be told: what each file is, how England maps to rollcall, and what
    the DfE's symbols and the weeks' coverage mean for the figures."""
    found = [DEFINITIONS]
    for one in readings:
        reading = one.reading
        what = "weekly" if one.weekly else "year to date"
        weeks = sorted((p for p in one.periods if p.startswith("week")), key=_period_order)
        found.append(
            f"Read {reading.path.name} as the {files.TITLE} ({what})"
            + (f": {', '.join(weeks)}." if weeks else ".")
        )
        if one.has_persistent:
            found.append(
                f"{reading.path.name}: year-to-date figures cover the school year from its start "
                "to the date the DfE extracted them, not a whole year; persistent absence over "
                "part of a year is not comparable with a whole year's."
            )
        found.extend(reading.notes)
        if not one.has_persistent:
            found.append(
                f"{reading.path.name} publishes no persistent absence (the DfE measures it over "
                "the year to date, not week by week): its sessions are in sessions.csv; the "
                "year-to-date file has persistent absence."
            )
        if one.weekly:
            found.extend(_week_notes(one))
        hidden = sum(1 for row in one.sessions if row["suppressed"])
        if one.symbols:
            marks = ", ".join(
                f"{symbol!r} ({_symbol_words(symbol)}): {n:,}"
                for symbol, n in sorted(one.symbols.items())
            )
            found.append(
                f"{reading.path.name}: figures marked with the DfE's symbols, none read as zero: "
                f"{marks}; {hidden:,} rows hidden by the DfE are kept as suppressed."
            )
        if reading.mismatched:
            where = reading.mismatched[:5]
            first = ", ".join(f"line {line} ({column})" for line, column, _ in where)
            found.append(
                f"{len(reading.mismatched):,} rows of {reading.path.name} whose published rate "
                f"does not match their sessions were refused (rejects.csv): {first}"
                + (" …" if len(reading.mismatched) > 5 else "")
            )
    if any(one.has_persistent for one in readings):
        found.append(RATE_ONLY)
    return found


def _symbol_words(symbol: str) -> str:
    if symbol == dfe.SUPPRESSED:
        return "suppressed to protect pupils"
    return dfe.NOT_PUBLISHED.get(symbol, "not published")


def _period_order(name: str) -> tuple[int, int]:
    week = name.removeprefix("week ")
    return (0, int(week)) if week.isdigit() else (1, 0)


def _week_notes(one: DfeFile) -> list[str]:
    """Weeks with fewer rows than most, and weeks missing between the first and the last."""
    weeks = {int(name.removeprefix("week ")): n for name, n in one.periods.items()}
    usual = Counter(weeks.values()).most_common(1)[0][0]
    short = [f"week {w} ({n:,} rows)" for w, n in sorted(weeks.items()) if n < usual]
    found = []
    if short:
        found.append(
            f"{one.reading.path.name}: fewer rows than the usual {usual:,} a week in "
            f"{', '.join(short)}: a week with few rows is usually a half-term holiday, when most "
            "schools record no sessions, and a week's figures cover only the schools that "
            "recorded it."
        )
    # Weeks run across the new year (week 52 to week 1); only gaps within one run are named.
    ordered = sorted(weeks)
    missing = [w for a, b in itertools.pairwise(ordered) for w in range(a + 1, b)]
    if missing and ordered[-1] - ordered[0] < 40:
        found.append(
            f"{one.reading.path.name}: no rows for "
            + ", ".join(f"week {w}" for w in missing)
            + " (a holiday, or a week the DfE did not publish)."
        )
    return found


def summary_lines(readings: list[DfeFile]) -> list[str]:
    """What ``rollcall inspect`` says beyond the codes: years, units, rows kept and refused."""
    rows = [row for one in readings for row in one.sessions]
    units = Counter(level for level, _ in {(r["level"], r["unit_id"]) for r in rows})
    years = sorted({r["school_year"] for r in rows})
    lines = sum(one.reading.lines for one in readings)
    refused = sum(len(one.reading.rejects) for one in readings)
    skipped = sum(sum(one.reading.skipped.values()) for one in readings)
    kept = sum(len(one.reading.rows) for one in readings)
    hidden = sum(one.reading.suppressed for one in readings)
    checked = sum(one.reading.checked for one in readings)
    mismatched = sum(len(one.reading.mismatched) for one in readings)
    return [
        f"School years: {', '.join(years) or 'none'}. Units: "
        + (", ".join(f"{n:,} {level}" for level, n in sorted(units.items())) or "none")
        + ".",
        f"{lines:,} rows read: {len(rows):,} rows of sessions kept, {kept:,} persistent absence "
        f"figures ({hidden:,} suppressed by the DfE, kept as suppressed), {refused:,} refused, "
        f"{skipped:,} skipped.",
        f"Session rates checked against their sessions: {checked:,}; not matching: {mismatched:,}.",
    ]


@dataclass(frozen=True)
class EnglandReader:
    kind: str = "england"
    grain: Grain = "aggregate"

    def detect(self, path: Path) -> bool:
        return bool(dfe_files(path))

    def load(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Loaded:
        readings = read(path)
        rows = [row for one in readings for row in one.reading.table_rows()]
        years = sorted({row["school_year"] for row in rows})
        skipped: Counter[str] = Counter()
        for one in readings:
            skipped.update(one.reading.skipped)
        return Loaded(
            kind=self.kind,
            grain=self.grain,
            aggregate=aggregate.table(rows),
            sessions=session_table(readings),
            title=files.TITLE,
            notes=tuple(notes(readings)),
            skipped=dict(skipped),
            school_year=years[0] if len(years) == 1 else None,
            rejects=tuple(r for one in readings for r in one.reading.rejects),
            files=tuple(one.reading.path for one in readings),
        )

    def inspect(self, path: Path, options: ReadOptions) -> Inspection:
        readings = read(path, strict=False)
        return Inspection(
            kind=self.kind,
            grain=self.grain,
            files=tuple(
                FileSeen(
                    path=one.reading.path,
                    rows=one.reading.lines,
                    role=f"{'weekly' if one.weekly else 'year-to-date'} sessions"
                    + (" and persistent absence" if one.has_persistent else ""),
                    matched=one.reading.matched,
                    unmatched=one.reading.unmatched,
                )
                for one in readings
            ),
            codes=codes_seen(readings),
            missing=(
                "no count of pupils persistently absent, nor of pupils: the DfE publishes the "
                "percentage only",
            ),
            notes=(*notes(readings), REASONS_READ, *summary_lines(readings)),
        )


def codes_seen(readings: list[DfeFile]) -> tuple[CodeSeen, ...]:
    """Every code seen in any file, counted over all of them."""
    counts: Counter[tuple[str, str]] = Counter()
    mapped: dict[tuple[str, str], str | None] = {}
    for one in readings:
        counts.update(one.reading.codes)
        mapped |= one.reading.mapped
    return tuple(
        CodeSeen(column=column, code=code, count=n, mapped_to=mapped[(column, code)])
        for (column, code), n in counts.items()
    )


def session_table(readings: list[DfeFile]) -> pa.Table:
    """Every file's sessions rows, year-to-date rows before weeks, in the files' order."""
    return sessions.table(row for one in readings for row in one.sessions)


READER = EnglandReader()
