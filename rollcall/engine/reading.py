"""An input read on a thread of its own while the engine's modules load.

Importing Ibis and the rules takes about half a second, and reading a district's files into
DuckDB about as long; DuckDB lets go of Python's lock while it reads, so the two can run at
once (docs/performance.md, "Start-up and a small district"). This module imports neither Ibis
nor the engine: a command starts the reading (``start``), then imports what computes, then
hands the connection and what was read to the engine (``Reading.loaded``,
``engine/pipeline.py``'s ``read``).
"""

from __future__ import annotations

import contextvars
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from pathlib import Path

import duckdb

from rollcall import duck
from rollcall.formats.sources import Grain, Loaded, Source, load

# The grains the engine computes from (engine/pipeline.py): days, or per-student totals.
GRAINS: tuple[Grain, ...] = ("days", "totals")


@dataclass
class Reading:
    """A connection an input is being read into."""

    _con: duckdb.DuckDBPyConnection
    _done: Future[Loaded]

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The connection, once the reading is done (its error, if it failed): nothing else
        may use it before."""
        self._done.result()
        return self._con

    def loaded(self) -> Loaded:
        """What was read (once the reading is done)."""
        return self._done.result()

    def close(self) -> None:
        """Stop the reading if it still runs (a command that failed before it computed), and
        close the connection."""
        # An interrupt stops only the query running when it comes: the reader runs several.
        while not self._done.done():
            self._con.interrupt()
            futures_wait([self._done], timeout=0.05)
        self._con.close()


def start(
    source: Source | Path | str,
    *,
    grains: tuple[Grain, ...] = GRAINS,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> Reading:
    """Start reading ``source`` into a new connection (with these limits, rollcall/duck.py)."""
    con = duck.connect(threads=threads, memory_limit=memory_limit)
    for setting in duck.IBIS_SETTINGS:  # so that the input is read as it is through Ibis
        con.execute(setting)
    # In a copy of this context, so that the command's limits and progress reach the reader.
    context = contextvars.copy_context()
    thread = ThreadPoolExecutor(1, thread_name_prefix="rollcall-reading")
    done = thread.submit(context.run, load, source, con, grains=grains)
    thread.shutdown(wait=False)  # its one thread ends when the reading does
    return Reading(con, done)
