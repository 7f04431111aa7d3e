"""The mapping file is checked once, at the boundary: every bad key or value is an error that
names the mapping file, the key and what is allowed (rollcall/formats/sis/mapping_file.py)."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest
from command import rollcall
from hypothesis import given
from hypothesis import strategies as st
from sis_small import base_mapping, toml_text

from rollcall.errors import InputError
from rollcall.formats.sis.mapping_file import Schedule, read_mapping
from rollcall.formats.sis.tables import date_sql
from rollcall.formats.sis.vocabulary import DATE_FORMATS


def mapping_error(tmp_path, mapping) -> InputError:
    path = tmp_path / "map.toml"
    path.write_text(mapping if isinstance(mapping, str) else toml_text(mapping), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_mapping(path)
    assert str(raised.value).startswith(f"{path}: ")
    return raised.value


def changed(**changes):
    """The small mapping with ``changes``: ``attendance__columns__date="X"`` sets a nested key,
    ``None`` removes it."""
    mapping = base_mapping()
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        place = mapping
        for parent in parents:
            place = place.setdefault(parent, {})
        if value is None:
            del place[key]
        else:
            place[key] = value
    return mapping


def test_the_small_mapping_is_valid(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text(toml_text(base_mapping()), encoding="utf-8")
    mapping = read_mapping(path)
    assert mapping.status_of("H").fraction == "0.5"
    assert mapping.status_of("Excused").status == "excused"  # a canonical name, any case
    assert mapping.status_of("Q") is None
    assert mapping.grade_of("KG") == "K" and mapping.grade_of("G1") is None
    assert mapping.tables["attendance"].date_format == "%m/%d/%Y"


def test_an_unknown_top_level_key_names_the_allowed_ones(tmp_path):
    error = mapping_error(tmp_path, changed(dateformat="%m/%d/%Y"))
    assert "dateformat: is not a key of the mapping file; allowed: date_format, delimiter" in str(
        error
    )


def test_an_unknown_table_key_names_the_table_and_its_keys(tmp_path):
    error = mapping_error(tmp_path, changed(attendance__colums={"date": "AttDate"}))
    assert "attendance.colums: is not a key of [attendance]; allowed: file, sheet, columns" in str(
        error
    )


def test_an_unknown_canonical_column_names_the_columns_of_the_table(tmp_path):
    error = mapping_error(tmp_path, changed(attendance__columns__reason="Why"))
    assert str(error).endswith(
        "attendance.columns.reason: is not a column of attendance; allowed: student_id, "
        "school_id, date, status, absent_fraction"
    )


@pytest.mark.parametrize(
    ("meaning", "expected"),
    [
        ("absent", "codes.status.'X': 'absent' is not a status; allowed: suspension, unexcused"),
        ({"status": "unexcused", "fraction": 1.5}, "1.5 is not a share of the day"),
        ({"status": "unexcused", "fraction": 0}, "0 is not a share of the day"),
        ({"status": "tardy", "fraction": 0.5}, "a fraction is only for an absence, not 'tardy'"),
        ({"status": "excused", "share": 0.5}, "codes.status.'X'.share: is not a key"),
    ],
)
def test_a_status_crosswalk_must_name_a_status_and_a_share_of_an_absence(
    tmp_path, meaning, expected
):
    assert expected in str(mapping_error(tmp_path, changed(codes__status__X=meaning)))


def test_grade_and_yes_no_crosswalks_must_name_canonical_values(tmp_path):
    grade = mapping_error(tmp_path, changed(codes__grade={"G13": "13"}))
    assert "codes.grade.'G13': '13' is not a grade; allowed: PK, TK, K, 1 to 12, UG" in str(grade)
    yes_no = mapping_error(tmp_path, changed(codes__yes_no={"Pending": "maybe"}))
    assert "codes.yes_no.'Pending': 'maybe' is not yes or no; allowed: Y, N" in str(yes_no)


def test_a_group_cannot_take_a_name_rollcall_uses(tmp_path):
    students = {"file": "s.csv", "groups": {"grade": "GradeLevel"}}
    error = mapping_error(tmp_path, changed(students=students))
    assert "students.groups.grade: 'grade' cannot be a group name" in str(error)


@pytest.mark.parametrize("fmt", ["%m/%d", "%Y", "mm/dd/yyyy", "%Q"])
def test_a_date_format_must_give_a_whole_date(tmp_path, fmt):
    error = mapping_error(tmp_path, changed(date_format=fmt))
    assert f"date_format: {fmt!r} is not a date format that gives a whole date" in str(error)


def test_delimiter_and_encoding_must_be_ones_rollcall_reads(tmp_path):
    assert "':' is not a delimiter" in str(mapping_error(tmp_path, changed(delimiter=":")))
    assert "'cp1252' is not an encoding" in str(mapping_error(tmp_path, changed(encoding="cp1252")))


def test_the_calendar_is_a_file_or_days_not_both(tmp_path):
    error = mapping_error(tmp_path, changed(calendar__file="cal.csv"))
    assert "calendar.first_day: cannot be used with calendar.file" in str(error)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("last_day", date(2024, 9, 1), "calendar.last_day: 2024-09-01 is before first_day"),
        ("first_day", "9/3/2024", "calendar.first_day: '9/3/2024' is not a date"),
        ("weekdays", ["Mon", "Funday"], "calendar.weekdays: ['Mon', 'Funday'] is not a list"),
        ("non_instructional", "2024-09-09", "calendar.non_instructional: must be a list"),
    ],
)
def test_calendar_days_are_checked(tmp_path, key, value, expected):
    assert expected in str(mapping_error(tmp_path, changed(**{f"calendar__{key}": value})))


def test_a_school_calendar_needs_a_first_and_last_day_from_somewhere(tmp_path):
    mapping = changed(calendar__first_day=None, calendar__last_day=None)
    mapping["calendar"]["schools"] = {"S1": {"last_day": date(2024, 9, 13)}}
    error = mapping_error(tmp_path, mapping)
    assert "calendar.schools.S1.first_day: is missing" in str(error)


def test_attendance_and_enrollments_are_required(tmp_path):
    error = mapping_error(tmp_path, changed(enrollments=None))
    assert "[enrollments]: is missing" in str(error)


def test_a_district_column_is_only_for_schools_taken_from_ids(tmp_path):
    schools = {"file": "schools.csv", "district_column": "Dist"}
    error = mapping_error(tmp_path, changed(schools=schools))
    assert "schools.district_column: is only for schools taken from the enrollments' ids" in str(
        error
    )


def test_every_entry_still_todo_is_listed(tmp_path):
    mapping = changed(codes__status__H="TODO", attendance__columns__date="TODO")
    mapping["codes"]["status"]["Q"] = "TODO"
    error = mapping_error(tmp_path, mapping)
    assert "3 entries are still TODO: attendance.columns.date, codes.status.H, codes.status.Q" in (
        str(error)
    )


def test_a_file_that_is_not_toml_says_where(tmp_path):
    error = mapping_error(tmp_path, "date_format = \n")
    assert "is not valid TOML" in str(error) and "line 1" in str(error)


def test_a_bad_key_on_the_command_line_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "map.toml").write_text(toml_text(changed(attendance__fil="a.csv")), "utf-8")
    done = rollcall(
        "report", "--input",
         str(tmp_path), "--mapping", str(tmp_path / "map.toml"), "--out", str(tmp_path / "o"),
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert re.search(r"map\.toml: attendance\.fil: is not a key of \[attendance\]", done.stderr)


# --- Dates and school days, against plain Python ---------------------------------------------


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    fmt=st.sampled_from([f for f in DATE_FORMATS if "%y" not in f]),
)
@pytest.mark.slow
def test_a_date_written_in_a_format_is_read_back_as_iso(day, fmt):
    written = day.strftime(fmt)
    con = duckdb.connect()
    try:
        found = con.execute(f"SELECT {date_sql('$v', fmt)}", {"v": written}).fetchall()[0][0]
    finally:
        con.close()
    assert found == day.isoformat()


@given(
    first=st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)),
    length=st.integers(min_value=0, max_value=60),
    off=st.sets(st.integers(min_value=0, max_value=60)),
    weekdays=st.sets(st.integers(min_value=0, max_value=6), min_size=1),
)
def test_school_days_are_the_listed_weekdays_in_the_span_less_the_days_off(
    first, length, off, weekdays
):
    from datetime import timedelta

    last = first + timedelta(days=length)
    holidays = frozenset(first + timedelta(days=n) for n in off)
    schedule = Schedule(first, last, holidays, tuple(sorted(weekdays)))
    expected = []
    day = first
    while day <= last:
        if day.weekday() in weekdays and day not in holidays:
            expected.append(day)
        day += timedelta(days=1)
    assert schedule.days() == expected
