"""Reading the canonical folder (docs/format.md) with Spark: the five CSV or Parquet files, from a
local folder or any URI Spark reads (``s3a://``, ``abfss://``, ``gs://``, ``hdfs://``, ``dbfs:/``).

The raw tables are what rollcall/formats/canonical/format.py makes in DuckDB, so that the same
checks see the same values: every value as text, trimmed of spaces, tabs and line breaks, empty
trailing values harmless, a value beyond the header's columns in ``extra_values``, and each row's
record number (``_record``: 0, 1, 2, … in file order, blank lines skipped), which rejects.csv
turns into a line number.

CSV is read with quoted line breaks allowed (Spark's ``multiLine``), which makes each CSV file
one task: for a state, give the canonical files as Parquet, which Spark splits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rollcall.errors import InputError
from rollcall.formats.canonical.format import (
    EXTRA_VALUES,
    RECORD,
    REQUIRED,
    RawFile,
    _header,
    check_header,
    column_names,
)
from rollcall.formats.sources import Loaded, Source

if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import Column, DataFrame, SparkSession

# Keeps a frame as a named view (SparkBackend.register) and returns the name.
Register = Callable[["DataFrame", str], str]

# How many values beyond the header a CSV row is read with: a row whose extra values are all
# empty among these is read as the DuckDB engine reads it (harmless trailing commas).
EXTRA_WIDTH = 16
_EXTRA = "_rollcall_value_"
# What trimming removes: spaces, tabs and line breaks, as the DuckDB engine's TRIM_SQL does.
_EDGES = r"^[ \t\n\r]+|[ \t\n\r]+$"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):/+")


def location(source: Source | Path | str) -> str:
    """The folder as Spark names it. A URI that went through ``Path`` lost a slash
    (``s3a://b/k`` became ``s3a:/b/k``): it is put back; ``file:`` URIs and plain paths are
    kept as they are."""
    text = str(source.path if isinstance(source, Source) else source)
    found = _SCHEME.match(text)
    if found is None or found[1].lower() in ("file", "dbfs"):
        return text
    return f"{found[1]}://{text[found.end() :]}"


def is_local(where: str) -> bool:
    return _SCHEME.match(where) is None


def load_canonical(
    spark: SparkSession,
    con: duckdb.DuckDBPyConnection,
    source: Source | Path | str,
    register: Register,
) -> Loaded:
    """The five canonical files read into Spark views (kept by ``register``), as a ``Loaded``
    of grain days. ``con`` (a DuckDB connection on the driver) reads a local file's header."""
    if isinstance(source, Source) and (
        source.kind not in (None, "canonical") or source.options.mapping is not None
    ):
        raise InputError(
            "--engine spark reads a canonical folder (docs/format.md) only",
            path=source.path,
            hint="turn other inputs into a canonical folder first, or run them with the "
            "default engine",
        )
    where = location(source).rstrip("/")
    kind = _kind(spark, where)
    raw = {
        name: _read_one(spark, con, register, f"{where}/{name}.{kind}", name, kind)
        for name in REQUIRED
    }
    return Loaded(kind="canonical", grain="days", raw=raw)


def _kind(spark: SparkSession, where: str) -> str:
    if is_local(where):
        from rollcall.formats.canonical.format import find_format

        return find_format(Path(where))
    for kind in ("csv", "parquet"):
        if all(_exists(spark, f"{where}/{name}.{kind}") for name in REQUIRED):
            return kind
    raise InputError(
        "needs schools, students, enrollments, calendar and attendance, all .csv or all "
        ".parquet (docs/format.md)",
        path=where,
    )


def _exists(spark: SparkSession, uri: str) -> bool:
    context = spark.sparkContext
    path = context._jvm.org.apache.hadoop.fs.Path(uri)  # type: ignore[union-attr]
    return bool(path.getFileSystem(context._jsc.hadoopConfiguration()).exists(path))  # type: ignore[union-attr]


def _read_one(
    spark: SparkSession,
    con: duckdb.DuckDBPyConnection,
    register: Register,
    uri: str,
    name: str,
    kind: str,
) -> RawFile:
    path = Path(uri)
    columns = _columns(spark, con, uri, kind)
    check_header(path, name, columns)
    frame = _csv(spark, uri, columns) if kind == "csv" else _parquet(spark, uri)
    numbered, placed, rows = _numbered(frame)
    table = register(numbered, f"raw_{name}_{id(con):x}")
    if placed is not numbered:
        placed.unpersist()
    return RawFile(name=name, path=path, table=table, columns=columns, rows=rows)


def _columns(
    spark: SparkSession, con: duckdb.DuckDBPyConnection, uri: str, kind: str
) -> tuple[str, ...]:
    if is_local(uri):
        return _header(Path(uri), kind, con)
    try:
        if kind == "parquet":
            names = spark.read.parquet(uri).columns
        else:
            first = spark.read.csv(uri, header=False, multiLine=True).first()
            names = ["" if v is None else v for v in (first or [])]
            if names:
                names[0] = names[0].lstrip("\ufeff")
    except Exception as exc:  # Spark's own errors are Java exceptions, of many kinds
        raise InputError(f"cannot be read: {str(exc).splitlines()[0]}", path=uri) from None
    if not names:
        raise InputError("is empty: a header row is required", path=uri, line=1)
    return column_names([n.strip() for n in names], Path(uri))


def _trimmed(value: Column) -> Column:
    from pyspark.sql import functions as F

    return F.regexp_replace(value.cast("string"), _EDGES, "")


def _csv(spark: SparkSession, uri: str, columns: tuple[str, ...]) -> DataFrame:
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    extras = [f"{_EXTRA}{n}" for n in range(EXTRA_WIDTH)]
    schema = StructType([StructField(f"_c{n}", StringType()) for n in range(len(columns))]
                        + [StructField(e, StringType()) for e in extras])  # fmt: skip
    frame = spark.read.csv(
        uri, schema=schema, header=True, multiLine=True, quote='"', escape='"',
        mode="PERMISSIVE", enforceSchema=True, encoding="UTF-8",
    )  # fmt: skip
    values = [_trimmed(F.col(f"_c{n}")).alias(name) for n, name in enumerate(columns)]
    first_extra = F.coalesce(*[F.nullif(_trimmed(F.col(e)), F.lit("")) for e in extras])
    return frame.select(*values, first_extra.alias(EXTRA_VALUES))


def _parquet(spark: SparkSession, uri: str) -> DataFrame:
    from pyspark.sql import functions as F

    frame = spark.read.parquet(uri)
    return frame.select(*[_trimmed(F.col(f"`{c}`")).alias(c) for c in frame.columns])


def _numbered(frame: DataFrame) -> tuple[DataFrame, DataFrame, int]:
    """``frame`` with ``_record`` first: 0, 1, 2, … in file order. Spark numbers rows within each
    partition of the read (``monotonically_increasing_id``); each partition's offset is the
    number of rows before it, counted once. Also returns the cached frame the numbers come
    from (to be freed once the numbered one is cached) and the number of rows."""
    from pyspark.sql import functions as F

    if frame.rdd.getNumPartitions() == 1:  # a CSV file (read whole): numbered as it is read
        numbered = frame.select(F.monotonically_increasing_id().alias(RECORD), *frame.columns)
        numbered = numbered.localCheckpoint(eager=True)
        return numbered, numbered, numbered.count()
    placed = frame.select(
        F.spark_partition_id().alias("_part"),
        F.monotonically_increasing_id().alias("_id"),
        *frame.columns,
    ).cache()
    sizes = sorted(tuple(row) for row in placed.groupBy("_part").count().collect())
    offsets, before = [], 0
    for part, size in sizes:
        offsets.append((part, before))
        before += size
    spark = frame.sparkSession
    table = spark.createDataFrame(offsets or [(0, 0)], "_part int, _offset long")
    joined = placed.join(F.broadcast(table), "_part")
    record = F.col("_id") - F.shiftleft(F.col("_part").cast("long"), 33) + F.col("_offset")
    return joined.select(record.alias(RECORD), *frame.columns), placed, before
