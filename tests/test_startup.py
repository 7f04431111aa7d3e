"""What a run loads before it reads a row (docs/performance.md, "Start-up and a small district"),
and the small helpers that keep it short."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import ibis
import pytest

from rollcall import api
from rollcall.engine.backend import connect
from rollcall.tables import literal_table

# What `rollcall report` does not need: pandas (0.35 s to import, through pyarrow's conversion
# of Python values or Ibis's result types), the early warning's model, the platform, workbooks,
# charts, Spark.
NOT_LOADED = ("pandas", "sklearn", "django", "openpyxl", "altair", "pyspark")


@pytest.mark.slow
def test_a_report_loads_neither_pandas_nor_the_other_commands_modules(tmp_path: Path) -> None:
    district = tmp_path / "in"
    api.synth(district, students=300, seed=3, years=2, messy=True)
    code = (
        "import sys\nfrom rollcall.cli import main\n"
        f"try: main(['report', {str(district)!r}, '--out', {str(tmp_path / 'out')!r}, '--quiet'])\n"
        "except SystemExit as exit: assert not exit.code, exit.code\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    loaded = set(done.stdout.split())
    assert "duckdb" in loaded and "ibis" in loaded  # the modules were listed
    assert not loaded & set(NOT_LOADED)
    assert (tmp_path / "out" / "student_metrics.csv").stat().st_size > 0


def test_a_literal_table_holds_its_rows_in_order_with_their_types() -> None:
    table = literal_table(
        {
            "code": ["a", "b", None],
            "number": [1, None, 3],
            "day": [date(2025, 8, 1), date(2026, 2, 28), None],
            "flag": [True, False, None],
        },
        {"code": "string", "number": "int64", "day": "date", "flag": "boolean"},
    )
    backend = connect()
    found = backend.arrow(table)
    assert [str(t) for t in found.schema.types] == ["string", "int64", "date32[day]", "bool"]
    assert found.to_pylist() == [
        {"code": "a", "number": 1, "day": date(2025, 8, 1), "flag": True},
        {"code": "b", "number": None, "day": date(2026, 2, 28), "flag": False},
        {"code": None, "number": 3, "day": None, "flag": None},
    ]
    # Joined like any table.
    other = ibis.memtable({"code": ["b", "a"]})
    joined = other.inner_join(table, "code").order_by("number")
    assert [row["code"] for row in backend.rows(joined)] == ["a", "b"]


def test_a_literal_table_needs_a_row_and_a_type_for_every_column() -> None:
    with pytest.raises(ValueError, match="at least one row"):
        literal_table({"code": []}, {"code": "string"})
    with pytest.raises(ValueError):
        literal_table({"code": ["a"], "n": [1, 2]}, {"code": "string", "n": "int64"})


def test_a_backend_gives_values_counts_and_rows_as_python() -> None:
    backend = connect()
    table = literal_table({"n": [3, 1, 2]}, {"n": "int64"})
    assert backend.count(table) == 3
    assert backend.scalar(table.n.sum()) == 6
    assert backend.scalar(table.filter(table.n > 5).n.max()) is None
    assert backend.rows(table.order_by("n")) == [{"n": 1}, {"n": 2}, {"n": 3}]
