"""How long reading a whole state's published aggregate file takes.

California's statewide chronic absenteeism download has about 340,000 rows (schools, districts,
counties and the state, by 26 reporting categories, with charter and DASS subsets). This writes a
file of that size in CDE's 2023-24 layout (school rows, realistic counts, a share suppressed) and
times ``rollcall.formats.aggregates.reader.read`` on it: the median of several runs, as the
machines are shared (docs/performance.md).

    python bench/aggregate_bench.py [ROWS] [RUNS]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rollcall.formats.aggregates import reader as aggregates
from rollcall.formats.aggregates.cde import CATEGORIES

HEADER = (
    "Academic Year", "Aggregate Level", "County Code", "District Code", "School Code",
    "County Name", "District Name", "School Name", "Charter School", "DASS",
    "Reporting Category", "ChronicAbsenteeismEligibleCumulativeEnrollment",
    "ChronicAbsenteeismCount", "ChronicAbsenteeismRate",
)  # fmt: skip


def write_state_file(path: Path, rows: int, seed: int = 1) -> None:
    """``rows`` school rows in CDE's layout; cells of 10 or fewer students suppressed."""
    rng = random.Random(seed)
    codes = list(CATEGORIES)
    lines = ["\t".join(HEADER)]
    for n in range(rows):
        school, category = divmod(n, len(codes))
        eligible = rng.randint(0, 600)
        district = school // 10
        identity = [
            "2024-25",
            "S",
            "01",
            f"{district:05d}",
            f"{school:07d}",
            "Alameda",
            f"District {district}",
            f"School {school}",
            "No",
            "No",
            codes[category],
        ]
        if eligible <= 10:
            lines.append("\t".join([*identity, "*", "*", "*"]))
            continue
        chronic = rng.randint(0, eligible // 3)
        rate = (2000 * chronic + eligible) // (2 * eligible)  # tenths of a percent, half up
        lines.append("\t".join([*identity, str(eligible), str(chronic), f"{rate / 10:.1f}"]))
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")


def main(rows: int = 340_000, runs: int = 3) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chronicabsenteeism25.txt"
        write_state_file(path, rows)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            reading = aggregates.read(path)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        print(
            f"{rows:,} rows ({path.stat().st_size / 1e6:.1f} MB): read in {median:.2f} s "
            f"(median of {runs}; {rows / median:,.0f} rows/s), {len(reading.rows):,} kept, "
            f"{reading.suppressed:,} suppressed, {reading.checked:,} rates checked"
        )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
