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

import ibis
import ibis.expr.types as ir
from ibis import BaseBackend

from rollcall.errors import InputError
from rollcall.formats.canonical.format import LANGUAGE_COLUMN, RawFile, student_attributes

# The dimensions rollcall's synthetic data, docs/format.md and the readers use: groups by
# themselves, so counting them needs no declaration.
KNOWN_DIMENSIONS = (
    "gender",
    "race_ethnicity",
    "english_learner",
    "disability",
    "economically_disadvantaged",
    "foster",
    "homeless",
    "migrant",
    "section_504",
)

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


def personal_values(backend: BaseBackend, table: ir.Table, column: str) -> str | None:
    """What ``column``'s values look like when that is personal, else None. Counted by the
    engine's backend (DuckDB or Spark), so that only counts, never a value, come back to Python."""
    value = table[column].nullif("")
    counts = table.aggregate(
        n=value.count(),
        distinct=value.nunique(),
        **{
            f"matched_{n}": ibis.cases((value.re_search(pattern), 1), else_=0).sum()
            for n, (_, pattern) in enumerate(_VALUE_PATTERNS)
        },
    )
    found = backend.to_pyarrow(counts).to_pylist()[0]
    n, distinct = found["n"] or 0, found["distinct"] or 0
    for index, (what, _) in enumerate(_VALUE_PATTERNS):
        if n and (found[f"matched_{index}"] or 0) * 2 > n:
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


def choose_dimensions(
    backend: BaseBackend, table: ir.Table, raw: RawFile, declared: Sequence[str]
) -> Dimensions:
    """The students table ``raw`` (read as ``table`` in ``backend``)'s groups: its known
    dimensions and the ``declared`` ones (compared without regard to case), each checked by
    name and values; the rest private."""
    candidates = student_attributes(raw)
    by_lower = {c.lower(): c for c in candidates}
    wanted = {name.strip().lower() for name in declared if name.strip()}
    groups = tuple(c for c in candidates if c.lower() in wanted or c.lower() in KNOWN_DIMENSIONS)
    for column in groups:
        if column.lower() in RESERVED:
            raise DimensionError(
                f"cannot be a reporting dimension: rollcall's tables use the name "
                f"{column.lower()!r} themselves",
                path=raw.path,
                column=raw.origin.get(column, column),
                hint="rename the column in the students file (or in the mapping) and declare "
                "the new name",
            )
        why = personal_name(column)
        why = f"its name says it holds {why}" if why else personal_values(backend, table, column)
        if why:
            raise DimensionError(
                f"cannot be a reporting dimension: {why}; grouping by it would publish each "
                "student's value",
                path=raw.path,
                column=raw.origin.get(column, column),
                hint="leave it out of the declared dimensions (it is then kept private), or "
                "replace its values with group codes",
            )
    # The family's language is outreach's to read: kept private without a note unless declared.
    private = tuple(c for c in candidates if c not in groups and c != LANGUAGE_COLUMN)
    absent = tuple(sorted(wanted - set(by_lower)))
    return Dimensions(groups=groups, private=private, absent=absent)
