"""The Ed-Fi Grand Bend sample district (../shared/data/edfi-grand-bend, Data Standard 5.2): it
loads, says what it had to assume, reproduces the counts its README states (1,917 attendance
events, 227 students, 3 schools), refuses the 3 events on a Sunday, and its chronic absence
matches a plain reading of the XML."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from command import rollcall
from lxml import etree
from outputs import read_csv

GRAND_BEND = Path(__file__).resolve().parents[2] / "shared" / "data" / "edfi-grand-bend"
if not GRAND_BEND.is_dir():
    GRAND_BEND = Path("/work/shared/data/edfi-grand-bend")
EVENTS = GRAND_BEND / "StudentSchoolAttendance.xml"

# The real Ed-Fi sample, read once per module (about 2 s): the full suite; the fast loop reads it
# through tests/test_edfi_xml_events.py.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not GRAND_BEND.is_dir(), reason="Grand Bend data not present"),
]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("grand-bend")
    done = rollcall(
        "report", "--input", str(GRAND_BEND), "--out", str(out), "--enrollment-from-sessions"
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, out


def plain_events() -> list[dict[str, str]]:
    """The events as the XML has them, read with nothing but lxml."""
    events = []
    for _, element in etree.iterparse(str(EVENTS), tag="{*}StudentSchoolAttendanceEvent"):
        values = {etree.QName(e).localname: (e.text or "").strip() for e in element.iter()}
        values["line"] = str(element.sourceline)
        events.append(values)
    return events


def test_without_enrollments_it_stops_and_names_the_flag(tmp_path):
    done = rollcall("report", "--input", str(GRAND_BEND), "--out", str(tmp_path))
    assert done.returncode == 2
    assert "has no enrollments" in done.stderr
    assert "--enrollment-from-sessions" in done.stderr


@pytest.mark.slow
def test_the_published_counts_are_reproduced(printed):
    stdout, out = printed
    assert "StudentSchoolAttendance.xml (attendance)  1,917" in stdout
    assert "Students: 227;" in stdout
    metrics = read_csv(out / "student_metrics.csv")
    assert len({r["unit_id"] for r in metrics if r["level"] == "school"}) == 3
    assert len({r["student_id"] for r in metrics if r["level"] == "total"}) == 227


def test_what_was_assumed_is_said(printed):
    stdout, _ = printed
    assert (
        "Note: The calendar lists 2 dates (2 instructional): too few for 3 of 3 schools" in stdout
    )
    assert (
        "2021-2022 Fall Semester (2021-08-23 to 2021-12-17) at 3 schools: 85 school days" in stdout
    )
    assert "TotalInstructionalDays says 81: 4 more here" in stdout
    assert "TotalInstructionalDays says 88: 16 more here" in stdout
    assert (
        "Enrollments assumed (--enrollment-from-sessions) for 227 students at 3 schools" in stdout
    )
    assert "no attendance event and no enrollment, so not counted: 733 of 960" in stdout


def test_the_sunday_events_and_the_partial_without_duration_are_refused_at_their_lines(printed):
    _, out = printed
    sundays = [e for e in plain_events() if date.fromisoformat(e["EventDate"]).weekday() == 6]
    assert len(sundays) == 3
    partial = [e for e in plain_events() if e["AttendanceEventCategory"].endswith("#Partial")]
    rejects = [(r["file"], r["line"], r["column"], r["value"], r["reason"])
               for r in read_csv(out / "rejects.csv")]  # fmt: skip
    assert rejects == [
        ("StudentSchoolAttendance.xml", partial[0]["line"], "EventDuration", "(none)",
         "invalid fraction"),
        *[("StudentSchoolAttendance.xml", e["line"], "EventDate", e["EventDate"],
           "not an instructional day") for e in sundays],
    ]  # fmt: skip


def test_chronic_absence_matches_a_plain_reading_of_the_xml(printed):
    """The reference: school days are the weekdays of the two semesters; each student is
    enrolled for the semesters they have events in; an absence is an Excused or Unexcused
    event on a school day (every one has EventDuration 1); chronic is 10% or more."""
    _, out = printed
    semesters = {"Fall": (date(2021, 8, 23), date(2021, 12, 17)),
                 "Spring": (date(2022, 1, 4), date(2022, 5, 27))}  # fmt: skip

    def weekdays(begin: date, end: date) -> set[date]:
        days = (begin + timedelta(n) for n in range((end - begin).days + 1))
        return {d for d in days if d.weekday() < 5}

    absent: dict[str, set[date]] = defaultdict(set)
    terms: dict[str, set[str]] = defaultdict(set)
    for e in plain_events():
        terms[e["StudentUniqueId"]].add(e["SessionName"].split()[1])
        day = date.fromisoformat(e["EventDate"])
        if day.weekday() < 5 and e["AttendanceEventCategory"].endswith("Absence"):
            absent[e["StudentUniqueId"]].add(day)
    chronic = {
        s for s, names in terms.items()
        if len(absent[s]) * 10 >= sum(len(weekdays(*semesters[n])) for n in names)
    }  # fmt: skip
    metrics = read_csv(out / "student_metrics.csv")
    found = {r["student_id"] for r in metrics if r["level"] == "total"
             and r["chronically_absent"] == "true"}  # fmt: skip
    assert found == chronic
    assert 0 < len(chronic) < 227


def test_inspect_says_what_each_file_feeds_and_what_is_missing():
    done = rollcall("inspect", "--input", str(GRAND_BEND))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "edfi (days-level data)" in out
    assert (
        "StudentSchoolAttendance.xml → attendance: StudentSchoolAttendanceEvent: 1,917 rows" in out
    )
    assert (
        "EducationOrgCalendar.xml → calendar (school days from its dates): Session: 6 rows" in out
    )
    assert "StudentProgram.xml → students (the special_education group)" in out
    assert "StudentSectionAttendance-Tardy.xml → not read: StudentSectionAttendanceEvent" in out
    for code, count, meaning in (
        ("Excused Absence", "1,077", "excused"),
        ("Unexcused Absence", "773", "unexcused"),
        ("Tardy", "66", "tardy"),
        ("Partial", "1", "unexcused"),
    ):
        assert any(code in line and count in line and meaning in line
                   for line in out.splitlines()), code  # fmt: skip
    assert "Dates: 2021-08-23 to 2022-05-27." in out
    assert "Missing: enrollments: no StudentSchoolAssociation" in out
    assert "TotalInstructionalDays says 81" in out
