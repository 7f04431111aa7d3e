"""Events as an iCalendar file (RFC 5545), written by hand: the format is small, and its three
traps are handled here and tested (tests/test_web_partners.py):

* **escaping** (section 3.3.11): in a text value a backslash, a semicolon and a comma are written
  ``\\\\``, ``\\;``, ``\\,`` and a line break ``\\n``; other control characters are not allowed in
  text, and are dropped;
* **folding** (section 3.1): no line longer than 75 octets (bytes of UTF-8, not characters); a
  longer one continues on the next line after one space, and is never cut inside a character;
* **line ends**: every line ends with CR LF, the last one too.

Times are written in UTC (``20250304T170000Z``), which needs no time-zone definition in the
file: calendars show them in their reader's own zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

#: The longest line, in octets, before the line break (RFC 5545, section 3.1).
FOLD_OCTETS = 75
PRODUCT = "-//rollcall//Network events//EN"
# Control characters text may not hold (RFC 5545 TSAFE-CHAR: all but horizontal tab); line
# breaks are escaped before this applies.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT: times are aware datetimes (written in UTC); empty texts are left out."""

    uid: str
    starts: datetime
    ends: datetime
    stamp: datetime
    created: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()


def escape_text(value: str) -> str:
    """A TEXT value as RFC 5545 writes it (section 3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROL.sub("", value.replace("\n", "\\n"))


def fold(line: str) -> str:
    """``line`` cut into pieces of at most 75 octets, each after the first starting with one
    space, joined by CR LF; never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size, limit = "", 0, FOLD_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, FOLD_OCTETS - 1  # the leading space is one octet
        current += char
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc_time(moment: datetime) -> str:
    """A DATE-TIME in UTC form (section 3.3.5, form 2)."""
    if moment.tzinfo is None:
        raise ValueError("an iCalendar time needs a time zone")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: CalendarEvent) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_time(event.stamp)}",
        f"CREATED:{utc_time(event.created)}",
        f"LAST-MODIFIED:{utc_time(event.stamp)}",
        f"DTSTART:{utc_time(event.starts)}",
        f"DTEND:{utc_time(event.ends)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{_CONTROL.sub('', event.url)}")  # a URI, not text: not escaped
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    lines.append("END:VEVENT")
    return lines


def calendar(name: str, events: Iterable[CalendarEvent]) -> str:
    """A VCALENDAR holding ``events``, named ``name`` (shown by calendars that read the common
    ``X-WR-CALNAME``), folded, with CR LF line ends."""
    lines: list[str] = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines.extend(_event_lines(event))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
