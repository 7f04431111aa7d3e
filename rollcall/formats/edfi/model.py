"""The Ed-Fi entities rollcall reads, as plain rows, whether from XML interchange files
(rollcall/formats/edfi/xml_files.py) or from resources pulled from an ODS/API
(rollcall/formats/edfi/json_files.py). Every row keeps the file and line it was read from.

Values are kept as written (text, or None when absent); descriptors stay URIs or code values.
Turning the rows into rollcall's tables is rollcall/formats/edfi/tables.py's work.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

Text = str | None


class SchoolRow(NamedTuple):
    school_id: Text
    name: Text
    district_id: Text  # the LocalEducationAgency it belongs to
    file: str
    line: int


class DistrictRow(NamedTuple):
    district_id: Text
    name: Text
    file: str
    line: int


class SessionRow(NamedTuple):
    school_id: Text
    school_year: Text
    name: Text
    begin: Text
    end: Text
    total_days: Text  # TotalInstructionalDays
    file: str
    line: int


class CalendarRow(NamedTuple):
    code: Text
    school_id: Text
    school_year: Text
    file: str
    line: int


class CalendarDateRow(NamedTuple):
    code: Text
    school_id: Text  # None when the CalendarReference names only code and year
    school_year: Text
    date: Text
    events: tuple[str, ...]  # CalendarEvent descriptors
    file: str
    line: int


class EnrollmentRow(NamedTuple):
    """A StudentSchoolAssociation."""

    student_id: Text
    school_id: Text
    entry: Text
    exit: Text  # ExitWithdrawDate
    grade: Text  # EntryGradeLevel descriptor
    file: str
    line: int


class StudentRow(NamedTuple):
    student_id: Text
    file: str
    line: int


class DemographicsRow(NamedTuple):
    """A StudentEducationOrganizationAssociation's demographics."""

    student_id: Text
    organization_id: Text
    sex: Text
    hispanic: Text
    races: tuple[str, ...]
    limited_english: Text
    characteristics: tuple[str, ...]
    indicators: tuple[tuple[str, str], ...]  # (IndicatorName, Indicator)
    file: str
    line: int


class ProgramRow(NamedTuple):
    student_id: Text
    program: str  # the student attribute it sets: special_education, homeless, ...
    begin: Text
    end: Text
    file: str
    line: int


class EventRow(NamedTuple):
    """A StudentSchoolAttendanceEvent."""

    student_id: Text
    school_id: Text
    session_name: Text
    school_year: Text
    date: Text
    category: Text  # AttendanceEventCategory descriptor
    duration: Text  # EventDuration: the fraction of the day
    file: str
    line: int


# Program associations read as student attributes (Y/N), by entity name.
PROGRAMS: dict[str, str] = {
    "StudentSpecialEducationProgramAssociation": "special_education",
    "StudentHomelessProgramAssociation": "homeless",
    "StudentMigrantEducationProgramAssociation": "migrant",
    "StudentSchoolFoodServiceProgramAssociation": "food_service",
    "StudentLanguageInstructionProgramAssociation": "language_instruction",
}

# Entity name → what rollcall makes of it (the inspection's words).
ROLES: dict[str, str] = {
    "StudentSchoolAttendanceEvent": "attendance",
    "Session": "calendar (school days from its dates)",
    "Calendar": "calendar (which school a calendar is for)",
    "CalendarDate": "calendar (school days and days off)",
    "StudentSchoolAssociation": "enrollments",
    "Student": "students",
    "StudentEducationOrganizationAssociation": "students (demographics as groups)",
    "School": "schools",
    "LocalEducationAgency": "schools (district names)",
    **{name: f"students (the {column} group)" for name, column in PROGRAMS.items()},
}


@dataclass(frozen=True)
class FileFound:
    """One file of the input and the entities it holds, by name, with their counts."""

    path: Path
    entities: Counter[str]
    standard: str | None = None  # the Data Standard version of an interchange's namespace
    # For each entity read, the element names found in it that rollcall does not use.
    unused: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class EdfiData:
    """Everything rollcall reads from one Ed-Fi input."""

    folder: Path
    files: list[FileFound] = field(default_factory=list)
    schools: list[SchoolRow] = field(default_factory=list)
    districts: list[DistrictRow] = field(default_factory=list)
    sessions: list[SessionRow] = field(default_factory=list)
    calendars: list[CalendarRow] = field(default_factory=list)
    calendar_dates: list[CalendarDateRow] = field(default_factory=list)
    enrollments: list[EnrollmentRow] = field(default_factory=list)
    students: list[StudentRow] = field(default_factory=list)
    demographics: list[DemographicsRow] = field(default_factory=list)
    programs: list[ProgramRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)

    def has(self, entity: str) -> bool:
        """Whether any file of the input holds ``entity``."""
        return any(found.entities.get(entity) for found in self.files)
