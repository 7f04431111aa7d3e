"""Ed-Fi descriptors and how rollcall reads them: the crosswalk.

A descriptor value is a URI, ``uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence``;
its code value is the text after ``#``. The crosswalk maps attendance event categories to
rollcall statuses, grade levels to grades, and calendar events to school day or not. Defaults
ship in ``crosswalk.toml``; a user's mapping file (``--mapping``) adds entries, or replaces
them, in ``[edfi.attendance]``, ``[edfi.grades]`` and ``[edfi.calendar_events]``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from rollcall.errors import InputError
from rollcall.formats.canonical.vocabulary import STATUSES
from rollcall.grades import normalize_grade

TABLES = ("attendance", "grades", "calendar_events")
INSTRUCTIONAL = {"instructional": True, "non-instructional": False}
# A status, optionally after "partial" (the fraction must come from EventDuration) or after a
# fraction (used when the event gives no EventDuration): "unexcused", "0.5 excused".
_ATTENDANCE_VALUE = re.compile(r"(?:(partial)\s+|([0-9]*\.?[0-9]+)\s+)?([a-z_]+)")
DOCS = "docs/sources/edfi.md"


def code_value(descriptor: str) -> str:
    """The code value of a descriptor: the text after ``#`` of a URI, or the text itself."""
    return descriptor.rsplit("#", 1)[-1].strip()


@dataclass(frozen=True)
class AttendanceCode:
    """What an attendance event category means to rollcall.

    ``fraction`` is the fraction of the day an absence counts when the event has no
    EventDuration (None: a whole day); ``needs_duration`` marks a partial-day category whose
    fraction must come from EventDuration.
    """

    status: str
    fraction: str | None = None
    needs_duration: bool = False

    @property
    def is_absence(self) -> bool:
        return STATUSES[self.status][0]

    def __str__(self) -> str:
        if self.needs_duration:
            return f"{self.status} (the fraction in EventDuration)"
        if self.fraction is not None:
            return f"{self.status} ({self.fraction} of a day without EventDuration)"
        return self.status


@dataclass(frozen=True)
class Crosswalk:
    """Descriptor → meaning, keyed by code value or URI in lower case."""

    attendance: Mapping[str, AttendanceCode]
    grades: Mapping[str, str]
    calendar_events: Mapping[str, bool]

    def attendance_code(self, descriptor: str) -> AttendanceCode | None:
        return _lookup(self.attendance, descriptor)

    def grade(self, descriptor: str) -> str | None:
        return _lookup(self.grades, descriptor)

    def instructional(self, descriptor: str) -> bool | None:
        return _lookup(self.calendar_events, descriptor)


def _lookup(table: Mapping[str, Any], descriptor: str) -> Any:
    text = descriptor.strip().casefold()
    if text in table:
        return table[text]
    return table.get(code_value(descriptor).casefold())


def load_crosswalk(mapping: Path | None = None) -> Crosswalk:
    """The shipped crosswalk, extended by the ``[edfi.*]`` tables of ``mapping`` when given."""
    shipped = resources.files("rollcall.formats.edfi").joinpath("crosswalk.toml").read_text()
    tables = _parse(tomllib.loads(shipped), Path("crosswalk.toml"), shipped)
    if mapping is not None:
        text = _read(mapping)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"is not valid TOML: {exc}", path=mapping) from None
        edfi = document.get("edfi")
        if not isinstance(edfi, dict):
            raise InputError(
                "has no [edfi] table",
                path=mapping,
                hint="an Ed-Fi input reads [edfi.attendance], [edfi.grades] and "
                f"[edfi.calendar_events] from the mapping file; see {DOCS}",
            )
        for name, extra in _parse(edfi, mapping, text, prefix="edfi.").items():
            tables[name] = {**tables[name], **extra}
    return Crosswalk(
        attendance=tables["attendance"],
        grades=tables["grades"],
        calendar_events=tables["calendar_events"],
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("mapping file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot be read: {exc}", path=path) from None


def _parse(
    document: Mapping[str, Any], path: Path, text: str, prefix: str = ""
) -> dict[str, dict[str, Any]]:
    """Each table of ``document`` checked and keyed in lower case; an error names the bad key."""
    unknown = [name for name in document if name not in TABLES]
    if unknown:
        raise InputError(
            f"unknown table [{prefix}{unknown[0]}]",
            path=path,
            line=_line_of(text, unknown[0]),
            hint="the Ed-Fi tables are " + ", ".join(f"[{prefix}{t}]" for t in TABLES),
        )
    parsed: dict[str, dict[str, Any]] = {name: {} for name in TABLES}
    for name in TABLES:
        table = document.get(name, {})
        if not isinstance(table, dict):
            raise InputError(f"[{prefix}{name}] must be a table", path=path)
        for key, value in table.items():
            where = f'[{prefix}{name}] "{key}" = {value!r}'
            try:
                parsed[name][key.strip().casefold()] = _value(name, value)
            except ValueError as exc:
                raise InputError(
                    f"{where}: {exc}", path=path, line=_line_of(text, key), hint=f"see {DOCS}"
                ) from None
    return parsed


def _value(table: str, value: object) -> Any:
    if not isinstance(value, str):
        raise ValueError("the value must be text in quotes")
    text = value.strip()
    if table == "grades":
        grade = normalize_grade(text)
        if grade is None:
            raise ValueError("not a grade (PK, TK, K, 1 to 12, UG)")
        return grade
    if table == "calendar_events":
        if text.lower() not in INSTRUCTIONAL:
            raise ValueError('must be "instructional" or "non-instructional"')
        return INSTRUCTIONAL[text.lower()]
    return _attendance_value(text)


def _attendance_value(text: str) -> AttendanceCode:
    match = _ATTENDANCE_VALUE.fullmatch(text.lower())
    if match is None or match.group(3) not in STATUSES:
        raise ValueError("must be a status (" + ", ".join(STATUSES) + '), like "excused", '
                         '"0.5 unexcused" or "partial unexcused"')  # fmt: skip
    partial, fraction, status = match.groups()
    is_absence = STATUSES[status][0]
    if (partial or fraction) and not is_absence:
        raise ValueError(f"{status} is a presence: it cannot take a fraction of a day absent")
    if fraction is not None:
        try:
            amount = Decimal(fraction)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            raise ValueError(f"{fraction} is not a number") from None
        if not 0 < amount <= 1:
            raise ValueError("the fraction of a day must be above 0 and at most 1")
    return AttendanceCode(status=status, fraction=fraction, needs_duration=partial is not None)


def _line_of(text: str, key: str) -> int | None:
    """The first line that holds ``key`` (quoted or bare), to point the user at it."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith((f'"{key}"', f"'{key}'", f"{key} ", f"{key}=", f"[{key}]")):
            return number
        if stripped.endswith(f".{key}]"):
            return number
    return None
