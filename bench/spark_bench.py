"""Time ``rollcall report`` on DuckDB (the default engine) against ``--engine spark`` in local mode.

    .venv/bin/python bench/spark_bench.py [--students 1000000] [--repeat 1]

The input is ``rollcall synth --students N --seed 1`` (one school year, CSV), made once into
``bench/data/<N>/`` as bench/run.py makes it. Each run is a fresh process under
``/usr/bin/time -v``: wall time and the largest resident set of the process and its children
(for Spark, the larger of the Python driver and its JVM, not their sum). The machine's load
average (``/proc/loadavg``) is read before and after each run: the machine may be shared. The
two engines' tables must be the same bytes. The figures go between the ``spark-bench`` markers
of docs/performance.md and docs/scale.md.
"""

from __future__ import annotations

import argparse
import datetime
import filecmp
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "performance.md", ROOT / "docs" / "scale.md")
START, END = "<!-- spark-bench:start -->", "<!-- spark-bench:end -->"
ROLLCALL = [sys.executable, "-m", "rollcall"]
RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
TABLES = ("student_metrics.csv", "summary.csv", "rejects.csv", "notes.csv")


def make_input(students: int) -> Path:
    folder = ROOT / "bench" / "data" / str(students)
    if not (folder / "attendance.csv").exists():
        args = ["synth", "--students", str(students), "--seed", "1", "--out", str(folder)]
        subprocess.run([*ROLLCALL, *args], check=True, capture_output=True)
    return folder


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def timed(args: list[str]) -> tuple[float, int, str, str]:
    """Wall seconds, peak RSS bytes, and the 1-minute load average before and after."""
    before = load()
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"run failed: {done.stderr[-3000:]}")
    found = RSS.search(done.stderr)
    return seconds, int(found[1]) * 1024 if found else 0, before, load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument(
        "--driver-memory", default="6g", help="Spark's driver (and, in local mode, only) JVM heap"
    )
    args = parser.parse_args()
    os.environ["PYSPARK_SUBMIT_ARGS"] = f"--driver-memory {args.driver_memory} pyspark-shell"
    folder = make_input(args.students)
    rows = sum(1 for _ in (folder / "attendance.csv").open("rb")) - 1
    lines = []
    outs = {}
    for engine in ("duckdb", "spark"):
        out = ROOT / "bench" / "results" / f"spark-bench-{args.students}" / engine
        outs[engine] = out
        command = ["report", "--input", str(folder), "--out", str(out), "--engine", engine]
        runs = [timed([*ROLLCALL, *command]) for _ in range(args.repeat)]
        seconds = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        loads = ", ".join(f"{r[2]} → {r[3]}" for r in runs)
        lines.append(
            f"| {engine} | {args.students:,} | {rows:,} | {len(runs)} | {seconds:.1f} s | "
            f"{min(r[0] for r in runs):.1f} s | {peak / 2**20:,.0f} MiB | {loads} |"
        )
        print(lines[-1], flush=True)
    same = all(
        filecmp.cmp(outs["duckdb"] / name, outs["spark"] / name, shallow=False) for name in TABLES
    )
    today = datetime.date.today().isoformat()
    options = (
        f"--students {args.students} --repeat {args.repeat} --driver-memory {args.driver_memory}"
    )
    command = f"`.venv/bin/python bench/spark_bench.py {options}`"
    text = "\n".join(
        [
            START,
            f"Measured {today} on this project's 2-core, 24 GB machine, shared with other agents "
            f"({command}; each run a fresh `rollcall report` process, CSV input from `rollcall "
            f"synth --students {args.students} --seed 1`; Spark in local mode on both cores, "
            f"{args.driver_memory} of heap). Load is the 1-minute load average "
            "before → after each run (2.0 would be both cores busy).",
            "",
            "| engine | students | attendance rows | runs | median | fastest | peak memory | "
            "load before → after |",
            "|---|---|---|---|---|---|---|---|",
            *lines,
            "",
            "The two engines' `student_metrics.csv`, `summary.csv`, `rejects.csv` and `notes.csv`: "
            + ("**the same bytes**." if same else "**DIFFERENT** (a bug: see the files)."),
            END,
        ]
    )
    print(text)
    if not args.no_doc:
        for doc in DOCS:
            body = doc.read_text(encoding="utf-8")
            before, _, rest = body.partition(START)
            _, _, after = rest.partition(END)
            doc.write_text(before + text + after, encoding="utf-8")


if __name__ == "__main__":
    main()
