"""What readers share: encodings, delimiters, opening a workbook, cell text.

Every reader that opens a text file or a workbook itself does it through here, so that a file is
decoded, split and refused the same way whichever reader reads it:

- ``decode`` turns bytes into text (UTF-8 with or without a byte-order mark, else Windows-1252,
  else Latin-1); ``python_encoding`` is the name Python opens a DuckDB encoding with;
- ``delimiter_of`` tells a text file's delimiter from its first line, among the candidates a
  reader accepts;
- ``open_workbook`` opens an ``.xlsx`` read-only (values, not formulas), after checking that it
  is a zip archive and would not expand past ``MAX_WORKBOOK_BYTES``, and refuses anything else
  with one message;
- ``cell_text`` is a workbook cell as the text a CSV export would hold.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rollcall.errors import InputError

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

# --- encodings -------------------------------------------------------------------------------

# Tried in order by ``decode``: Latin-1 decodes any bytes, so decoding never fails.
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def decode(data: bytes, encodings: Sequence[str] = ENCODINGS) -> str:
    """Text from bytes, in the first of ``encodings`` that decodes them: by default UTF-8 (with
    or without a byte-order mark), else Windows-1252 as state downloads often are, else Latin-1
    (which never fails)."""
    for encoding in encodings[:-1]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode(encodings[-1])


def python_encoding(encoding: str) -> str:
    """The codec Python reads a file in that DuckDB reads as ``encoding``: a UTF-8 file may start
    with a byte-order mark, which DuckDB skips too."""
    return "utf-8-sig" if encoding == "utf-8" else encoding


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes (the first ``limit`` of them); an unreadable file is an InputError."""
    try:
        with path.open("rb") as handle:
            return handle.read() if limit is None else handle.read(limit)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=path) from exc


def first_line(path: Path, encoding: str = "utf-8") -> str:
    """The first line of a text file (what its delimiter is told from)."""
    try:
        with path.open(encoding=python_encoding(encoding), newline="") as handle:
            return handle.readline()
    except UnicodeError:
        raise InputError(
            f"is not {encoding.upper()} text",
            path=path,
            line=1,
            hint="save it as CSV UTF-8, or give its encoding",
        ) from None


# --- delimiters ------------------------------------------------------------------------------

# What an export may be delimited by: comma, tab, semicolon (European Excel), pipe. Readers of a
# narrower family pass their own candidates: the per-student totals ``("^", "\t", ",")`` (CALPADS
# writes carets), published aggregates ``("\t", ",")`` (state downloads are tab or comma).
DELIMITERS = (",", "\t", ";", "|")


def delimiter_of(line: str, candidates: Sequence[str] = DELIMITERS) -> str:
    """The delimiter of a text file whose first line is ``line``: the candidate found most often
    outside double quotes, the earlier candidate on a tie; a comma when none is found."""
    outside = "".join(part for n, part in enumerate(line.split('"')) if n % 2 == 0)
    counts = {d: outside.count(d) for d in candidates}
    best = max(candidates, key=lambda d: counts[d])
    return best if counts[best] else ","


# --- limits of a delimited file ----------------------------------------------------------------

# The longest value (field) a delimited file may hold, and the longest line: DuckDB's own line
# limit (its max_line_size), given explicitly. Python's csv module is held to the same value limit.
MAX_VALUE_CHARS = 1024 * 1024
MAX_LINE_BYTES = 2 * 1024 * 1024
csv.field_size_limit(MAX_VALUE_CHARS)
_READ = 1 << 16  # characters read at a time when a file is scanned for what breaks it


def csv_problem(
    path: Path, *, delimiter: str = ",", encoding: str = "utf-8", columns: Sequence[str] = ()
) -> InputError | None:
    """What makes a delimited file unreadable, at the line and column where it is, when it is a
    quoted value that is never closed or a value or line longer than the limits above; None when
    it is neither (the caller then says what the parser said).

    Scans the file once, on the error path only: quotes are followed by their parity, so that a
    doubled quote (``""``) inside a quoted value changes nothing."""

    def column(index: int) -> str:
        return columns[index] if index < len(columns) else f"value {index + 1}"

    in_quote = False
    line = field = length = 0
    line_bytes = 0
    quote_at = (0, 0)
    try:
        with path.open(encoding=python_encoding(encoding), errors="replace", newline="") as handle:
            at_line_start = True
            while chunk := handle.readline(_READ):
                if at_line_start:
                    line, line_bytes = line + 1, 0
                    if not in_quote:
                        field = length = 0
                at_line_start = chunk.endswith("\n")
                line_bytes += len(chunk.encode("utf-8", "replace"))
                if line_bytes > MAX_LINE_BYTES and not in_quote:
                    return InputError(
                        f"a line is longer than the limit of {MAX_LINE_BYTES:,} bytes",
                        path=path,
                        line=line,
                    )
                if '"' not in chunk and not in_quote:
                    parts = chunk.rstrip("\r\n").split(delimiter)
                    sizes = [length + len(parts[0]), *(len(v) for v in parts[1:])]
                    for n, size in enumerate(sizes):
                        if size > MAX_VALUE_CHARS:
                            return _too_long(path, line, column(field + n))
                    field, length = field + len(parts) - 1, sizes[-1]
                    continue
                for char in chunk:
                    if char == '"':
                        in_quote = not in_quote
                        if in_quote:
                            quote_at = (line, field)
                    elif char == delimiter and not in_quote:
                        field, length = field + 1, 0
                        continue
                    elif char in "\r\n" and not in_quote:
                        continue
                    length += 1
                    if length > MAX_VALUE_CHARS:
                        return _too_long(path, quote_at[0] if in_quote else line, column(field))
    except OSError:
        return None
    if in_quote:
        return InputError(
            "a quoted value starts here and is never closed (a missing closing quote)",
            path=path,
            line=quote_at[0],
            column=column(quote_at[1]),
            hint='close the quote, or write a quote inside a quoted value as two ("")',
        )
    return None


