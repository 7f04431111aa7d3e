"""The backend the metric definitions run on: an embedded DuckDB, through Ibis.

Only this module knows that the backend is DuckDB; the definitions in the other engine modules
are plain Ibis expressions.

The statements that make tables run on threads of their own (``Queued``), so that while DuckDB
computes one table (the Python lock let go) Python builds and compiles the next, and two
statements on different tables run side by side: a small district's run spent about as long in
each, and DuckDB kept only about 1.2 of two cores busy (docs/decisions/0015-engine-queue.md).
Each statement waits for those that make the tables it reads, a drop for those that read what
it drops; anything that reads a result waits for every statement given before it, and anything
that uses the connection or the Ibis backend directly for every statement given: every result
is the same as running each statement at once.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from itertools import count
from pathlib import Path
from queue import SimpleQueue
from typing import Any, TypeVar

import duckdb
import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa

from rollcall import duck
from rollcall.formats.canonical.dimensions import DimensionCheck, Dimensions
from rollcall.formats.canonical.format import RawFile
from rollcall.formats.sources import Grain, Loaded, Source, load
from rollcall.progress import stage
from rollcall.sql import quote_identifier, quote_literal

_names = count()
T = TypeVar("T")

# Ibis's DuckDB backend (its SQL compilers and sqlglot's dialects, a quarter of a second to
# import) loaded with this module, so while a command's input is being read
# (engine/reading.py) rather than when the connection is handed to Ibis after.
DUCKDB = ibis.duckdb


# Statements run side by side at most: DuckDB spreads one query over every core, but a small
# district's queries keep about one busy (docs/performance.md).
LANES = 2


class Queued:
    """Statements run on threads of their own (``lanes``, each with its own connection to the
    same database), each as soon as those it waits for (``after``) are done: side by side where
    they touch different tables. Results are waited for in the order given (``result``)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, lanes: int = LANES) -> None:
        self._con = con
        self._lanes = lanes
        self._pool: ThreadPoolExecutor | None = None
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._free: SimpleQueue[duckdb.DuckDBPyConnection] = SimpleQueue()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._pending: list[Future[Any]] = []
        self._failure: BaseException | None = None  # the first statement's error

    def submit(
        self,
        work: Callable[[duckdb.DuckDBPyConnection], T],
        after: Iterable[Future[Any]] = (),
    ) -> Future[T]:
        """Run ``work`` on a connection of its own once every statement ``after`` is done."""
        if self._pool is None:
            self._cursors = [duck.cursor(self._con) for _ in range(self._lanes)]
            for con in self._cursors:
                self._free.put(con)
            self._pool = ThreadPoolExecutor(self._lanes, thread_name_prefix="rollcall-duckdb")
        pool = self._pool
        done: Future[T] = Future()
        self._pending.append(done)
        waits = list(dict.fromkeys(after))
        left = [len(waits)]

        def start(_: object = None) -> None:
            with self._lock:
                left[0] -= 1
                if left[0] > 0 or done.cancelled():
                    return
            try:
                pool.submit(self._run, work, done, waits)
            except RuntimeError:  # closed meanwhile: nobody waits for it
                done.cancel()

        left[0] += 1
        for wait in waits:
            wait.add_done_callback(start)
        start()
        return done

    def _connection(self) -> duckdb.DuckDBPyConnection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = self._local.con = self._free.get_nowait()
        return con

    def _run(
        self, work: Callable[[duckdb.DuckDBPyConnection], T], done: Future[T], waits: list[Any]
    ) -> None:
        if not done.set_running_or_notify_cancel():
            return
        try:
            for wait in waits:
                if wait.cancelled():
                    raise NotRun("not run: a statement it waited for was dropped")
                error = wait.exception()
                if error is not None:
                    raise error
            # After a failure the later statements are not run: they would fail too (their
            # tables missing), and the first error is the one to show (``result``).
            if self._failure is not None:
                raise NotRun("not run: another statement failed") from self._failure
            result = work(self._connection())
        except NotRun as error:
            done.set_exception(error)
        except BaseException as error:
            with self._lock:
                self._failure = self._failure or error
            done.set_exception(error)
        else:
            done.set_result(result)

    def result(self, future: Future[T]) -> T:
        """``future``'s result, once it and every statement given before it have run; the
        first error among them, if one failed (the statement's own error, never the note of a
        statement left unrun because of it)."""
        while future in self._pending:
            first = self._pending[0]
            try:
                first.result()
            except NotRun:
                raise self._failure or NotRun("not run") from None
            finally:
                # Forgotten once done: one still running (Ctrl-C while waiting) stays for
                # ``close`` to interrupt.
                if first.done():
                    self._pending.pop(0)
            if first is future:
                break
        try:
            return future.result()
        except NotRun:
            raise self._failure or NotRun("not run") from None

    def unfinished(self) -> list[Future[Any]]:
        """The statements given that have not finished."""
        return [future for future in self._pending if not future.done()]

    def wait(self) -> None:
        """Wait for every statement given; raise the first one's error, if one failed."""
        if self._pending:
            self.result(self._pending[-1])

    def close(self) -> None:
        """Drop the statements not yet started, interrupt those running, and stop the threads.
        Nothing is lost that a caller waits for: what reads or writes (``Backend.later``,
        ``copy_to``) is waited for when it is asked, so what is left at the end is tables
        nobody read (a run stopped by an error, or by Ctrl-C)."""
        pending, self._pending = self._pending, []
        with self._lock:
            self._failure = self._failure or NotRun("not run: the backend was closed")
        for future in pending:
            future.cancel()
        # An interrupt stops only the query running when it comes: a statement of several
        # queries (a table's CREATE, then its INSERT) is interrupted until it ends.
        running = [future for future in pending if not future.done()]
        while running:
            for con in self._cursors:
                con.interrupt()
            running = list(futures_wait(running, timeout=0.05).not_done)
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        for con in self._cursors:
            con.close()
        self._cursors, self._free = [], SimpleQueue()
        self._failure = None


