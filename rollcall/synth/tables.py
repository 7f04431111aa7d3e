"""Arrays into canonical tables: ids, ISO dates and codes as strings, empty values as nulls."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rollcall.grades import GRADES
from rollcall.synth.absence import FRACTIONS, STATUSES, Attendance
from rollcall.synth.calendars import YearCalendars
from rollcall.synth.districts import State
from rollcall.synth.mobility import Enrollments
from rollcall.synth.population import Cohort, student_ids

Dates = tuple[int, pa.Array]  # (day number of the first string, ISO date strings)


def date_column(dates: Dates, days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    base, strings = dates
    indices = pa.array(days.astype(np.int64) - base, mask=missing)
    return strings.take(indices)


def schools_table(state: State) -> pa.Table:
    district = state.school_district
    return pa.table(
        {
            "school_id": pa.array(state.school_ids, pa.string()),
            "school_name": pa.array(state.school_names, pa.string()),
            "district_id": pa.array(np.array(state.district_ids)[district], pa.string()),
            "district_name": pa.array(np.array(state.district_names)[district], pa.string()),
            # An invented number in the 555-01xx range kept for fiction (outreach letters).
            "school_phone": pa.array(
                [
                    f"{(200 + d * 7) % 800 + 200}-555-01{n % 100:02d}"
                    for n, d in enumerate(district)
                ],
                pa.string(),
            ),
        }
    )


def calendar_table(state: State, calendars: YearCalendars, dates: Dates) -> pa.Table:
    """One row per school and instructional day, schools in order, days in order."""
    district = state.school_district
    days = calendars.days[district]
    column = np.arange(days.shape[1])
    keep = (column < calendars.count[district][:, None]) & (column != calendars.closure[:, None])
    school, index = np.nonzero(keep)
    return pa.table(
        {
            "school_id": pa.array(state.school_ids, pa.string()).take(pa.array(school)),
            "date": date_column(dates, days[school, index]),
        }
    )


def enrollments_table(cohort: Cohort, rows: Enrollments, state: State, dates: Dates) -> pa.Table:
    return pa.table(
        {
            "student_id": student_ids(cohort.number[rows.seat]),
            "school_id": pa.array(state.school_ids, pa.string()).take(pa.array(rows.school)),
            "grade": pa.array(GRADES, pa.string()).take(pa.array(rows.grade)),
            "entry_date": date_column(dates, rows.entry),
            "exit_date": date_column(dates, np.maximum(rows.exit, 0), rows.exit < 0),
        }
    )


def attendance_table(
    cohort: Cohort, rows: Enrollments, attendance: Attendance, state: State, dates: Dates
) -> pa.Table:
    enrollment = attendance.enrollment
    return pa.table(
        {
            "student_id": student_ids(cohort.number[rows.seat[enrollment]]),
            "school_id": pa.array(state.school_ids, pa.string()).take(
                pa.array(rows.school[enrollment])
            ),
            "date": date_column(dates, attendance.day),
            "status": pa.array(STATUSES, pa.string()).take(pa.array(attendance.status)),
            "absent_fraction": pa.array(FRACTIONS, pa.string()).take(pa.array(attendance.fraction)),
        }
    )
