"""The benchmark's pandas baseline computes what the engine computes, so timing one against the
other compares like with like. No timings here: those belong to ``bench/run.py``."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from rollcall.api import report
from rollcall.synth import write_synthetic

# The pandas baseline against the engine on a synthetic district: the full suite only.
pytestmark = pytest.mark.slow

BASELINE = Path(__file__).resolve().parent.parent / "bench" / "pandas_baseline.py"


def load_baseline() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pandas_baseline", BASELINE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(path: Path) -> tuple[list[str], Counter[tuple[str, ...]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        return next(reader), Counter(tuple(row) for row in reader)


@pytest.fixture(scope="module", params=[3, 11])
def outputs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean synthetic district of 300 students, reported by the engine and by the baseline."""
    folder = tmp_path_factory.mktemp(f"seed{request.param}")
    write_synthetic(folder / "input", students=300, seed=request.param)
    report(folder / "input", folder / "rollcall")
    load_baseline().main(folder / "input", folder / "pandas")
    return folder


@pytest.mark.parametrize("table", ["student_metrics", "summary"])
@pytest.mark.slow
def test_pandas_baseline_writes_the_same_rows_as_the_engine(outputs: Path, table: str) -> None:
    engine_columns, engine_rows = rows(outputs / "rollcall" / f"{table}.csv")
    baseline_columns, baseline_rows = rows(outputs / "pandas" / f"{table}.csv")
    assert baseline_columns == engine_columns
    assert engine_rows, "the synthetic district produced no rows"
    assert baseline_rows - engine_rows == Counter()
    assert engine_rows - baseline_rows == Counter()


def test_the_district_has_all_three_levels(outputs: Path) -> None:
    _, engine_rows = rows(outputs / "rollcall" / "student_metrics.csv")
    assert {row[1] for row in engine_rows} == {"school", "district", "total"}
