"""Quoting for SQL written by hand (DuckDB's dialect): a name as an identifier, a text as a
literal. Readers and the engine alike quote through here, never by pasting quotes."""

from __future__ import annotations

from pathlib import Path


def quote_identifier(name: str) -> str:
    """``name`` as a double-quoted identifier (``a"b`` → ``"a""b"``)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str | Path) -> str:
    """``text`` (or a path) as a single-quoted string literal (``it's`` → ``'it''s'``)."""
    return "'" + str(text).replace("'", "''") + "'"
