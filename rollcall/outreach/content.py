"""What each letter says, as small records: computed here, only rendered by the templates.

The content follows the trials (docs/outreach.md, "The evidence"): the child's days missed this
school year so far, out of the school days enrolled; the average days missed by the child's
classmates (the other students of the same school and grade, every one of them, whatever their
attendance); how absences add up over a year (the child's pace so far over a 180-day school
year); an encouraging tone and the school's contact. No threat and no legal language.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rollcall.outreach.contacts import Contact
from rollcall.outreach.plan import Plan
from rollcall.outreach.roster import School

YEAR_DAYS = 180  # a typical school year, for the pace "at this rate, about N days this year"


@dataclass(frozen=True)
class Child:
    """One child's part of a letter."""

    student_id: str
    first_name: str
    grade: str
    days_absent: float
    days_enrolled: int
    classmates: float | None  # the other students of the same school and grade, on average
    pace: int  # days missed over a 180-day year at the pace so far


@dataclass(frozen=True)
class Letter:
    """One household's letter (and its message text), in the language it will be written in."""

    household_id: str
    school: School
    language: str  # the family's language (an ISO 639-1 code)
    guardian: str  # whom the letter greets; empty: "the family of" the children
    address: tuple[str, ...]
    email: str
    phone: str
    children: tuple[Child, ...]


def classmates_average(students: pd.DataFrame) -> dict[str, float | None]:
    """Each student's classmates' average days absent: the mean over the other students of the
    same school and grade (None when the student is the only one)."""
    days = students["days_absent"].astype(float)
    keys = [students["school_id"], students["grade"]]
    total = days.groupby(keys).transform("sum")
    count = days.groupby(keys).transform("count")
    found: dict[str, float | None] = {}
    for sid, own, whole, n in zip(students["student_id"], days, total, count, strict=True):
        found[sid] = None if n < 2 else (whole - own) / (n - 1)
    return found


def letters(plan: Plan) -> list[Letter]:
    """The message arm's letters, one per household, in household id order."""
    students = plan.roster.students
    by_id = students.set_index("student_id")
    others = classmates_average(students)
    found = []
    for home, members in sorted(plan.households("message").items()):
        contacts = [c for c in (plan.contacts.get(m.student_id) for m in members) if c]
        lead = contacts[0] if contacts else None
        children = tuple(
            _child(m.student_id, by_id.loc[m.student_id], plan.contacts.get(m.student_id),
                   others[m.student_id])
            for m in members
        )  # fmt: skip
        # The household's school: its lead student's (the first member's school by stratum).
        school_id = members[0].stratum.split("|")[0] if members else ""
        found.append(
            Letter(
                household_id=home,
                school=plan.roster.schools.get(school_id, School(school_id, school_id, "", "")),
                language=household_language(contacts),
                guardian=lead.guardian_name if lead else "",
                address=lead.address if lead else (),
                email=lead.email if lead else "",
                phone=lead.phone if lead else "",
                children=children,
            )
        )
    return found


def household_language(contacts: list[Contact]) -> str:
    """The family's language: the first (by student id) of its members' languages other than
    English, else English."""
    return next((c.language for c in contacts if c.language != "en"), "en")


def _child(sid: str, row: pd.Series, contact: Contact | None, classmates: float | None) -> Child:
    enrolled = int(row["days_enrolled"])
    absent = float(row["days_absent"])
    return Child(
        student_id=sid,
        first_name=contact.first_name if contact else "",
        grade=str(row["grade"]),
        days_absent=absent,
        days_enrolled=enrolled,
        classmates=classmates,
        pace=round(absent / enrolled * YEAR_DAYS) if enrolled else 0,
    )
