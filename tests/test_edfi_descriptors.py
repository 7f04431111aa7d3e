"""The Ed-Fi descriptor crosswalk (rollcall/formats/edfi/descriptors.py): the shipped defaults,
and a mapping file that extends them."""

from __future__ import annotations

import pytest

from rollcall.errors import InputError
from rollcall.formats.edfi.descriptors import AttendanceCode, code_value, load_crosswalk

DEFAULT = load_crosswalk()


def test_a_descriptor_is_read_by_uri_or_code_value_ignoring_case():
    uri = "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence"
    assert DEFAULT.attendance_code(uri) == AttendanceCode("excused")
    assert DEFAULT.attendance_code("excused absence") == AttendanceCode("excused")
    assert DEFAULT.attendance_code("uri://tx.gov/AttendanceEventCategoryDescriptor#Tardy") == (
        AttendanceCode("tardy")
    )
    assert code_value(uri) == "Excused Absence"


def test_the_defaults_cover_the_standard_categories_grades_and_calendar_events():
    meanings = {
        code: str(DEFAULT.attendance_code(code))
        for code in ("In Attendance", "Present", "Tardy", "Early departure", "Partial",
                     "Excused Absence", "Unexcused Absence")
    }  # fmt: skip
    assert meanings == {
        "In Attendance": "present",
        "Present": "present",
        "Tardy": "tardy",
        "Early departure": "early_departure",
        "Partial": "unexcused (the fraction in EventDuration)",
        "Excused Absence": "excused",
        "Unexcused Absence": "unexcused",
    }
    assert [DEFAULT.grade(g) for g in ("Kindergarten", "First grade", "Twelfth grade")] == [
        "K", "1", "12"
    ]  # fmt: skip
    assert DEFAULT.grade("Postsecondary") is None
    assert DEFAULT.instructional("Instructional day") is True
    assert DEFAULT.instructional("Holiday") is False
    assert DEFAULT.instructional("Other") is None


def write(tmp_path, text):
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_mapping_file_adds_and_replaces_entries(tmp_path):
    crosswalk = load_crosswalk(
        write(
            tmp_path,
            '[edfi.attendance]\n"Absent-Medical" = "excused"\nTardy = "0.25 unexcused"\n'
            '[edfi.grades]\n"Grade 13" = "12"\n',
        )
    )
    assert crosswalk.attendance_code("Absent-Medical") == AttendanceCode("excused")
    assert crosswalk.attendance_code("Tardy") == AttendanceCode("unexcused", fraction="0.25")
    assert crosswalk.grade("Grade 13") == "12"
    assert crosswalk.attendance_code("Excused Absence") == AttendanceCode("excused")  # kept


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[edfi.attendance]\nA = "sick"\n', "must be a status"),
        ('[edfi.attendance]\nA = "0.5 tardy"\n', "tardy is a presence"),
        ('[edfi.attendance]\nA = "1.5 excused"\n', "at most 1"),
        ('[edfi.attendance]\nA = "partial present"\n', "present is a presence"),
        ('[edfi.grades]\nA = "13"\n', "not a grade"),
        ('[edfi.calendar_events]\nA = "yes"\n', '"instructional" or "non-instructional"'),
        ("[edfi.attendance]\nA = 1\n", "text in quotes"),
        ("[edfi.reasons]\n", "unknown table [edfi.reasons]"),
        ("[attendance]\n", "has no [edfi] table"),
        ("[edfi.attendance\n", "is not valid TOML"),
    ],
)
def test_a_bad_mapping_file_says_what_is_wrong(tmp_path, text, says):
    with pytest.raises(InputError) as raised:
        load_crosswalk(write(tmp_path, text))
    assert says in str(raised.value)


def test_a_missing_mapping_file_is_named(tmp_path):
    with pytest.raises(InputError, match="mapping file not found"):
        load_crosswalk(tmp_path / "nope.toml")
