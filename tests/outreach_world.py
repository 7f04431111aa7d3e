"""Districts for the outreach tests: a small one written by hand, and a synthetic one.

The small district (school A, 20 school days from Monday 2 March 2026, grades 3 and 4):

| student | grade | days absent | band | family |
|---|---|---|---|---|
| s1 | 3 | 4 (20%) | severe | household h1, Spanish, with s2 |
| s2 | 4 | 1 (5%) | at_risk | household h1 |
| s3 | 3 | 0 | satisfactory | household h3 |
| s4 | 3 | 2 (10%) | moderate | opted out |
| s5 | 4 | 3 (15%) | moderate | absences documented as medical |
| s6 | 3 | 1 (5%) | at_risk | no household_id, same e-mail as s7 |
| s7 | 4 | 2 (10%) | moderate | no household_id, same e-mail as s6; language Vietnamese |
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from canonical import write_canonical

from rollcall.synth import write_synthetic

START = date(2026, 3, 2)
AS_OF = date(2026, 3, 27)  # the 20th school day


def school_days(start: date = START, count: int = 20) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


ABSENT = {"s1": 4, "s2": 1, "s3": 0, "s4": 2, "s5": 3, "s6": 1, "s7": 2}
GRADE = {"s1": "3", "s2": "4", "s3": "3", "s4": "3", "s5": "4", "s6": "3", "s7": "4"}


def small_district(folder: Path, *, extra_days: int = 0) -> Path:
    """The district above; ``extra_days`` more school days after ``AS_OF`` (no absences)."""
    days = school_days(count=20 + extra_days)
    family = {
        "s1": {"household_id": "h1", "home_language": "es", "guardian_name": "Ana Ruiz",
               "guardian_email": "ana@example.org", "address_line1": "1 Oak St", "city": "Salem",
               "state": "CA", "postal_code": "90001"},
        "s2": {"household_id": "h1", "home_language": "es", "guardian_name": "Ana Ruiz",
               "guardian_email": "ana@example.org", "address_line1": "1 Oak St", "city": "Salem",
               "state": "CA", "postal_code": "90001"},
        "s3": {"household_id": "h3"},
        "s4": {"household_id": "h4", "opt_out": "Y"},
        "s5": {"household_id": "h5", "absence_documented": "medical"},
        "s6": {"guardian_email": "kim@example.org", "guardian_phone": "555-0101"},
        "s7": {"guardian_email": "KIM@example.org", "home_language": "Vietnamese"},
    }  # fmt: skip
    students = [{"student_id": s, "first_name": f"Kid{s[1]}", **family[s]} for s in GRADE]
    attendance = [
        {"student_id": s, "school_id": "A", "date": days[i].isoformat(), "status": "unexcused"}
        for s, n in ABSENT.items()
        for i in range(n)
    ]
    return write_canonical(
        folder,
        schools=[{"school_id": "A", "school_name": "Adams Elementary", "school_phone": "555-0100"}],
        students=students,
        enrollments=[
            {"student_id": s, "school_id": "A", "grade": g, "entry_date": START.isoformat()}
            for s, g in GRADE.items()
        ],
        calendar=[{"school_id": "A", "date": d.isoformat()} for d in days],
        attendance=attendance,
    )


SYNTH_AS_OF = date(2025, 12, 12)


def synthetic_district(folder: Path, *, students: int = 1500, seed: int = 3) -> Path:
    """A synthetic district of one school year (2025-26) with the contact columns."""
    write_synthetic(folder, students=students, seed=seed)
    return folder
