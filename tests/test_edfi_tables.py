"""How each Ed-Fi attendance event is translated (rollcall/formats/edfi/tables.py), against the
table of docs/sources/edfi.md ("Partial days") on random events."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from rollcall.formats.edfi.descriptors import load_crosswalk
from rollcall.formats.edfi.model import EdfiData, EventRow
from rollcall.formats.edfi.tables import translate

CATEGORIES = ("In Attendance", "Present", "Tardy", "Early departure", "Partial",
              "Excused Absence", "Unexcused Absence")  # fmt: skip
DURATIONS = (None, "0", "0.25", "0.5", "1", "1.5")
CROSSWALK = load_crosswalk()


def expected(category: str, duration: str | None) -> tuple[str, str]:
    """(status, absent_fraction), as the documentation's table says."""
    presences = {"In Attendance": "present", "Present": "present", "Tardy": "tardy",
                 "Early departure": "early_departure"}  # fmt: skip
    if category in presences:
        return presences[category], ""  # never an absence, whatever the duration
    status = "excused" if category == "Excused Absence" else "unexcused"
    if duration is not None:
        return status, duration  # as written: the engine refuses 0 and 1.5 with their reasons
    return status, "(none)" if category == "Partial" else ""


@given(st.lists(st.tuples(st.sampled_from(CATEGORIES), st.sampled_from(DURATIONS)), max_size=30))
def test_each_event_reads_as_the_documented_table_says(events):
    data = EdfiData(Path("."))
    data.events = [
        EventRow("s1", "A", "Fall", "2024-2025", "2024-09-03",
                 f"uri://ed-fi.org/AttendanceEventCategoryDescriptor#{category}", duration,
                 "StudentSchoolAttendance.xml", line)
        for line, (category, duration) in enumerate(events, 3)
    ]  # fmt: skip
    table = translate(data, CROSSWALK, enrollment_from_sessions=False).tables["attendance"]
    assert list(zip(table["status"], table["absent_fraction"], strict=True)) == [
        expected(category, duration) for category, duration in events
    ]
    assert table["_line"] == list(range(3, 3 + len(events)))
    assert set(table["_file"]) <= {"StudentSchoolAttendance.xml"}
