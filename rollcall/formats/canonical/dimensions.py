"""Which student attributes are reporting dimensions: privacy by declaration, not by name.

A column of the students table is counted as a group (and so reaches ``summary.csv``, the public
files and the site) only when it is a known reporting dimension (``KNOWN_DIMENSIONS``) or
declared as one: ``dimensions = [...]`` in a policy file, ``--dimensions`` on the command line,
or a reader that builds the column from a declaration of its own (an SIS mapping file's
``[students.groups]``, Ed-Fi's demographics and programs). Every other column is private: never
grouped, never written, and named in a note so the user knows what was left out.

A dimension whose name or values look like an identifier or a personal field (a name, an SSN,
an e-mail address, a phone number, an address, a date, an id number) is refused even when
declared: grouping by it would publish each child's value (docs/format.md, "Student
attributes").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from rollcall.errors import InputError
from rollcall.formats.canonical.format import (
    KNOWN_DIMENSIONS,
    LANGUAGE_COLUMN,
    RawFile,
    student_attributes,
)
from rollcall.tables import union_all

HOW_TO_DECLARE = (
    "--dimensions NAME,NAME on the command line, or dimensions = [...] in a policy file "
    "(docs/format.md)"
)


class DimensionError(InputError):
    """A student attribute declared (or known) as a dimension whose name or values look like a
    person's identifier or personal field."""


def _each_word(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: what for what, words in groups.items() for word in words}


# Words that make a column name personal, after splitting it into words (``First_Name``,
# ``firstName`` and ``FIRST NAME`` are all ``first`` + ``name``), by what they say it holds.
_PERSONAL_WORDS = _each_word(
    {
        "a name": ("name", "names", "surname", "nickname"),
        "a social security number": ("ssn", "sin", "nin"),
        "an e-mail address": ("email", "mail"),
        "a phone number": ("phone", "telephone", "mobile", "cell", "fax"),
        "an address": ("address", "street", "city", "zip", "zipcode", "postal", "postcode"),
        "a date": ("birth", "birthdate", "birthday", "dob", "date"),
        "an id number": ("id", "ids", "uid", "guid", "uuid", "number", "num"),
    }
)
# The same, written as one word (``FIRSTNAME``, ``StudentNumber`` in capitals): found anywhere
# in the name with its separators taken out.
_PERSONAL_COMPACT = _each_word(
    {
        "a name": ("firstname", "lastname", "middlename", "givenname", "familyname", "fullname",
                   "legalname", "preferredname", "studentname"),
        "a social security number": ("socialsecurity",),
        "an e-mail address": ("email",),
        "a phone number": ("phone",),
        "an address": ("address", "street", "zipcode", "postcode"),
        "a date": ("birth",),
        "an id number": ("studentid", "stateid", "localid", "ssid", "lasid", "sisid",
                         "studentnumber", "statenumber", "localnumber"),
    }
)  # fmt: skip


def personal_name(column: str) -> str | None:
    """What ``column``'s name says it holds when that is personal (``"a name"``), else None."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", column)  # firstName → first Name
    words = [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]
    for word in words:
        if word in _PERSONAL_WORDS:
            return _PERSONAL_WORDS[word]
    compact = "".join(words)
    for part, what in _PERSONAL_COMPACT.items():
        if part in compact:
            return what
    return None


# Values that are a person's own (regular expressions both DuckDB and Spark read alike),
# checked in this order.
_VALUE_PATTERNS = (
    ("e-mail addresses", r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    ("social security numbers", r"^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$"),
    # Dates before phone numbers: 2015-01-02 has the shape of both.
    (
        "dates",
        r"^([0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}"
        r"|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4})",
    ),
    ("phone numbers", r"^\+?[0-9(][0-9 ().-]{5,}[0-9]$"),
)
# A column with at least this many values, most of them different, is one value per student
# (an id or a name), not a group. Below it a group may well have as many values as students.
UNIQUE_FROM = 20


def values_counted(table: ir.Table, columns: Sequence[str]) -> ir.Table | None:
    """The one query that counts, for each of ``columns``, its values and those that look
    personal (None: no column). Run by the engine's backend (DuckDB or Spark), so that only
    counts, never a value, come back to Python; each pattern is tried once a distinct value of
    a column, not once a student (a group has a handful of values)."""
    if not columns:
        return None
    values = union_all(
        *(
            table.select(_column=ibis.literal(c), _value=table[column].nullif(""))
            for c, column in enumerate(columns)
        )
    )
    each = values.group_by("_column", "_value").agg(_k=values.count())
    present = each._value.notnull()

    def students(where: ir.BooleanValue) -> ir.IntegerValue:
        return ibis.cases((where, each._k), else_=0).sum().cast("int64")

    return each.group_by("_column").agg(
        n=students(present),
        distinct=present.sum().cast("int64"),
        **{
            f"matched_{n}": students(each._value.re_search(pattern))
            for n, (_, pattern) in enumerate(_VALUE_PATTERNS)
        },
    )


def personal(counted: list[dict[str, Any]], columns: Sequence[str]) -> dict[str, str]:
    """From ``values_counted``'s rows: the columns whose values look personal, and what as."""
    found = {}
    for row in counted:
        matched = [row[f"matched_{n}"] or 0 for n in range(len(_VALUE_PATTERNS))]
        why = _looks_personal(row["n"] or 0, row["distinct"] or 0, matched)
        if why:
            found[columns[row["_column"]]] = why
    return found


