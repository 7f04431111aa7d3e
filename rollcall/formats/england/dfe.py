"""The DfE's attendance layout: its columns, geographic levels, phases, periods and symbols.

The files come from explore-education-statistics (EES) and the DfE's attendance dashboard
(docs/sources/england.md): one row per time period, geographic unit and education phase, with
half-day sessions possible, attended and missed by reason, and, in the year-to-date file, the
share of pupils persistently absent (``pa_perc``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rollcall.levels import DISTRICT, TOTAL

# The columns that make a file the DfE's attendance layout (both files have them).
REQUIRED = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "education_phase",
    "possible_sessions",
    "overall_absence",
    "authorised_absence",
    "unauthorised_absence",
)
# Columns read besides the required ones (``pa_perc``: the year-to-date file only).
UNIT_COLUMNS = ("country_name", "region_code", "region_name", "new_la_code", "la_name")
SESSION_COLUMNS = (
    "enrolments",
    "possible_sessions",
    "overall_attendance",
    "overall_absence",
    "authorised_absence",
    "unauthorised_absence",
)
# Published rates checked against their sessions: rate column → numerator column.
SESSION_RATES = {
    "overall_absence_perc": "overall_absence",
    "authorised_absence_perc": "authorised_absence",
    "unauthorised_absence_perc": "unauthorised_absence",
    "attendance_perc": "overall_attendance",
}
PERSISTENT = "pa_perc"

# Geographic levels → rollcall's levels; regions have none (skipped and counted).
NATIONAL, REGIONAL, LOCAL_AUTHORITY = "National", "Regional", "Local authority"
LEVELS = {NATIONAL: TOTAL, LOCAL_AUTHORITY: DISTRICT, REGIONAL: None}

# Education phases: ``Total`` is every pupil; the others are a dimension of their own.
PHASE_DIMENSION = "education_phase"
PHASES = ("Primary", "Secondary", "Special")

# The reasons for a session (the national attendance and absence codes), by DfE column:
# (code, what, kind). ``kind`` is how the DfE counts it: present, approved educational activity
# (attending, off site), authorised absence or unauthorised absence.
PRESENT, AEA = "present", "approved activity"
AUTHORISED, UNAUTHORISED = "authorised", "unauthorised"
REASONS: dict[str, tuple[str, str, str]] = {
    "reason_present": ("/ \\", "present", PRESENT),
    "reason_l_present_late_before_registers_closed": ("L", "late before registers closed", PRESENT),
    "reason_i_authorised_illness": ("I", "illness", AUTHORISED),
    "reason_m_authorised_medical_dental": ("M", "medical or dental appointment", AUTHORISED),
    "reason_r_authorised_religious_observance": ("R", "religious observance", AUTHORISED),
    "reason_s_authorised_study_leave": ("S", "study leave", AUTHORISED),
    "reason_t_authorised_mobile_child": ("T", "mobile child (Traveller) absence", AUTHORISED),
    "reason_h_authorised_holiday": ("H", "holiday agreed by the school", AUTHORISED),
    "reason_e_authorised_excluded": ("E", "suspended or excluded", AUTHORISED),
    "reason_c_authorised_other": ("C", "other authorised", AUTHORISED),
    "reason_c1_authorised_regulated_performance": ("C1", "regulated performance", AUTHORISED),
    "reason_j1_authorised_interview": ("J1", "interview", AUTHORISED),
    "reason_c2_authorised_temp_reduced_timetable": ("C2", "reduced timetable", AUTHORISED),
    "reason_b_aea_education_off_site": ("B", "educated off site", AEA),
    "reason_j_aea_interview": ("J", "interview (approved activity)", AEA),
    "reason_p_aea_approved_sporting_activity": ("P", "approved sporting activity", AEA),
    "reason_v_aea_educational_visit_trip": ("V", "educational visit or trip", AEA),
    "reason_w_aea_work_experience": ("W", "work experience", AEA),
    "reason_k_aea_education_arranged_by_la": ("K", "education arranged by the LA", AEA),
    "reason_g_unauthorised_holiday": ("G", "holiday not agreed", UNAUTHORISED),
    "reason_u_unauthorised_late_after_registers_closed": (
        "U",
        "late, registers closed",
        UNAUTHORISED,
    ),
    "reason_o_other_unauthorised": ("O", "other unauthorised", UNAUTHORISED),
    "reason_n_no_reason_yet": ("N", "no reason yet", UNAUTHORISED),
}

# The DfE's symbols (EES's conventions): ``c`` is a figure hidden to protect pupils; the others
# say that no figure exists, none of them a zero.
SUPPRESSED = "c"
NOT_PUBLISHED = {
    "x": "not available",
    "z": "not applicable",
    ":": "not available (older files)",
    "low": "a positive figure that rounds to zero",
    "~": "a positive figure that rounds to zero",
    "u": "low reliability",
    "": "empty",
}


@dataclass(frozen=True)
class Period:
    """A row's time period: the school year and, for a weekly row, the week."""

    school_year: str
    name: str  # ``year to date`` or ``week 37``
    week_start: date | None  # the Monday of a weekly row's week


def period(time_period: str, time_identifier: str) -> Period | None:
    """The period of ``time_period`` (``202526`` or, for weeks, the calendar year ``2025``) and
    ``time_identifier`` (``Academic year``, ``Week 37``); None when it is neither. Weeks are ISO
    weeks of the calendar year (the DfE's week 37 of 2025 starts on Monday 8 September); a week
    from August on belongs to the school year starting that September."""
    value, identifier = time_period.strip(), time_identifier.strip().lower()
    if identifier.startswith("week "):
        number = identifier.removeprefix("week ").strip()
        if not (value.isdigit() and len(value) == 4 and number.isdigit()):
            return None
        year, week = int(value), int(number)
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            return None
        start = year if monday.month >= 8 else year - 1
        return Period(f"{start}-{(start + 1) % 100:02d}", f"week {week}", monday)
    if identifier in ("academic year", "year to date") and value.isdigit() and len(value) == 6:
        start, end = int(value[:4]), int(value[4:])
        if end == (start + 1) % 100:
            return Period(f"{start}-{value[4:]}", "year to date", None)
    return None
