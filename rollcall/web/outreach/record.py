"""A student's outreach on their page (rollcall.web.front's student page): for each approved
round, the letter sent (when, in which language, how), or that the student was in the round's
comparison group. Whoever sees the student sees it (scope.py: the record follows the student,
as the contacts do); a draft round, not yet approved, is the school team's only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import get_language_info

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
    language: str  # the letter's language, named in the page's language


def language_name(code: str) -> str:
    """The language's name in the page's language (Django's names; else the library's, in
    English; else the code)."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return LANGUAGE_NAMES.get(code, code)


def outreach_entries(student: Student) -> list[Entry]:
    """The student's approved rounds, newest first: one query, and two more when there are
    any, however many rounds."""
    rows = list(
        Assignment.objects.filter(student=student, round__approved_at__isnull=False)
        .select_related("round", "round__school")
        .order_by("-round__approved_at")
    )
    if not rows:
        return []
    homes = Q()
    for row in rows:
        homes |= Q(round=row.round_id, household_id=row.household_id)
    languages = {(h.round_id, h.household_id): h.language
                 for h in Household.objects.filter(homes)}  # fmt: skip
    sent: dict[tuple[int, str], list[Send]] = {}
    for send in Send.objects.filter(homes, status=SENT).order_by("at"):
        sent.setdefault((send.round_id, send.household_id), []).append(send)
    found = []
    for row in rows:
        key = (row.round_id, row.household_id)
        sends = sent.get(key, [])
        language = languages.get(key)
        approved = row.round.approved_at
        assert approved is not None  # (the query's filter)
        found.append(
            Entry(
                round_number=row.round.number,
                school=row.round.school.name,
                holdout=row.arm == "holdout",
                approved=approved.date(),
                sent=sends[0].at.date() if sends else None,
                channels=tuple(sorted({s.channel for s in sends})),
                language=language_name(language) if language else "",
            )
        )
    return found
