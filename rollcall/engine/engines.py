"""Which backend runs the metric definitions: ``duckdb`` (embedded, the default) or ``spark``
(PySpark, for a state or a nation on a cluster). The Spark backend is imported only when it is
asked for, so the default path never loads PySpark or starts a JVM; nor does this module load
Ibis until a backend is opened, so that a command can check its options and start reading its
input first (engine/reading.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rollcall.errors import OptionError

if TYPE_CHECKING:
    import duckdb

    from rollcall.engine.backend import Backend

ENGINES = ("duckdb", "spark")


def check_engine(
    engine: str,
    *,
    spark_master: str | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> None:
    """Refuse options that do not fit ``engine`` (OptionError)."""
    if engine not in ENGINES:
        raise OptionError(f"engine {engine!r} is not one of {', '.join(ENGINES)}")
    if spark_master is not None and engine != "spark":
        raise OptionError("--spark-master is for --engine spark")
    if engine == "spark" and (threads is not None or memory_limit is not None):
        raise OptionError(
            "--threads and --memory-limit are for the DuckDB engine",
            hint="give Spark its own settings (spark.driver.memory, --master local[N]): "
            "docs/scale.md",
        )


def open_backend(
    engine: str = "duckdb",
    *,
    spark_master: str | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Backend:
    """A fresh backend of ``engine``; ``spark_master`` is Spark's master URL (default: the one
    the job was started with, else local mode on every core). ``threads`` and ``memory_limit``
    bound DuckDB (rollcall/duck.py); Spark takes its own settings (docs/scale.md). ``con``: the
    DuckDB connection to compute in, opened already (engine/reading.py)."""
    check_engine(engine, spark_master=spark_master, threads=threads, memory_limit=memory_limit)
    if engine == "spark":
        from rollcall.engine import spark

        return spark.connect(spark_master)
    from rollcall.engine.backend import connect

    return connect(threads=threads, memory_limit=memory_limit, con=con)
