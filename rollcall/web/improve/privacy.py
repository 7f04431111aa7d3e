"""The check on text a district shares with its network: it may hold no name and no id of any of
the district's students (issue 14). Shared text leaves the district; a student's name in a PDSA
summary ("Ana's mother answered") would carry a student across the district line.

A word of the text (a run of letters and digits, compared without case: "Ana's" holds "Ana") is
refused when it is a student's id, or a word of two letters or more of a student's first or last
name (a name is split the same way: "O'Brien" gives "Brien", "Lopez-Ruiz" gives "Lopez" and
"Ruiz"). An id holding other characters ("A-100") is also looked for as it is written. The check is
strict on purpose: a first name that is also a word ("June", "Will") is refused too, and the
team rewrites the sentence ("by the end of the year"). The refusal names the words, never the
students.

The same check reads a change idea added to a network's library (against the students of the
district it is added for) and every idea of an imported change package (against the students of
every member district of the network).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rollcall.web.people.models import District
from rollcall.web.snapshots.models import Student

WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


def student_words(*districts: District) -> set[str]:
    """Every id and every word of every first and last name of the students of ``districts``."""
    found: set[str] = set()
    rows = Student.objects.filter(district__in=districts).values_list(
        "student_id", "first_name", "last_name"
    )
    for student_id, first, last in rows.iterator():
        found.add(student_id.strip().casefold())
        found.update(w for w in _words(f"{first} {last}") if len(w) > 1)
    found.discard("")
    return found


class StudentWords:
    """The names and ids of some districts' students (``student_words``), ready to look for in
    many texts."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.odd_ids = [n for n in names if not WORD.fullmatch(n)]

    def named(self, texts: Iterable[str]) -> list[str]:
        """The words of ``texts`` that are a student's name or id, each once, in the order they
        first appear (an empty list: the text may be shared)."""
        seen: dict[str, None] = {}
        for text in texts:
            for word in WORD.findall(text):
                if word.casefold() in self.names:
                    seen.setdefault(word, None)
            folded = text.casefold()
            for student_id in self.odd_ids:
                if student_id in folded:
                    seen.setdefault(student_id, None)
        return list(seen)


def students_named(texts: Iterable[str], district: District) -> list[str]:
    """The words of ``texts`` that are a name or id of one of ``district``'s students, each once,
    in the order they first appear (an empty list: the text may be shared)."""
    return StudentWords(student_words(district)).named(texts)
