"""A small SIS export and its mapping, for the hand-written cases of tests/test_source_sis*.py.

One school ``S1`` open Tuesday 3 to Friday 13 September 2024, with Monday 9 September off:
eight school days. Two students: ``s1`` (grade ``KG``) and ``s2`` (grade ``01``). The mapping is
a dict that each test changes and writes as TOML.
"""

from __future__ import annotations

import copy
import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from outputs import read_csv

from rollcall import api
from rollcall.formats.sis.reader import READER
from rollcall.formats.sources import ReadOptions, Source

ENROLLMENTS = (
    "StudentID,SchoolCode,Grade,EntryDate,ExitDate\ns1,S1,KG,09/03/2024,\ns2,S1,01,09/03/2024,\n"
)
ATTENDANCE = (
    "StudentID,SchoolCode,AttDate,AbsenceCode\n"
    "s1,S1,09/03/2024,A\n"  # line 2
    "s1,S1,09/04/2024,H\n"  # line 3
    "s2,S1,09/05/2024,E\n"  # line 4
)
MAPPING: dict[str, Any] = {
    "date_format": "%m/%d/%Y",
    "enrollments": {
        "file": "enrollments.csv",
        "columns": {
            "student_id": "StudentID",
            "school_id": "SchoolCode",
            "grade": "Grade",
            "entry_date": "EntryDate",
            "exit_date": "ExitDate",
        },
    },
    "attendance": {
        "file": "attendance.csv",
        "columns": {
            "student_id": "StudentID",
            "school_id": "SchoolCode",
            "date": "AttDate",
            "status": "AbsenceCode",
        },
    },
    "calendar": {
        "first_day": date(2024, 9, 3),
        "last_day": date(2024, 9, 13),
        "non_instructional": [date(2024, 9, 9)],
    },
    "codes": {
        "status": {
            "A": "unexcused",
            "H": {"status": "unexcused", "fraction": 0.5},
            "E": "excused",
        }
    },
}
SCHOOL_DAYS = 8


def base_mapping() -> dict[str, Any]:
    return copy.deepcopy(MAPPING)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
        )
    raise TypeError(value)


def toml_text(data: dict[str, Any], where: str = "") -> str:
    """``data`` as TOML: plain values first, then each sub-table as a [section]; a dict inside a
    ``columns``, ``groups`` or code table stays inline when it is a value (a code's meaning)."""
    lines = []
    tables = []
    for key, value in data.items():
        name = json.dumps(key)
        if isinstance(value, dict) and _is_section(where, key):
            tables.append((key, value))
        else:
            lines.append(f"{name} = {toml_value(value)}")
    text = "\n".join(lines) + "\n"
    for key, value in tables:
        path = f"{where}.{json.dumps(key)}" if where else json.dumps(key)
        text += f"\n[{path}]\n" + toml_text(value, path)
    return text


def _is_section(where: str, key: str) -> bool:
    # A code's meaning ({ status = ..., fraction = ... }) and a group ({ column = ... }) are
    # inline values; everything else that is a dict is a section.
    leaf = where.rsplit(".", 1)[-1].strip('"')
    return leaf not in ("status", "groups", "values", "grade", "yes_no", "columns")


@dataclass
class Export:
    folder: Path
    mapping: Path

    @property
    def source(self) -> Source:
        return Source(self.folder, "sis", ReadOptions(mapping=self.mapping))


def write_export(
    folder: Path,
    mapping: dict[str, Any] | str | None = None,
    files: dict[str, str | bytes] | None = None,
) -> Export:
    """The small export in ``folder`` (``files`` add or replace files by name; ``None`` as a
    value leaves a file out) and its mapping in ``folder/map.toml``."""
    folder.mkdir(parents=True, exist_ok=True)
    contents: dict[str, str | bytes | None] = {
        "enrollments.csv": ENROLLMENTS,
        "attendance.csv": ATTENDANCE,
        **(files or {}),
    }
    for name, content in contents.items():
        if content is None:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    text = mapping if isinstance(mapping, str) else toml_text(mapping or base_mapping())
    (folder / "map.toml").write_text(text, encoding="utf-8")
    return Export(folder, folder / "map.toml")


def raw_rows(export: Export) -> dict[str, list[dict[str, Any]]]:
    """The canonical raw tables the reader builds, as rows (without the record number)."""
    con = duckdb.connect()
    try:
        loaded = READER.load(export.folder, con, ReadOptions(mapping=export.mapping))
        tables = {}
        for name, raw in loaded.raw.items():
            cursor = con.execute(f"SELECT * FROM {raw.table}_data")
            names = [d[0] for d in cursor.description]
            tables[name] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return tables
    finally:
        con.close()


@dataclass
class Result:
    result: api.ReportResult
    students: list[dict[str, str]]
    summary: list[dict[str, str]]
    rejects: list[dict[str, str]]

    def total(self, student_id: str) -> dict[str, str]:
        rows = [r for r in self.students if r["level"] == "total" and r["student_id"] == student_id]
        assert len(rows) == 1, rows
        return rows[0]

    def reasons(self) -> list[tuple[str, str, str, str, str]]:
        return [(r["file"], r["line"], r["column"], r["value"], r["reason"]) for r in self.rejects]


def report(export: Export, out: Path) -> Result:
    result = api.report(export.source, out)
    return Result(
        result,
        read_csv(out / "student_metrics.csv"),
        read_csv(out / "summary.csv"),
        read_csv(out / "rejects.csv"),
    )


def csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))
