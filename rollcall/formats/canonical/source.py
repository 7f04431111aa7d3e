"""The canonical folder as a source (docs/format.md): read as it is, inspected column by column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from rollcall import duck
from rollcall.formats.canonical.format import (
    CONTACT_COLUMNS,
    KNOWN_DIMENSIONS,
    LANGUAGE_COLUMN,
    OPTIONAL,
    PERSONAL_COLUMNS,
    REQUIRED,
    RawFile,
    read_canonical,
    student_attributes,
)
from rollcall.formats.canonical.vocabulary import STATUSES
from rollcall.formats.sources import CodeSeen, FileSeen, Grain, Inspection, Loaded, ReadOptions
from rollcall.grades import normalize_grade

# The coded columns an inspection counts: (canonical table, column).
CODED = (("attendance", "status"), ("enrollments", "grade"))


@dataclass(frozen=True)
class CanonicalReader:
    kind: str = "canonical"
    grain: Grain = "days"

    def detect(self, path: Path) -> bool:
        # Any canonical file name is enough: loading then names the files that are missing.
        return path.is_dir() and any(
            (path / f"{name}.{kind}").is_file() for name in REQUIRED for kind in ("csv", "parquet")
        )

    def load(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Loaded:
        return Loaded(kind=self.kind, grain=self.grain, raw=read_canonical(path, con))

    def inspect(self, path: Path, options: ReadOptions) -> Inspection:
        con = duck.connect()
        try:
            raw = read_canonical(path, con)
            return Inspection(
                kind=self.kind,
                grain=self.grain,
                files=tuple(_file_seen(file, options.dimensions) for file in raw.values()),
                codes=tuple(
                    code for table, column in CODED for code in _codes(con, raw[table], column)
                ),
                first_date=_date(con, raw["calendar"], "min"),
                last_date=_date(con, raw["calendar"], "max"),
                missing=tuple(_missing(raw)),
                notes=(
                    "A row whose status or grade is not mapped is refused (rejects.csv), the "
                    "rest are read; docs/format.md lists the codes.",
                ),
            )
        finally:
            con.close()


def _file_seen(file: RawFile, declared: tuple[str, ...]) -> FileSeen:
    known = REQUIRED[file.name] + OPTIONAL[file.name]
    matched = {column: column for column in known if file.has(column)}
    if file.name == "students":
        # Groups by name: known or declared (a policy file may declare more, and the values are
        # checked when the engine runs). The other attributes are kept private: not used.
        wanted = {*KNOWN_DIMENSIONS, *(name.lower() for name in declared)}
        attributes = tuple(c for c in student_attributes(file) if c.lower() in wanted)
        matched |= {f"group {column}": column for column in attributes}
        contact = tuple(c for c in (*CONTACT_COLUMNS, LANGUAGE_COLUMN) if file.has(c))
        matched |= {f"contact {column}": column for column in contact}
        known += PERSONAL_COLUMNS + attributes + contact
    return FileSeen(
        path=file.path,
        rows=file.rows,
        role=file.name,
        matched=matched,
        unmatched=tuple(c for c in file.columns if c not in known),
    )


def _codes(con: duckdb.DuckDBPyConnection, file: RawFile, column: str) -> list[CodeSeen]:
    found = con.execute(
        f'SELECT "{column}", count(*) FROM {file.table} GROUP BY 1 ORDER BY 2 DESC, 1'
    ).fetchall()
    seen = []
    for code, count in found:
        text = "" if code is None else code
        if column == "status":
            mapped = text.lower() if text.lower() in STATUSES else None
        else:
            mapped = normalize_grade(text)
        seen.append(CodeSeen(column=column, code=text, count=int(count), mapped_to=mapped))
    return seen


def _date(con: duckdb.DuckDBPyConnection, file: RawFile, how: str) -> date | None:
    value = con.execute(f"SELECT {how}(TRY_CAST(date AS DATE)) FROM {file.table}").fetchall()[0][0]
    return value if isinstance(value, date) else None


def _missing(raw: dict[str, RawFile]) -> list[str]:
    missing = [
        f"{file.file_name} has no {column} column"
        for file in raw.values()
        for column in OPTIONAL[file.name]
        if not file.has(column)
    ]
    missing += [f"{file.file_name} has no rows" for file in raw.values() if file.rows == 0]
    return missing


READER = CanonicalReader()
