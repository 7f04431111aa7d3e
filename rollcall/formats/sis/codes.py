"""The codes of an SIS export: every attendance code, grade code and group value the mapping
must explain, counted file by file, and the one error that lists those it does not."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from rollcall.errors import InputError
from rollcall.formats.sis.export_files import SourceFile
from rollcall.formats.sis.mapping_file import IGNORE, Column, SisMapping
from rollcall.formats.sis.tables import TableSources
from rollcall.formats.sources import CodeSeen
from rollcall.sql import quote_identifier, quote_literal

IGNORED = f"{IGNORE} (left out, counted)"  # what inspect shows for a code mapped to ignore


@dataclass(frozen=True)
class CodeCount:
    """How many rows of one file hold one code of a coded column, and what the code means."""

    column: str  # ``status``, ``grade`` or ``group english_learner``
    file: SourceFile
    source_column: str
    code: str
    count: int
    mapped_to: str | None  # None: not mapped
    section: str  # where the mapping file maps it: ``[codes.status]``, ...


def count_codes(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, TableSources], mapping: SisMapping
) -> list[CodeCount]:
    """Every code of every coded column (attendance status, grade, attributes with a crosswalk
    or yes/no), file by file, with its row count and meaning."""
    counts = []
    for name, sources in tables.items():
        coded: list[tuple[str, Column, str]] = []
        if name == "attendance" and "status" in sources.columns:
            coded.append(("status", sources.columns["status"], "[codes.status]"))
        if name == "enrollments" and "grade" in sources.columns:
            coded.append(("grade", sources.columns["grade"], "[codes.grade]"))
        for group in sources.spec.groups:
            if group.yes_no or group.values is not None:
                where = "[codes.yes_no]" if group.yes_no else f"students.groups.{group.name}"
                coded.append((f"group {group.name}", Column(source=group.column), where))
        for column, source, section in coded:
            for file in sources.files:
                if source.source is not None and source.source not in file.columns:
                    continue
                for code, count in _code_counts(con, file, source):
                    meaning = _meaning(mapping, sources, column, code)
                    label = source.source or f"{column} (mapping value)"
                    counts.append(CodeCount(column, file, label, code, count, meaning, section))
    return counts


def _code_counts(
    con: duckdb.DuckDBPyConnection, file: SourceFile, column: Column
) -> list[tuple[str, int]]:
    value = (
        quote_literal(column.value)
        if column.value is not None
        else quote_identifier(column.source or "")
    )
    found = con.execute(
        f"SELECT COALESCE({value}, '') AS code, count(*) FROM {quote_identifier(file.table)} "
        "GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    return [(code, int(count)) for code, count in found]


def _meaning(mapping: SisMapping, sources: TableSources, column: str, code: str) -> str | None:
    """What a code is read as; None when the mapping does not say and the code is not a
    canonical spelling. An empty status or grade is not a code: the engine refuses it."""
    if column == "status":
        status = mapping.status_of(code)
        if status is None:
            return None if code else "(empty: refused as missing value)"
        return IGNORED if status.status == IGNORE else str(status)
    if column == "grade":
        grade = mapping.grade_of(code)
        if grade is None:
            return None if code else "(empty: refused as missing value)"
        return grade
    group = next(g for g in sources.spec.groups if f"group {g.name}" == column)
    if not code:
        return "unknown"
    if group.yes_no:
        return mapping.yes_no_of(code)
    return (group.values or {}).get(code)


def merged_codes(counts: list[CodeCount]) -> list[CodeSeen]:
    """Codes over all files: one line per column and code, most rows first."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    meaning: dict[tuple[str, str], str | None] = {}
    for c in counts:
        totals[(c.column, c.code)] += c.count
        meaning[(c.column, c.code)] = c.mapped_to
    order = sorted(dict.fromkeys(c.column for c in counts), key=_column_rank)
    ranked = sorted(totals, key=lambda k: (order.index(k[0]), -totals[k], k[1]))
    return [
        CodeSeen(column, code, totals[(column, code)], meaning[(column, code)])
        for column, code in ranked
    ]


def _column_rank(column: str) -> int:
    return {"status": 0, "grade": 1}.get(column, 2)


def unmapped_error(unmapped: list[CodeCount], mapping: SisMapping) -> InputError:
    """One error listing every unmapped code with its row count, column by column, with the
    files each column's codes were counted in."""
    by_column: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    files: dict[tuple[str, str], list[SourceFile]] = defaultdict(list)
    unmapped = sorted(unmapped, key=lambda c: _column_rank(c.column))
    for c in unmapped:
        key = (c.source_column, c.section)
        by_column[key][c.code] += c.count
        if c.file not in files[key]:
            files[key].append(c.file)
    parts = []
    for n, (key, codes) in enumerate(by_column.items()):
        listed = ", ".join(
            f"{code!r} ({count:,} {'row' if count == 1 else 'rows'})"
            for code, count in codes.items()
        )
        where = ", ".join(f.label for f in files[key])
        parts.append(
            listed + f" in {where}" if n == 0 else f"column {key[0]!r}: {listed} in {where}"
        )
    total = sum(len(codes) for codes in by_column.values())
    first = unmapped[0]
    sections = ", ".join(dict.fromkeys(c.section for c in unmapped))
    return InputError(
        f"{total} {'code is' if total == 1 else 'codes are'} not in {mapping.path.name}, so "
        "their rows cannot be read: " + "; ".join(parts),
        path=first.file.path,
        column=first.source_column,
        hint=f"map each in {sections} of {mapping.path}; `rollcall inspect` with the same "
        "--input and --mapping lists every code with its count",
    )
