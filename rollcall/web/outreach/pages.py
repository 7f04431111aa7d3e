"""What a round's page shows, as small records: each message-arm household with its students,
its letter's language and its sends; the comparison group's size; the figures."""

from __future__ import annotations

from dataclasses import dataclass

from rollcall.outreach.send import SENT
from rollcall.web.outreach.models import Assignment, Household, Round, Send
from rollcall.web.outreach.record import language_name
from rollcall.web.snapshots.models import Student


@dataclass(frozen=True)
class HomeRow:
    household_id: str
    students: tuple[Student, ...]
    language: str
    family_language: str
    note: str
    sends: tuple[Send, ...]  # the latest entry per channel


@dataclass(frozen=True)
class Overview:
    homes: tuple[HomeRow, ...]
    message_households: int
    holdout_households: int
    message_students: int
    holdout_students: int
    detectable_days: float | None  # per 100 school days
    sent: int


def overview(found: Round) -> Overview:
    rows = list(Assignment.objects.filter(round=found).select_related("student"))
    members: dict[str, list[Student]] = {}
    for row in rows:
        members.setdefault(row.household_id, []).append(row.student)
    latest: dict[tuple[str, str], Send] = {}
    for send in Send.objects.filter(round=found).order_by("at", "pk"):
        key = (send.household_id, send.channel)
        if key not in latest or latest[key].status != SENT:  # a send, once made, is what shows
            latest[key] = send
    homes = tuple(
        HomeRow(
            household_id=h.household_id,
            students=tuple(members.get(h.household_id, ())),
            language=language_name(h.language),
            family_language=language_name(h.family_language),
            note=h.note,
            sends=tuple(s for (home, _), s in sorted(latest.items()) if home == h.household_id),
        )
        for h in Household.objects.filter(round=found)
    )
    message = [r for r in rows if r.arm == "message"]
    holdout = [r for r in rows if r.arm == "holdout"]
    return Overview(
        homes=homes,
        message_households=len({r.household_id for r in message}),
        holdout_households=len({r.household_id for r in holdout}),
        message_students=len(message),
        holdout_students=len(holdout),
        detectable_days=found.detectable * 100 if found.detectable is not None else None,
        sent=Send.objects.filter(round=found, status=SENT).count(),
    )