def _too_long(path: Path, line: int, column: str) -> InputError:
    return InputError(
        f"a value is longer than the limit of {MAX_VALUE_CHARS:,} characters",
        path=path,
        line=line,
        column=column,
        hint="a value this long is not attendance data: check the export",
    )


# --- workbooks -------------------------------------------------------------------------------

# An .xlsx is a zip archive: before openpyxl opens one, the sizes its members declare are
# checked, so that a small file that expands to gigabytes (a "zip bomb") is refused instead of
# exhausting memory. Python's zipfile stops at a member's declared size, so a lie is caught too.
MAX_WORKBOOK_BYTES = 2 * 1024**3  # all members together, uncompressed
MAX_WORKBOOK_RATIO = 100  # uncompressed ÷ compressed size of one member …
RATIO_CHECKED_FROM = 4 * 1024**2  # … checked for members that expand to this many bytes or more

WORKBOOK_HINT = (
    "open it in Excel and save it as an Excel Workbook (.xlsx); an old .xls, or a CSV file "
    "renamed .xlsx, is not one"
)


@contextmanager
def open_workbook(path: Path) -> Iterator[Workbook]:
    """The workbook at ``path``, read-only and with cell values (not formulas), closed after.

    Anything that is not an .xlsx workbook openpyxl can read, or that would expand past the
    limits above, is an InputError naming the file and what to try."""
    _check_archive(path)
    try:
        # Imported here: openpyxl takes a quarter of a second, and most inputs are not workbooks.
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(
            f"cannot be read as an Excel workbook (.xlsx): {reason}", path=path, hint=WORKBOOK_HINT
        ) from None
    try:
        yield book
    finally:
        book.close()  # a read-only workbook keeps its file open until closed


def _check_archive(path: Path) -> None:
    head = read_bytes(path, 512)
    if not head:
        raise InputError(
            "cannot be read as an Excel workbook (.xlsx): the file is empty (0 bytes)",
            path=path,
            hint=WORKBOOK_HINT,
        )
    if not zipfile.is_zipfile(path):
        looks = "it holds text (a CSV file?)" if _is_text(head) else "it is not a zip archive"
        raise InputError(
            f"cannot be read as an Excel workbook (.xlsx): {looks}", path=path, hint=WORKBOOK_HINT
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            f"cannot be read as an Excel workbook (.xlsx): {exc}", path=path, hint=WORKBOOK_HINT
        ) from None
    total = sum(member.file_size for member in members)
    if total > MAX_WORKBOOK_BYTES:
        raise InputError(
            f"would expand to {total:,} bytes when opened, more than the limit of "
            f"{MAX_WORKBOOK_BYTES:,} bytes for a workbook",
            path=path,
            hint="split the workbook, or export the sheet as CSV",
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= RATIO_CHECKED_FROM and ratio > MAX_WORKBOOK_RATIO:
            raise InputError(
                f"part {member.filename} would expand {ratio:,.0f} times when opened (from "
                f"{member.compress_size:,} to {member.file_size:,} bytes), more than the limit "
                f"of {MAX_WORKBOOK_RATIO} times for a workbook",
                path=path,
                hint="a workbook this compressible is not an export; export the sheet as CSV",
            )


def _is_text(head: bytes) -> bool:
    return b"\x00" not in head and all(b >= 0x20 or b in b"\t\r\n" for b in head[:64])


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold: whole numbers without ``.0``, other
    numbers never in exponent notation (``1e-07`` is ``0.0000001``), dates as ``YYYY-MM-DD``
    (with the time when there is one), ``TRUE``/``FALSE``, empty cells as ``""``, text trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Through repr, so 0.1 stays 0.1; never in exponent notation (1e-07).
        text = format(Decimal(repr(value)), "f")
        return text[:-2] if text.endswith(".0") else text
    return str(value).strip()
