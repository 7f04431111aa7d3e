"""Write per-student totals for tests: workbook-style CSV or .xlsx, and CALPADS STAS records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from canonical import csv_text
from outputs import Outputs, read_csv

from rollcall import api
from rollcall.formats.sources import ReadOptions, Source

# The STAS fields 13.01-13.22, in order, with the values a test does not care about.
STAS_DEFAULTS: dict[str, str] = {
    "record_type": "STAS",
    "transaction": "",
    "local_record": "",
    "lea": "1964733",
    "school": "0112345",
    "year": "2024-2025",
    "ssid": "1000000001",
    "local_id": "L1",
    "first_name": "Ann",
    "last_name": "Lee",
    "birth_date": "20150101",
    "gender": "F",
    "exempt": "N",
    "hourly": "N",
    "expected": "180",
    "in_person": "180",
    "oss": "0",
    "iss": "0",
    "excused": "0",
    "unexcused": "0",
    "non_ada_study": "0",
    "ada_study": "0",
}
# The same fields as a SIS vendor's CSV extract names them.
STAS_HEADER = (
    "Record Type Code", "Transaction Type Code", "Local Record ID", "Reporting LEA",
    "School of Attendance", "Academic Year ID", "SSID", "Local Student ID",
    "Student Legal First Name", "Student Legal Last Name", "Student Birth Date",
    "Student Gender Code", "Student Absence Summary Data Collection Exemption Indicator",
    "Hourly Attendance School Type Indicator", "Expected Attendance Days",
    "Days Attended In-Person", "Days Absent Out-of-School Suspension",
    "Days in Attendance In-School Suspension", "Days Absent In-Person Excused Non-Suspension",
    "Days Absent In-Person Unexcused Non-Suspension", "Non-ADA Generating Independent Study Days",
    "ADA-Generating Independent Study Days",
)  # fmt: skip


def stas_record(**values: str) -> list[str]:
    unknown = set(values) - set(STAS_DEFAULTS)
    assert not unknown, f"not STAS fields: {unknown}"
    return [values.get(name, default) for name, default in STAS_DEFAULTS.items()]


def write_stas(path: Path, records: Sequence[Mapping[str, str]], *, header: bool = False) -> Path:
    """A STAS file: caret-delimited without a header (as CALPADS takes it), or with
    ``header`` a comma-separated extract with the field names as header."""
    rows = [stas_record(**record) for record in records]
    path.parent.mkdir(parents=True, exist_ok=True)
    if header:
        text = csv_text([list(STAS_HEADER), *rows])
    else:
        text = "".join("^".join(row) + "\r\n" for row in rows)
    path.write_text(text, encoding="utf-8", newline="")
    return path


def write_totals(path: Path, rows: Sequence[Mapping[str, object]] | str) -> Path:
    """A workbook-style totals CSV (the header is the keys of the rows), or the exact text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(rows), encoding="utf-8", newline="")
    return path


def run_totals(
    path: Path,
    *,
    students_file: Path | None = None,
    kind: str | None = None,
    out: Path | None = None,
    **options: Any,
) -> Outputs:
    """``rollcall report`` on a totals or CALPADS file, with its three tables read back."""
    out = out or path.parent / "out"
    source = Source(path, kind, ReadOptions(students_file=students_file))
    result = api.report(source, out, **options)
    return Outputs(
        result=result,
        students=read_csv(out / "student_metrics.csv"),
        summary=read_csv(out / "summary.csv"),
        rejects=read_csv(out / "rejects.csv"),
    )
