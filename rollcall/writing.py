"""Writing what rollcall produces: the output folder every writing command prepares, and CSV
cells no spreadsheet runs as a formula (docs/output.md, "Spreadsheets")."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rollcall.errors import OptionError

if TYPE_CHECKING:  # Ibis takes a while to import; the spreadsheet rule for Python rows needs none.
    import ibis.expr.types as ir

# The formats every table is written in.
FORMATS = ("csv", "parquet")


def prepare_folder(out_dir: Path) -> None:
    """Create ``out_dir`` if needed, or say plainly why it cannot be written to."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OptionError(f"--out {out_dir} is a file, not a folder") from None
    except OSError as exc:
        raise OptionError(f"cannot create the output folder {out_dir}: {exc.strerror}") from None
    if not os.access(out_dir, os.W_OK):
        raise OptionError(f"cannot write to the output folder {out_dir}: permission denied")


# --- CSV cells a spreadsheet would run ---------------------------------------------------------

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (OWASP,
# "CSV Injection"). Values come from input files rollcall does not control (ids, names, group
# values, refused values), so a CSV rollcall writes must never hand a spreadsheet a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A plain number, which a spreadsheet reads as a number, not a formula: ``-3.2`` in an equity gap
# stays a number. A leading ``+`` is not plain (``+1`` is how a formula may start).
PLAIN_NUMBER = r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?"
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER)


def neutralised(value: str) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text: a leading ``'`` when it starts like a
    formula (``=1+1`` → ``'=1+1``), unless it is a plain number (``-3.2`` stays)."""
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def restored(value: str) -> str:
    """A cell ``neutralised`` wrote, as it was (``'=1+1`` → ``=1+1``): for reading back a CSV
    rollcall wrote, such as an e-mail address or phone number to send to."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _cell(value: object) -> object:
    return neutralised(value) if isinstance(value, str) else value


class CsvWriter:
    """``csv.writer`` whose text cells are ``neutralised``: the one way rollcall writes CSV rows
    from Python (the engine's large tables go through ``neutralised_expr`` instead)."""

    def __init__(self, handle: IO[str], **options: Any) -> None:
        options.setdefault("lineterminator", "\n")
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class CsvDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """``csv.DictWriter`` whose text cells are ``neutralised``."""

    def __init__(self, handle: IO[str], fieldnames: Sequence[str], **options: Any) -> None:
        options.setdefault("lineterminator", "\n")
        super().__init__(handle, fieldnames=fieldnames, **options)

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: _cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def neutralised_expr(value: ir.StringValue) -> ir.StringValue:
    """``neutralised`` as an Ibis expression, for the tables DuckDB writes itself (output.py):
    the same rule, run inside the database instead of row by row in Python."""
    import ibis

    formula = value.substr(0, 1).isin(list(FORMULA_STARTS))
    number = value.re_search(f"^{PLAIN_NUMBER}$")
    return ibis.cases((formula & ~number, ibis.literal("'") + value), else_=value)
