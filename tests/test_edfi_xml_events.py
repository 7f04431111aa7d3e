"""The fast path for attendance events (rollcall/formats/edfi/xml_fast.py: iterparse hands
Python only the attendance entities, and only the paths an event row needs are read) gives
exactly the rows of the general path, on the Grand Bend attendance file and on awkward files."""

from __future__ import annotations

from pathlib import Path

import pytest

from rollcall.errors import InputError
from rollcall.formats.edfi import xml_files as edfi_xml

GRAND_BEND = Path(__file__).resolve().parents[2] / "shared" / "data" / "edfi-grand-bend"
if not GRAND_BEND.is_dir():
    GRAND_BEND = Path("/work/shared/data/edfi-grand-bend")


def read_both(path: Path, monkeypatch: pytest.MonkeyPatch):
    """(fast, general): every event by the fast path, then every entity by the general one."""
    with monkeypatch.context() as patch:
        patch.setattr(edfi_xml, "_SAMPLE", 0)  # no event is read the general way
        fast = edfi_xml.read_xml(path.parent, [path])
    with monkeypatch.context() as patch:
        patch.setattr(edfi_xml, "_is_attendance", lambda _path: False)
        patch.setattr(edfi_xml, "_SAMPLE", 10**9)
        general = edfi_xml.read_xml(path.parent, [path])
    return fast, general


def event(body: str, *, attributes: str = "", tag: str = "StudentSchoolAttendanceEvent") -> str:
    return f"<{tag}{attributes}>{body}</{tag}>\n"


def identity(student: str, school: str = "100", session: str = "Fall") -> str:
    return (
        f"<StudentReference><StudentIdentity><StudentUniqueId>{student}</StudentUniqueId>"
        "</StudentIdentity></StudentReference>\n"
        f"  <SchoolReference>\n\t<SchoolIdentity><SchoolId> {school}\n</SchoolId></SchoolIdentity>"
        "</SchoolReference>"
        f"<SessionReference><SessionIdentity><SessionName>{session}</SessionName>"
        "<SchoolYear>2024-2025</SchoolYear><SchoolReference><SchoolIdentity><SchoolId>999"
        "</SchoolId></SchoolIdentity></SchoolReference></SessionIdentity></SessionReference>"
    )


AWKWARD = [
    # a partial day with its duration, in the Data Standard 4/5 shape
    event(
        "<AttendanceEvent><EventDate>2024-09-03</EventDate><AttendanceEventCategory>"
        "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Partial</AttendanceEventCategory>"
        "<EventDuration>0.5</EventDuration></AttendanceEvent>" + identity("S1")
    ),
    # a partial day without a duration; odd whitespace around every value
    event(
        "\n\n   <AttendanceEvent>\n<EventDate>\t 2024-09-04 \n</EventDate>\n"
        "<AttendanceEventCategory>\n  uri://x#Partial  </AttendanceEventCategory>"
        "<EventDuration>   </EventDuration></AttendanceEvent>\n" + identity(" S2 ")
    ),
    # the flat Data Standard 3 shape, a descriptor as CodeValue and Namespace
    event(
        "<EventDate>2024-09-05</EventDate><AttendanceEventCategory><CodeValue>Tardy</CodeValue>"
        "<Namespace>uri://ed-fi.org/AttendanceEventCategoryDescriptor</Namespace>"
        "</AttendanceEventCategory>" + identity("S3")
    ),
    # a comment inside a value, an empty first date then a second one, an unused element
    event(
        "<!-- checked --><AttendanceEvent><EventDate></EventDate><EventDate>2024-09-06</EventDate>"
        "<AttendanceEventCategory>uri://x#Excused<!-- c -->Absence</AttendanceEventCategory>"
        "<AttendanceEventReason>Sick</AttendanceEventReason></AttendanceEvent>" + identity("S4")
    ),
    # references by id, and a missing school
    event(
        "<AttendanceEvent><EventDate>2024-09-09</EventDate></AttendanceEvent>"
        '<StudentReference ref="st5"/><SessionReference ref="se1"/>',
        attributes=' id="ev5"',
    ),
    # another attendance entity between events, and a comment at the top level
    event(identity("S6"), tag="StudentSectionAttendanceEvent"),
    "<!-- top-level comment -->\n",
    event("<AttendanceEvent><EventDate>2024-09-10</EventDate></AttendanceEvent>" + identity("S7")),
    # the same event twice over, the second identity ignored as the general path does
    event(identity("S8") + identity("S9") + "<EventDuration>1</EventDuration>"),
]


@pytest.mark.parametrize("namespace", ["http://ed-fi.org/0320", "http://ed-fi.org/5.2.0"])
def test_awkward_events_read_the_same_by_the_fast_and_the_general_path(
    tmp_path, monkeypatch, namespace
):
    path = tmp_path / "StudentSchoolAttendance.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<InterchangeStudentAttendance xmlns="{namespace}">'
        + "".join(AWKWARD)
        + "</InterchangeStudentAttendance>\n"
    )
    fast, general = read_both(path, monkeypatch)
    assert len(general.events) == 7  # the section event is not one
    assert fast.events == general.events
    assert fast.files[0].entities == general.files[0].entities
    # the values the general path reads, as a reminder of what is compared
    assert general.events[1].duration is None and general.events[1].date == "2024-09-04"
    assert general.events[2].category == "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Tardy"
    assert general.events[4].student_id == "ref:st5" and general.events[4].school_id is None
    assert [e.line for e in fast.events] == [e.line for e in general.events]


@pytest.mark.skipif(not GRAND_BEND.is_dir(), reason="Grand Bend data not present")
@pytest.mark.parametrize(
    "name", ["StudentSchoolAttendance.xml", "StudentSectionAttendance-Tardy.xml"]
)
def test_grand_bend_attendance_reads_the_same_by_the_fast_and_the_general_path(monkeypatch, name):
    fast, general = read_both(GRAND_BEND / name, monkeypatch)
    assert fast.events == general.events
    assert fast.files[0].entities == general.files[0].entities
    if name == "StudentSchoolAttendance.xml":
        assert len(fast.events) == 1917


def test_a_malformed_attendance_file_names_its_line(tmp_path):
    path = tmp_path / "StudentSchoolAttendance.xml"
    text = (
        '<InterchangeStudentAttendance xmlns="http://ed-fi.org/5.2.0">\n'
        + AWKWARD[0]
        + "<StudentSchoolAttendanceEvent>\n</Oops>\n</InterchangeStudentAttendance>\n"
    )
    path.write_text(text)
    with pytest.raises(InputError, match="well-formed") as caught:
        edfi_xml.read_xml(tmp_path, [path])
    assert caught.value.line == text.splitlines().index("</Oops>") + 1


def test_an_attendance_interchange_without_attendance_events_reads_its_other_entities(
    tmp_path, monkeypatch
):
    path = tmp_path / "Other.xml"
    path.write_text(
        '<InterchangeStudentAttendance xmlns="http://ed-fi.org/5.2.0">\n'
        "<Student><StudentUniqueId>S1</StudentUniqueId></Student><!-- c -->\n"
        "</InterchangeStudentAttendance>\n"
    )
    fast, general = read_both(path, monkeypatch)
    assert fast.students == general.students and len(fast.students) == 1
    assert fast.files[0].entities == general.files[0].entities == {"Student": 1}
