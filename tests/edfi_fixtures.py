"""Write small Ed-Fi XML interchange folders for tests (synthetic students, made-up ids).

Each builder returns an lxml element in no namespace; ``write_folder`` puts them in interchange
files under the Data Standard namespace given (5.2 by default), one element per line group, as
the Ed-Fi samples are laid out. ``line_of`` finds the line a test expects a row to point at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from lxml import etree

DS5 = "http://ed-fi.org/5.2.0"
DS3 = "http://ed-fi.org/0320"
YEAR = "2024-2025"


def el(name: str, *children: object, **attributes: str) -> etree._Element:
    """An element; a child is an element, a text, or None (left out)."""
    element = etree.Element(name, **attributes)
    for child in children:
        if child is None:
            continue
        if isinstance(child, etree._Element):
            element.append(child)
        else:
            element.text = str(child)
    return element


def uri(kind: str, code: str) -> str:
    return f"uri://ed-fi.org/{kind}Descriptor#{code}"


def school_ref(school_id: str) -> etree._Element:
    return el("SchoolReference", el("SchoolIdentity", el("SchoolId", school_id)))


def student_ref(student_id: str) -> etree._Element:
    return el("StudentReference", el("StudentIdentity", el("StudentUniqueId", student_id)))


def lea(lea_id: str, name: str, *, xml_id: str | None = None) -> etree._Element:
    extra = {"id": xml_id} if xml_id else {}
    return el(
        "LocalEducationAgency",
        el("NameOfInstitution", name),
        el("LocalEducationAgencyId", lea_id),
        **extra,
    )


def school(
    school_id: str,
    name: str | None = None,
    *,
    lea_id: str | None = "900",
    lea_ref: str | None = None,
    xml_id: str | None = None,
) -> etree._Element:
    reference = (
        el("LocalEducationAgencyReference", ref=lea_ref)
        if lea_ref
        else el(
            "LocalEducationAgencyReference",
            el("LocalEducationAgencyIdentity", el("LocalEducationAgencyId", lea_id)),
        )
        if lea_id
        else None
    )
    extra = {"id": xml_id} if xml_id else {}
    return el(
        "School",
        el("NameOfInstitution", name or f"School {school_id}"),
        el("SchoolId", school_id),
        reference,
        **extra,
    )


def session(
    school_id: str, name: str, begin: str, end: str, total: int | None = None, *, year: str = YEAR
) -> etree._Element:
    return el(
        "Session",
        el("SessionName", name),
        el("SchoolYear", year),
        el("BeginDate", begin),
        el("EndDate", end),
        el("Term", uri("Term", "Fall Semester")),
        el("TotalInstructionalDays", total),
        school_ref(school_id),
    )


def calendar(code: str, school_id: str, *, year: str = YEAR) -> etree._Element:
    return el(
        "Calendar",
        el("CalendarCode", code),
        el("CalendarType", uri("CalendarType", "Student Specific")),
        school_ref(school_id),
        el("SchoolYear", year),
    )


def calendar_date(code: str, day: str, *events: str, year: str = YEAR) -> etree._Element:
    return el(
        "CalendarDate",
        el("Date", day),
        *[el("CalendarEvent", uri("CalendarEvent", event)) for event in events],
        el(
            "CalendarReference",
            el("CalendarIdentity", el("CalendarCode", code), el("SchoolYear", year)),
        ),
    )


def enrollment(
    student_id: str,
    school_id: str,
    entry: str,
    *,
    grade: str | None = "Fifth grade",
    exit: str | None = None,
) -> etree._Element:
    return el(
        "StudentSchoolAssociation",
        student_ref(student_id),
        school_ref(school_id),
        el("EntryDate", entry),
        el("EntryGradeLevel", uri("GradeLevel", grade) if grade else None) if grade else None,
        el("ExitWithdrawDate", exit),
    )


def student(student_id: str, *, xml_id: str | None = None) -> etree._Element:
    extra = {"id": xml_id} if xml_id else {}
    return el(
        "Student",
        el("StudentUniqueId", student_id),
        el("Name", el("FirstName", "Test"), el("LastSurname", "Student")),
        el("BirthData", el("BirthDate", "2014-01-01")),
        **extra,
    )


def event(
    student_id: str,
    school_id: str,
    day: str,
    category: str,
    duration: str | None = None,
    *,
    session_name: str | None = "Fall",
    year: str = YEAR,
    flat: bool = False,
    student_by_ref: str | None = None,
) -> etree._Element:
    """A StudentSchoolAttendanceEvent; ``flat`` puts EventDate and the category directly in the
    event, as older Data Standards lay it out, instead of in an AttendanceEvent group."""
    fields = [
        el("EventDate", day),
        el("AttendanceEventCategory", uri("AttendanceEventCategory", category)),
        el("AttendanceEventReason", "a reason"),
        el("EventDuration", duration),
    ]
    reference = el("StudentReference", ref=student_by_ref) if student_by_ref else None
    session_reference = (
        el(
            "SessionReference",
            el(
                "SessionIdentity",
                el("SessionName", session_name),
                el("SchoolYear", year),
                school_ref(school_id),
            ),
        )
        if session_name
        else None
    )
    return el(
        "StudentSchoolAttendanceEvent",
        *(fields if flat else [el("AttendanceEvent", *fields)]),
        reference if reference is not None else student_ref(student_id),
        school_ref(school_id),
        session_reference,
    )


def demographics(
    student_id: str,
    organization_id: str = "900",
    *,
    sex: str | None = None,
    hispanic: str | None = None,
    races: Sequence[str] = (),
    limited_english: str | None = None,
    characteristics: Sequence[str] = (),
    indicators: Sequence[tuple[str, str]] = (),
) -> etree._Element:
    return el(
        "StudentEducationOrganizationAssociation",
        student_ref(student_id),
        el(
            "EducationOrganizationReference",
            el("EducationOrganizationIdentity", el("EducationOrganizationId", organization_id)),
        ),
        el("HispanicLatinoEthnicity", hispanic),
        el("LimitedEnglishProficiency", uri("LimitedEnglishProficiency", limited_english))
        if limited_english
        else None,
        *[el("Race", uri("Race", race)) for race in races],
        el("Sex", uri("Sex", sex)) if sex else None,
        *[
            el(
                "StudentCharacteristic",
                el("StudentCharacteristic", uri("StudentCharacteristic", name)),
            )
            for name in characteristics
        ],
        *[
            el("StudentIndicator", el("IndicatorName", name), el("Indicator", value))
            for name, value in indicators
        ],
    )


def program(entity: str, student_id: str, begin: str = "2024-08-26") -> etree._Element:
    return el(
        entity,
        student_ref(student_id),
        el("ProgramReference", el("ProgramIdentity", el("ProgramName", "A program"))),
        el("BeginDate", begin),
    )


INTERCHANGES = {
    "organizations": ("EducationOrganization.xml", "InterchangeEducationOrganization"),
    "calendar": ("EducationOrgCalendar.xml", "InterchangeEducationOrgCalendar"),
    "enrollment": ("StudentEnrollment.xml", "InterchangeStudentEnrollment"),
    "students": ("Student.xml", "InterchangeStudent"),
    "attendance": ("StudentSchoolAttendance.xml", "InterchangeStudentAttendance"),
    "programs": ("StudentProgram.xml", "InterchangeStudentProgram"),
}


def write_folder(
    folder: Path, *, namespace: str = DS5, **interchanges: Iterable[etree._Element]
) -> Path:
    """One interchange file for each of ``organizations``, ``calendar``, ``enrollment``,
    ``students``, ``attendance`` and ``programs`` given."""
    folder.mkdir(parents=True, exist_ok=True)
    for key, elements in interchanges.items():
        file_name, root_name = INTERCHANGES[key]
        root = etree.Element(f"{{{namespace}}}{root_name}", nsmap={None: namespace})
        for element in elements:
            root.append(_in_namespace(element, namespace))
        text = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
        (folder / file_name).write_bytes(text)
    return folder


def _in_namespace(element: etree._Element, namespace: str) -> etree._Element:
    for item in element.iter():
        if isinstance(item.tag, str) and not item.tag.startswith("{"):
            item.tag = f"{{{namespace}}}{item.tag}"
    return element


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The line of the ``occurrence``-th line of ``path`` holding ``needle``."""
    found = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            found += 1
            if found == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found {occurrence} times in {path.name}")