def _looks_personal(n: int, distinct: int, matched: list[int]) -> str | None:
    for (what, _), count in zip(_VALUE_PATTERNS, matched, strict=True):
        if n and count * 2 > n:
            return f"most of its values are {what}"
    if n >= UNIQUE_FROM and distinct * 2 > n:
        return "most of its values are different for each student, as an id or a name is"
    return None


@dataclass(frozen=True)
class Dimensions:
    """The students table's columns sorted out: the groups to count, and those kept private."""

    groups: tuple[str, ...]
    private: tuple[str, ...]
    absent: tuple[str, ...] = ()  # declared, but not a column of this input

    def notes(self, raw: RawFile) -> tuple[str, ...]:
        """What the user must be told: the columns kept private (names only, never a value),
        and declared dimensions this input does not have (a typo, or a policy written for
        another input)."""
        said = []
        if self.private:
            names = ", ".join(raw.origin.get(c, c) for c in self.private)
            said.append(
                f"{raw.file_name}: kept private, neither counted as a group nor written "
                f"anywhere: {names}. To count a column as a group, declare it: {HOW_TO_DECLARE}."
            )
        if self.absent:
            said.append(
                f"{raw.file_name} has no column {', '.join(map(repr, self.absent))}, declared as "
                "a dimension: nothing is counted for it."
            )
        return tuple(said)


# Names the engine gives its own columns beside a student's attributes (engine/students.py,
# engine/groups.py, output.py): an attribute of the same name would be mistaken for them.
RESERVED = frozenset(
    {
        "sid", "sch", "student_id", "school_id", "district_id", "level", "unit_id", "grade",
        "days_enrolled", "days_absent", "days_excused", "days_unexcused", "days_suspension",
        "wholly_absent", "eligible", "chronically_absent", "tier", "dimension", "group", "all",
        "school_year", "eligible_students", "chronic_absence_rate", "satisfactory", "at_risk",
        "moderate", "severe", "unit_name", "note",
    }
)  # fmt: skip


@dataclass(frozen=True)
class DimensionCheck:
    """The students table's groups to check, and the query that counts their values
    (``values_counted``): built first, so that a backend can queue the query and ``decide``
    once its rows are in."""

    raw: RawFile
    candidates: tuple[str, ...]
    groups: tuple[str, ...]
    named: dict[str, str | None]  # what a group's name says it holds, if personal
    wanted: frozenset[str]  # the declared names, in lower case
    query: ir.Table | None

    @classmethod
    def of(cls, table: ir.Table, raw: RawFile, declared: Sequence[str]) -> DimensionCheck:
        """The known dimensions and the ``declared`` ones (compared without regard to case)."""
        candidates = tuple(student_attributes(raw))
        wanted = frozenset(name.strip().lower() for name in declared if name.strip())
        groups = tuple(
            c for c in candidates if c.lower() in wanted or c.lower() in KNOWN_DIMENSIONS
        )
        named = {column: personal_name(column) for column in groups}
        query = values_counted(table, [c for c in groups if not named[c]])
        return cls(raw, candidates, groups, named, wanted, query)

    def decide(self, counted: list[dict[str, Any]]) -> Dimensions:
        """The dimensions, from the query's rows; a group whose name or values are personal,
        or whose name is one of rollcall's own, is refused (DimensionError)."""
        raw = self.raw
        by_values = personal(counted, [c for c in self.groups if not self.named[c]])
        for column in self.groups:
            if column.lower() in RESERVED:
                raise DimensionError(
                    f"cannot be a reporting dimension: rollcall's tables use the name "
                    f"{column.lower()!r} themselves",
                    path=raw.path,
                    column=raw.origin.get(column, column),
                    hint="rename the column in the students file (or in the mapping) and "
                    "declare the new name",
                )
            named = self.named[column]
            why = f"its name says it holds {named}" if named else by_values.get(column)
            if why:
                raise DimensionError(
                    f"cannot be a reporting dimension: {why}; grouping by it would publish "
                    "each student's value",
                    path=raw.path,
                    column=raw.origin.get(column, column),
                    hint="leave it out of the declared dimensions (it is then kept private), "
                    "or replace its values with group codes",
                )
        # The family's language is outreach's to read: kept private without a note unless
        # declared.
        private = tuple(c for c in self.candidates if c not in self.groups and c != LANGUAGE_COLUMN)
        by_lower = {c.lower() for c in self.candidates}
        absent = tuple(sorted(self.wanted - by_lower))
        return Dimensions(groups=self.groups, private=private, absent=absent)
