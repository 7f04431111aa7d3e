"""Time reading an Ed-Fi attendance interchange: the Grand Bend StudentSchoolAttendance.xml
(1,917 events) repeated N times in one file (50 times: 95,850 events, 88 MB), read by the fast
path for attendance events and by the general path, side by side (CPU seconds, median).

    .venv/bin/python bench/edfi_xml_bench.py [--times 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

from rollcall.formats.edfi import xml_files as edfi_xml

EVENTS = Path("/work/shared/data/edfi-grand-bend/StudentSchoolAttendance.xml")


def big_file(folder: Path, times: int) -> Path:
    """The Grand Bend events repeated ``times`` times inside one interchange."""
    text = EVENTS.read_text(encoding="utf-8")
    start = text.index("<StudentSchoolAttendanceEvent>")
    end = text.rindex("</InterchangeStudentAttendance>")
    path = folder / EVENTS.name
    path.write_text(text[:start] + text[start:end] * times + text[end:], encoding="utf-8")
    return path


def cpu_seconds(path: Path, *, general: bool) -> tuple[float, int]:
    with (
        mock.patch.object(edfi_xml, "_is_attendance", lambda _p: not general),
        mock.patch.object(edfi_xml, "_SAMPLE", 10**9 if general else edfi_xml._SAMPLE),
    ):
        started = time.process_time()
        data = edfi_xml.read_xml(path.parent, [path])
        return time.process_time() - started, len(data.events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--times", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = big_file(Path(folder), args.times)
        runs: dict[str, list[float]] = {"general": [], "fast": []}
        for _ in range(args.repeat):  # interleaved, so that the machine's load falls on both
            for name in runs:
                seconds, events = cpu_seconds(path, general=name == "general")
                runs[name].append(seconds)
        size = path.stat().st_size / 1e6
        for name, seconds in runs.items():
            median = statistics.median(seconds)
            print(
                f"{name}: {events:,} events, {size:.0f} MB: median {median:.2f} s of CPU "
                f"({', '.join(f'{s:.2f}' for s in seconds)}); {events / median:,.0f} events/s"
            )


if __name__ == "__main__":
    main()
