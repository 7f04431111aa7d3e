"""Ed-Fi XML interchange files as input: each rule of docs/sources/edfi.md on a small synthetic
district whose numbers are worked out by hand."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from edfi_fixtures import (
    DS3,
    calendar,
    calendar_date,
    demographics,
    enrollment,
    event,
    lea,
    line_of,
    program,
    school,
    session,
    student,
    write_folder,
)
from outputs import read_csv

from rollcall import api
from rollcall.errors import InputError
from rollcall.formats.sources import ReadOptions, Source, choose_reader, inspect, load

# Three weeks of school, Monday 2 September to Friday 20 September 2024; Monday 2 September is
# Labor Day, which the calendar lists as a holiday: 14 school days.
BEGIN, END, HOLIDAY, SATURDAY = "2024-09-02", "2024-09-20", "2024-09-02", "2024-09-07"


def district(folder: Path, *, attendance=None, enrollments=None, calendar_dates=None, **more):
    """School A of district 900; students s1, s2, s3 in it all session long (rollcall stops on
    an input without attendance events, which is more likely a missing file than a perfect
    year)."""
    interchanges = {
        "organizations": [lea("900", "Riverside"), school("A", "Adams")],
        "calendar": [
            session("A", "Fall", BEGIN, END, 14),
            calendar("C1", "A"),
            *(
                calendar_dates
                if calendar_dates is not None
                else [calendar_date("C1", HOLIDAY, "Holiday")]
            ),
        ],
        "students": [student(s) for s in ("s1", "s2", "s3")],
        "enrollment": enrollments
        if enrollments is not None
        else [enrollment(s, "A", BEGIN) for s in ("s1", "s2", "s3")],
        # A district's attendance is never empty: one tardy, which counts for nothing.
        "attendance": attendance or [event("s1", "A", "2024-09-03", "Tardy")],
    }
    interchanges.update(more)
    return write_folder(folder, **{k: v for k, v in interchanges.items() if v is not None})


def report(folder: Path, tmp_path: Path, **options):
    out = tmp_path / "out"
    result = api.report(Source(folder, None, ReadOptions(**options)), out)
    students = {
        (r["level"], r["unit_id"], r["student_id"]): r
        for r in read_csv(out / "student_metrics.csv")
    }
    return result, students, read_csv(out / "rejects.csv"), read_csv(out / "summary.csv")


@pytest.mark.slow
def test_a_half_day_unexcused_absence_counts_half_and_a_tardy_never_counts(tmp_path):
    folder = district(
        tmp_path / "in",
        attendance=[
            event("s1", "A", "2024-09-03", "Unexcused Absence", "0.5"),
            event("s1", "A", "2024-09-04", "Excused Absence"),  # no duration: a whole day
            event("s1", "A", "2024-09-05", "Tardy", "0.25"),  # a presence, whatever its duration
            event("s1", "A", "2024-09-06", "Early departure", "0.5"),
        ],
    )
    result, students, rejects, _ = report(folder, tmp_path)
    s1 = students[("school", "A", "s1")]
    assert (s1["days_enrolled"], s1["days_absent"]) == ("14", "1.5")
    assert (s1["days_excused"], s1["days_unexcused"]) == ("1", "0.5")
    assert rejects == []
    assert any("presence category" in note for note in result.notes)


@pytest.mark.slow
def test_partial_takes_its_fraction_from_event_duration_and_is_refused_without_one(tmp_path):
    folder = district(
        tmp_path / "in",
        attendance=[
            event("s2", "A", "2024-09-03", "Partial", "0.25"),
            event("s2", "A", "2024-09-04", "Partial"),
        ],
    )
    result, students, rejects, _ = report(folder, tmp_path)
    s2 = students[("school", "A", "s2")]
    assert (s2["days_absent"], s2["days_unexcused"]) == ("0.25", "0.25")
    events = folder / "StudentSchoolAttendance.xml"
    assert [(r["file"], r["line"], r["column"], r["value"], r["reason"]) for r in rejects] == [
        (
            "StudentSchoolAttendance.xml",
            str(line_of(events, "<StudentSchoolAttendanceEvent>", 2)),
            "EventDuration",
            "(none)",
            "invalid fraction",
        )
    ]
    assert any("Partial-day events without an EventDuration: 1." in n for n in result.notes)


@pytest.mark.slow
def test_a_mapped_fraction_applies_when_the_event_has_no_duration(tmp_path):
    folder = district(
        tmp_path / "in",
        attendance=[
            event("s2", "A", "2024-09-03", "Partial", "0.25"),
            event("s2", "A", "2024-09-04", "Partial"),
        ],
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[edfi.attendance]\n"Partial" = "0.5 excused"\n', encoding="utf-8")
    _, students, rejects, _ = report(folder, tmp_path, mapping=mapping)
    s2 = students[("school", "A", "s2")]
    # 0.25 from the event's own EventDuration, 0.5 from the mapping for the one without.
    assert (s2["days_absent"], s2["days_excused"], s2["days_unexcused"]) == ("0.75", "0.75", "0")
    assert rejects == []


@pytest.mark.slow
def test_events_on_a_holiday_or_a_weekend_are_refused_at_their_line(tmp_path):
    folder = district(
        tmp_path / "in",
        attendance=[
            event("s3", "A", HOLIDAY, "Excused Absence"),
            event("s3", "A", SATURDAY, "Unexcused Absence"),
        ],
    )
    _, students, rejects, _ = report(folder, tmp_path)
    assert students[("school", "A", "s3")]["days_absent"] == "0"
    events = folder / "StudentSchoolAttendance.xml"
    assert [(r["line"], r["column"], r["value"], r["reason"]) for r in rejects] == [
        (str(line_of(events, "<StudentSchoolAttendanceEvent>", n)), "EventDate", day,
         "not an instructional day")
        for n, day in ((1, HOLIDAY), (2, SATURDAY))
    ]  # fmt: skip


def test_school_days_are_the_session_weekdays_less_listed_holidays_checked_against_the_session(
    tmp_path,
):
    folder = district(tmp_path / "in")
    loaded = load(Source(folder), duckdb.connect())
    assert loaded.raw["calendar"].rows == 14
    assert any("14 school days derived from the weekdays" in n and "says 14 too" in n
               for n in loaded.notes)  # fmt: skip


def test_a_session_whose_stated_days_differ_says_by_how_many(tmp_path):
    folder = district(tmp_path / "in", calendar_dates=[])  # Labor Day is not listed
    loaded = load(Source(folder), duckdb.connect())
    assert loaded.raw["calendar"].rows == 15
    assert any("TotalInstructionalDays says 14: 1 more here" in note for note in loaded.notes)


@pytest.mark.slow
def test_a_complete_calendar_is_used_as_it_is(tmp_path):
    # Every weekday but Labor Day and Friday 13 September listed as instructional: the calendar
    # is complete, so the 13th (listed nowhere) is no school day, and Saturday the 14th, a
    # make-up day, is one.
    weekdays = [f"2024-09-{d:02d}" for d in (3, 4, 5, 6, 9, 10, 11, 12, 16, 17, 18, 19, 20)]
    dates = [calendar_date("C1", day, "Instructional day") for day in weekdays]
    dates.append(calendar_date("C1", "2024-09-14", "Make-up day"))
    folder = district(
        tmp_path / "in",
        calendar_dates=dates,
        attendance=[
            event("s1", "A", "2024-09-13", "Unexcused Absence"),
            event("s1", "A", "2024-09-14", "Unexcused Absence"),
        ],
    )
    result, students, rejects, _ = report(folder, tmp_path)
    assert students[("school", "A", "s1")]["days_enrolled"] == "14"
    assert students[("school", "A", "s1")]["days_absent"] == "1"
    assert [(r["value"], r["reason"]) for r in rejects] == [
        ("2024-09-13", "not an instructional day")
    ]
    assert any("14 school days from the calendar" in note for note in result.notes)


@pytest.mark.slow
def test_grades_come_from_the_entry_grade_level(tmp_path):
    folder = district(
        tmp_path / "in",
        enrollments=[
            enrollment("s1", "A", BEGIN, grade="Kindergarten"),
            enrollment("s2", "A", BEGIN, grade="Twelfth grade"),
            enrollment("s3", "A", BEGIN, grade="Preschool/Prekindergarten", exit="2024-09-13"),
        ],
    )
    _, students, _, _ = report(folder, tmp_path)
    assert [students[("school", "A", s)]["grade"] for s in ("s1", "s2", "s3")] == ["K", "12", "PK"]
    # The exit date is the last day enrolled: 9 of the 14 school days.
    assert students[("school", "A", "s3")]["days_enrolled"] == "9"


def test_unmapped_descriptors_stop_the_load_naming_every_one_with_its_count(tmp_path):
    folder = district(
        tmp_path / "in",
        enrollments=[enrollment("s1", "A", BEGIN, grade="Grade 13")],
        attendance=[
            event("s1", "A", "2024-09-03", "Absent-Medical"),
            event("s1", "A", "2024-09-04", "Absent-Medical"),
            event("s1", "A", "2024-09-05", "Excused Absence"),
        ],
        calendar_dates=[calendar_date("C1", HOLIDAY, "Other")],
    )
    with pytest.raises(InputError) as raised:
        load(Source(folder), duckdb.connect())
    message = str(raised.value)
    assert "AttendanceEventCategory 'Absent-Medical' (2)" in message
    assert "GradeLevel 'Grade 13' (1)" in message
    assert "CalendarEvent 'Other' (1)" in message
    assert "Excused" not in message
    assert "[edfi.attendance]" in (raised.value.hint or "")


@pytest.mark.slow
def test_a_mapping_file_adds_descriptors_by_code_value_or_uri(tmp_path):
    folder = district(
        tmp_path / "in",
        enrollments=[enrollment("s1", "A", BEGIN, grade="Grade 13")],
        attendance=[event("s1", "A", "2024-09-03", "Absent-Medical")],
        calendar_dates=[calendar_date("C1", HOLIDAY, "Other")],
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        "[edfi.attendance]\n"
        '"uri://ed-fi.org/AttendanceEventCategoryDescriptor#Absent-Medical" = "excused"\n'
        "[edfi.grades]\n"
        '"grade 13" = "UG"\n'
        "[edfi.calendar_events]\n"
        'Other = "non-instructional"\n',
        encoding="utf-8",
    )
    _, students, rejects, _ = report(folder, tmp_path, mapping=mapping)
    s1 = students[("school", "A", "s1")]
    assert (s1["grade"], s1["days_enrolled"], s1["days_excused"]) == ("UG", "14", "1")
    assert rejects == []


def test_a_mapping_file_names_the_bad_entry_and_its_line(tmp_path):
    folder = district(tmp_path / "in")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[edfi.attendance]\n"Absent-Medical" = "sick"\n', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load(Source(folder, None, ReadOptions(mapping=mapping)), duckdb.connect())
    assert raised.value.line == 2
    assert '"Absent-Medical"' in str(raised.value) and "'sick'" in str(raised.value)


def test_a_mapping_file_with_an_edfi_table_chooses_the_edfi_reader(tmp_path):
    folder = district(tmp_path / "in")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text("[edfi.attendance]\n", encoding="utf-8")
    chosen = choose_reader(Source(folder, None, ReadOptions(mapping=mapping)))
    assert chosen.kind == "edfi"


def test_demographics_and_programs_become_student_groups(tmp_path):
    folder = district(
        tmp_path / "in",
        enrollment=[
            *[enrollment(s, "A", BEGIN) for s in ("s1", "s2", "s3")],
            demographics(
                "s1", sex="Female", hispanic="true", races=["White"],
                limited_english="Limited", characteristics=["Economic Disadvantaged"],
                indicators=[("Gifted", "Yes")],
            ),
            demographics("s2", sex="Male", hispanic="false", races=["White", "Asian"],
                         limited_english="NotLimited"),
            # A school-level record for s2 that the district-level one wins over.
            demographics("s2", "A", sex="Female"),
        ],
        programs=[program("StudentSpecialEducationProgramAssociation", "s2"),
                  program("StudentHomelessProgramAssociation", "s3")],
    )  # fmt: skip
    loaded = load(Source(folder), duckdb.connect())
    con = duckdb.connect()
    loaded = load(Source(folder), con)
    rows = con.execute(
        "SELECT student_id, sex, race_ethnicity, limited_english_proficiency, "
        "economic_disadvantaged, indicator_gifted, special_education, homeless "
        "FROM raw_students ORDER BY student_id"
    ).fetchall()
    assert rows == [
        ("s1", "Female", "Hispanic or Latino", "Limited", "Y", "Yes", "N", "N"),
        ("s2", "Male", "Two or more races", "NotLimited", "N", "", "Y", "N"),
        ("s3", "", "", "", "", "", "N", "Y"),
    ]
    assert "first_name" not in loaded.raw["students"].columns  # names are never read


@pytest.mark.slow
def test_groups_reach_the_summary(tmp_path):
    folder = district(
        tmp_path / "in",
        attendance=[event("s1", "A", f"2024-09-{d:02d}", "Unexcused Absence") for d in (3, 4)],
        programs=[program("StudentSpecialEducationProgramAssociation", "s1")],
    )
    _, _, _, summary = report(folder, tmp_path)
    groups = {(r["unit_id"], r["dimension"], r["group"]): r for r in summary}
    assert groups[("A", "special_education", "Y")]["chronically_absent"] == "1"
    assert groups[("A", "special_education", "N")]["eligible_students"] == "2"


def test_references_by_xml_id_are_resolved(tmp_path):
    folder = write_folder(
        tmp_path / "in",
        organizations=[lea("900", "Riverside", xml_id="LEA_900"),
                       school("A", lea_id=None, lea_ref="LEA_900")],
        calendar=[session("A", "Fall", BEGIN, END, 15)],
        students=[student("s1", xml_id="STU_1")],
        enrollment=[enrollment("s1", "A", BEGIN)],
        attendance=[event("s1", "A", "2024-09-03", "Unexcused Absence", student_by_ref="STU_1")],
    )  # fmt: skip
    con = duckdb.connect()
    load(Source(folder), con)
    assert con.execute("SELECT district_id, district_name FROM raw_schools").fetchall() == [
        ("900", "Riverside")
    ]
    assert con.execute("SELECT student_id FROM raw_attendance").fetchall() == [("s1",)]


@pytest.mark.slow
def test_an_older_data_standard_with_flat_events_reads_the_same(tmp_path):
    def build(folder, namespace, flat):
        return write_folder(
            folder,
            namespace=namespace,
            organizations=[school("A")],
            calendar=[session("A", "Fall", BEGIN, END, 15)],
            students=[student("s1")],
            enrollment=[enrollment("s1", "A", BEGIN)],
            attendance=[event("s1", "A", "2024-09-03", "Unexcused Absence", "0.5", flat=flat)],
        )

    new = report(build(tmp_path / "ds5", "http://ed-fi.org/5.2.0", False), tmp_path / "a")[1]
    old = report(build(tmp_path / "ds3", DS3, True), tmp_path / "b")[1]
    assert new == old
    assert old[("school", "A", "s1")]["days_absent"] == "0.5"


def test_without_enrollments_the_load_stops_and_names_the_flag(tmp_path):
    folder = district(
        tmp_path / "in", enrollments=[], attendance=[event("s1", "A", "2024-09-03", "Tardy")]
    )
    with pytest.raises(InputError) as raised:
        load(Source(folder), duckdb.connect())
    assert "no enrollments" in str(raised.value)
    assert "--enrollment-from-sessions" in (raised.value.hint or "")


@pytest.mark.slow
def test_enrollment_from_sessions_spans_the_sessions_a_student_has_events_in(tmp_path):
    folder = write_folder(
        tmp_path / "in",
        organizations=[school("A")],
        calendar=[session("A", "Fall", BEGIN, "2024-09-13", 10),
                  session("A", "Spring", "2024-09-16", END, 5)],
        students=[student(s) for s in ("s1", "s2", "s3")],
        attendance=[
            event("s1", "A", "2024-09-03", "Unexcused Absence"),
            event("s2", "A", "2024-09-03", "Unexcused Absence"),
            event("s2", "A", "2024-09-17", "Excused Absence", session_name="Spring"),
            # No session named: the session holding the date counts.
            event("s2", "A", "2024-09-18", "Excused Absence", session_name=None),
        ],
    )  # fmt: skip
    result, students, rejects, _ = report(folder, tmp_path, enrollment_from_sessions=True)
    assert students[("school", "A", "s1")]["days_enrolled"] == "10"
    assert students[("school", "A", "s2")]["days_enrolled"] == "15"
    assert students[("school", "A", "s2")]["grade"] == "UG"
    assert ("total", "total", "s3") not in students  # no event, no enrollment: not counted
    assert rejects == []
    assert result.counts["assumed (enrollments)"].read == 2
    notes = " ".join(result.notes)
    assert "Enrollments assumed (--enrollment-from-sessions) for 2 students" in notes
    assert (
        "Students read with no attendance event and no enrollment, so not counted: 1 of 3" in notes
    )


@pytest.mark.slow
def test_enrollment_from_sessions_takes_the_grade_of_another_school(tmp_path):
    folder = write_folder(
        tmp_path / "in",
        organizations=[school("A"), school("B")],
        calendar=[session("A", "Fall", BEGIN, END, 15), session("B", "Fall", BEGIN, END, 15)],
        students=[student("s1")],
        enrollment=[enrollment("s1", "A", BEGIN, grade="Third grade", exit="2024-09-06")],
        attendance=[event("s1", "B", "2024-09-10", "Unexcused Absence")],
    )
    _, students, _, _ = report(folder, tmp_path, enrollment_from_sessions=True)
    assert students[("school", "B", "s1")]["grade"] == "3"


@pytest.mark.slow
def test_events_without_an_association_at_their_school_are_refused_and_counted(tmp_path):
    folder = district(
        tmp_path / "in",
        enrollments=[enrollment("s1", "A", BEGIN)],
        attendance=[event("s2", "A", "2024-09-03", "Unexcused Absence")],
    )
    result, _, rejects, _ = report(folder, tmp_path)
    assert [r["reason"] for r in rejects] == ["not enrolled on this date"]
    assert any("no StudentSchoolAssociation at their school: 1 (students: 1)" in n
               for n in result.notes)  # fmt: skip


def test_xml_that_is_not_well_formed_names_the_file_and_line(tmp_path):
    folder = district(tmp_path / "in", attendance=[event("s1", "A", "2024-09-03", "Tardy")])
    path = folder / "StudentSchoolAttendance.xml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("</", "<")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load(Source(folder), duckdb.connect())
    assert raised.value.path == path
    assert raised.value.line is not None and raised.value.line >= 6


def test_detection_claims_ed_fi_folders_and_nothing_else(tmp_path):
    from rollcall.formats.edfi.reader import READER

    assert READER.detect(district(tmp_path / "edfi"))
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "notes.xml").write_text("<notes><a/></notes>", encoding="utf-8")
    (plain / "schools.csv").write_text("school_id\nA\n", encoding="utf-8")
    assert not READER.detect(plain)
    assert not READER.detect(tmp_path / "edfi" / "Student.xml")


def test_inspection_lists_files_codes_dates_and_what_is_missing(tmp_path):
    folder = district(
        tmp_path / "in",
        enrollments=[],
        attendance=[event("s1", "A", "2024-09-03", "Unexcused Absence"),
                    event("s1", "A", "2024-09-04", "Absent-Medical")],
    )  # fmt: skip
    found = inspect(Source(folder))
    assert found.kind == "edfi"
    roles = {(f.path.name, f.role, f.rows) for f in found.files}
    assert ("StudentSchoolAttendance.xml", "attendance: StudentSchoolAttendanceEvent", 2) in roles
    assert (
        "EducationOrgCalendar.xml",
        "calendar (school days from its dates): Session",
        1,
    ) in roles
    codes = {(c.column, c.code): (c.count, c.mapped_to) for c in found.codes}
    assert codes[("AttendanceEventCategory", "Unexcused Absence")] == (1, "unexcused")
    assert codes[("AttendanceEventCategory", "Absent-Medical")] == (1, None)
    assert codes[("CalendarEvent", "Holiday")] == (1, "not a school day")
    assert (str(found.first_date), str(found.last_date)) == ("2024-09-03", END)
    assert any("StudentSchoolAssociation" in line for line in found.missing)
    assert any("--enrollment-from-sessions" in line for line in found.missing)
