"""Write a folder of canonical CSV files (docs/format.md) for tests.

Each table is given as a list of dicts (the header is the keys in order of first appearance),
as a list of rows whose first row is the header, or as the exact file text (a ``str``) when a
test needs BOMs, CRLF line ends, blank lines or odd quoting.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

Table = Sequence[Mapping[str, object]] | Sequence[Sequence[object]] | str

REQUIRED_HEADERS = {
    "schools": ["school_id"],
    "students": ["student_id"],
    "enrollments": ["student_id", "school_id", "grade", "entry_date", "exit_date"],
    "calendar": ["school_id", "date"],
    "attendance": ["student_id", "school_id", "date", "status", "absent_fraction"],
}


def csv_text(table: Table, *, default_header: Sequence[str] = (), newline: str = "\n") -> str:
    """The CSV text of a table given as dicts, as rows with a header, or as text."""
    if isinstance(table, str):
        return table
    rows = list(table)
    if not rows:
        header: list[str] = list(default_header)
        body: list[list[object]] = []
    elif isinstance(rows[0], Mapping):
        header = list(dict.fromkeys(key for row in rows for key in row))  # type: ignore[union-attr]
        body = [[row.get(column, "") for column in header] for row in rows]  # type: ignore[union-attr]
    else:
        header = [str(column) for column in rows[0]]  # type: ignore[union-attr]
        body = [list(row) for row in rows[1:]]  # type: ignore[arg-type]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    for row in body:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def write_canonical(
    folder: Path,
    *,
    schools: Table,
    students: Table,
    enrollments: Table,
    calendar: Table,
    attendance: Table = (),
) -> Path:
    """Write schools.csv, students.csv, enrollments.csv, calendar.csv, attendance.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "schools": schools,
        "students": students,
        "enrollments": enrollments,
        "calendar": calendar,
        "attendance": attendance,
    }
    for name, table in tables.items():
        text = csv_text(table, default_header=REQUIRED_HEADERS[name])
        (folder / f"{name}.csv").write_text(text, encoding="utf-8", newline="")
    return folder
