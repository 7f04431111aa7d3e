"""The families' contact columns (docs/format.md, "Contact columns"): read, checked, and formed
into households.

A household is the students sharing a ``household_id``. Students without one are joined by the
household rule: the same guardian e-mail (case ignored), else the same guardian phone (digits
only), else the same address (line 1 and the line of city, state and postal code, case and
spaces ignored); a student who shares none of them is a household alone. Such a household's id
is ``auto-`` and its smallest student id. A household is opted out when any of its students
is (``opt_out``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from rollcall.formats.canonical.format import CONTACT_COLUMNS, LANGUAGE_COLUMN

YES = frozenset({"y", "yes", "true", "1"})
NO = frozenset({"", "n", "no", "false", "0"})
DOCUMENTED_VALUES = frozenset({"medical", "disability"})
# English names of the languages people most often write in full, to their ISO 639-1 codes.
LANGUAGE_NAMES = {
    "english": "en", "spanish": "es", "español": "es", "espanol": "es", "vietnamese": "vi",
    "chinese": "zh", "mandarin": "zh", "cantonese": "zh", "tagalog": "tl", "filipino": "tl",
    "arabic": "ar", "korean": "ko", "russian": "ru", "portuguese": "pt", "french": "fr",
    "haitian creole": "ht", "somali": "so", "hmong": "hmn", "punjabi": "pa", "hindi": "hi",
}  # fmt: skip
AUTO = "auto-"


@dataclass(frozen=True)
class Problem:
    """A contact value outreach cannot read: where it is, and what follows from it."""

    student_id: str
    file: str
    line: int | None
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Contact:
    """One student's family contact, as outreach uses it."""

    student_id: str
    first_name: str
    household_id: str
    language: str  # an ISO 639-1 code (or the input's own word when it is none we know)
    guardian_name: str
    email: str
    phone: str
    address: tuple[str, ...]  # the address block's lines, empty when the input has none
    opted_out: bool
    documented: str  # "medical", "disability" or ""


def language_code(value: str | None) -> str:
    """``es`` for ``es``, ``ES``, ``es-MX`` or ``Spanish``; English when empty."""
    text = (value or "").strip().lower()
    if not text:
        return "en"
    if text in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[text]
    return re.split(r"[-_]", text)[0]


def read_contacts(rows: pd.DataFrame) -> tuple[dict[str, Contact], list[Problem]]:
    """Each student's contact (the first row of a student id) and the values that cannot be
    read. ``rows``: the students file as text, with ``_file`` and ``_line``."""
    contacts: dict[str, Contact] = {}
    problems: list[Problem] = []
    for row in rows.to_dict("records"):
        sid = _text(row.get("student_id"))
        if not sid or sid in contacts:
            continue

        def bad(column: str, reason: str, row: dict = row, sid: str = sid) -> None:
            problems.append(Problem(sid, str(row["_file"]), row.get("_line"), column,
                                    _text(row.get(column)), reason))  # fmt: skip

        opt = _text(row.get("opt_out")).lower()
        opted_out = opt in YES
        if opt not in YES | NO:
            opted_out = True
            bad("opt_out", "not Y or N: the family is left out, as if opted out")
        documented = _text(row.get("absence_documented")).lower()
        if documented and documented not in DOCUMENTED_VALUES:
            bad("absence_documented", "not medical or disability: the student is left out")
            documented = "unreadable"
        email = _text(row.get("guardian_email"))
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            bad("guardian_email", "not an e-mail address: no e-mail to this family")
            email = ""
        city_line = " ".join(
            part for part in (_text(row.get("city")), _text(row.get("state")),
                              _text(row.get("postal_code"))) if part
        )  # fmt: skip
        street = [_text(row.get(c)) for c in ("address_line1", "address_line2")]
        address = tuple(line for line in (*street, city_line) if line) if street[0] else ()
        contacts[sid] = Contact(
            student_id=sid,
            first_name=_text(row.get("first_name")),
            household_id=_text(row.get("household_id")),
            language=language_code(row.get(LANGUAGE_COLUMN)),
            guardian_name=_text(row.get("guardian_name")),
            email=email,
            phone=_text(row.get("guardian_phone")),
            address=address,
            opted_out=opted_out,
            documented=documented,
        )
    return contacts, problems


def household_ids(contacts: dict[str, Contact]) -> dict[str, str]:
    """Each student's household (the module's rule for students without ``household_id``)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    loose = sorted(sid for sid, c in contacts.items() if not c.household_id)
    for sid in loose:
        parent[sid] = sid
    for key in (_email_key, _phone_key, _address_key):
        first_with: dict[str, str] = {}
        for sid in loose:
            value = key(contacts[sid])
            if not value:
                continue
            if value in first_with:
                a, b = find(first_with[value]), find(sid)
                parent[max(a, b)] = min(a, b)
            else:
                first_with[value] = sid
    found = {sid: c.household_id for sid, c in contacts.items() if c.household_id}
    for sid in loose:
        found[sid] = AUTO + find(sid)
    return found


def _email_key(c: Contact) -> str:
    return c.email.lower()


def _phone_key(c: Contact) -> str:
    digits = re.sub(r"\D", "", c.phone)
    return digits if len(digits) >= 7 else ""


def _address_key(c: Contact) -> str:
    if not c.address:
        return ""
    return re.sub(r"\s+", "", (c.address[0] + "|" + c.address[-1]).lower())


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


__all__ = ["CONTACT_COLUMNS", "Contact", "Problem", "household_ids", "language_code",
           "read_contacts"]  # fmt: skip