class NotRun(RuntimeError):
    """A statement left unrun: one it waited for, or another, failed, or the backend closed."""


class Later:
    """A query's result, read on the statements' thread in its turn: asking for it waits for
    that query (and those before it) only."""

    def __init__(self, result: Callable[[], pa.Table]) -> None:
        self._result = result

    def arrow(self) -> pa.Table:
        return self._result()

    def rows(self) -> list[dict[str, Any]]:
        """The rows as Python values (None for NULL)."""
        return self.arrow().to_pylist()

    def scalar(self) -> Any:
        """One value (None for NULL: through Arrow, not pandas, whose NULL date is NaT)."""
        return self.arrow().column(0)[0].as_py()


class Backend:
    """A DuckDB connection and the Ibis backend over it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, ibis: ibis.BaseBackend) -> None:
        self._con = con
        self._ibis = ibis
        self._queue = Queued(con)
        self.made: list[str] = []  # the tables made, in order
        self._tables: dict[str, ir.Table] = {}
        # For the order of statements: what makes each table, and what reads it (freed after).
        self._made_by: dict[str, Future[Any]] = {}
        self._read_by: dict[str, list[Future[Any]]] = {}

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The connection, once every statement queued has run."""
        self._queue.wait()
        return self._con

    @property
    def ibis(self) -> ibis.BaseBackend:
        """The Ibis backend, once every statement queued has run."""
        self._queue.wait()
        return self._ibis

    def wait(self) -> None:
        """Wait for every statement queued (raising the first error)."""
        self._queue.wait()

    def table(self, name: str) -> ir.Table:
        """The table (or view) ``name``, its columns looked up once: asked again (a raw table,
        for each school year) it is at hand without waiting for the statements queued."""
        if name not in self._tables:
            self._tables[name] = self.ibis.table(name)
        return self._tables[name]

    def materialize(self, expr: ir.Table, name: str | None = None) -> ir.Table:
        """Compute ``expr`` once into a table, so later expressions reuse it. The table is made
        on the statements' threads; the expression returned can be built on at once (its
        columns are ``expr``'s), and reading it waits for the table."""
        table_name = name or f"_rollcall_{next(_names)}"
        self.made.append(table_name)
        schema = expr.schema()
        # As Ibis's create_table does: the columns declared with the expression's types (and
        # NOT NULL where it says so), then filled, so that the table's types are Ibis's. Not a
        # temporary table: those belong to one connection, and the statements run on several.
        dialect = self._ibis.dialect
        columns = ", ".join(c.sql(dialect) for c in schema.to_sqlglot_column_defs(dialect))
        target = quote_identifier(table_name)
        names = ", ".join(quote_identifier(c) for c in schema.names)
        query = self._ibis.compile(expr)
        create = f"CREATE TABLE {target} ({columns})"
        insert = f"INSERT INTO {target} ({names}) {query}"

        def make(con: duckdb.DuckDBPyConnection) -> None:
            con.execute(create)
            con.execute(insert).fetchall()  # as Ibis does: the statement done with

        self._submit(make, expr, makes=table_name)
        return ops.DatabaseTable(
            table_name, schema=schema, source=self._ibis, namespace=ops.Namespace()
        ).to_expr()

    def load(self, source: Source | Path | str, *, grains: tuple[Grain, ...]) -> Loaded:
        """Read ``source`` with the reader that knows it (rollcall/formats/) into raw tables
        (which replace any of the same names: their columns are looked up anew)."""
        self._tables.clear()
        return load(source, self.con, grains=grains)

    def dimensions(self, students: RawFile, declared: tuple[str, ...]) -> Callable[[], Dimensions]:
        """The students table's reporting dimensions, checked (formats/canonical/dimensions.py):
        the check's query queued now, its answer given when the function returned is called."""
        check = DimensionCheck.of(self.table(students.table), students, declared)
        counted = None if check.query is None else self.later(check.query)
        return lambda: check.decide([] if counted is None else counted.rows())

    def copy_to(self, expr: ir.Table, path: Path, *, output_format: str) -> None:
        """Write ``expr`` to a CSV (with header) or Parquet file, rows in the expression's order."""
        # A CSV table of text columns (every output table: the engine writes each value as
        # text) is written from its query; any other is made a table first, whose columns have
        # Ibis's types (DuckDB's own would differ: a literal 1.5 is a decimal) and, in
        # Parquet, Ibis's NOT NULL.
        if output_format == "csv" and all(kind.is_string() for kind in expr.schema().types):
            source, sql = expr, copy_query_sql(self._ibis.compile(expr), path, output_format)
        else:
            name = f"_rollcall_{next(_names)}"
            source, sql = self.materialize(expr, name), copy_sql(name, path, output_format)
        # Waited for: the file is there, or its error raised, when this returns.
        self._queue.result(self._submit(lambda con: con.execute(sql), source))

    def drop(self, table: ir.Table) -> None:
        """Free a materialised table that nothing will read again."""
        name = table.get_name().split(".")[-1]
        self._drop(f"DROP TABLE IF EXISTS {quote_identifier(name)}", name)

    def drop_made(self, since: int) -> None:
        """Free the tables made after the first ``since`` (``len(made)`` earlier)."""
        for name in self.made[since:]:
            self._drop(f"DROP TABLE IF EXISTS {quote_identifier(name)}", name)
        del self.made[since:]

    def drop_raw(self, name: str) -> None:
        """Free a raw input table (``name`` is its view; the rows are in ``name_data``)."""
        self._tables.pop(name, None)
        data = f"{name}_data"
        # One statement after both tables' readers: expressions read the view, and through it
        # the table.
        self._drop(
            f"DROP VIEW IF EXISTS {quote_identifier(name)}; "
            f"DROP TABLE IF EXISTS {quote_identifier(data)}",
            name,
            data,
        )

    def later(self, expr: ir.Expr) -> Later:
        """The rows of ``expr`` (a table, or one value as a table of one row), read as DuckDB
        gives them to Arrow: the query is queued now and its result waited for when asked. Not
        Ibis's ``to_pyarrow``, whose type fixes, which DuckDB's results do not need, import
        pandas: a third of a second of every run's start-up."""
        sql = self._ibis.compile(expr.as_table())
        future = self._submit(lambda con: con.sql(sql).to_arrow_table(), expr)
        return Later(lambda: self._queue.result(future))

    def arrow(self, expr: ir.Expr) -> pa.Table:
        """The rows of ``expr`` as an Arrow table, now (``later``)."""
        return self.later(expr).arrow()

    def rows(self, expr: ir.Table) -> list[dict[str, Any]]:
        """The rows of ``expr`` as Python values (None for NULL)."""
        return self.later(expr).rows()

    def scalar(self, expr: ir.Scalar) -> Any:
        """A Python value (None for NULL)."""
        return self.later(expr).scalar()

    def count(self, table: ir.Table) -> int:
        return int(self.scalar(table.count()))

    def stage(self, name: str) -> None:
        """Say that the stage ``name`` starts (rollcall/progress.py) when DuckDB gets to it,
        once every statement given before is done: Python, which only builds the statements,
        gets there sooner."""
        context = contextvars.copy_context()  # the command's listener
        self._queue.submit(lambda con: context.run(stage, name), self._queue.unfinished())

    def _submit(
        self,
        work: Callable[[duckdb.DuckDBPyConnection], T],
        expr: ir.Expr,
        *,
        makes: str | None = None,
    ) -> Future[T]:
        """Queue ``work``, which runs ``expr``'s SQL, after the statements that make the tables
        ``expr`` reads."""
        node = expr.op()
        if node.find((ops.InMemoryTable, ops.ScalarUDF)):
            # In-memory tables and Python functions are registered on one connection (Ibis's):
            # run there, now, after everything queued.
            self._queue.wait()
            self._ibis._run_pre_execute_hooks(expr)
            done: Future[T] = Future()
            done.set_result(work(self._con))
            return done
        reads = list(dict.fromkeys(table.name for table in node.find(ops.DatabaseTable)))
        future = self._queue.submit(work, [self._made_by[n] for n in reads if n in self._made_by])
        # Finished readers forgotten, every table's: a finished read holds its rows.
        self._read_by = {n: [f for f in fs if not f.done()] for n, fs in self._read_by.items()}
        for name in reads:
            self._read_by.setdefault(name, []).append(future)
        if makes is not None:
            self._made_by[makes] = future
        return future

    def _drop(self, sql: str, *names: str) -> None:
        """Run ``sql``, which drops ``names``, after the statements that make or read them."""
        waits = []
        for name in names:
            waits += [*self._read_by.pop(name, []), self._made_by.pop(name, None)]
        self._queue.submit(lambda con: con.execute(sql), [f for f in waits if f is not None])

    def close(self) -> None:
        self._queue.close()
        self._con.close()


def copy_sql(table: str, path: Path, output_format: str) -> str:
    """DuckDB's COPY of ``table`` to a CSV (with header) or Parquet file: the one way both
    engines write a table."""
    return copy_query_sql(f"SELECT * FROM {quote_identifier(table)}", path, output_format)


def copy_query_sql(query: str, path: Path, output_format: str) -> str:
    """DuckDB's COPY of ``query``'s rows, in its order, to a CSV (with header) or Parquet file."""
    options = "FORMAT csv, HEADER true" if output_format == "csv" else "FORMAT parquet"
    return f"COPY ({query}) TO {quote_literal(path)} ({options})"


def connect(
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Backend:
    """An in-memory DuckDB (rollcall/duck.py: never downloads an extension) and Ibis over it;
    or Ibis over ``con``, a connection opened already (one an input was read into:
    engine/reading.py)."""
    if con is None:
        con = duck.connect(threads=threads, memory_limit=memory_limit)
    return Backend(con=con, ibis=DUCKDB.from_connection(con))
