"""Time ``rollcall report`` on synthetic states from Parquet, with peak memory (issue 15).

    .venv/bin/python bench/scale_bench.py --sizes 200000,1000000,2000000,6000000
    .venv/bin/python bench/scale_bench.py --sizes 2000000 --memory-limit 3GB
    .venv/bin/python bench/scale_bench.py --render          # the table from the runs kept

Each size's input is ``rollcall synth --students N --seed 1 --format parquet`` (one school
year), made once into ``--data`` (default ``/tmp/rollcall-bench/pq-N``: large, so outside the
repository) and reused. Each run is a fresh process under ``/usr/bin/time -v``: wall time, user
and system CPU, peak resident memory, and the load average (``uptime``) before it started, since
the machine is shared. Every run is added to ``--runs`` (JSON) and the table of all kept runs
goes between the ``scale-bench`` markers in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- scale-bench:start -->", "<!-- scale-bench:end -->"
ROLLCALL = [sys.executable, "-c", "from rollcall.cli import main; main()"]
FIELDS = {
    "wall": re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)"),
    "user": re.compile(r"User time \(seconds\): ([\d.]+)"),
    "system": re.compile(r"System time \(seconds\): ([\d.]+)"),
    "peak_kb": re.compile(r"Maximum resident set size \(kbytes\): (\d+)"),
}
ROWS = re.compile(r"attendance\.parquet\s+([\d,]+)")


def make_input(data: Path, students: int) -> Path:
    folder = data / f"pq-{students}"
    if not (folder / "attendance.parquet").exists():
        subprocess.run(
            [*ROLLCALL, "synth", "--students", str(students), "--out", str(folder),
             "--seed", "1", "--format", "parquet"],
            check=True, capture_output=True,
        )  # fmt: skip
    return folder


def seconds(clock: str) -> float:
    parts = [float(p) for p in clock.split(":")]
    return sum(p * 60**n for n, p in enumerate(reversed(parts)))


def run(folder: Path, students: int, memory_limit: str | None, out: Path) -> dict[str, object]:
    load = os.getloadavg()
    limit = ["--memory-limit", memory_limit] if memory_limit else []
    done = subprocess.run(
        ["/usr/bin/time", "-v", *ROLLCALL, "report", "--input", str(folder), "--out", str(out),
         "--format", "parquet", *limit],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"run failed: {done.stderr[-2000:]}")
    found = {k: p.search(done.stderr) for k, p in FIELDS.items()}
    rows = ROWS.search(done.stdout)
    head = ["git", "-C", str(ROOT), "rev-parse", "--short=7", "HEAD"]
    return {
        "date": datetime.date.today().isoformat(),
        "commit": subprocess.run(head, capture_output=True, text=True).stdout.strip(),
        "students": students,
        "rows": int(rows[1].replace(",", "")) if rows else None,
        "memory_limit": memory_limit or "default",
        "wall": seconds(found["wall"][1]) if found["wall"] else None,
        "cpu": sum(float(found[k][1]) for k in ("user", "system") if found[k]),
        "peak_mb": int(found["peak_kb"][1]) / 1024 if found["peak_kb"] else None,
        "load": [round(x, 1) for x in load],
    }


def render(runs: list[dict[str, object]]) -> str:
    lines = [
        START,
        "Each run a fresh `rollcall report --format parquet` process on one school year of "
        "`rollcall synth --seed 1 --format parquet`, under `/usr/bin/time -v` "
        "(`bench/scale_bench.py`); load average (1, 5, 15 min) when it started.",
        "",
        "| students | attendance rows | memory limit | wall time | CPU (user+sys) | peak memory "
        "| µs CPU per row | load at start | date, commit |",
        "|---:|---:|---|---:|---:|---:|---:|---|---|",
    ]
    for r in sorted(runs, key=lambda r: (int(r["students"]), str(r["memory_limit"]))):  # type: ignore[call-overload]
        rows = r["rows"]
        per_row = f"{float(r['cpu']) / int(rows) * 1e6:.2f}" if rows else ""  # type: ignore[arg-type, call-overload]
        lines.append(
            f"| {int(r['students']):,} | {int(rows):,} | {r['memory_limit']} "  # type: ignore[call-overload]
            f"| {float(r['wall']):.0f} s | {float(r['cpu']):.0f} s "  # type: ignore[arg-type]
            f"| {float(r['peak_mb']):,.0f} MiB | {per_row} "  # type: ignore[arg-type]
            f"| {', '.join(str(x) for x in r['load'])} | {r['date']}, `{r['commit']}` |"  # type: ignore[attr-defined]
        )
    lines.append(END)
    return "\n".join(lines)


def write_doc(runs: list[dict[str, object]]) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = render(runs)
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200000,1000000,2000000")
    parser.add_argument("--memory-limit", default=None)
    parser.add_argument("--data", type=Path, default=Path("/tmp/rollcall-bench"))
    parser.add_argument("--runs", type=Path, default=Path("/tmp/rollcall-bench/scale.json"))
    parser.add_argument("--render", action="store_true", help="only rewrite the table")
    options = parser.parse_args()
    runs = json.loads(options.runs.read_text()) if options.runs.exists() else []
    if not options.render:
        for students in (int(s) for s in options.sizes.split(",")):
            folder = make_input(options.data, students)
            found = run(folder, students, options.memory_limit, options.data / f"r-{students}")
            print(found, flush=True)
            runs.append(found)
            options.runs.parent.mkdir(parents=True, exist_ok=True)
            options.runs.write_text(json.dumps(runs, indent=1))
    write_doc(runs)


if __name__ == "__main__":
    main()
