"""A student's outreach on their page (rollcall.web.front's student page): for each approved
round, the letter sent (when, in which language, how), or that the student was in the round's
comparison group. Whoever sees the student sees it (scope.py: the record follows the student,
as the contacts do); a draft round, not yet approved, is the school team's only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rollcall.outreach.letters import LANGUAGE_NAMES
from rollcall.outreach.send import SENT
from rollcall.web.outreach.models import Assignment, Household, Send
from rollcall.web.snapshots.models import Student


@dataclass(frozen=True)
class Entry:
    round_number: int
    school: str
    holdout: bool
    approved: date
    sent: date | None  # the first message that reached the family, if any
    channels: tuple[str, ...]  # how: "email", "sms"
    language: str  # the letter's language, in English (the catalogue translates it)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def outreach_entries(student: Student) -> list[Entry]:
    found = []
    rows = (
        Assignment.objects.filter(student=student, round__approved_at__isnull=False)
        .select_related("round", "round__school")
        .order_by("-round__approved_at")
    )
    for row in rows:
        round_ = row.round
        letter = Household.objects.filter(round=round_, household_id=row.household_id).first()
        sends = Send.objects.filter(round=round_, household_id=row.household_id, status=SENT)
        first = sends.order_by("at").first()
        found.append(
            Entry(
                round_number=round_.number,
                school=round_.school.name,
                holdout=row.arm == "holdout",
                approved=round_.approved_at.date(),
                sent=first.at.date() if first else None,
                channels=tuple(sorted(set(sends.values_list("channel", flat=True)))),
                language=language_name(letter.language) if letter else "",
            )
        )
    return found
