"""Time ``rollcall report`` on per-student totals: a CALPADS STAS file and workbook totals (CSV
and .xlsx) for a district of N students (about 3% at two schools).

    .venv/bin/python bench/totals_bench.py [--students 50000] [--repeat 3]

Each run is a fresh process (what a user waits for, imports included); the median is printed.
The files are invented (random counts whose parts add up), written once into a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCHOOLS = [f"{n:07d}" for n in range(100001, 100041)]  # 40 schools of one LEA
LEA = "1964733"


def records(students: int, seed: int = 1) -> list[dict[str, object]]:
    """One row per student and school: expected days split into parts that add up."""
    rng = random.Random(seed)
    rows = []
    for n in range(students):
        for _ in range(2 if rng.random() < 0.03 else 1):
            expected = rng.randint(20, 180)
            absent = min(expected, int(rng.lognormvariate(1.8, 0.9)))
            excused = rng.randint(0, absent)
            suspension = rng.randint(0, (absent - excused) // 4)
            rows.append(
                {
                    "ssid": f"{1_000_000_000 + n}",
                    "school": rng.choice(SCHOOLS),
                    "grade": rng.choice(["K", "1", "2", "3", "4", "5", "6", "7", "8"]),
                    "expected": expected,
                    "present": expected - absent,
                    "excused": excused,
                    "suspension": suspension,
                    "unexcused": absent - excused - suspension,
                }
            )
    # A student has one row per school.
    seen, unique = set(), []
    for row in rows:
        if (row["ssid"], row["school"]) not in seen:
            seen.add((row["ssid"], row["school"]))
            unique.append(row)
    return unique


def write_stas(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for r in rows:
            fields = ["STAS", "", "", LEA, r["school"], "2024-2025", r["ssid"], "", "A", "B",
                      "20150101", "F", "N", "N", r["expected"], r["present"], r["suspension"], 0,
                      r["excused"], r["unexcused"], 0, 0]  # fmt: skip
            handle.write("^".join(str(f) for f in fields) + "\r\n")


def write_totals(path: Path, rows: list[dict[str, object]]) -> None:
    header = ["Student ID", "School", "Grade", "Days Present", "Excused", "Unexcused",
              "Suspension", "Gender"]  # fmt: skip
    values = [
        [r["ssid"], r["school"], r["grade"], r["present"], r["excused"], r["unexcused"],
         r["suspension"], "F" if int(str(r["ssid"])) % 2 else "M"]
        for r in rows
    ]  # fmt: skip
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Data")
        sheet.append(header)
        for row in values:
            sheet.append(row)
        book.save(path)
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(values)


def run(path: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from rollcall.cli import main; main()", "report", "--input",
         str(path), "--out", str(out), "--year", "2024-25"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    rows = records(options.students)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        inputs = {"calpads (STAS)": base / "stas.txt", "totals (CSV)": base / "totals.csv",
                  "totals (.xlsx)": base / "totals.xlsx"}  # fmt: skip
        write_stas(inputs["calpads (STAS)"], rows)
        write_totals(inputs["totals (CSV)"], rows)
        write_totals(inputs["totals (.xlsx)"], rows)
        print(f"{options.students:,} students, {len(rows):,} rows; median of {options.repeat}:")
        for name, path in inputs.items():
            seconds = [run(path, base / "out") for _ in range(options.repeat)]
            print(f"  {name:16} {statistics.median(seconds):6.1f} s")


if __name__ == "__main__":
    main()
