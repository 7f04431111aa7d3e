"""The bands' words come from their bounds and the unit's own calendar (rollcall/tiers.py)."""

from __future__ import annotations

import pytest

from rollcall.tiers import CHRONIC_TIERS, TIER_BY_NAME, TIER_NAMES


def test_the_bands_in_a_180_day_year_are_the_attendance_works_days():
    days = {name: TIER_BY_NAME[name].days_rule(180) for name in TIER_NAMES}
    assert days == {
        "satisfactory": "fewer than 9 days",
        "at_risk": "9 to 17 days",
        "moderate": "18 to 35 days",
        "severe": "36 days or more",
    }


def test_a_160_day_year_moves_the_days_with_the_bounds():
    # 5% of 160 is 8; 10% is 16 (so 15 is the last at-risk day); 20% is 32.
    assert TIER_BY_NAME["at_risk"].days_rule(160) == "8 to 15 days"
    assert TIER_BY_NAME["moderate"].days_rule(160) == "16 to 31 days"
    assert TIER_BY_NAME["severe"].days_rule(160) == "32 days or more"


def test_a_short_enrolment_can_leave_a_band_empty_or_a_single_day():
    # 15 days: 5% is 0.75 (so 1 day is at risk), 10% is 1.5 (so 2 days are moderate).
    assert TIER_BY_NAME["satisfactory"].days_rule(15) == "fewer than 1 day"
    assert TIER_BY_NAME["at_risk"].days_rule(15) == "1 day"
    assert TIER_BY_NAME["moderate"].days_rule(15) == "2 days"
    # 10 days: 5% is 0.5 and 10% is 1, so no whole number of days is at risk.
    assert TIER_BY_NAME["at_risk"].days_rule(10) == "none"


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("satisfactory", "fewer than 5% of days"),
        ("at_risk", "5% to less than 10%"),
        ("moderate", "10% to less than 20%"),
        ("severe", "20% or more"),
    ],
)
def test_the_share_rules_are_the_bounds_in_words(name, rule):
    assert TIER_BY_NAME[name].share_rule() == rule


def test_chronic_absence_is_the_moderate_and_severe_bands():
    assert CHRONIC_TIERS == ("moderate", "severe")


@pytest.mark.slow
def test_the_report_states_the_bands_in_the_units_own_school_days(tmp_path):
    # Twenty school days: 5% is 1 day, 10% is 2, 20% is 4 (worked out by hand).
    from canonical import write_canonical
    from outputs import absences, calendar_rows, school_days

    from rollcall import api

    days = school_days(20)
    folder = write_canonical(
        tmp_path / "in",
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "5", "entry_date": days[0].isoformat()}
        ],
        calendar=calendar_rows("A", days),
        attendance=absences("s1", "A", days[:3]),
    )
    api.report(folder, tmp_path / "out", html=True)
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "in 20 school days" in page and "in a 180-day year" not in page
    for words in ("fewer than 1 day", "<td>1 day</td>", "2 to 3 days", "4 days or more"):
        assert words in page
