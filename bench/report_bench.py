"""Time ``rollcall report --html`` end to end on a 50,000-student synthetic input.

    .venv/bin/python bench/report_bench.py [--students 50000] [--repeat 3]

The input (seed 1, this school year and last, CSV, with --messy rows) is made once into
``<--data>/report-<students>/`` (default ``bench/data``) and reused. Two reports are timed,
each run a fresh process under ``/usr/bin/time -v`` (wall time, CPU time, peak resident
memory): the top-level report (every district and school) and the largest district's report
(with its student list). The medians and the page sizes go between the ``report-bench`` markers
in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- report-bench:start -->", "<!-- report-bench:end -->"
ROLLCALL = [sys.executable, "-c", "from rollcall.cli import main; main()"]
TARGET = 15.0
TARGET_LAST_YEAR = 10.0
RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
CPU = re.compile(r"(?:User|System) time \(seconds\): ([\d.]+)")


def make_input(students: int, data: Path) -> Path:
    folder = data / f"report-{students}"
    if not (folder / "attendance.csv").exists():
        subprocess.run(
            [*ROLLCALL, "synth", "--students", str(students), "--out", str(folder),
             "--seed", "1", "--years", "2", "--messy"],
            check=True, capture_output=True,
        )  # fmt: skip
    return folder


def largest_district(out: Path) -> str:
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["level"] == "district" and r["dimension"] == "all"
        ]
    return max(rows, key=lambda r: int(r["eligible_students"]))["unit_id"]


def timed(args: list[str]) -> tuple[float, int, float, float]:
    """Wall seconds, peak RSS bytes and CPU seconds (user and system) of one run, and the
    one-minute load average before it (the machine is shared: a busy run is slower)."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"run failed: {done.stderr[-2000:]}")
    match = RSS.search(done.stderr)
    cpu = sum(float(t) for t in CPU.findall(done.stderr))
    return seconds, int(match.group(1)) * 1024 if match else 0, cpu, load


def measure(name: str, args: list[str], out: Path, repeat: int) -> dict[str, object]:
    runs = [timed(args) for _ in range(repeat)]
    page = out / "report.html"
    if "--html" not in args and "--district" not in args:
        page.unlink(missing_ok=True)
    result = {
        "name": name,
        "seconds": statistics.median(s for s, _, _, _ in runs),
        "all": [round(s, 2) for s, _, _, _ in runs],
        "cpu": statistics.median(c for _, _, c, _ in runs),
        "peak_mb": statistics.median(b for _, b, _, _ in runs) / 2**20,
        "loads": [round(load, 1) for _, _, _, load in runs],
        "page_mb": page.stat().st_size / 2**20 if page.exists() else None,
    }
    print(result, flush=True)
    return result


def write_doc(students: int, results: list[dict[str, object]]) -> None:
    lines = [
        START,
        f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, "
        f"{students:,} synthetic students (two school years, `--messy`), median of "
        f"{len(results[0]['all'])} runs (`bench/report_bench.py`); each run a fresh "  # type: ignore[arg-type]
        "`rollcall report --html` process: reading, the engine for this year and last, the CSV "
        "tables, the page.",
        "",
        "| report | median time | runs | load before each run | CPU (median) | peak memory "
        "| report.html |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['seconds']:.1f} s | {', '.join(f'{s:.1f}' for s in r['all'])} s "  # type: ignore[attr-defined]
            f"| {', '.join(f'{x:.1f}' for x in r['loads'])} "  # type: ignore[attr-defined]
            f"| {r['cpu']:.1f} s | {r['peak_mb']:.0f} MB | "
            + (f"{r['page_mb']:.2f} MB |" if r["page_mb"] is not None else "— |")
        )
    slowest = max(float(r["seconds"]) for r in results if r["page_mb"] is not None)  # type: ignore[arg-type]
    verdict = "met" if slowest < TARGET else "not met"
    lines += [
        "",
        f"Target: a 50,000-student report in under {TARGET:.0f} s, page under 5 MB: time "
        f"{verdict} (slowest median {slowest:.1f} s), size met; issue 15's target, the report "
        f"with last year in under {TARGET_LAST_YEAR:.0f} s: "
        f"{'met' if slowest < TARGET_LAST_YEAR else 'not met'}. This year and last come from "
        "one read of the input (engine/pipeline.py, `read`): the files are read and the checks "
        "no year changes run once, then each year's rules. The load average is the one-minute "
        "figure before each run (a shared two-core machine: wall time grows with the load, the "
        "CPU time much less; 2.0 is both cores busy).",
        END,
    ]
    text = DOC.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n## The HTML report\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT / "bench" / "data",
        help="where the input is made once and kept (e.g. /tmp/rollcall-bench)",
    )
    options = parser.parse_args()
    folder = make_input(options.students, options.data)
    with tempfile.TemporaryDirectory() as tmp:
        total, one = Path(tmp) / "total", Path(tmp) / "district"
        base = [*ROLLCALL, "report", "--input", str(folder)]
        results = [
            measure(
                "top level (every district and school)",
                [*base, "--out", str(total), "--html"],
                total,
                options.repeat,
            )
        ]
        results.append(
            measure(
                "tables only, for comparison (no --html)",
                [*base, "--out", str(total)],
                total,
                options.repeat,
            )
        )
        district = largest_district(total)
        results.append(
            measure(
                f"largest district ({district}), with its student list",
                [*base, "--out", str(one), "--district", district],
                one,
                options.repeat,
            )
        )
    write_doc(options.students, results)


if __name__ == "__main__":
    main()
