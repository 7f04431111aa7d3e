"""Time ``rollcall report`` against a plain pandas baseline on ``rollcall synth`` data.

    .venv/bin/python bench/run.py [--sizes 10000,100000,1000000] [--repeat 3]
                                  [--pandas-max 1000000] [--commit HEAD]

For each size, the synthetic data is made once into ``bench/data/<size>/`` (seed 1, one school
year, CSV, clean) and reused afterwards. Each run is a fresh subprocess, so its peak memory is its
own: the maximum resident set size from ``/usr/bin/time -v`` (or, without it, psutil polling of
the child). The table of medians goes between the ``bench`` markers in ``docs/performance.md``;
every run is also written to ``bench/results/results.json``. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass, field
from io import BytesIO
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SEED = 1
TIME = Path("/usr/bin/time")
RSS_LINE = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


@dataclass
class Measure:
    """The runs of one tool on one data set."""

    size: int
    tool: str  # "rollcall" or "pandas"
    rows: int  # attendance rows in the input
    seconds: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)
    status: str = "ok"  # or why it did not run or finish

    @property
    def median_seconds(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def peak(self) -> int | None:
        return max(self.peak_bytes) if self.peak_bytes else None


# --- Data ------------------------------------------------------------------------------------


def ensure_data(size: int, env: dict[str, str]) -> Path:
    """``bench/data/<size>/``, made by ``rollcall synth`` the first time (into a temporary folder
    renamed at the end, so a folder that exists is complete)."""
    folder = DATA / str(size)
    if folder.exists():
        return folder
    partial = DATA / f"{size}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    print(f"making synthetic data for {size:,} students in {folder} ...", flush=True)
    command = [rollcall_command(), "synth", "--students", str(size), "--seed", str(SEED)]
    subprocess.run(
        [*command, "--out", str(partial)], check=True, env=env, stdout=subprocess.DEVNULL
    )
    partial.rename(folder)
    return folder


def data_rows(path: Path) -> int:
    """Rows of a CSV file, not counting its header."""
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            lines += block.count(b"\n")
    return lines - 1


# --- Running and measuring ---------------------------------------------------------------------


def rollcall_command() -> str:
    return str(Path(sys.executable).parent / "rollcall")


def commands(size: int, folder: Path) -> dict[str, list[str]]:
    out = RESULTS / str(size)
    return {
        "rollcall": [
            rollcall_command(),
            "report",
            "--input",
            str(folder),
            "--out",
            f"{out}/rollcall",
        ],
        "pandas": [
            sys.executable,
            str(ROOT / "bench" / "pandas_baseline.py"),
            str(folder),
            f"{out}/pandas",
        ],
    }


def run_once(
    command: list[str], env: dict[str, str], *, timeout: float, memory_limit: int
) -> tuple[float, int]:
    """Wall seconds and peak resident bytes of one run of ``command`` in a fresh process.

    The peak is ``/usr/bin/time -v``'s maximum resident set size when it is there, else the
    largest of psutil samples taken every 20 ms. The samples also stop a run that passes
    ``memory_limit`` bytes or ``timeout`` seconds, before it can push the machine out of memory.
    """
    timed = TIME.exists()
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        child = psutil.Popen(
            [str(TIME), "-v", *command] if timed else command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        sampled = 0
        while child.poll() is None:
            processes = [child]
            try:
                processes += child.children(recursive=True)
                sampled = max(sampled, sum(p.memory_info().rss for p in processes))
            except psutil.Error:
                pass
            if sampled > memory_limit or time.perf_counter() - started > timeout:
                for process in reversed(processes):
                    with contextlib.suppress(psutil.Error):
                        process.kill()
                child.wait()
                raise LimitReached(
                    f"stopped at the {memory_limit / 2**30:.1f} GiB memory limit"
                    if sampled > memory_limit
                    else f"stopped after {timeout:.0f} s"
                )
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        errors.seek(0)
        stderr = errors.read()
    if child.returncode != 0:
        raise RuntimeError(f"failed, exit status {child.returncode}: {stderr.strip()[-300:]}")
    if not timed:
        return seconds, sampled
    match = RSS_LINE.search(stderr)
    assert match, "no 'Maximum resident set size' in /usr/bin/time -v output"
    return seconds, int(match.group(1)) * 1024


class LimitReached(Exception):
    """A run was stopped at the time or memory limit."""


def measure(
    size: int, tool: str, command: list[str], rows: int, args: argparse.Namespace, env: dict
) -> Measure:
    """``args.repeat`` runs (one when a run is slower than ``args.long`` seconds)."""
    result = Measure(size=size, tool=tool, rows=rows)
    for attempt in range(args.repeat):
        try:
            seconds, peak = run_once(
                command, env, timeout=args.timeout, memory_limit=int(args.memory_limit * 2**30)
            )
        except (LimitReached, RuntimeError) as exc:
            result.status = str(exc)
            print(f"  {tool:8} {size:>9,}: {exc}", flush=True)
            break
        result.seconds.append(seconds)
        result.peak_bytes.append(peak)
        print(
            f"  {tool:8} {size:>9,} run {attempt + 1}: {seconds:7.2f} s, {peak / 2**20:7.0f} MiB",
            flush=True,
        )
        if seconds > args.long:
            break
    return result


# --- Checking the baseline against the engine ---------------------------------------------------


def compare(size: int, table: str) -> str:
    """Whether the two ``table.csv`` outputs hold the same rows (as a multiset), in words."""
    frames = [
        pd.read_csv(RESULTS / str(size) / tool / f"{table}.csv", dtype=str, keep_default_na=False)
        for tool in ("rollcall", "pandas")
    ]
    if list(frames[0].columns) != list(frames[1].columns):
        return f"{table}: columns differ"
    counted = [f.value_counts(dropna=False).rename("n") for f in frames]
    both = pd.concat(counted, axis=1, keys=["rollcall", "pandas"]).fillna(0)
    differ = both[both["rollcall"] != both["pandas"]]
    if differ.empty:
        return f"{table}: {len(frames[0]):,} rows, identical"
    example = differ.head(4).reset_index().to_dict("records")
    return f"{table}: {len(differ):,} rows differ, e.g. {example}"


# --- Machine, code and the document ------------------------------------------------------------


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def export_commit(commit: str) -> Path:
    """The ``rollcall`` package as committed at ``commit``, unpacked under ``bench/results``, so
    that work in progress in the tree is not what gets measured."""
    full = git("rev-parse", commit)
    target = RESULTS / f"src-{full[:12]}"
    if not target.exists():
        archive = subprocess.run(
            ["git", "archive", full, "rollcall"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    return target


def child_environment(source: Path | None) -> dict[str, str]:
    """The children's environment: byte code cached (outside the tree), as in a normal install;
    with ``source``, ``rollcall`` imported from there."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(DATA / "pycache")
    if source is not None:
        env["PYTHONPATH"] = str(source)
    return env


