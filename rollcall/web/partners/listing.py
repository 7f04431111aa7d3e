"""What the partners' and events' pages show, as small records: the templates only render."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from rollcall.web.partners.models import Event, Partner
from rollcall.web.people.models import Network


@dataclass(frozen=True)
class EventRow:
    """An event with its start and end in its own time zone, and the districts invited."""

    event: Event
    starts: datetime
    ends: datetime
    same_day: bool
    districts: tuple[str, ...]


def _row(event: Event) -> EventRow:
    zone = zoneinfo.ZoneInfo(event.time_zone)
    starts, ends = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    names = tuple(sorted(d.name for d in event.districts.all()))
    return EventRow(event, starts, ends, starts.date() == ends.date(), names)


def events(network: Network, *, now: datetime) -> tuple[list[EventRow], list[EventRow]]:
    """The network's events: those not over at ``now``, soonest first, and those over, the
    latest first."""
    found = network.events.prefetch_related("districts").order_by("starts_at", "pk")
    upcoming = [_row(e) for e in found if e.ends_at >= now]
    past = [_row(e) for e in found if e.ends_at < now]
    past.reverse()
    return upcoming, past


def partners(network: Network) -> list[Partner]:
    """The network's partner organisations by name, each with its districts."""
    return list(network.partners.prefetch_related("districts").order_by("name", "pk"))
