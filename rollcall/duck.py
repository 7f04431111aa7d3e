"""Opening DuckDB: every connection rollcall makes (readers, the engine, the tools) is opened
here, configured never to download or load an extension by itself (the machines have no
internet, and a query must not reach out), and with the thread and memory limits the user set
(``ROLLCALL_THREADS``, ``ROLLCALL_MEMORY_LIMIT``).

A connection is a context manager too: ``with duck.connect() as con:`` closes it after.
"""

from __future__ import annotations

import os

import duckdb


def connect(
    *, threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never installs nor autoloads an extension."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    if threads or os.environ.get("ROLLCALL_THREADS"):
        config["threads"] = int(threads or os.environ["ROLLCALL_THREADS"])
    if memory_limit or os.environ.get("ROLLCALL_MEMORY_LIMIT"):
        config["memory_limit"] = memory_limit or os.environ["ROLLCALL_MEMORY_LIMIT"]
    return duckdb.connect(config=config)
