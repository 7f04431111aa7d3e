"""The same definitions on Spark (``--engine spark``) and on DuckDB give the same files, byte for
byte: on every hand-computed case of test_rules.py, on the random edge-case folders the
reference is checked on (tests/strategies.py), and on a random synthetic district under every
named policy.

One local Spark session (two cores, two shuffle partitions, no UI, bound to 127.0.0.1) serves
every test of a pytest process. Spark needs Java: without it these tests are skipped, saying so;
CI installs Debian's headless JRE (.ci/run).
"""

from __future__ import annotations

import filecmp
import inspect
import itertools
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import test_rules
from hypothesis import HealthCheck, given, settings
from outputs import Outputs, run
from strategies import Dataset, datasets

from rollcall import api
from rollcall.engine.spark import java_missing
from rollcall.errors import OptionError
from rollcall.policy import POLICIES

pytestmark = [
    pytest.mark.slow,
    # Py4J leaves its sockets to the garbage collector.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

TABLES = ("student_metrics.csv", "summary.csv", "rejects.csv", "notes.csv")


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One small local Spark session for the whole test run (its JVM takes seconds to start)."""
    if java_missing():
        pytest.skip("Spark needs Java (java on PATH, or JAVA_HOME); CI installs it (.ci/run)")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("rollcall-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        # Tiny tables: adaptive planning costs more than it saves.
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def both(folder: Path, **options: Any) -> Outputs:
    """Run the report on DuckDB and on Spark; every file and count must be the same. Returns
    the DuckDB run's outputs, for the case's own assertions."""
    duck = run(folder, **options)
    out = folder / "out-spark"
    result = api.report(folder, out, engine="spark", **options)
    for name in TABLES:
        mine, theirs = folder / "out" / name, out / name
        same = filecmp.cmp(mine, theirs, shallow=False)
        assert same, f"{name} differs:\n{mine.read_text()}\n--- spark:\n{theirs.read_text()}"
    assert result.counts == duck.result.counts
    assert (result.students, result.eligible, result.chronically_absent) == (
        duck.result.students,
        duck.result.eligible,
        duck.result.chronically_absent,
    )
    assert result.notes == duck.result.notes and result.school_year == duck.result.school_year
    return duck


def _rule_cases() -> Iterator[Any]:
    """Every test of test_rules.py, with each of its parameter sets: (id, function, kwargs)."""
    for name, function in inspect.getmembers(test_rules, inspect.isfunction):
        if not name.startswith("test_"):
            continue
        marks = [m for m in getattr(function, "pytestmark", []) if m.name == "parametrize"]
        if not marks:
            yield pytest.param(function, {}, id=name)
            continue
        names, values = marks[0].args[0], marks[0].args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        for n, value in enumerate(values):
            value = value.values if hasattr(value, "values") else value
            value = value if isinstance(value, tuple) else (value,)
            yield pytest.param(function, dict(zip(names, value, strict=True)), id=f"{name}-{n}")


@pytest.mark.parametrize(("case", "arguments"), list(_rule_cases()))
def test_every_rule_example_gives_the_same_files_on_spark(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Any, arguments: dict
) -> None:
    monkeypatch.setattr(test_rules, "run", both)
    case(tmp_path, **arguments)


@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(dataset=datasets())
def test_edge_case_folders_give_the_same_files_on_spark(
    spark: Any, tmp_path_factory: pytest.TempPathFactory, dataset: Dataset
) -> None:
    # Blank lines, CRLF, a byte-order mark, quoted line breaks, values beyond the header,
    # refused rows of every kind: what Spark's reader must read as DuckDB's does.
    folder = dataset.write(tmp_path_factory.mktemp("edge") / "in")
    policy = POLICIES["attendance-works"]
    both(folder, policy=policy)


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("district") / "in"
    api.synth(folder, students=400, seed=7, years=2, messy=True)
    return folder


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_a_synthetic_district_gives_the_same_files_on_spark_under_every_policy(
    spark: Any, district: Path, tmp_path: Path, policy: str
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(district, folder)
    out = both(folder, policy=policy)
    assert int(out.result.eligible or 0) > 100  # a real district, not an empty comparison


def test_spark_reads_canonical_parquet_as_duckdb_does(
    spark: Any, district: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    api.synth(folder, students=150, seed=3, fmt="parquet", messy=True)
    both(folder)


def test_spark_writes_parquet_tables_with_the_same_rows(
    spark: Any, district: Path, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    duck, on_spark = tmp_path / "duck", tmp_path / "spark"
    api.report(district, duck, output_format="parquet")
    api.report(district, on_spark, output_format="parquet", engine="spark")
    for name in ("student_metrics", "summary", "rejects", "notes"):
        assert pq.read_table(duck / f"{name}.parquet").equals(
            pq.read_table(on_spark / f"{name}.parquet")
        ), name


def test_spark_engine_refuses_the_page_with_a_clear_message(district: Path, tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="--engine spark writes the tables only"):
        api.report(district, tmp_path / "out", engine="spark", html=True)


def test_an_unknown_engine_is_refused(district: Path, tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="engine 'polars' is not one of duckdb, spark"):
        api.report(district, tmp_path / "out", engine="polars")


def test_rule_cases_cover_every_test_of_the_rules() -> None:
    names = {case.values[0].__name__ for case in _rule_cases()}
    assert names == {n for n in dir(test_rules) if n.startswith("test_")}
    assert len(list(itertools.islice(_rule_cases(), 100))) > len(names)  # parameters expanded


def test_the_default_engine_never_loads_pyspark(district: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from rollcall.cli import main\n"
        f"try: main(['report', {str(district)!r}, '--out', {str(tmp_path / 'out')!r}])\n"
        "except SystemExit as exit: assert not exit.code, exit.code\n"
        "assert not [m for m in sys.modules if m.startswith('pyspark')], 'pyspark imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    assert (tmp_path / "out" / "summary.csv").exists()


def test_spark_engine_without_java_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from rollcall.engine import spark

    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(OptionError, match="needs Java") as raised:
        spark.session("local[1]")  # a master given: never the session already running
    assert "openjdk-17-jre-headless" in str(raised.value.hint)
