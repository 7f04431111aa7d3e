"""Time an SIS export read with a mapping file against the canonical folder of the same data.

    .venv/bin/python bench/sources_bench.py [--students 50000] [--repeat 3]

The synthetic district (seed 1, one school year, clean) is made once into ``bench/data/<N>/``,
as bench/run.py makes it, and rewritten once as a typical SIS export into
``bench/data/<N>-sis/`` (rollcall/synth/sis_export.py: CSV only, absence rows only, attendance in
two files, letter codes, ``m/d/yyyy`` dates, no calendar file). Each run is a fresh process:

- **load**: the reader alone, from the files to the five raw tables in DuckDB (no engine);
- **report**: ``rollcall report`` end to end (start-up, load, engine, writing the tables).

It prints the median and fastest of ``--repeat`` runs of each, and checks that both reports wrote
the same ``student_metrics.csv`` and ``summary.csv``. docs/performance.md records the figures.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
SEED = 1


def ensure_data(students: int) -> tuple[Path, Path]:
    """The canonical folder and the SIS export's mapping file, made the first time."""
    from rollcall.synth import write_synthetic
    from rollcall.synth.sis_export import write_sis_export

    canonical = DATA / str(students)
    if not canonical.exists():
        print(f"making synthetic data for {students:,} students in {canonical} ...", flush=True)
        partial = DATA / f"{students}.partial"
        write_synthetic(partial, students=students, seed=SEED)
        partial.rename(canonical)
    export = DATA / f"{students}-sis"
    if not (export / "mapping.toml").exists():
        print(f"writing it as an SIS export in {export} ...", flush=True)
        write_sis_export(canonical, export, excel=False, daily=False, split=True)
    return canonical, export / "mapping.toml"


def load_only(kind: str, path: Path, mapping: Path | None) -> float:
    """Seconds the reader takes to build the raw tables (run inside a fresh process)."""
    # pandas comes with Ibis, which every command imports; import it before the clock starts,
    # so that the first reader to touch it (DuckDB's Arrow scan) is not charged for it.
    import pandas  # noqa: F401

    from rollcall.engine.backend import connect
    from rollcall.formats.sources import ReadOptions, Source, load

    backend = connect()
    start = time.perf_counter()
    load(Source(path, kind, ReadOptions(mapping=mapping)), backend.con)
    seconds = time.perf_counter() - start
    backend.close()
    return seconds


# Byte code cached apart from the tree, as bench/run.py does: as after a normal install.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": str(DATA / "pycache"),
}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT, env=ENV)
    return time.perf_counter() - start


def measure(canonical: Path, mapping: Path, repeat: int, out: Path) -> dict[str, list[float]]:
    python = [sys.executable]
    cli = [*python, "-c", "from rollcall.cli import main; main()", "report"]
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        for name, kind, path, mapped in (
            ("canonical", "canonical", canonical, None),
            ("sis", "sis", mapping.parent, mapping),
        ):
            args = [str(path)] + ([str(mapped)] if mapped else [])
            done = subprocess.run(
                [*python, __file__, "--load-only", kind, *args],
                check=True, capture_output=True, text=True, cwd=ROOT, env=ENV,
            )  # fmt: skip
            runs.setdefault(f"{name} load", []).append(float(done.stdout.strip()))
            options = ["--input", str(path), "--out", str(out / name)]
            options += ["--mapping", str(mapped)] if mapped else []
            runs.setdefault(f"{name} report", []).append(timed([*cli, *options]))
    for table in ("student_metrics.csv", "summary.csv"):
        if not filecmp.cmp(out / "canonical" / table, out / "sis" / table, shallow=False):
            raise SystemExit(f"the two reports differ in {table}")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load-only", nargs="+", metavar="ARG", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.load_only:
        kind, path, *mapping = options.load_only
        print(load_only(kind, Path(path), Path(mapping[0]) if mapping else None))
        return
    canonical, mapping = ensure_data(options.students)
    rows = sum(1 for _ in (canonical / "attendance.csv").open()) - 1
    with tempfile.TemporaryDirectory() as out:
        runs = measure(canonical, mapping, options.repeat, Path(out))
    print(f"{options.students:,} students, {rows:,} attendance rows; "
          f"median (fastest) of {options.repeat} runs, seconds:")  # fmt: skip
    print("| input | load | report |\n|---|---|---|")
    for name, label in (("canonical", "canonical folder (CSV)"),
                        ("sis", "SIS export (CSV) + mapping")):  # fmt: skip
        cells = [
            f"{statistics.median(runs[f'{name} {step}']):.2f} ({min(runs[f'{name} {step}']):.2f})"
            for step in ("load", "report")
        ]
        print(f"| {label} | {cells[0]} | {cells[1]} |")
    print("Both reports wrote the same student_metrics.csv and summary.csv.")


if __name__ == "__main__":
    main()