def machine() -> dict[str, str]:
    import duckdb

    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    return {
        "cpus": f"{os.cpu_count()} CPUs" + (f" ({model})" if model else ""),
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "load": "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
    }


def _cell(value: float | None, text: str) -> str:
    return "" if value is None else text.format(value)


def table(measures: list[Measure]) -> list[str]:
    lines = [
        "| students | attendance rows | program | runs | wall time (median) | fastest run "
        "| peak memory | rows per second | µs per row | note |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in measures:
        seconds, peak = m.median_seconds, m.peak
        fastest = min(m.seconds) if m.seconds else None
        lines.append(
            f"| {m.size:,} | {m.rows:,} | {m.tool} | {len(m.seconds)} "
            f"| {_cell(seconds, '{:.2f} s')} | {_cell(fastest, '{:.2f} s')} "
            f"| {_cell(peak and peak / 2**20, '{:,.0f} MiB')} "
            f"| {_cell(seconds and m.rows / seconds, '{:,.0f}')} "
            f"| {_cell(seconds and seconds / m.rows * 1e6, '{:.2f}')} "
            f"| {'' if m.status == 'ok' else m.status} |"
        )
    return lines


def render(record: dict) -> str:
    """The results section of docs/performance.md for one ``results.json`` record."""
    measures = [Measure(**m) for m in record["measures"]]
    info, checks = record["machine"], record["checks"]
    argv = [".venv/bin/python", "bench/run.py", *record["argv"]]
    command = " ".join(shlex.quote(a) for a in argv)
    lines = [
        START,
        f"Measured {record['date']} with `{command}`, at {record['code']}.",
        "",
        f"Machine: {info['cpus']}, {info['memory']} memory, {info['os']}; Python "
        f"{info['python']}, DuckDB {info['duckdb']}, pandas {info['pandas']}; load average "
        f"{info['load']} when the run started.",
        "",
        *table(measures),
        "",
        "Cross-check of the pandas baseline against rollcall (same rows, as a multiset):",
        "",
        *(f"- {check}" for check in checks or ["not run (no size where both finished)"]),
        END,
    ]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        raise SystemExit(f"{DOC} has no {START} … {END} markers to write the table between")
    before, rest = doc.split(START, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(before + text + after, encoding="utf-8")


# --- Main ----------------------------------------------------------------------------------------


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        help="students, comma separated (200000 is the issue's target point)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per program and size")
    parser.add_argument(
        "--long",
        type=float,
        default=300,
        help="a run slower than this many seconds is not repeated",
    )
    parser.add_argument(
        "--pandas-max",
        type=int,
        default=1_000_000,
        help="largest size the pandas baseline is run at",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds before a run is stopped"
    )
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=round(0.6 * psutil.virtual_memory().total / 2**30, 1),
        help="GiB; a run using more is stopped (default: 60%% of memory)",
    )
    parser.add_argument(
        "--commit",
        default=None,
        help="measure rollcall as committed at this commit (default: the tree)",
    )
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/performance.md")
    parser.add_argument(
        "--render",
        action="store_true",
        help="measure nothing: rewrite docs/performance.md from bench/results/results.json",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    if args.render:
        write_doc(render(json.loads((RESULTS / "results.json").read_text(encoding="utf-8"))))
        return
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    info = machine()
    source = export_commit(args.commit) if args.commit else None
    head = git("rev-parse", "--short=12", args.commit or "HEAD")
    dirty = [] if source else git("status", "--porcelain", "--", "rollcall").splitlines()
    code = f"commit `{head}`" + (" plus uncommitted changes to rollcall/" if dirty else "")
    env = child_environment(source)
    # One import to fill the byte-code cache, so no timed run pays for compiling.
    warm = "import pandas, rollcall.api, rollcall.cli; print(rollcall.__file__)"
    warmed = subprocess.run(
        [sys.executable, "-c", warm],
        env=env,
        check=True,
        cwd=RESULTS.parent,
        capture_output=True,
        text=True,
    )
    print("rollcall imported from", warmed.stdout.strip())
    print(f"{code}; {info}", flush=True)

    measures, checks = [], []
    for size in sizes:
        folder = ensure_data(size, env)
        rows = data_rows(folder / "attendance.csv")
        for tool, command in commands(size, folder).items():
            if tool == "pandas" and size > args.pandas_max:
                measures.append(Measure(size, tool, rows, status="not run (above --pandas-max)"))
                continue
            measures.append(measure(size, tool, command, rows, args, env))
        if all(m.seconds for m in measures[-2:]):
            checks += [
                f"{size:,} students, {compare(size, t)}" for t in ("student_metrics", "summary")
            ]
            print("  " + "\n  ".join(checks[-2:]), flush=True)

    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {
        "date": datetime.date.today().isoformat(),
        "code": code,
        "machine": info,
        "argv": sys.argv[1:],
        "checks": checks,
        "measures": [asdict(m) for m in measures],
    }
    (RESULTS / "results.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    text = render(record)
    print(text)
    if not args.no_doc:
        write_doc(text)


if __name__ == "__main__":
    main()
