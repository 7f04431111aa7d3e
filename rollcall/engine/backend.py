"""The backend the metric definitions run on: an embedded DuckDB, through Ibis.

Only this module knows that the backend is DuckDB; the definitions in the other engine modules
are plain Ibis expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from rollcall import duck
from rollcall.formats.canonical.dimensions import Dimensions, choose_dimensions
from rollcall.formats.canonical.format import RawFile
from rollcall.formats.sources import Grain, Loaded, Source, load
from rollcall.sql import quote_identifier, quote_literal

_names = count()


@dataclass
class Backend:
    """A DuckDB connection and the Ibis backend over it."""

    con: duckdb.DuckDBPyConnection
    ibis: ibis.BaseBackend
    made: list[str] = field(default_factory=list)  # the temporary tables made, in order

    def table(self, name: str) -> ir.Table:
        return self.ibis.table(name)

    def materialize(self, expr: ir.Table, name: str | None = None) -> ir.Table:
        """Compute ``expr`` once into a temporary table, so later expressions reuse it."""
        table_name = name or f"_rollcall_{next(_names)}"
        self.made.append(table_name)
        # Through Ibis, which registers any in-memory tables the expression uses.
        return self.ibis.create_table(table_name, obj=expr, temp=True)

    def load(self, source: Source | Path | str, *, grains: tuple[Grain, ...]) -> Loaded:
        """Read ``source`` with the reader that knows it (rollcall/formats/) into raw tables."""
        return load(source, self.con, grains=grains)

    def dimensions(self, students: RawFile, declared: tuple[str, ...]) -> Dimensions:
        """The students table's reporting dimensions, checked (formats/canonical/dimensions.py)."""
        return choose_dimensions(self.rows, self.table(students.table), students, declared)

    def copy_to(self, expr: ir.Table, path: Path, *, output_format: str) -> None:
        """Write ``expr`` to a CSV (with header) or Parquet file, rows in the expression's order."""
        name = f"_rollcall_{next(_names)}"
        self.materialize(expr, name)
        self.con.execute(copy_sql(name, path, output_format))

    def drop(self, table: ir.Table) -> None:
        """Free a materialised table that nothing will read again."""
        self.con.execute(f'DROP TABLE IF EXISTS "{table.get_name().split(".")[-1]}"')

    def drop_made(self, since: int) -> None:
        """Free the temporary tables made after the first ``since`` (``len(made)`` earlier)."""
        for name in self.made[since:]:
            self.con.execute(f"DROP TABLE IF EXISTS {quote_identifier(name)}")
        del self.made[since:]

    def drop_raw(self, name: str) -> None:
        """Free a raw input table (``name`` is its view; the rows are in ``name_data``)."""
        self.con.execute(f'DROP VIEW IF EXISTS "{name}"')
        self.con.execute(f'DROP TABLE IF EXISTS "{name}_data"')

    def arrow(self, expr: ir.Expr) -> pa.Table:
        """The rows of ``expr`` (a table, or one value as a table of one row), as DuckDB gives
        them to Arrow. Not Ibis's ``to_pyarrow``, whose type fixes, which DuckDB's results do
        not need, import pandas: a third of a second of every run's start-up."""
        self.ibis._run_pre_execute_hooks(expr)  # registers the in-memory tables it uses
        return self.con.sql(self.ibis.compile(expr.as_table())).to_arrow_table()

    def rows(self, expr: ir.Table) -> list[dict[str, Any]]:
        """The rows of ``expr`` as Python values (None for NULL)."""
        return self.arrow(expr).to_pylist()

    def scalar(self, expr: ir.Scalar) -> object:
        """A Python value (None for NULL: through Arrow, not pandas, whose NULL date is NaT)."""
        return self.arrow(expr).column(0)[0].as_py()

    def count(self, table: ir.Table) -> int:
        return int(self.scalar(table.count()))  # type: ignore[call-overload]

    def close(self) -> None:
        self.con.close()


def copy_sql(table: str, path: Path, output_format: str) -> str:
    """DuckDB's COPY of ``table`` to a CSV (with header) or Parquet file: the one way both
    engines write a table."""
    options = "FORMAT csv, HEADER true" if output_format == "csv" else "FORMAT parquet"
    return f"COPY (SELECT * FROM {quote_identifier(table)}) TO {quote_literal(path)} ({options})"


def connect(*, threads: int | None = None, memory_limit: str | None = None) -> Backend:
    """An in-memory DuckDB (rollcall/duck.py: never downloads an extension) and Ibis over it."""
    con = duck.connect(threads=threads, memory_limit=memory_limit)
    return Backend(con=con, ibis=ibis.duckdb.from_connection(con))
