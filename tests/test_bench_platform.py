"""The platform's load benchmark works end to end on a tiny district: the input made once, two
refreshes, the accounts, the real server, people signing in and reading pages, the tables written.
No timing is checked here: the figures belong to ``bench/platform_bench.py`` and
docs/performance.md."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

# A real server, two refreshes and a few seconds of load: the full suite only.
pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parent.parent / "bench" / "platform_bench.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("platform_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_loads_a_tiny_district_without_an_error(tmp_path):
    bench = load_bench()
    source = bench.make_input(300, tmp_path / "input")
    schools = (source / "schools.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len({row.split(",")[2] for row in schools}) == 1  # one district
    assert bench.make_input(300, tmp_path / "input") == source  # made once, then reused

    data = tmp_path / "data"
    refreshes = [bench.refresh(source, data, as_of, None) for as_of in bench.AS_OF]
    assert all(r.seconds > 0 and r.peak_bytes > 0 for r in refreshes)
    plans = bench.accounts(data, 5, None)  # 3 principals, 1 district staff, 1 teacher
    assert [len(p["lists"]) > 1 for p in plans] == [False, False, False, True, False]
    assert plans[-1]["lists"][0].startswith("/caseloads/")

    args = bench.argparse.Namespace(duration=3.0, think=0.1)
    with bench.serving(data, 1, None) as (base, server):
        run = bench.measure(base, server, plans, args, database="sqlite", workers=1)
    assert run.errors == 0 and run.requests == run.overall.count > 0
    assert {"school list", "caseload list", "student"} <= set(run.pages)
    assert all(s.p50 <= s.p95 <= s.p99 for s in run.pages.values())

    results = {
        "date": "2026-01-01", "commit": "abc1234", "machine": "test", "students": 300,
        "users": 5, "think": 0.1, "duration": 3.0, "default_workers": 1, "load_start": 0.0,
        "load_end": 0.0, "refreshes": {"sqlite": [bench.asdict(r) for r in refreshes]},
        "runs": [bench.asdict(run)],
    }  # fmt: skip
    bench.write_json(results, tmp_path / "platform.json")
    assert json.loads((tmp_path / "platform.json").read_text())["runs"][0]["errors"] == 0
    doc = tmp_path / "performance.md"
    doc.write_text(f"# Performance\n\nbefore\n\n{bench.START}\nold\n{bench.END}\n\nafter\n")
    bench.write_doc(results, doc)
    text = doc.read_text()
    assert "old" not in text and "before" in text and "after" in text
    assert "| sqlite | 1 | student |" in text and "| sqlite | 2026-01-09 |" in text
    both = bench.merged([results, results])  # --render with two saved results
    assert len(both["runs"]) == 2 and len(both["refreshes"]["sqlite"]) == 4
    students = (source / "students.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert not any(row.split(",")[0] in text for row in students)  # no student's id
