"""Grade levels: the codes accepted in input and the one spelling used in output."""

from __future__ import annotations

import re

# Output spellings, in reporting order.
GRADES: tuple[str, ...] = ("PK", "TK", "K", *(str(n) for n in range(1, 13)), "UG")

GRADE_ORDER: dict[str, int] = {grade: position for position, grade in enumerate(GRADES)}

KINDERGARTEN_SPELLINGS = frozenset(["K", "KG", "KN", "0K", "00", "0"])

# One optional leading zero: 01-09 and 010-012 are accepted, as SIS exports write them.
_NUMERIC = re.compile(r"0?(1[0-2]|[1-9])")


def normalize_grade(code: str) -> str | None:
    """The output spelling of a grade code, or None when it is not a grade we know.

    Codes are trimmed and case-insensitive: ``kg`` and ``00`` are ``K``, ``07`` is ``7``.
    """
    text = code.strip().upper()
    if text in ("PK", "TK", "UG"):
        return text
    if text in KINDERGARTEN_SPELLINGS:
        return "K"
    match = _NUMERIC.fullmatch(text)
    if match:
        return str(int(match.group(1)))
    return None


def grade_crosswalk() -> dict[str, str]:
    """Every accepted input spelling (upper case) mapped to its output spelling.

    The engine joins on this table instead of repeating the rules above in SQL.
    """
    spellings: dict[str, str] = {"PK": "PK", "TK": "TK", "UG": "UG"}
    spellings.update({code: "K" for code in KINDERGARTEN_SPELLINGS})
    for number in range(1, 13):
        spellings[str(number)] = str(number)
        spellings[f"0{number}"] = str(number)
    return spellings
