"""What in the data could not be trusted: rows refused (by file and reason, with the first
examples), calendars that look wrong, students with no enrolled day, duplicates.

The calendar checks are warnings, not refusals: a school may truly hold a Saturday make-up day.
They point a data team at what to look at first."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import ibis.expr.types as ir

from rollcall.engine.results import Computed
from rollcall.levels import SCHOOL, TOTAL
from rollcall.output import rejects
from rollcall.period import nth_weekday
from rollcall.report.records import QualityFinding
from rollcall.tables import literal_table

EXAMPLES = 3
# A school whose instructional days differ from the median school's by more than this share.
PEER_TOLERANCE = 0.10
# School days in the calendar after a school's last recorded absence before it is worth a look.
DAYS_AFTER_LAST = 5


def holidays(first_year: int) -> dict[date, str]:
    """US holidays on which nearly every school is closed, in the school year from
    ``first_year``."""
    y, n = first_year, first_year + 1
    return {
        date(y, 7, 4): "Independence Day",
        nth_weekday(y, 9, 0, 1): "Labor Day",
        nth_weekday(y, 11, 3, 4): "Thanksgiving",
        date(y, 12, 25): "Christmas Day",
        date(n, 1, 1): "New Year's Day",
        nth_weekday(n, 1, 0, 3): "Martin Luther King Jr. Day",
        nth_weekday(n, 5, 0, -1): "Memorial Day",
        date(n, 6, 19): "Juneteenth",
    }


def refused(
    computed: Computed, reject_rows: list[dict[str, str]] | None = None
) -> list[QualityFinding]:
    """Rows refused, by file and reason, with the first examples (a student id is not shown)."""
    found = rejects(computed) if reject_rows is None else reject_rows
    grouped: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in found:
        grouped[(row["file"], row["reason"])].append(row)
    return [
        QualityFinding(
            topic="rows refused",
            what=f"{file}: {reason}",
            count=len(items),
            examples=tuple(_example(r, _id_columns(computed)) for r in items[:EXAMPLES]),
        )
        for (file, reason), items in grouped.items()
    ]


def _id_columns(computed: Computed) -> set[str]:
    """The column names a student id is reported under: ``student_id``, or the source's own
    name for it when a reader translated the input (``SSID``, ``Student ID``)."""
    return {"student_id"} | {
        raw.origin["student_id"] for raw in computed.raw.values() if "student_id" in raw.origin
    }


def _example(row: dict[str, str], id_columns: set[str]) -> str:
    where = f"line {row['line']}, column {row['column']}"
    if row["column"] in id_columns or not row["value"]:
        return where
    return f"{where}: “{row['value'][:40]}”"


def _school_days(computed: Computed) -> ir.Table:
    _, index, _, _ = computed.day_tables()
    units = computed.units
    schools = units.filter(units.level == SCHOOL)
    days = index.filter(index.school_day == 1)
    return days.inner_join(schools, days.sch == schools.sch).select(
        days.sch, days.date, school_id=schools.unit_id
    )


def weekend_and_holiday_days(computed: Computed) -> list[QualityFinding]:
    """School days on a Saturday, a Sunday or a holiday most schools close for."""
    days = _school_days(computed)
    weekend = days.filter(days.date.day_of_week.index() >= 5)
    first = computed.period.start.year
    closed = holidays(first)
    table = literal_table(
        {"day": list(closed), "holiday": list(closed.values())},
        {"day": "date", "holiday": "string"},
    )
    on_holiday = days.inner_join(table, days.date == table.day)
    findings = []
    for what, picked in (("on a Saturday or Sunday", weekend), ("on a public holiday", on_holiday)):
        found = computed.backend.rows(
            picked.select("school_id", "date").order_by(["school_id", "date"])
        )
        if found:
            findings.append(
                QualityFinding(
                    topic="calendar",
                    what=f"school days {what}",
                    count=len(found),
                    examples=tuple(
                        f"school {r['school_id']}, {r['date'].isoformat()}"
                        for r in found[:EXAMPLES]
                    ),
                )
            )
    return findings


def days_unlike_peers(computed: Computed) -> list[QualityFinding]:
    """Schools with far fewer or far more instructional days than the median school."""
    days = _school_days(computed)
    per_school = computed.backend.rows(
        days.group_by("school_id").agg(n=days.count()).order_by("school_id")
    )
    if len(per_school) < 2:
        return []
    counts = sorted(r["n"] for r in per_school)
    middle = len(counts) // 2
    median = counts[middle] if len(counts) % 2 else (counts[middle - 1] + counts[middle]) / 2
    odd = [r for r in per_school if abs(r["n"] - median) > PEER_TOLERANCE * median]
    if not odd:
        return []
    return [
        QualityFinding(
            topic="calendar",
            what=f"schools whose instructional days differ from the median school "
            f"({median:g} days) by more than {PEER_TOLERANCE:.0%}",
            count=len(odd),
            examples=tuple(f"school {r['school_id']}: {r['n']} days" for r in odd[:EXAMPLES]),
        )
    ]


def days_after_last_absence(computed: Computed) -> list[QualityFinding]:
    """Schools whose calendar runs on for many school days after their last recorded absence:
    a calendar holding days still to come, or attendance that stopped being sent."""
    days = _school_days(computed)
    _, _, absences, _ = computed.day_tables()
    last = absences.group_by(_sch=absences.sch).agg(last=absences.date.max())
    after = days.inner_join(last, days.sch == last._sch)
    after = after.filter(after.date > after.last)
    per_school = after.group_by(["school_id", "last"]).agg(n=after.count())
    found = computed.backend.rows(
        per_school.filter(per_school.n > DAYS_AFTER_LAST).order_by("school_id")
    )
    if not found:
        return []
    return [
        QualityFinding(
            topic="calendar",
            what=f"schools with more than {DAYS_AFTER_LAST} school days after their last "
            "recorded absence",
            count=len(found),
            examples=tuple(
                f"school {r['school_id']}: {r['n']} days after {r['last'].isoformat()}"
                for r in found[:EXAMPLES]
            ),
        )
    ]


def students_without_days(computed: Computed) -> list[QualityFinding]:
    """Students in the students file (``students.csv``, or the file a reader read them from) with
    no enrolled day in the period (no row in the report)."""
    students = computed.students
    counted = students.filter(students.level == TOTAL).select("sid")
    ids = computed.student_ids
    missing = computed.backend.count(ids) - computed.backend.count(counted)
    if missing <= 0:
        return []
    students_file = computed.raw["students"]
    name = students_file.path.name if students_file.path.is_file() else students_file.file_name
    return [
        QualityFinding(
            topic="students",
            what=f"students in {name} with no enrolled day in the period, counted "
            "nowhere (students of other years, students with no enrollment or attendance "
            "record, or enrollments that were refused)",
            count=missing,
        )
    ]


def duplicates(found: list[QualityFinding]) -> list[QualityFinding]:
    """Duplicate rows, by file, drawn from the refused rows."""
    return [
        QualityFinding(
            topic="duplicates", what=f.what.replace(": duplicate", ": repeated rows"), count=f.count
        )
        for f in found
        if f.what.endswith(": duplicate")
    ]


def findings(
    computed: Computed, reject_rows: list[dict[str, str]] | None = None
) -> list[QualityFinding]:
    """Every data-quality finding for the whole input, refused rows first. The calendar checks
    need days: per-student totals have none."""
    refusals = refused(computed, reject_rows)
    calendar = (
        [
            *weekend_and_holiday_days(computed),
            *days_unlike_peers(computed),
            *days_after_last_absence(computed),
        ]
        if computed.day_level
        else []
    )
    return [*refusals, *calendar, *students_without_days(computed), *duplicates(refusals)]
