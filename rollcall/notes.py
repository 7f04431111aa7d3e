"""What a run must tell the people who read its results: one note type, carried from the readers
and the engine to every output (the terminal, the report page, ``notes.csv``).

A note has the words the terminal prints (``text``, for the person who ran the command) and the
words a principal reads at the top of the page (``plain``), how many it is about (``size``, out of
``out_of``), the file it is about, and a ``kind``. A *caution* changes what the numbers mean
(enrollments assumed, students not counted, a calendar that disagrees with itself, rows refused):
the page puts cautions first, in a box headed "Before you read these numbers". Other notes say
how the input was read.

A note is a ``str`` (its terminal words), so a reader may still hand plain words
(``Loaded.notes``); ``as_notes`` makes them notes of kind ``read``. Nothing here may hold a
student's id or name: notes are printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Kind = Literal[
    "assumed",  # the reader assumed something the input does not say (enrollments, a calendar)
    "not_counted",  # students (or rows) read but counted nowhere
    "calendar",  # the calendar disagrees with itself or with the sessions
    "refused",  # rows that could not be used (each in rejects.csv)
    "ignored",  # rows dated outside the period
    "not_read",  # files no reader reads
    "private",  # columns kept private
    "read",  # how the input was read
]
KINDS: tuple[Kind, ...] = (
    "assumed", "not_counted", "calendar", "refused", "ignored", "not_read", "private", "read",
)  # fmt: skip
# The kinds that change what the numbers mean, unless a note says otherwise.
CAUTION_KINDS: frozenset[str] = frozenset({"assumed", "not_counted", "calendar", "refused"})
# The columns of notes.csv.
NOTE_COLUMNS = ("severity", "kind", "file", "count", "total", "what", "detail")


# A note's first clause is its headline only when short enough to read at a glance.
HEADLINE_MOST = 120


class Note(str):
    """One thing a run assumed or found that a reader of its results must know.

    A note *is* its terminal words (a ``str``), so every place that printed, stored or compared
    the notes as words still does; it also carries what the page and notes.csv need."""

    kind: Kind
    plain: str  # in words a principal understands, with the size; the text when empty
    size: int | None  # how many (students, rows, days) it is about
    out_of: int | None  # … out of how many
    file: str | None  # the input file it is about, when one
    caution: bool | None  # None: decided by the kind

    def __new__(
        cls,
        text: str,
        *,
        kind: Kind = "read",
        plain: str = "",
        size: int | None = None,
        out_of: int | None = None,
        file: str | None = None,
        caution: bool | None = None,
    ) -> Note:
        note = super().__new__(cls, text)
        note.kind, note.plain, note.size, note.out_of = kind, plain, size, out_of
        note.file, note.caution = file, caution
        return note

    def __repr__(self) -> str:
        return f"Note({self.text!r}, kind={self.kind!r})"

    @property
    def text(self) -> str:
        """As the terminal prints it after ``Note: ``."""
        return str.__str__(self)

    @property
    def words(self) -> str:
        """What the page says."""
        return self.plain or self.text

    @property
    def headline(self) -> str:
        """What the page shows of the note at first sight: its words up to the first colon
        ("733 of 960 students have no attendance record and are not counted"), or all of them
        when they have no colon early on. The rest (``detail``) opens beneath it."""
        head, colon, _ = self.words.partition(": ")
        return head if colon and len(head) <= HEADLINE_MOST else self.words

    @property
    def detail(self) -> str:
        """The note's words after its headline (empty when the headline is all of them)."""
        return self.words[len(self.headline) + 2 :] if self.headline != self.words else ""

    @property
    def severity(self) -> Literal["caution", "info"]:
        cautious = self.kind in CAUTION_KINDS if self.caution is None else self.caution
        return "caution" if cautious else "info"

    @property
    def is_caution(self) -> bool:
        return self.severity == "caution"

    def row(self) -> dict[str, str]:
        """The note as a row of notes.csv."""
        return {
            "severity": self.severity,
            "kind": self.kind,
            "file": self.file or "",
            "count": "" if self.size is None else str(self.size),
            "total": "" if self.out_of is None else str(self.out_of),
            "what": self.words,
            "detail": self.text,
        }

    @classmethod
    def of(cls, value: str) -> Note:
        """``value`` as a note: plain words are a note of how the input was read."""
        return value if isinstance(value, Note) else cls(str(value))


def as_notes(values: Iterable[str]) -> tuple[Note, ...]:
    """Each value as a note, in order, once (a note said twice is said once)."""
    return tuple(dict.fromkeys(Note.of(value) for value in values))


def cautions_first(notes: Iterable[Note]) -> tuple[Note, ...]:
    """The cautions, then the other notes, each in their order."""
    found = tuple(notes)
    return (*(n for n in found if n.is_caution), *(n for n in found if not n.is_caution))
