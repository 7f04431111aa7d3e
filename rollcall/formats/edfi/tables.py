"""Ed-Fi rows (model.py) turned into rollcall's five canonical tables (docs/format.md).

Every row keeps the file and line of the element (or JSON record) it comes from, so that a
refused row is reported where the user can open it. Values are translated to canonical
spelling (descriptors to statuses and grades); one that cannot be translated is left as written
for the engine to refuse, except descriptors missing from the crosswalk, which are collected
(``Translated.unmapped``) so that loading can stop and name every one of them.

What an attendance event counts (docs/sources/edfi.md, "Partial days"): the category says
whether it is an absence and which kind; for an absence, EventDuration (the fraction of the day)
is the absent fraction, a whole day when it is not given, or the crosswalk's fraction for a
category mapped like ``"0.5 unexcused"``; a category mapped ``"partial …"`` needs an
EventDuration, and an event without one is refused (``invalid fraction``). A presence (In
Attendance, Tardy, Early departure) is never an absence, whatever its EventDuration.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from rollcall.formats.edfi.calendar import SchoolDays, school_days, session_notes
from rollcall.formats.edfi.descriptors import Crosswalk, code_value
from rollcall.formats.edfi.model import EdfiData, EventRow, SessionRow
from rollcall.formats.edfi.students import student_attributes
from rollcall.formats.origin import ORIGIN_FILE, ORIGIN_LINE
from rollcall.formats.sources import CodeSeen
from rollcall.labels import dimension_label
from rollcall.notes import Note

NO_DURATION = "(none)"  # an event that needs an EventDuration and has none: refused
# Canonical column → where it comes from, in XML interchange files and in API resources.
ORIGINS: dict[str, dict[str, str]] = {
    "schools": {"school_id": "SchoolId", "school_name": "NameOfInstitution",
                "district_id": "LocalEducationAgencyId", "district_name": "NameOfInstitution"},
    "students": {"student_id": "StudentUniqueId"},
    "enrollments": {"student_id": "StudentUniqueId", "school_id": "SchoolId",
                    "grade": "EntryGradeLevel", "entry_date": "EntryDate",
                    "exit_date": "ExitWithdrawDate"},
    "calendar": {"school_id": "SchoolId", "date": "Date"},
    "attendance": {"student_id": "StudentUniqueId", "school_id": "SchoolId", "date": "EventDate",
                   "status": "AttendanceEventCategory", "absent_fraction": "EventDuration"},
}  # fmt: skip
JSON_ORIGINS: dict[str, dict[str, str]] = {
    "schools": {"school_id": "schoolId", "school_name": "nameOfInstitution",
                "district_id": "localEducationAgencyReference.localEducationAgencyId",
                "district_name": "nameOfInstitution"},
    "students": {"student_id": "studentUniqueId"},
    "enrollments": {"student_id": "studentReference.studentUniqueId",
                    "school_id": "schoolReference.schoolId",
                    "grade": "entryGradeLevelDescriptor", "entry_date": "entryDate",
                    "exit_date": "exitWithdrawDate"},
    "calendar": {"school_id": "calendarReference.schoolId", "date": "date"},
    "attendance": {"student_id": "studentReference.studentUniqueId",
                   "school_id": "schoolReference.schoolId", "date": "eventDate",
                   "status": "attendanceEventCategoryDescriptor",
                   "absent_fraction": "eventDuration"},
}  # fmt: skip


Columns = dict[str, list[object]]  # a table: column name → values ("_line" whole numbers)


@dataclass(frozen=True)
class Unmapped:
    """A descriptor the crosswalk does not know, with how often and where it was first seen."""

    kind: str  # AttendanceEventCategory, GradeLevel, CalendarEvent
    code: str
    count: int


@dataclass
class Translated:
    tables: dict[str, Columns] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    codes: list[CodeSeen] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    enrollments_missing: bool = False  # no StudentSchoolAssociation and no assumption asked
    assumed_enrollments: int = 0  # rows assumed from the sessions (--enrollment-from-sessions)
    calendar: SchoolDays = field(default_factory=SchoolDays)


def translate(
    data: EdfiData, crosswalk: Crosswalk, *, enrollment_from_sessions: bool
) -> Translated:
    """The canonical tables of ``data``, and what was assumed or found on the way."""
    out = Translated()
    out.tables["schools"] = _schools(data, out)
    out.calendar = school_days(data.sessions, data.calendars, data.calendar_dates, crosswalk)
    out.tables["calendar"] = _calendar(out.calendar, data, crosswalk, out)
    out.tables["enrollments"] = _enrollments(data, crosswalk, out, enrollment_from_sessions)
    out.tables["students"] = _students(data, out)
    out.tables["attendance"] = _attendance(data, crosswalk, out)
    return out


def _table(columns: Mapping[str, Sequence[object]]) -> Columns:
    # Plain lists: turning them into Arrow imports pandas (a second), which an inspection,
    # unlike a load, does not need.
    return {name: list(values) for name, values in columns.items()}


def _first_reference(data: EdfiData, attribute: str) -> dict[str, tuple[str, int]]:
    """Each id found in ``attribute`` of the events, enrollments and sessions, with the file and
    line it is first seen in."""
    found: dict[str, tuple[str, int]] = {}
    for rows in (data.events, data.enrollments, data.sessions):
        for row in rows:
            value = getattr(row, attribute)
            if value and value not in found:
                found[value] = (row.file, row.line)
    return found


def _schools(data: EdfiData, out: Translated) -> Columns:
    names = {row.district_id: row.name for row in data.districts}
    rows = [(r.school_id, r.name, r.district_id, r.file, r.line) for r in data.schools]
    if not rows:
        seen = _first_reference(data, "school_id")
        rows = [(school, None, None, file, line) for school, (file, line) in seen.items()]
        if rows:
            out.notes.append(
                f"No School in the input: the schools ({len(rows):,}) are taken from the ids the "
                "attendance, enrollments and sessions use, without names."
            )
            out.missing.append("schools: no School entity (EducationOrganization interchange)")
    columns: dict[str, list[object]] = {
        "school_id": [r[0] for r in rows],
        "school_name": [r[1] for r in rows],
    }
    with_district = [r for r in rows if r[2]]
    if rows and len(with_district) == len(rows):
        columns["district_id"] = [r[2] for r in rows]
        columns["district_name"] = [names.get(r[2]) for r in rows]
    elif with_district:
        out.notes.append(
            f"Schools that name no LocalEducationAgency: {len(rows) - len(with_district):,} of "
            f"{len(rows):,}. Every school is counted in one district."
        )
    columns[ORIGIN_FILE] = [r[3] for r in rows]
    columns[ORIGIN_LINE] = [r[4] for r in rows]
    return _table(columns)


def _calendar(found: SchoolDays, data: EdfiData, crosswalk: Crosswalk, out: Translated) -> Columns:
    schools = {s.school_id for s in data.sessions if s.school_id}
    schools |= {r.school_id for r in found.rows if r.school_id}
    out.notes += session_notes(found, len(schools))
    if not data.sessions and not data.calendar_dates:
        out.missing.append("calendar: no Session and no CalendarDate (EducationOrgCalendar)")
    elif not data.calendar_dates:
        out.missing.append("calendar dates: none (school days are derived from the sessions)")
    if found.bad_dates:
        out.notes.append(
            "Sessions or calendar dates without a YYYY-MM-DD date (or a session without a "
            f"school): {found.bad_dates:,}. No school days are derived from them; a calendar "
            "date of a school day is refused with its reason."
        )
    for event, count in sorted(found.seen.items()):
        meaning = crosswalk.instructional(event)
        shown = None if meaning is None else "school day" if meaning else "not a school day"
        out.codes.append(CodeSeen("CalendarEvent", _shown(event), count, shown))
    out.unmapped += [
        Unmapped("CalendarEvent", _shown(e), n) for e, n in sorted(found.unmapped.items())
    ]
    return _table(
        {
            "school_id": [r.school_id for r in found.rows],
            "date": [r.date for r in found.rows],
            ORIGIN_FILE: [r.file for r in found.rows],
            ORIGIN_LINE: [r.line for r in found.rows],
        }
    )


def _shown(descriptor: str) -> str:
    """A descriptor as an inspection shows it: the code value for Ed-Fi's own namespace, the
    whole URI for any other (a state's or a vendor's)."""
    return code_value(descriptor) if descriptor.startswith("uri://ed-fi.org/") else descriptor


def _enrollments(
    data: EdfiData, crosswalk: Crosswalk, out: Translated, from_sessions: bool
) -> Columns:
    grades: Counter[str] = Counter()
    rows: list[tuple[object, ...]] = []
    for r in data.enrollments:
        grade = r.grade or ""
        if r.grade:
            grades[r.grade] += 1
            grade = crosswalk.grade(r.grade) or r.grade
        rows.append((r.student_id, r.school_id, grade, r.entry, r.exit, r.file, r.line))
    for descriptor, count in sorted(grades.items()):
        mapped = crosswalk.grade(descriptor)
        out.codes.append(CodeSeen("GradeLevel", _shown(descriptor), count, mapped))
        if mapped is None:
            out.unmapped.append(Unmapped("GradeLevel", _shown(descriptor), count))
    enrolled = {(r.student_id, r.school_id) for r in data.enrollments}
    without = [e for e in data.events if (e.student_id, e.school_id) not in enrolled]
    if not data.enrollments:
        out.missing.append(
            "enrollments: no StudentSchoolAssociation (StudentEnrollment interchange)"
        )
    if without and from_sessions:
        assumed = _assumed(data, without, crosswalk, out)
        out.assumed_enrollments = len(assumed)
        rows += assumed
    elif without and data.enrollments:
        students = len({e.student_id for e in without})
        out.notes.append(
            "Attendance events with no StudentSchoolAssociation at their school: "
            f"{len(without):,} (students: {students:,}). They are refused (not enrolled on this "
            "date); --enrollment-from-sessions would assume enrollments for them."
        )
    elif without:
        out.enrollments_missing = True
    return _table(
        {
            "student_id": [r[0] for r in rows],
            "school_id": [r[1] for r in rows],
            "grade": [r[2] for r in rows],
            "entry_date": [r[3] for r in rows],
            "exit_date": [r[4] for r in rows],
            ORIGIN_FILE: [r[5] for r in rows],
            ORIGIN_LINE: [r[6] for r in rows],
        }
    )


def _assumed(
    data: EdfiData, events: list[EventRow], crosswalk: Crosswalk, out: Translated
) -> list[tuple[object, ...]]:
    """Enrollments assumed from the sessions (``--enrollment-from-sessions``): each student with
    an attendance event at a school, and no StudentSchoolAssociation there, enrolled from the
    first day to the last day of the sessions they have events in (the session an event names,
    else the school's session that holds its date), in the grade of their latest
    StudentSchoolAssociation elsewhere, else UG (ungraded)."""
    by_key = {(s.school_id, s.school_year, s.name): s for s in data.sessions}
    by_school: dict[str | None, list[SessionRow]] = {}
    for row in data.sessions:
        by_school.setdefault(row.school_id, []).append(row)
    spans: dict[tuple[str | None, str | None], list[SessionRow]] = {}
    first: dict[tuple[str | None, str | None], EventRow] = {}
    for event in events:
        pair = (event.student_id, event.school_id)
        first.setdefault(pair, event)
        session = by_key.get((event.school_id, event.school_year, event.session_name)) or _holding(
            by_school.get(event.school_id, []), event.date
        )
        if session is not None:
            spans.setdefault(pair, []).append(session)
    latest = _latest_grades(data, crosswalk)
    rows: list[tuple[object, ...]] = []
    for pair, event in first.items():
        sessions = spans.get(pair)
        if not sessions:
            continue
        begins = [s.begin for s in sessions if s.begin]
        ends = [s.end for s in sessions if s.end]
        grade = latest.get(pair[0], "UG")
        rows.append((pair[0], pair[1], grade, min(begins, default=None), max(ends, default=None),
                     event.file, event.line))  # fmt: skip
    graded = sum(1 for r in rows if r[2] != "UG")
    students = len({r[0] for r in rows})
    schools = len({r[1] for r in rows})
    grade_words = (
        "grade UG (ungraded): the input has no StudentSchoolAssociation to give a grade"
        if not graded
        else f"the grade of their latest StudentSchoolAssociation elsewhere ({graded:,}), "
        "else UG (ungraded)"
    )
    grade_plain = (
        "all in one ungraded group (the input gives no grades)"
        if not graded
        else f"in their grade where another enrollment gives it ({graded:,}), else ungraded"
    )
    out.notes.append(
        Note(
            f"Enrollments assumed (--enrollment-from-sessions) for {students:,} students at "
            f"{schools:,} schools: each enrolled from the first to the last day of the sessions "
            f"they have attendance events in, in {grade_words}.",
            kind="assumed",
            plain=f"Enrollments are assumed, not recorded: the input does not say when students "
            f"were enrolled, so each of {students:,} students is counted as enrolled from the "
            f"start to the end of the terms in which they have an attendance record, "
            f"{grade_plain}. A student who joined or left mid-term is counted for the whole term.",
            size=students,
        )
    )
    unplaced = len(first) - len(rows)
    if unplaced:
        out.notes.append(
            Note(
                f"Students whose events are in no known session at their school: {unplaced:,}. "
                "No enrollment is assumed for them, and their events are refused.",
                kind="not_counted",
                plain=f"{unplaced:,} students have attendance records outside any term the input "
                "lists, so no enrollment could be assumed for them and they are not counted.",
                size=unplaced,
            )
        )
    counted = {s.student_id for s in data.students}
    left_out = len(counted - {r[0] for r in rows} - {r.student_id for r in data.enrollments})
    if left_out:
        file = data.students[0].file if data.students else None
        out.notes.append(
            Note(
                "Students read with no attendance event and no enrollment, so not counted: "
                f"{left_out:,} of {len(counted):,}. The rates are among students with at least "
                "one attendance event (a student with perfect attendance is missing).",
                kind="not_counted",
                plain=f"{left_out:,} of {len(counted):,} students have no attendance record and "
                f"are not counted, so the rates are likely too high: they are among the "
                f"{len(counted) - left_out:,} students "
                "with at least one attendance record, so students with perfect attendance are "
                "missing and the rates are higher than they would be for the whole school.",
                size=left_out,
                out_of=len(counted),
                file=file,
            )
        )
    return rows


def _holding(sessions: list[SessionRow], day: str | None) -> SessionRow | None:
    try:
        when = date.fromisoformat(day or "")
    except ValueError:
        return None
    for session in sessions:
        try:
            if (
                date.fromisoformat(session.begin or "")
                <= when
                <= date.fromisoformat(session.end or "")
            ):
                return session
        except ValueError:
            continue
    return None


def _latest_grades(data: EdfiData, crosswalk: Crosswalk) -> dict[str | None, str]:
    latest: dict[str | None, tuple[str, str]] = {}
    for r in data.enrollments:
        grade = crosswalk.grade(r.grade) if r.grade else None
        if grade is not None and (
            r.student_id not in latest or (r.entry or "") > latest[r.student_id][0]
        ):
            latest[r.student_id] = (r.entry or "", grade)
    return {student: grade for student, (_, grade) in latest.items()}


def _students(data: EdfiData, out: Translated) -> Columns:
    rows = [(r.student_id, r.file, r.line) for r in data.students]
    if not rows:
        seen = _first_reference(data, "student_id")
        rows = [(student, file, line) for student, (file, line) in seen.items()]
        if rows:
            out.notes.append(
                f"No Student in the input: the students ({len(rows):,}) are taken from the ids the "
                "attendance and enrollments use."
            )
            out.missing.append("students: no Student entity (Student interchange)")
    ids = [r[0] or "" for r in rows]
    attributes = student_attributes(data, ids)
    if attributes:
        out.notes.append(
            "Student groups read: "
            + ", ".join(dimension_label(a).lower() for a in attributes)
            + " (docs/sources/edfi.md says how "
            "each is made; program groups count any association in the input, whatever its "
            "dates)."
        )
    columns: dict[str, list[object]] = {"student_id": [r[0] for r in rows]}
    for name, values in attributes.items():
        columns[name] = [values[s] for s in ids]
    columns[ORIGIN_FILE] = [r[1] for r in rows]
    columns[ORIGIN_LINE] = [r[2] for r in rows]
    return _table(columns)


def _attendance(data: EdfiData, crosswalk: Crosswalk, out: Translated) -> Columns:
    seen: Counter[str] = Counter()
    statuses, fractions = [], []
    no_duration = ignored_duration = presences = 0
    for event in data.events:
        category = event.category or ""
        code = crosswalk.attendance_code(category) if category else None
        if category:
            seen[category] += 1
        if code is None:  # missing (refused) or unmapped (stops the load): left as written
            statuses.append(category)
            fractions.append(event.duration or "")
            continue
        statuses.append(code.status)
        if not code.is_absence:
            presences += code.status == "present"
            ignored_duration += _above_zero(event.duration)
            fractions.append("")
        elif event.duration:
            fractions.append(event.duration)
        elif code.needs_duration:
            no_duration += 1
            fractions.append(NO_DURATION)
        else:
            fractions.append(code.fraction or "")
    for category, count in sorted(seen.items()):
        code = crosswalk.attendance_code(category)
        out.codes.append(
            CodeSeen(
                "AttendanceEventCategory", _shown(category), count, str(code) if code else None
            )
        )
        if code is None:
            out.unmapped.append(Unmapped("AttendanceEventCategory", _shown(category), count))
    if data.events and not presences:
        out.notes.append(
            "No event says a student was present (In Attendance): attendance is recorded as "
            "exceptions, so a school day without an event is a day present."
        )
    if no_duration:
        out.notes.append(
            f"Partial-day events without an EventDuration: {no_duration:,}. How much of the day "
            f"was missed is unknown, so they are refused (invalid fraction, value {NO_DURATION}). "
            'To count them, map their category with a fraction, e.g. Partial = "0.5 unexcused" '
            "(docs/sources/edfi.md)."
        )
    if ignored_duration:
        out.notes.append(
            "Events of a presence category (tardy, early departure, in attendance) with an "
            f"EventDuration: {ignored_duration:,}. A presence is never an absence, so it is not "
            "used."
        )
    events = data.events
    return _table(
        {
            "student_id": [e.student_id for e in events],
            "school_id": [e.school_id for e in events],
            "date": [e.date for e in events],
            "status": statuses,
            "absent_fraction": fractions,
            ORIGIN_FILE: [e.file for e in events],
            ORIGIN_LINE: [e.line for e in events],
        }
    )


def _above_zero(duration: str | None) -> bool:
    try:
        return duration is not None and float(duration) > 0
    except ValueError:
        return False
