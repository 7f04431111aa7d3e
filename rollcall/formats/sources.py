"""The reading layer: every kind of input a district or state has, turned into one of three grains.

- ``days``: the five canonical tables (schools, students, enrollments, calendar, attendance),
  from the canonical folder, an SIS export with a mapping file, or Ed-Fi;
- ``totals``: per-student, per-school day counts (CALPADS STAS, the workbook totals), which the
  engine counts without day-level rules;
- ``aggregate``: counts per unit and group (a state's published file, England's attendance
  files), the table of rollcall/formats/aggregates/table.py.

Each kind of input is a reader module (a registry, not plugins): it can say whether a path looks
like its kind (``detect``), explain what it finds (``inspect``), and load it into DuckDB
(``load``). A reader that translates a source keeps, on each raw row, the file and line it
came from (rollcall/formats/origin.py) and, per canonical column, the source column it came
from, so that a refused row is reported where the user can find it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import duckdb

from rollcall.errors import InputError, OptionError
from rollcall.formats.canonical.format import RawFile
from rollcall.notes import Note

if TYPE_CHECKING:  # a reader's tables are Arrow; PyArrow is loaded by the reader that makes them
    import pyarrow as pa

Grain = Literal["days", "totals", "aggregate"]

# kind → module holding ``READER``; tried in this order when no kind is given (the most
# specific first: canonical, edfi, calpads, totals, england, aggregate). ``sis`` needs a mapping
# file, so it is chosen by ``--source sis`` or by giving ``--mapping``, never by detection.
READERS: dict[str, str] = {
    "canonical": "rollcall.formats.canonical.source",
    "edfi": "rollcall.formats.edfi.reader",
    "calpads": "rollcall.formats.calpads.reader",
    "totals": "rollcall.formats.totals.reader",
    "england": "rollcall.formats.england.reader",
    "aggregate": "rollcall.formats.aggregates.reader",
    "sis": "rollcall.formats.sis.reader",
}


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may need besides the path; each reader uses the ones that apply to it."""

    mapping: Path | None = None  # an SIS export's mapping file (TOML)
    enrollment_from_sessions: bool = False  # Ed-Fi without enrollments: assume them, when asked
    students_file: Path | None = None  # student attributes kept apart (CALPADS, totals)
    # Student attributes declared as reporting dimensions (``--dimensions``), besides the known
    # ones (rollcall/formats/canonical/dimensions.py); every other attribute is kept private.
    dimensions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """An input as the user named it: a path, the kind if given, and the reading options."""

    path: Path
    kind: str | None = None
    options: ReadOptions = field(default_factory=ReadOptions)

    @classmethod
    def of(cls, value: Source | Path | str) -> Source:
        return value if isinstance(value, Source) else cls(Path(value))


@dataclass(frozen=True)
class Loaded:
    """An input read into DuckDB.

    ``raw`` holds the raw tables by canonical name: for ``days`` the five canonical files, for
    ``totals`` ``schools``, ``students`` and ``totals``. ``aggregate`` is the table for that
    grain. ``notes`` are what the reader assumed or found and the user must be told (printed by
    every command, shown at the top of the report page, written to notes.csv): each a ``Note``
    (rollcall/notes.py: the words, with a kind and a size) or plain words, a note of how the
    input was read; ``skipped`` counts rows left out on purpose that are not refusals (e.g.
    CALPADS records marked exempt), by what they were.
    """

    kind: str
    grain: Grain
    raw: Mapping[str, RawFile] = field(default_factory=dict)
    aggregate: pa.Table | None = None
    # England's half-day sessions per period and unit, beside the aggregate table
    # (rollcall/formats/england/sessions.py); None for every other source.
    sessions: pa.Table | None = None
    title: str | None = None  # what the input is, in words, when the reader names it
    notes: tuple[str, ...] = ()
    skipped: Mapping[str, int] = field(default_factory=dict)
    school_year: str | None = None  # when the source states it (a CALPADS file does)
    # Rows the reader itself refused (an aggregate file's rows), as rows of rejects.csv: file,
    # line, column, value, reason.
    rejects: tuple[Mapping[str, str], ...] = ()
    # The files the reader read, when its raw tables do not say (several files to a table).
    files: tuple[Path, ...] = ()
    # Student attributes declared as reporting dimensions: by the reader (an SIS mapping file's
    # groups, Ed-Fi's demographics) and by the user (``ReadOptions.dimensions``).
    dimensions: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileSeen:
    """One file an input holds: rows, and its columns matched to canonical ones or not."""

    path: Path
    rows: int
    role: str  # the canonical table it feeds (``attendance``) or what it is
    matched: Mapping[str, str] = field(default_factory=dict)  # canonical column → source column
    unmatched: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeSeen:
    """A code found in a coded column (a status, a grade, a yes/no value), and how it is read."""

    column: str  # the canonical column (``status``, ``grade``) or descriptor it belongs to
    code: str
    count: int
    mapped_to: str | None  # None: not mapped, which loading refuses or stops on


