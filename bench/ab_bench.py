"""Time ``rollcall report`` at an earlier commit and at the working tree, alternately, on the same
input: on a shared machine whose speed drifts from hour to hour, pairs run side by side are the
only fair comparison (docs/performance.md, "Start-up and a small district").

    .venv/bin/python bench/ab_bench.py --before 815243b --input /tmp/rollcall-bench/50000 [--runs 8]

The earlier commit's ``rollcall`` package is exported (``git archive``) to a temporary folder and
run with the same environment; each run is a fresh process. Prints each run's wall and CPU time,
the medians, and whether the two runs' output files are byte-identical.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = "import sys; from rollcall.cli import main; main(sys.argv[1:])"


def export(commit: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "rollcall"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def timed(code_dir: Path, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``rollcall`` process importing the package in ``code_dir``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    # From code_dir, so that Python's first path entry (the current folder) is that package.
    subprocess.run([sys.executable, "-c", RUN, *args], check=True, cwd=code_dir, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the earlier commit")
    parser.add_argument("--input", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=8)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folders = {"before": Path(scratch) / "before", "after": ROOT}
        folders["before"].mkdir()
        export(options.before, folders["before"])
        outs = {name: Path(scratch) / f"out-{name}" for name in folders}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in folders}
        for run in range(options.runs):
            for name, code in folders.items():
                args = ["report", "--input", str(options.input), "--out", str(outs[name])]
                wall, cpu = timed(code, [*args, "--quiet"])
                times[name].append((wall, cpu))
                print(f"run {run + 1} {name:6} wall {wall:5.2f} s  cpu {cpu:5.2f} s", flush=True)
        for name, found in times.items():
            walls, cpus = [w for w, _ in found], [c for _, c in found]
            print(
                f"{name:6} median wall {statistics.median(walls):.2f} s (fastest {min(walls):.2f})"
                f"  median cpu {statistics.median(cpus):.2f} s"
            )
        names = sorted(p.name for p in outs["after"].iterdir())
        same = filecmp.cmpfiles(outs["before"], outs["after"], names, shallow=False)[0]
        print("outputs byte-identical:", "yes" if same == names else f"only {same} of {names}")


if __name__ == "__main__":
    main()
