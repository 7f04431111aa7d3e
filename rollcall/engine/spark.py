"""The backend the metric definitions run on at scale: PySpark, through Ibis.

The other engine modules are plain Ibis expressions; this module and
``rollcall/engine/spark_files.py`` (reading the canonical folder) are the only ones that know
the backend is Spark, as ``rollcall/engine/backend.py`` is the only one that knows DuckDB. It is
imported only when ``--engine spark`` is asked for, so the default path never loads PySpark.

The Spark session is local (every core of this machine) unless a master is given
(``--spark-master URL``) or configured the usual way (``spark-submit --master``,
``spark-defaults.conf``, a Databricks or EMR cluster's own session): ``getOrCreate`` takes the
session the job was started with.
"""

from __future__ import annotations

import os
import shutil
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis.expr.types as ir

from rollcall import duck
from rollcall.engine.backend import Backend, Later, copy_sql
from rollcall.engine.spark_files import load_canonical
from rollcall.errors import OptionError
from rollcall.formats.sources import Grain, Loaded, Source
from rollcall.sql import quote_identifier

if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import DataFrame, SparkSession

_names = count()

INSTALL_HINT = (
    "install the spark extra: pip install 'rollcall[spark]' (PySpark and Ibis's PySpark backend)"
)
JAVA_HINT = (
    "Spark runs on Java 17 or later: install a JRE (Debian: apt-get install "
    "openjdk-17-jre-headless) or set JAVA_HOME"
)


def java_missing() -> bool:
    """Whether no Java can be found to start Spark's JVM (``JAVA_HOME`` or ``java`` on PATH)."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return False
    return shutil.which("java") is None


def _local(master: str | None) -> bool:
    return (master or os.environ.get("MASTER") or "local").startswith("local")


def _half_the_memory() -> str:
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(1, total // 2**30 // 2)}g"


def session(master: str | None = None, **conf: str) -> SparkSession:
    """The Spark session: the one the job was started with, else a new one (local mode on every
    core unless ``master`` says otherwise). Clear errors when PySpark or Java is missing."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise OptionError(
            "--engine spark needs PySpark, which is not installed", hint=INSTALL_HINT
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None and master is None and not conf:
        return active
    if java_missing():
        raise OptionError("--engine spark needs Java, which was not found", hint=JAVA_HINT)
    builder = SparkSession.builder.appName("rollcall").config(
        "spark.ui.showConsoleProgress", "false"
    )
    if master is not None:
        builder = builder.master(master)
    # (Under spark-submit the JVM is already started, with the memory it was given.)
    started_by_submit = "PYSPARK_GATEWAY_PORT" in os.environ
    if _local(master) and not started_by_submit and not os.environ.get("PYSPARK_SUBMIT_ARGS"):
        # Local mode runs in the driver's JVM, whose default heap (1 GB) a district outgrows.
        conf = {"spark.driver.memory": _half_the_memory(), **conf}
    for key, value in conf.items():
        builder = builder.config(key, value)
    started = builder.getOrCreate()
    started.sparkContext.setLogLevel("ERROR")
    return started