@dataclass(frozen=True)
class Inspection:
    """What ``rollcall inspect`` prints about an input."""

    kind: str
    grain: Grain
    files: tuple[FileSeen, ...]
    codes: tuple[CodeSeen, ...] = ()
    first_date: date | None = None
    last_date: date | None = None
    missing: tuple[str, ...] = ()  # what the input lacks, in words
    notes: tuple[str, ...] = ()

    @property
    def unmapped(self) -> tuple[CodeSeen, ...]:
        return tuple(code for code in self.codes if code.mapped_to is None)


class Reader(Protocol):
    """What each reader module's ``READER`` provides."""

    kind: str
    grain: Grain

    def detect(self, path: Path) -> bool:
        """Whether ``path`` looks like this kind of input (cheap: names and headers only)."""
        ...

    def inspect(self, path: Path, options: ReadOptions) -> Inspection: ...

    def load(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Loaded: ...


def reader(kind: str) -> Reader:
    """The reader for ``kind`` (one of READERS)."""
    if kind not in READERS:
        raise OptionError(
            f"--source {kind!r} is not one of {', '.join(READERS)}",
            hint="leave --source out to let rollcall tell the kind from the files",
        )
    module = importlib.import_module(READERS[kind])
    return module.READER  # type: ignore[no-any-return]


def choose_reader(source: Source) -> Reader:
    """The reader for ``source``: the kind given, ``sis`` when a mapping file is given, else the
    first reader that recognises the path."""
    if not source.path.exists():
        raise InputError("input not found", path=source.path)
    if source.kind is not None:
        return reader(source.kind)
    if source.options.mapping is not None:
        # A mapping file describes an SIS export, unless a reader that takes one (Ed-Fi, whose
        # descriptor crosswalk it extends) recognises the input.
        for kind in READERS:
            found = reader(kind)
            if getattr(found, "uses_mapping", False) and found.detect(source.path):
                return found
        return reader("sis")
    for kind in READERS:
        if kind == "sis":
            continue
        found = reader(kind)
        if found.detect(source.path):
            return found
    raise InputError(
        "cannot tell what kind of attendance data this is",
        path=source.path,
        hint="give --source (" + ", ".join(READERS) + "), or --mapping FILE for an SIS export; "
        "`rollcall inspect --suggest-mapping` writes a starting mapping",
    )


def load(
    source: Source | Path | str, con: duckdb.DuckDBPyConnection, *, grains: tuple[Grain, ...] = ()
) -> Loaded:
    """Read ``source`` into ``con``; ``grains`` (when given) are the grains the caller can use."""
    source = Source.of(source)
    chosen = choose_reader(source)
    if grains and chosen.grain not in grains:
        raise OptionError(
            f"{source.path} is {chosen.kind} data ({chosen.grain}), which this command cannot use",
            hint="this command needs " + " or ".join(f"{g}-level data" for g in grains),
        )
    loaded = chosen.load(source.path, con, source.options)
    read = [*loaded.files, *(raw.path for raw in loaded.raw.values())]
    note = unread_note(source, read)
    if note:
        loaded = replace(loaded, notes=(*loaded.notes, note))
    if not source.options.dimensions:
        return loaded
    return replace(loaded, dimensions=(*loaded.dimensions, *source.options.dimensions))


def inspect(source: Source | Path | str) -> Inspection:
    """What ``source`` holds, without loading it into the engine."""
    source = Source.of(source)
    found = choose_reader(source).inspect(source.path, source.options)
    note = unread_note(source, [seen.path for seen in found.files])
    return replace(found, notes=(*found.notes, note)) if note else found


# How many unread files the note names before it counts the rest.
UNREAD_NAMED = 10


def unread_note(source: Source, read: list[Path]) -> Note | None:
    """The note naming the files of an input folder that no reader read, so that nothing is left
    out unsaid: the folder's own files and those of each subfolder a file was read from (not
    hidden files, nor the mapping or students file given)."""
    if not source.path.is_dir():
        return None
    given = [source.options.mapping, source.options.students_file]
    used = {p.resolve() for p in [*read, *given] if p is not None and p.is_file()}
    folders = {source.path.resolve()} | {p.parent for p in used}
    unread = sorted(
        path.relative_to(source.path).as_posix()
        for folder in folders
        if folder.is_relative_to(source.path.resolve())
        for path in (source.path / folder.relative_to(source.path.resolve())).iterdir()
        if path.is_file() and not path.name.startswith(".") and path.resolve() not in used
    )
    if not unread:
        return None
    named = unread[:UNREAD_NAMED]
    if len(unread) > UNREAD_NAMED:
        named.append(f"and {len(unread) - UNREAD_NAMED:,} more")
    them = "it" if len(unread) == 1 else "them"
    files = "1 file" if len(unread) == 1 else f"{len(unread):,} files"
    were = "was" if len(unread) == 1 else "were"
    return Note(
        f"not read: {', '.join(named)} (no reader recognises {them})",
        kind="not_read",
        plain=f"{files} in the input folder could not be read and {were} left out: "
        f"{', '.join(named)}.",
        size=len(unread),
    )
