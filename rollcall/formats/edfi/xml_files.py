"""Reading Ed-Fi XML interchange files (Data Standard 3.x to 5.x) into rows (model.py).

Files are streamed with lxml's iterparse, one top-level entity at a time, so that memory stays
flat however large the file; each row keeps the line its element starts on. Elements are found
by local name, whatever the Data Standard namespace (``http://ed-fi.org/0300``,
``http://ed-fi.org/5.2.0``, …). A reference may give the identity of what it points to or, as
XML interchanges allow, a ``ref`` to another element's ``id``: those are resolved once every
file has been read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from lxml import etree

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
from rollcall.formats.edfi.xml_fast import EVENT as _EVENT
from rollcall.formats.edfi.xml_fast import EVENT_TRIE as _EVENT_TRIE
from rollcall.formats.edfi.xml_fast import attendance_entities as _attendance_entities
from rollcall.formats.edfi.xml_fast import collect as _collect
from rollcall.formats.edfi.xml_fast import local as _local

REF = "ref:"  # a reference by id, until resolved
EDFI_NAMESPACE = "http://ed-fi.org/"
# How far into a file its root element is looked for (comments, a DOCTYPE and processing
# instructions may come first), read in chunks.
ROOT_SEARCH_BYTES = 1024 * 1024
_CHUNK = 16 * 1024
_SAMPLE = 50  # entities of each kind looked at for the element names rollcall does not use

STUDENT = ("StudentReference", "StudentIdentity/StudentUniqueId")
SCHOOL = ("SchoolReference", "SchoolIdentity/SchoolId")


def interchange_standard(path: Path) -> str | None:
    """The namespace version (``5.2.0``) when ``path`` is an Ed-Fi interchange file, else None.

    Cheap: the file is parsed only up to its root element, past any comments (a licence),
    DOCTYPE and processing instructions before it, reading at most ``ROOT_SEARCH_BYTES``."""
    root = _root(path)
    if root is None or not root[0].startswith("Interchange"):
        return None
    if not root[1].startswith(EDFI_NAMESPACE):
        return None
    return root[1].rsplit("/", 1)[-1]


def _root(path: Path) -> tuple[str, str] | None:
    """The root element's local name and namespace (``InterchangeStudentAttendance``,
    ``http://ed-fi.org/5.2.0``), or None when the file is not XML or has no root element within
    ``ROOT_SEARCH_BYTES``. Entities are not resolved and nothing is fetched (as when reading)."""
    parser = etree.XMLPullParser(
        events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        with path.open("rb") as handle:
            for _ in range(0, ROOT_SEARCH_BYTES, _CHUNK):
                chunk = handle.read(_CHUNK)
                if not chunk:
                    return None
                try:
                    parser.feed(chunk)
                except etree.XMLSyntaxError:
                    # Malformed further on: the root, if it came first, still says what the
                    # file is (and reading it then names the line that is wrong).
                    return _first_start(parser)
                if (root := _first_start(parser)) is not None:
                    return root
    except OSError:
        return None
    return None


def _first_start(parser: Any) -> tuple[str, str] | None:
    for _, element in parser.read_events():
        tag = etree.QName(element)
        return tag.localname, tag.namespace or ""
    return None


def interchange_files(folder: Path) -> list[Path]:
    """The Ed-Fi interchange files of ``folder`` (not its subfolders), by name."""
    return [
        path
        for path in sorted(folder.glob("*.xml"), key=lambda p: p.name)
        if interchange_standard(path) is not None
    ]


def read_xml(folder: Path, files: list[Path]) -> EdfiData:
    """Every entity rollcall reads from ``files``, with references resolved."""
    data = EdfiData(folder)
    ids: dict[str, dict[str, Any]] = {}
    for path in files:
        data.files.append(_read_file(path, data, ids))
    _resolve(data, ids)
    return data


def _read_file(path: Path, data: EdfiData, ids: dict[str, dict[str, Any]]) -> FileFound:
    counts: Counter[str] = Counter()
    unused: dict[str, set[str]] = {}
    file = path.name
    for element in _attendance_entities(path) if _is_attendance(path) else _entities(path):
        name = _local(element.tag)
        counts[name] += 1
        handler = HANDLERS.get(name)
        if handler is None:
            continue
        if name == _EVENT and counts[name] > _SAMPLE:
            # The fast path: only the paths _event reads (the same rows, see _EVENT_PATHS).
            _event(Entity(element, _collect(element, _EVENT_TRIE, {}), file), data)
            continue
        values = _flatten(element)
        key = handler(Entity(element, values, file), data)
        if key is not None and element.get("id") is not None:
            ids.setdefault(name, {})[element.get("id")] = key
        if counts[name] <= _SAMPLE:
            leaves = {p.rsplit("/", 1)[-1].split("@", 1)[0] for p in values}
            unused.setdefault(name, set()).update(leaves - USED[name])
    return FileFound(
        path=path,
        entities=counts,
        standard=interchange_standard(path),
        unused={name: tuple(sorted(names)) for name, names in unused.items()},
    )


def _entities(path: Path) -> Iterator[Any]:
    """Each child of the root element, complete, then freed (so memory stays flat)."""
    root = None
    try:
        for event, element in etree.iterparse(
            str(path), events=("start", "end"), resolve_entities=False, no_network=True
        ):
            if root is None:
                root = element
            elif event == "end" and element.getparent() is root:
                if isinstance(element.tag, str):  # not a comment
                    yield element
                element.clear()
                while element.getprevious() is not None:
                    del root[0]
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"is not well-formed XML: {exc.msg}", path=path, line=exc.lineno or None
        ) from None


def _is_attendance(path: Path) -> bool:
    """Whether ``path`` is a student attendance interchange (its root element says so)."""
    root = _root(path)
    return root is not None and root[0] == "InterchangeStudentAttendance"


def _flatten(element: Any) -> dict[str, str]:
    """The first text of each path of elements under ``element`` (``AttendanceEvent/EventDate``),
    and the ``ref`` attribute of each reference by id (``SchoolReference@ref``): one pass over
    the element, in document order, so that each value is then a dictionary look-up."""
    values: dict[str, str] = {}
    _walk(element, "", values)
    return values


def _walk(parent: Any, prefix: str, values: dict[str, str]) -> None:
    for child in parent:
        name = _local(child.tag)
        if not name:
            continue
        path = prefix + name
        if len(child):
            _walk(child, path + "/", values)
            continue
        # A reference by id is an empty element with a ref attribute.
        if name.endswith("Reference") and path + "@ref" not in values:
            ref = child.get("ref")
            if ref:
                values[path + "@ref"] = ref
        text = child.text
        if text and path not in values:
            text = text.strip()
            if text:
                values[path] = text


class Entity(NamedTuple):
    """A top-level element, its values by path, and the file it is in."""

    element: Any
    values: dict[str, str]
    file: str

    @property
    def line(self) -> int:
        return int(self.element.sourceline)

    def text(self, *paths: str) -> str | None:
        """The first of ``paths`` that has a value; a descriptor written the Data Standard 2
        way (CodeValue and Namespace children) as its URI."""
        for path in paths:
            value = self.values.get(path)
            if value is not None:
                return value
            code = self.values.get(path + "/CodeValue")
            if code is not None:
                namespace = self.values.get(path + "/Namespace")
                return f"{namespace}#{code}" if namespace else code
        return None

    def ref(self, reference: str, identity: str) -> str | None:
        """What ``reference`` points to: its identity, or ``ref:<id>`` until resolved."""
        by_id = self.values.get(reference + "@ref")
        if by_id is not None:
            return REF + by_id
        return self.values.get(f"{reference}/{identity}")

    def all(self, name: str, *, skip: str | None = None) -> tuple[str, ...]:
        """The texts of every element named ``name`` holding no other element, at any depth
        (collections: races, calendar events), outside elements named ``skip``."""
        found = []
        for item in self.element.iter():
            if (
                len(item) == 0
                and _local(item.tag) == name
                and item.text
                and item.text.strip()
                and (skip is None or not any(_local(a.tag) == skip for a in item.iterancestors()))
            ):
                found.append(item.text.strip())
        return tuple(found)


# --- one function per entity: add its row, return the key an ``id`` attribute stands for ---


def _school(e: Entity, data: EdfiData) -> Any:
    school_id = e.text("SchoolId")
    district = e.ref(
        "LocalEducationAgencyReference", "LocalEducationAgencyIdentity/LocalEducationAgencyId"
    )
    data.schools.append(SchoolRow(school_id, e.text("NameOfInstitution"), district, e.file, e.line))
    return school_id


def _district(e: Entity, data: EdfiData) -> Any:
    district_id = e.text("LocalEducationAgencyId")
    data.districts.append(DistrictRow(district_id, e.text("NameOfInstitution"), e.file, e.line))
    return district_id


def _session(e: Entity, data: EdfiData) -> Any:
    row = SessionRow(
        school_id=e.ref(*SCHOOL),
        school_year=e.text("SchoolYear"),
        name=e.text("SessionName"),
        begin=e.text("BeginDate"),
        end=e.text("EndDate"),
        total_days=e.text("TotalInstructionalDays"),
        file=e.file,
        line=e.line,
    )
    data.sessions.append(row)
    return (row.school_id, row.school_year, row.name)


def _calendar(e: Entity, data: EdfiData) -> Any:
    row = CalendarRow(e.text("CalendarCode"), e.ref(*SCHOOL), e.text("SchoolYear"), e.file, e.line)
    data.calendars.append(row)
    return (row.code, row.school_id, row.school_year)


def _calendar_date(e: Entity, data: EdfiData) -> Any:
    by_id = e.values.get("CalendarReference@ref")
    identity = "CalendarReference/CalendarIdentity/"
    data.calendar_dates.append(
        CalendarDateRow(
            code=REF + by_id if by_id else e.text(identity + "CalendarCode"),
            school_id=None
            if by_id
            else e.text(
                identity + "SchoolReference/SchoolIdentity/SchoolId", identity + "SchoolId"
            ),
            school_year=None if by_id else e.text(identity + "SchoolYear"),
            date=e.text("Date"),
            events=e.all("CalendarEvent", skip="CalendarReference"),
            file=e.file,
            line=e.line,
        )
    )
    return None


def _enrollment(e: Entity, data: EdfiData) -> Any:
    data.enrollments.append(
        EnrollmentRow(
            student_id=e.ref(*STUDENT),
            school_id=e.ref(*SCHOOL),
            entry=e.text("EntryDate"),
            exit=e.text("ExitWithdrawDate"),
            grade=e.text("EntryGradeLevel"),
            file=e.file,
            line=e.line,
        )
    )
    return None


def _student(e: Entity, data: EdfiData) -> Any:
    student_id = e.text("StudentUniqueId")
    data.students.append(StudentRow(student_id, e.file, e.line))
    return student_id


def _demographics(e: Entity, data: EdfiData) -> Any:
    indicators = []
    for item in e.element:
        if _local(item.tag) == "StudentIndicator":
            values = _flatten(item)
            if values.get("IndicatorName"):
                indicators.append((values["IndicatorName"], values.get("Indicator", "")))
    data.demographics.append(
        DemographicsRow(
            student_id=e.ref(*STUDENT),
            organization_id=e.ref(
                "EducationOrganizationReference",
                "EducationOrganizationIdentity/EducationOrganizationId",
            ),
            sex=e.text("Sex", "SexDescriptor"),
            hispanic=e.text("HispanicLatinoEthnicity"),
            races=e.all("Race"),
            limited_english=e.text("LimitedEnglishProficiency"),
            characteristics=e.all("StudentCharacteristic"),
            indicators=tuple(indicators),
            file=e.file,
            line=e.line,
        )
    )
    return None


def _program(e: Entity, data: EdfiData) -> Any:
    data.programs.append(
        ProgramRow(
            student_id=e.ref(*STUDENT),
            program=PROGRAMS[_local(e.element.tag)],
            begin=e.text("BeginDate"),
            end=e.text("EndDate"),
            file=e.file,
            line=e.line,
        )
    )
    return None


def _event(e: Entity, data: EdfiData) -> Any:
    by_id = e.values.get("SessionReference@ref")
    data.events.append(
        EventRow(
            student_id=e.ref(*STUDENT),
            school_id=e.ref(*SCHOOL),
            session_name=REF + by_id
            if by_id
            else e.text("SessionReference/SessionIdentity/SessionName"),
            school_year=None if by_id else e.text("SessionReference/SessionIdentity/SchoolYear"),
            date=e.text("AttendanceEvent/EventDate", "EventDate"),
            category=e.text("AttendanceEvent/AttendanceEventCategory", "AttendanceEventCategory"),
            duration=e.text("AttendanceEvent/EventDuration", "EventDuration"),
            file=e.file,
            line=e.line,
        )
    )
    return None


HANDLERS: dict[str, Callable[[Entity, EdfiData], Any]] = {
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

# Identities and references by ``ref`` (an empty element) are used, wherever they appear.
_REFERENCE_KEYS = {
    "StudentUniqueId", "SchoolId", "SchoolYear", "EducationOrganizationId", "StudentReference",
    "SchoolReference", "SessionReference", "CalendarReference", "LocalEducationAgencyReference",
    "EducationOrganizationReference",
}  # fmt: skip
USED: dict[str, set[str]] = {
    "School": {"SchoolId", "NameOfInstitution", "LocalEducationAgencyId"} | _REFERENCE_KEYS,
    "LocalEducationAgency": {"LocalEducationAgencyId", "NameOfInstitution"},
    "Session": {"SessionName", "BeginDate", "EndDate", "TotalInstructionalDays"} | _REFERENCE_KEYS,
    "Calendar": {"CalendarCode"} | _REFERENCE_KEYS,
    "CalendarDate": {"Date", "CalendarEvent", "CalendarCode"} | _REFERENCE_KEYS,
    "StudentSchoolAssociation": {"EntryDate", "ExitWithdrawDate", "EntryGradeLevel"}
    | _REFERENCE_KEYS,
    "Student": {"StudentUniqueId"},
    "StudentEducationOrganizationAssociation": {
        "Sex",
        "HispanicLatinoEthnicity",
        "Race",
        "LimitedEnglishProficiency",
        "StudentCharacteristic",
        "IndicatorName",
        "Indicator",
    }
    | _REFERENCE_KEYS,
    "StudentSchoolAttendanceEvent": {
        "EventDate",
        "AttendanceEventCategory",
        "EventDuration",
        "SessionName",
    }
    | _REFERENCE_KEYS,
    **{name: {"BeginDate", "EndDate"} | _REFERENCE_KEYS for name in PROGRAMS},
}


def _resolve(data: EdfiData, ids: dict[str, dict[str, Any]]) -> None:
    """Replace each reference by ``ref`` with the identity of the element it names; one that
    names no element stays as written (``ref:…``), so that the row is refused with it."""

    def one(kind: str, value: str | None) -> str | None:
        if value is None or not value.startswith(REF):
            return value
        return ids.get(kind, {}).get(value[len(REF) :], value)

    def organization(value: str | None) -> str | None:
        return one("LocalEducationAgency", one("School", value))

    data.schools[:] = [
        r._replace(district_id=one("LocalEducationAgency", r.district_id)) for r in data.schools
    ]
    data.sessions[:] = [r._replace(school_id=one("School", r.school_id)) for r in data.sessions]
    data.calendars[:] = [r._replace(school_id=one("School", r.school_id)) for r in data.calendars]
    data.calendar_dates[:] = [
        _resolve_calendar_date(r, ids.get("Calendar", {})) for r in data.calendar_dates
    ]
    data.enrollments[:] = [
        r._replace(student_id=one("Student", r.student_id), school_id=one("School", r.school_id))
        for r in data.enrollments
    ]
    data.demographics[:] = [
        r._replace(
            student_id=one("Student", r.student_id),
            organization_id=organization(r.organization_id),
        )
        for r in data.demographics
    ]
    data.programs[:] = [r._replace(student_id=one("Student", r.student_id)) for r in data.programs]
    sessions = ids.get("Session", {})
    data.events[:] = [_resolve_event(r, one, sessions) for r in data.events]


def _resolve_calendar_date(row: CalendarDateRow, calendars: dict[str, Any]) -> CalendarDateRow:
    if row.code is None or not row.code.startswith(REF) or row.code[len(REF) :] not in calendars:
        return row
    code, school, year = calendars[row.code[len(REF) :]]
    return row._replace(code=code, school_id=school, school_year=year)


def _resolve_event(
    row: EventRow, one: Callable[[str, str | None], str | None], sessions: dict[str, Any]
) -> EventRow:
    if not any(v is not None and v.startswith(REF) for v in (row[0], row[1], row[2])):
        return row  # the usual case, kept cheap
    row = row._replace(
        student_id=one("Student", row.student_id), school_id=one("School", row.school_id)
    )
    if row.session_name is not None and row.session_name.startswith(REF):
        key = sessions.get(row.session_name[len(REF) :])
        if key is not None:
            row = row._replace(session_name=key[2], school_year=key[1])
    return row