class SparkBackend(Backend):
    """A Spark session and the Ibis backend over it; a DuckDB connection only to write the output
    files on the driver, byte for byte as the DuckDB engine writes them. Its statements run at
    once (Spark runs a job's stages in parallel itself), so nothing is queued."""

    def __init__(self, con: duckdb.DuckDBPyConnection, ibis: Any, spark: Any) -> None:
        super().__init__(con=con, ibis=ibis)
        self.spark = spark
        self.cached: dict[str, DataFrame] = {}

    def load(self, source: Source | Path | str, *, grains: tuple[Grain, ...]) -> Loaded:
        if "days" not in grains:
            raise OptionError("--engine spark computes from day-level data only")
        self._tables.clear()
        return load_canonical(self.spark, self.con, source, self.register)

    def register(self, frame: DataFrame, name: str | None = None) -> str:
        """Keep ``frame`` (cached on the executors) as the view ``name``; returns the name."""
        table_name = name or f"_rollcall_{next(_names)}"
        # Computed now, once, and cut from the plan that made it: a cached frame keeps its whole
        # plan, and the plans of later stages (each holding those before) grew until the driver
        # ran out of memory on a tiny folder.
        frame = frame.localCheckpoint(eager=True)
        frame.createOrReplaceTempView(table_name)
        self.cached[table_name] = frame
        return table_name

    def materialize(self, expr: ir.Table, name: str | None = None) -> ir.Table:
        """Compute ``expr`` once into a cached view, so later expressions reuse it."""
        self.ibis._run_pre_execute_hooks(expr)  # registers the in-memory tables it uses
        frame = self.spark.sql(self.ibis.compile(expr))
        return self.ibis.table(self.register(frame, name))

    def copy_to(self, expr: ir.Table, path: Path, *, output_format: str) -> None:
        """Gather ``expr`` on the driver (rows in order, through Arrow) and write it as the DuckDB
        engine does, so that both engines' files are the same bytes."""
        self.ibis._run_pre_execute_hooks(expr)
        rows = self.spark.sql(self.ibis.compile(expr)).toArrow()
        name = f"_rollcall_{next(_names)}"
        self.con.register(f"{name}_rows", rows)
        try:
            self.con.execute(f"CREATE TEMP TABLE {quote_identifier(name)} AS FROM {name}_rows")
        finally:
            self.con.unregister(f"{name}_rows")
        # The columns the expression says are never NULL are so in the file, as DuckDB's are
        # (Parquet's "required"), so that both engines' files are the same.
        for column, kind in expr.schema().items():
            if not kind.nullable:
                self.con.execute(
                    f"ALTER TABLE {quote_identifier(name)} "
                    f"ALTER COLUMN {quote_identifier(column)} SET NOT NULL"
                )
        self.con.execute(copy_sql(name, path, output_format))
        self.con.execute(f"DROP TABLE {quote_identifier(name)}")

    def later(self, expr: ir.Expr) -> Later:
        """Computed now: Spark's jobs are not queued."""
        rows = self.ibis.to_pyarrow(expr.as_table())
        return Later(lambda: rows)

    def drop(self, table: ir.Table) -> None:
        name = table.get_name().split(".")[-1]
        frame = self.cached.pop(name, None)
        if frame is not None:
            frame.unpersist()
            self.spark.catalog.dropTempView(name)

    def drop_raw(self, name: str) -> None:
        frame = self.cached.pop(name, None)
        if frame is not None:
            frame.unpersist()
            self.spark.catalog.dropTempView(name)

    def close(self) -> None:
        for name, frame in self.cached.items():
            frame.unpersist()
            self.spark.catalog.dropTempView(name)
        self.cached.clear()
        super().close()


def _ibis_backend() -> Any:
    """Ibis's PySpark backend, reading results through Arrow (Spark 4's ``toArrow``) rather than
    pandas: faster, and NULL dates stay NULL."""
    from ibis.backends.pyspark import Backend as PySparkBackend
    from ibis.formats.pyarrow import PyArrowData

    class ArrowResults(PySparkBackend):  # type: ignore[misc]
        def to_pyarrow(self, expr: ir.Expr, /, *, params: Any = None, limit: Any = None,
                       **kwargs: Any) -> Any:  # fmt: skip
            table_expr = expr.as_table()
            self._run_pre_execute_hooks(table_expr)
            sql = self.compile(table_expr, params=params, limit=limit, **kwargs)
            rows = self._session.sql(sql).toArrow()
            return expr.__pyarrow_result__(PyArrowData.convert_table(rows, table_expr.schema()))

        def execute(self, expr: ir.Expr, /, *, params: Any = None, limit: Any = None,
                    **kwargs: Any) -> Any:  # fmt: skip
            table_expr = expr.as_table()
            rows = self.to_pyarrow(table_expr, params=params, limit=limit, **kwargs)
            return expr.__pandas_result__(rows.to_pandas())

    return ArrowResults()


def connect(master: str | None = None, **conf: str) -> SparkBackend:
    """Ibis over the Spark session (``session``), with ANSI SQL off so that a value that does not
    convert is NULL, as the checks expect of both engines."""
    spark = session(master, **conf)
    spark.conf.set("spark.sql.ansi.enabled", "false")
    try:
        backend = _ibis_backend().connect(spark)
    except ImportError:
        raise OptionError(
            "--engine spark needs Ibis's PySpark backend", hint=INSTALL_HINT
        ) from None
    return SparkBackend(con=duck.connect(), ibis=backend, spark=spark)
