"""What ``rollcall inspect`` says about per-student totals (CALPADS, workbook totals): the files
and their columns matched, the grades and school years seen, coded indicators, what is missing,
and the notes a run would print."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import duckdb

from rollcall.errors import OptionError
from rollcall.formats.canonical.format import RawFile
from rollcall.formats.sources import CodeSeen, FileSeen, Inspection, Loaded
from rollcall.formats.totals.table import (
    NO_DAYS_NOTE,
    SCHOOL_YEAR,
    StudentsFile,
    TotalsSource,
)
from rollcall.grades import normalize_grade
from rollcall.period import parse_school_year
from rollcall.sql import quote_identifier


def describe(
    con: duckdb.DuckDBPyConnection,
    loaded: Loaded,
    source: TotalsSource,
    students: StudentsFile | None,
    *,
    codes: Sequence[CodeSeen] = (),
    missing: Iterable[str] = (),
    also_read: Mapping[str, str] | None = None,
) -> Inspection:
    """The inspection of a loaded totals input (``loaded`` from ``source`` and ``students``);
    ``also_read`` are source columns read for something else than a canonical column (what →
    column)."""
    totals = loaded.raw["totals"]
    matched = dict(totals.origin) | dict(also_read or {})
    matched |= {c: s for c, s in loaded.raw["schools"].origin.items() if c != "school_id"}
    attributes = dict(source.attributes) if students is None else {}
    matched |= {f"group {name}": column for name, column in attributes.items()}
    used = {part for value in matched.values() for part in value.split(" + ")}
    files = [
        FileSeen(
            path=source.rows.path,
            rows=source.rows.rows,
            role="totals",
            matched=matched,
            unmatched=tuple(c for c in source.rows.columns if c not in used),
        )
    ]
    if students is not None:
        grade = {"grade": students.grade_column} if students.grade_column else {}
        files.append(
            FileSeen(
                path=students.raw.path,
                rows=students.raw.rows,
                role="students",
                matched={
                    "student_id": students.raw.origin["student_id"],
                    **grade,
                    **{f"group {n}": c for n, c in students.attributes.items()},
                },
                unmatched=students.unused,
            )
        )
    seen = [*_grades(con, totals.table), *_years(con, totals), *codes]
    lacking = list(missing)
    if students is None and not attributes:
        lacking.append("no student attributes: give --students-file to count student groups")
    skipped = [
        f"{n:,} {what} would be left out and counted (not refused)."
        for what, n in loaded.skipped.items()
    ]
    return Inspection(
        kind=loaded.kind,
        grain=loaded.grain,
        files=tuple(files),
        codes=tuple(seen),
        missing=tuple(lacking),
        notes=(*loaded.notes, NO_DAYS_NOTE, *skipped),
    )


def _grades(con: duckdb.DuckDBPyConnection, table: str) -> list[CodeSeen]:
    found = con.execute(
        f"SELECT coalesce(grade, ''), count(*) FROM {table} GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    return [CodeSeen("grade", code, int(n), normalize_grade(code)) for code, n in found]


def _years(con: duckdb.DuckDBPyConnection, totals: RawFile) -> list[CodeSeen]:
    if not totals.has(SCHOOL_YEAR):
        return []
    found = con.execute(
        f"SELECT coalesce({SCHOOL_YEAR}, ''), count(*) FROM {totals.table} GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return [CodeSeen(SCHOOL_YEAR, code, int(n), _year(code)) for code, n in found]


def _year(text: str) -> str | None:
    try:
        parse_school_year(text)
    except OptionError:
        return None
    return text


def indicator_codes(
    con: duckdb.DuckDBPyConnection,
    indicators: Mapping[str, tuple[str | None, str]],
    yes: Iterable[str],
) -> list[CodeSeen]:
    """The values of yes/no indicator columns of the source rows, each read as what a yes
    means or ``counted``: ``indicators`` is label → (source column or None, what yes means)."""
    found = []
    yes = set(yes)
    for label, (column, meaning) in indicators.items():
        if column is None:
            continue
        rows = con.execute(
            f"SELECT upper(coalesce({quote_identifier(column)}, '')), count(*) FROM _totals_source "
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        found += [
            CodeSeen(label, code, int(n), meaning if code in yes else "counted") for code, n in rows
        ]
    return found
