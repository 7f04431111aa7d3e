"""Opening DuckDB: every connection rollcall makes (readers, the engine, the tools) is opened
here, configured never to download or load an extension by itself (the machines have no
internet, and a query must not reach out), and with the limits the user set: threads and memory
(``--threads`` and ``--memory-limit``, or ``ROLLCALL_THREADS`` and ``ROLLCALL_MEMORY_LIMIT``;
by default every core and ``default_memory_limit``),
and a folder of its own to spill to when a query needs more memory than the limit
(``ROLLCALL_TEMP_DIR``, default the system's temporary folder; DuckDB removes its files when
the connection closes).

A connection is a context manager too: ``with duck.connect() as con:`` closes it after. A command
that opens connections in many places (``measures``, ``warn``, ``publish`` …) sets its limits
once for all of them with ``with duck.limits(threads=…, memory_limit=…):``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import count
from pathlib import Path

import duckdb

# A size as DuckDB takes it: a number and a unit (4GB, 512MB, 1.5GiB).
_SIZE = re.compile(r"^\s*\d+(\.\d+)?\s*([KMGT]i?B|B)\s*$", re.IGNORECASE)
_connections = count()
# The limits of the command running now (``limits``): (threads, memory_limit), None for unset.
_limits: ContextVar[tuple[int | None, str | None]] = ContextVar("limits", default=(None, None))


def is_size(value: str) -> bool:
    """Whether ``value`` is a memory size DuckDB takes (``4GB``, ``512MB``, ``1.5GiB``)."""
    return bool(_SIZE.match(value))


def machine_memory() -> int | None:
    """The machine's physical memory in bytes, when the system says (Linux, macOS)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def default_memory_limit() -> str | None:
    """An eighth of the machine's memory, at least 1 GB (3 GB on a 24 GB machine): the engine's
    peak stays near it whatever the number of students, spilling the rest to disk
    (docs/performance.md); None, DuckDB's own default, when the memory is not known."""
    total = machine_memory()
    if total is None:
        return None
    return f"{max(total // 8, 2**30) // 2**20}MiB"


def temp_directory() -> Path:
    """A folder of its own for one connection's spill files, inside ``ROLLCALL_TEMP_DIR`` or
    the system's temporary folder (DuckDB makes it when it first spills, and removes it)."""
    parent = Path(os.environ.get("ROLLCALL_TEMP_DIR") or tempfile.gettempdir())
    return parent / f"rollcall-duckdb-{os.getpid()}-{next(_connections)}"


@contextmanager
def limits(*, threads: int | None = None, memory_limit: str | None = None) -> Iterator[None]:
    """Every connection opened inside takes these limits where its caller gives none (a
    command's ``--threads`` and ``--memory-limit``, for the readers, the engine and the tools
    it calls alike)."""
    token = _limits.set((threads, memory_limit))
    try:
        yield
    finally:
        _limits.reset(token)


# What Ibis sets on a connection it is given (its DuckDB backend's ``_post_connect``): set
# before an input is read into a connection Ibis will be given (engine/reading.py), and on each
# further connection the engine computes on (``cursor``), which starts without them.
IBIS_SETTINGS = ("SET TimeZone = 'UTC'", "SET python_enable_replacements = false")


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Another connection to ``con``'s database (its tables, not its temporary ones), with the
    settings Ibis gives a connection."""
    other = con.cursor()
    for setting in IBIS_SETTINGS:
        other.execute(setting)
    return other


def connect(
    *, threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never installs nor autoloads an extension, prints no progress
    bar of its own (rollcall/progress.py shows the run's), and spills to ``temp_directory``."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "temp_directory": str(temp_directory()),
    }
    threads = threads or _limits.get()[0] or int(os.environ.get("ROLLCALL_THREADS") or 0)
    if threads:
        config["threads"] = threads
    limit = (
        memory_limit
        or _limits.get()[1]
        or os.environ.get("ROLLCALL_MEMORY_LIMIT")
        or default_memory_limit()
    )
    if limit:
        config["memory_limit"] = limit.strip()
    con = duckdb.connect(config=config)
    con.execute("SET enable_progress_bar = false")  # a session setting, not a global one
    return con
