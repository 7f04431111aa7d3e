"""What every publisher's layout module is built on: a ``Sniff`` of a file's first rows, the
``Layout`` record each module declares, and reading delimited text as state downloads write it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rollcall.formats.aggregates.published import Reading
from rollcall.formats.textfiles import decode, read_bytes

SPREADSHEETS = (".xlsx", ".xlsm")
TEXT = (".csv", ".txt", ".tsv", ".tab")
SNIFF_BYTES = 64 * 1024
SNIFF_ROWS = 40


@dataclass(frozen=True)
class Sniff:
    """The first rows of a file, as text cells: enough to tell its layout."""

    path: Path
    rows: tuple[tuple[str, ...], ...]
    delimiter: str | None  # None for a spreadsheet

    def first(self) -> tuple[str, ...]:
        """The first row with a value in it."""
        return next((row for row in self.rows if any(cell.strip() for cell in row)), ())


@dataclass(frozen=True)
class Layout:
    """One publisher's layout: how to recognise it from a sniff, and how to read the file."""

    name: str
    title: str
    recognise: Callable[[Sniff], bool]
    read: Callable[[Path, Sniff], Reading]


# --- reading text files ----------------------------------------------------------------------


# The delimiters a state's download comes in: tab (CDE) or comma.
DELIMITERS = ("\t", ",")


def text_rows(path: Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, values)`` for each record of a delimited file, with the line it starts on (a
    quoted value may span lines). Tab-delimited files are read without quoting, as CDE writes
    them (a name may hold a quote)."""
    text = decode(read_bytes(path))
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting_for(delimiter)
    )
    start = 1
    for values in reader:
        yield start, values
        start = reader.line_num + 1


def quoting_for(delimiter: str) -> Literal[0, 3]:
    """Tab-delimited files are read without quoting, as CDE writes them (a name may hold a
    quote); comma-separated ones with the usual quoting."""
    return csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
