"""Student groups and numbers of days as a reader sees them, for every page rollcall writes
(issue 16: "labels, not field names", "whole numbers where a count is meant").

The tables and files keep the field names (``race_ethnicity``, ``Y``); a page shows these labels.
The platform translates its own (rollcall/web), and England's and the states' published files
bring labels of their own."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIMENSION_NAMES = {
    "grade": "Grade",
    "race_ethnicity": "Race and ethnicity",
    "gender": "Gender",
    "english_learner": "English learners",
    "disability": "Students with disabilities",
    "economically_disadvantaged": "Economically disadvantaged",
    "foster": "Foster care",
    "homeless": "Homeless",
    "migrant": "Migrant",
    # Ed-Fi's program groups (docs/sources/edfi.md)
    "special_education": "Special education",
    "food_service": "Free or reduced-price meals",
    "language_instruction": "Language instruction program",
}
GENDER_NAMES = {"F": "Female", "M": "Male", "X": "Nonbinary (X)"}
YES_NO = {"Y": "Yes", "N": "No"}
GRADE_NAMES = {"K": "Kindergarten", "TK": "Transitional kindergarten", "PK": "Pre-kindergarten"}
UNKNOWN_GROUP = "unknown"
NOT_RECORDED = "Not recorded"


def dimension_label(dimension: str) -> str:
    """``race_ethnicity`` → ``Race and ethnicity``; an attribute of the district's own
    (``--dimensions``) → its name in words, capitalised."""
    return DIMENSION_NAMES.get(dimension, dimension.replace("_", " ").capitalize())


def group_label(dimension: str, group: str) -> str:
    """A group of a dimension in words: ``unknown`` → ``Not recorded``, grade ``K`` →
    ``Kindergarten`` and ``3`` → ``Grade 3``, gender ``F`` → ``Female``, ``Y`` → ``Yes``."""
    if group == UNKNOWN_GROUP:
        return NOT_RECORDED
    if dimension == "grade":
        return GRADE_NAMES.get(group, f"Grade {group}")
    if dimension == "gender":
        return GENDER_NAMES.get(group, group)
    return YES_NO.get(group, group)


def group_phrase(dimension: str, group: str) -> str:
    """A group named on its own, in a sentence or a list of groups: ``Grade 8``, ``Homeless``
    (a yes/no attribute's "yes" is the attribute), ``Homeless: no``, ``English learners: not
    recorded``, ``Race and ethnicity: Asian``."""
    if dimension == "grade" and group != UNKNOWN_GROUP:
        return group_label(dimension, group)
    label = dimension_label(dimension)
    if group == "Y":
        return label
    words = group_label(dimension, group)
    if group in ("N", UNKNOWN_GROUP):  # "no", "not recorded": read as part of the phrase
        words = words.lower()
    return f"{label}: {words}"


# Days missed from this many on are shown whole: a quarter day in a total of 100 or more is under
# 0.25% of it, noise to a reader who takes the total as a count.
ROUND_DAYS_FROM = 100


def days_text(exact: str | Decimal) -> str:
    """A number of days for reading, with thousands separators: ``4.5`` stays ``4.5`` (half a day
    matters to one student), but from ROUND_DAYS_FROM on a total is read as a count and shown
    whole (``76275.25`` → ``76,275``). Files and data-value attributes keep the exact value."""
    if exact == "":
        return "—"
    value = Decimal(exact)
    if abs(value) >= ROUND_DAYS_FROM:
        return f"{int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}"
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")
