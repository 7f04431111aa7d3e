"""A change package: another network's change-idea library, as our export writes it (CSV or
JSON, the columns ``LIBRARY_COLUMNS``), imported into a network's library by its coach.

``read_package`` reads the file strictly, and refuses it whole at the first problem, naming the
file, the place (the CSV line, or the JSON item numbered from 1) and the column:

* at most ``MAX_PACKAGE_BYTES``, UTF-8 text (a byte-order mark is allowed), named ``.csv`` or
  ``.json``;
* CSV: a header line naming the columns (each of ``LIBRARY_COLUMNS`` once, in any order;
  ``imported_from`` may be left out, as older exports did), then one idea a line with as many
  values as the header;
* JSON: an object whose ``change_ideas`` is a list of objects with those keys (``tier`` a
  number or null, the others text);
* a name and a source in every idea; a tier of 1, 2 or 3, or empty; no value longer than its
  column holds (``LIMITS``).

``import_package`` then adds, in one transaction, the ideas the library does not hold yet (the
same name and the same source, ``idea_key``), each marked with the file it came from; an idea
whose text is a name or id of a student of any member district refuses the whole file
(``rollcall.web.improve.privacy``). The refusal names the place and the column, not the words: a
coach sees no student, and should not learn which word is a student's name.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from rollcall.errors import InputError
from rollcall.web.improve.library import LIBRARY_COLUMNS, LibraryIdea, idea_key, library
from rollcall.web.improve.models import LibraryEntry
from rollcall.web.improve.privacy import StudentWords, student_words
from rollcall.web.people.models import Network
from rollcall.writing import restored

MAX_PACKAGE_BYTES = 1024**2  # a library of a thousand ideas is about 300 kB
OPTIONAL = frozenset({"imported_from"})  # the exports before it was a column had none
TIERS = {"1": 1, "2": 2, "3": 3}
# The longest value each column holds (the model's columns; ``tested`` a long paragraph).
LIMITS = {"name": 300, "evidence": 100, "source": 300, "tested": 4000, "imported_from": 255}
TEXT_COLUMNS = ("name", "evidence", "source", "tested")  # what the privacy check reads
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not text (tab and line ends are)


class PackageError(InputError):
    """A change package that cannot be imported: the file, the CSV line or the JSON item (numbered
    from 1), and the column."""

    def __init__(
        self,
        message: str,
        *,
        name: str,
        line: int | None = None,
        item: int | None = None,
        column: str | None = None,
    ) -> None:
        self.item = item
        super().__init__(message, path=name, line=line, column=column)
        if item is not None:  # a JSON item, not a line: say so
            where = f"{name}, item {item}" + (f", column {column!r}" if column else "")
            self.args = (f"{where}: {message}",)


class StudentNamed(PackageError):
    """A package refused because some text of it names a student of a member district."""


@dataclass(frozen=True)
class PackageIdea:
    """An idea of the file, with where it is (``line`` for CSV, ``item`` for JSON)."""

    idea: LibraryIdea
    line: int | None = None
    item: int | None = None


@dataclass(frozen=True)
class Imported:
    """What an import did: the ideas added, and those the library held already."""

    added: int
    already: int


def read_package(data: bytes, name: str) -> list[PackageIdea]:
    """The ideas of the change package ``data`` (the file ``name``), or ``PackageError``."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError(
            f"is larger than the limit of {MAX_PACKAGE_BYTES // 1024**2} MB for a change package",
            name=name,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PackageError(
            f"is not UTF-8 text (byte {exc.start + 1}): save it as UTF-8 and import it again",
            name=name, line=line,
        ) from None  # fmt: skip
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "csv":
        return _csv_ideas(text, name)
    if suffix == "json":
        return _json_ideas(text, name)
    raise PackageError(
        "is not a change package: import the .csv or .json file a network's library exports",
        name=name,
    )


def _check_columns(found: list[str], name: str, line: int | None) -> None:
    for column in found:
        if column not in LIBRARY_COLUMNS:
            raise PackageError(
                f"has a column the library does not have (its columns: "
                f"{', '.join(LIBRARY_COLUMNS)})", name=name, line=line, column=column,
            )  # fmt: skip
        if found.count(column) > 1:
            raise PackageError("names the column twice", name=name, line=line, column=column)
    for column in LIBRARY_COLUMNS:
        if column not in found and column not in OPTIONAL:
            raise PackageError("lacks the column", name=name, line=line, column=column)


def _csv_ideas(text: str, name: str) -> list[PackageIdea]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1  # the line the record being read starts on
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise PackageError("is empty: its first line names the columns", name=name, line=1)
        columns = [cell.strip() for cell in header]
        _check_columns(columns, name, 1)
        found, start = [], reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not row:
                continue  # a blank line
            if len(row) != len(columns):
                raise PackageError(
                    f"has {len(row)} values where the first line names {len(columns)} columns",
                    name=name, line=line,
                )  # fmt: skip
            values = {c: restored(v) for c, v in zip(columns, row, strict=True)}
            found.append(PackageIdea(_idea(values, name, line=line), line=line))
    except csv.Error as exc:
        raise PackageError(f"is not valid CSV: {exc}", name=name, line=start) from None
    return found


