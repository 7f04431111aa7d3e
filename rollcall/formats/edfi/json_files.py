"""Reading Ed-Fi ODS/API resources saved as JSON (what ``rollcall fetch`` writes) into rows
(model.py): the same rows as the XML interchange files give.

A folder holds one file per resource, named after it: ``studentSchoolAttendanceEvents.jsonl``
(one record a line, as ``rollcall fetch`` writes) or ``studentSchoolAttendanceEvents.json`` (an
array of records, as the API returns a page). Each row keeps the line its record starts on.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rollcall.errors import InputError
from rollcall.formats.edfi.model import (
    PROGRAMS,
    CalendarDateRow,
    CalendarRow,
    DemographicsRow,
    DistrictRow,
    EdfiData,
    EnrollmentRow,
    EventRow,
    FileFound,
    ProgramRow,
    SchoolRow,
    SessionRow,
    StudentRow,
)

# ODS/API resource (the path under /data/v3/ed-fi/) → the entity it holds.
RESOURCES: dict[str, str] = {
    "schools": "School",
    "localEducationAgencies": "LocalEducationAgency",
    "sessions": "Session",
    "calendars": "Calendar",
    "calendarDates": "CalendarDate",
    "studentSchoolAssociations": "StudentSchoolAssociation",
    "students": "Student",
    "studentEducationOrganizationAssociations": "StudentEducationOrganizationAssociation",
    "studentSchoolAttendanceEvents": "StudentSchoolAttendanceEvent",
    **{name[0].lower() + name[1:] + "s": name for name in PROGRAMS},
}


def resource_files(folder: Path) -> list[Path]:
    """The saved resources in ``folder``, by name (a ``.jsonl`` file before a ``.json`` one)."""
    found = []
    for resource in RESOURCES:
        for suffix in (".jsonl", ".json"):
            path = folder / f"{resource}{suffix}"
            if path.is_file():
                found.append(path)
                break
    return found


def read_json(folder: Path, files: list[Path]) -> EdfiData:
    """Every record rollcall reads from the saved resources ``files``."""
    data = EdfiData(folder)
    for path in files:
        entity = RESOURCES[path.stem]
        read = READERS[entity]
        count = 0
        for line, record in records(path):
            count += 1
            read(record, data, entity, path.name, line)
        data.files.append(FileFound(path=path, entities=Counter({entity: count})))
    return data


def records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each record of a ``.jsonl`` or ``.json`` file with the line it starts on."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot be read: {exc}", path=path) from None
    if path.suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield number, _record(json_value(line, path, number), path, number)
        return
    yield from _array(text, path)


def json_value(text: str, path: Path, line: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"is not valid JSON: {exc.msg}", path=path, line=line) from None


def _array(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The records of a JSON array, each with its line, read in one pass."""
    decoder = json.JSONDecoder()
    position = _skip(text, 0)
    if position >= len(text) or text[position] != "[":
        raise InputError("is not a JSON array of records", path=path, line=1)
    position, line, counted = _skip(text, position + 1), 1, 0
    while position < len(text) and text[position] != "]":
        line += text.count("\n", counted, position)
        counted = position
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise InputError(f"is not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
        yield line, _record(value, path, line)
        position = _skip(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip(text, position + 1)


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _record(value: Any, path: Path, line: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError("holds a value that is not a record (a JSON object)", path=path, line=line)
    return value


def _text(value: Any) -> str | None:
    """A JSON value as rollcall's text: numbers as written, dates without a midnight time."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip()
    # Older ODS/API versions write dates as 2021-08-23T00:00:00.
    if len(text) == 19 and text[10] == "T" and text.endswith("T00:00:00"):
        return text[:10]
    return text or None


def _at(record: dict[str, Any], *path: str) -> str | None:
    value: Any = record
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return _text(value)


def _school(record: dict[str, Any], data: EdfiData, entity: str, file: str, line: int) -> None:
    data.schools.append(
        SchoolRow(
            _at(record, "schoolId"),
            _at(record, "nameOfInstitution"),
            _at(record, "localEducationAgencyReference", "localEducationAgencyId"),
            file,
            line,
        )
    )


def _district(record: dict[str, Any], data: EdfiData, entity: str, file: str, line: int) -> None:
    data.districts.append(
        DistrictRow(
            _at(record, "localEducationAgencyId"), _at(record, "nameOfInstitution"), file, line
        )
    )


def _session(record: dict[str, Any], data: EdfiData, entity: str, file: str, line: int) -> None:
    data.sessions.append(
        SessionRow(
            school_id=_at(record, "schoolReference", "schoolId"),
            school_year=_at(record, "schoolYearTypeReference", "schoolYear"),
            name=_at(record, "sessionName"),
            begin=_at(record, "beginDate"),
            end=_at(record, "endDate"),
            total_days=_at(record, "totalInstructionalDays"),
            file=file,
            line=line,
        )
    )


def _calendar(record: dict[str, Any], data: EdfiData, entity: str, file: str, line: int) -> None:
    data.calendars.append(
        CalendarRow(
            _at(record, "calendarCode"),
            _at(record, "schoolReference", "schoolId"),
            _at(record, "schoolYearTypeReference", "schoolYear"),
            file,
            line,
        )
    )


def _calendar_date(
    record: dict[str, Any], data: EdfiData, entity: str, file: str, line: int
) -> None:
    events = tuple(
        text
        for item in record.get("calendarEvents") or []
        if isinstance(item, dict) and (text := _text(item.get("calendarEventDescriptor")))
    )
    data.calendar_dates.append(
        CalendarDateRow(
            code=_at(record, "calendarReference", "calendarCode"),
            school_id=_at(record, "calendarReference", "schoolId"),
            school_year=_at(record, "calendarReference", "schoolYear"),
            date=_at(record, "date"),
            events=events,
            file=file,
            line=line,
        )
    )


def _enrollment(record: dict[str, Any], data: EdfiData, entity: str, file: str, line: int) -> None:
    data.enrollments.append(
        EnrollmentRow(
            student_id=_at(record, "studentReference", "studentUniqueId"),
            school_id=_at(record, "schoolReference", "schoolId"),
            entry=_at(record, "entryDate"),
            exit=_at(record, "exitWithdrawDate"),
            grade=_at(record, "entryGradeLevelDescriptor"),
            file=file,
            line=line,
        )
    )


def _student(record: dict[str, Any], data: EdfiData, entity: str, file: str, line: int) -> None:
    data.students.append(StudentRow(_at(record, "studentUniqueId"), file, line))


def _items(record: dict[str, Any], collection: str, key: str) -> tuple[str, ...]:
    return tuple(
        text
        for item in record.get(collection) or []
        if isinstance(item, dict) and (text := _text(item.get(key)))
    )


def _demographics(
    record: dict[str, Any], data: EdfiData, entity: str, file: str, line: int
) -> None:
    indicators = tuple(
        (_text(item.get("indicatorName")) or "", _text(item.get("indicator")) or "")
        for item in record.get("studentIndicators") or []
        if isinstance(item, dict)
    )
    data.demographics.append(
        DemographicsRow(
            student_id=_at(record, "studentReference", "studentUniqueId"),
            organization_id=_at(
                record, "educationOrganizationReference", "educationOrganizationId"
            ),
            sex=_at(record, "sexDescriptor"),
            hispanic=_at(record, "hispanicLatinoEthnicity"),
            races=_items(record, "races", "raceDescriptor"),
            limited_english=_at(record, "limitedEnglishProficiencyDescriptor"),
            characteristics=_items(
                record, "studentCharacteristics", "studentCharacteristicDescriptor"
            ),
            indicators=tuple(pair for pair in indicators if pair[0]),
            file=file,
            line=line,
        )
    )


def _program(record: dict[str, Any], data: EdfiData, entity: str, file: str, line: int) -> None:
    data.programs.append(
        ProgramRow(
            student_id=_at(record, "studentReference", "studentUniqueId"),
            program=PROGRAMS[entity],
            begin=_at(record, "beginDate"),
            end=_at(record, "endDate"),
            file=file,
            line=line,
        )
    )


def _event(record: dict[str, Any], data: EdfiData, entity: str, file: str, line: int) -> None:
    data.events.append(
        EventRow(
            student_id=_at(record, "studentReference", "studentUniqueId"),
            school_id=_at(record, "schoolReference", "schoolId"),
            session_name=_at(record, "sessionReference", "sessionName"),
            school_year=_at(record, "sessionReference", "schoolYear"),
            date=_at(record, "eventDate"),
            category=_at(record, "attendanceEventCategoryDescriptor"),
            duration=_at(record, "eventDuration"),
            file=file,
            line=line,
        )
    )


READERS: dict[str, Callable[[dict[str, Any], EdfiData, str, str, int], None]] = {
    "School": _school,
    "LocalEducationAgency": _district,
    "Session": _session,
    "Calendar": _calendar,
    "CalendarDate": _calendar_date,
    "StudentSchoolAssociation": _enrollment,
    "Student": _student,
    "StudentEducationOrganizationAssociation": _demographics,
    "StudentSchoolAttendanceEvent": _event,
    **{name: _program for name in PROGRAMS},
}
