"""Run a report on a test folder and look its rows up by key."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rollcall import api


@dataclass
class Outputs:
    result: api.ReportResult
    students: list[dict[str, str]]
    summary: list[dict[str, str]]
    rejects: list[dict[str, str]]

    def student(self, level: str, unit_id: str, student_id: str) -> dict[str, str]:
        rows = [
            r
            for r in self.students
            if (r["level"], r["unit_id"], r["student_id"]) == (level, unit_id, student_id)
        ]
        assert len(rows) == 1, f"expected one row for {level}/{unit_id}/{student_id}: {rows}"
        return rows[0]

    def has_student(self, level: str, unit_id: str, student_id: str) -> bool:
        return any(
            (r["level"], r["unit_id"], r["student_id"]) == (level, unit_id, student_id)
            for r in self.students
        )

    def group(self, level: str, unit_id: str, dimension: str, group: str) -> dict[str, str]:
        rows = [
            r
            for r in self.summary
            if (r["level"], r["unit_id"], r["dimension"], r["group"])
            == (level, unit_id, dimension, group)
        ]
        assert len(rows) == 1, f"expected one summary row: {rows}"
        return rows[0]

    def reasons(self) -> list[tuple[str, str, str, str, str]]:
        return [(r["file"], r["line"], r["column"], r["value"], r["reason"]) for r in self.rejects]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run(folder: Path, **options: Any) -> Outputs:
    out = folder / "out"
    result = api.report(folder, out, **options)
    return Outputs(
        result=result,
        students=read_csv(out / "student_metrics.csv"),
        summary=read_csv(out / "summary.csv"),
        rejects=read_csv(out / "rejects.csv"),
    )


def school_days(count: int, start: date = date(2024, 8, 26)) -> list[date]:
    """``count`` weekdays from ``start`` on: a simple calendar."""
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def calendar_rows(school_ids: str | list[str], days: list[date]) -> list[dict[str, str]]:
    ids = [school_ids] if isinstance(school_ids, str) else school_ids
    return [{"school_id": s, "date": d.isoformat()} for s in ids for d in days]


def absences(
    student_id: str, school_id: str, days: list[date], status: str = "unexcused", fraction: str = ""
) -> list[dict[str, str]]:
    return [
        {
            "student_id": student_id,
            "school_id": school_id,
            "date": d.isoformat(),
            "status": status,
            "absent_fraction": fraction,
        }
        for d in days
    ]