def _json_ideas(text: str, name: str) -> list[PackageIdea]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageError(
            f"is not valid JSON: {exc.msg} (character {exc.colno})", name=name, line=exc.lineno
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("change_ideas"), list):
        raise PackageError(
            "is not a change-idea library: a JSON object whose 'change_ideas' is a list",
            name=name,
        )
    found = []
    for number, record in enumerate(data["change_ideas"], 1):
        if not isinstance(record, dict):
            raise PackageError("is not a JSON object", name=name, item=number)
        for column in record:
            if column not in LIBRARY_COLUMNS:
                raise PackageError(
                    f"has a column the library does not have (its columns: "
                    f"{', '.join(LIBRARY_COLUMNS)})", name=name, item=number, column=column,
                )  # fmt: skip
        values: dict[str, str] = {}
        for column in LIBRARY_COLUMNS:
            if column not in record:
                if column in OPTIONAL:
                    continue
                raise PackageError("lacks the column", name=name, item=number, column=column)
            values[column] = _json_text(record[column], column, name, number)
        found.append(PackageIdea(_idea(values, name, item=number), item=number))
    return found


def _json_text(value: Any, column: str, name: str, item: int) -> str:
    """A JSON value as the CSV's text: a tier may be a whole number or null, the rest text."""
    if column == "tier":
        if value is None:
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise PackageError(
            f"is {json.dumps(value)[:40]}: a tier is 1, 2, 3 or null", name=name, item=item,
            column=column,
        )  # fmt: skip
    if not isinstance(value, str):
        raise PackageError(
            f"is {json.dumps(value)[:40]}: it must be text", name=name, item=item, column=column
        )
    return value


def _idea(
    values: dict[str, str], name: str, *, line: int | None = None, item: int | None = None
) -> LibraryIdea:
    def refuse(message: str, column: str) -> PackageError:
        return PackageError(message, name=name, line=line, item=item, column=column)

    cleaned = {c: " ".join(values.get(c, "").split()) for c in LIMITS if c != "tested"}
    cleaned["tested"] = values.get("tested", "").strip()
    for column, limit in LIMITS.items():
        control = CONTROL.search(values.get(column, ""))
        if control:
            code = f"U+{ord(control.group()):04X}"
            raise refuse(f"holds a control character ({code}): remove it", column)
        if len(cleaned[column]) > limit:
            raise refuse(f"is {len(cleaned[column]):,} characters long; at most {limit:,}", column)
    if not cleaned["name"]:
        raise refuse("is empty: every change idea has a name", "name")
    if not cleaned["source"]:
        raise refuse("is empty: say where the change idea comes from", "source")
    tier = values.get("tier", "").strip()
    if tier and tier not in TIERS:
        raise refuse(f"is {tier[:40]!r}: a tier is 1, 2 or 3, or empty", "tier")
    return LibraryIdea(
        cleaned["name"], TIERS.get(tier), cleaned["evidence"], cleaned["source"],
        cleaned["tested"], cleaned["imported_from"],
    )  # fmt: skip


def import_package(
    network: Network, ideas: list[PackageIdea], *, name: str, user: AbstractBaseUser | None
) -> Imported:
    """Add to ``network``'s library the ``ideas`` it does not hold (``idea_key``), each marked as
    imported from the file ``name``, all or none: an idea naming a student of a member district
    refuses the file (``PackageError`` with its place and column)."""
    held = {idea_key(i.name, i.source) for i in library(network)}
    new: list[PackageIdea] = []
    for found in ideas:
        key = idea_key(found.idea.name, found.idea.source)
        if key not in held:
            held.add(key)
            new.append(found)
    students = StudentWords(student_words(*network.districts.all()))
    if students.named([name]):
        raise StudentNamed(
            "has a name holding a word that is the name or id of a student of a member district "
            "of this network: rename the file and import it again", name=name,
        )  # fmt: skip
    for found in new:
        for column in TEXT_COLUMNS:
            if students.named([getattr(found.idea, column)]):
                raise StudentNamed(
                    "holds a word that is the name or id of a student of a member district of "
                    "this network: rewrite it in the file and import it again",
                    name=name, line=found.line, item=found.item, column=column,
                )  # fmt: skip
    with transaction.atomic():
        LibraryEntry.objects.bulk_create(
            LibraryEntry(
                network=network, name=f.idea.name, tier=f.idea.tier, evidence=f.idea.evidence,
                source=f.idea.source, results=f.idea.tested, imported_from=name[:255],
                added_by=user,
            )
            for f in new
        )  # fmt: skip
    return Imported(added=len(new), already=len(ideas) - len(new))
