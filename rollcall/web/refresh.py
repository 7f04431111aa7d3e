"""A refresh: the engine run for a district as of a date, stored as a snapshot (docs/platform.md).

The library computes (``rollcall.api.snapshot``); this module only stores what it returns, in
one transaction, so a failed refresh leaves the previous snapshot as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from rollcall import api
from rollcall.engine.micro import MICRO
from rollcall.errors import OptionError, RollcallError
from rollcall.formats.sources import Source
from rollcall.levels import SCHOOL
from rollcall.notes import as_notes
from rollcall.warn.ranking import needs_intensive
from rollcall.warn.run import Warning
from rollcall.web.people.models import District, School
from rollcall.web.snapshots.models import (
    PublishedRow,
    SchoolCalendar,
    Snapshot,
    Student,
    StudentDays,
    StudentMetric,
    SummaryRow,
    WarningFlag,
    WeeklyMeasure,
)

BATCH = 5000


@dataclass(frozen=True)
class Refreshed:
    """What a refresh stored, and what it read, accepted and refused."""

    snapshots: tuple[Snapshot, ...]  # one per district in the input
    students: int
    refused: int
    counts: dict[str, dict[str, int]]
    notes: tuple[str, ...]


def refresh(
    source: Source | Path,
    *,
    as_of: date | None = None,
    policy: str = "attendance-works",
    year: str | None = None,
    dimensions: Sequence[str] = (),
    user: AbstractBaseUser | None = None,
    progress: Callable[[str], None] = lambda _: None,
    only: Collection[str] | None = None,
    warn: bool = True,
) -> Refreshed:
    """Compute ``source`` as of ``as_of`` and store a snapshot for each district it holds
    (creating the districts and schools it names). With ``only`` (district ids: a refresh from
    the browser), an input holding another district, or none of them, is refused before
    anything is stored: a snapshot's totals would mix in a district its refresher may not
    change. With ``warn``, the early warning runs as of the same date (docs/early-warning.md)."""
    progress("computing")
    tables = api.snapshot(source, policy=policy, year=year, as_of=as_of, dimensions=dimensions)
    if only is not None:
        _check_districts(tables.schools, only)
    warning, why_none = _early_warning(source, tables, policy) if warn else (None, "")
    counts = {
        name: {"read": c.read, "accepted": c.accepted, "ignored": c.ignored, "rejected": c.rejected}
        for name, c in tables.counts.items()
    }
    refused = sum(c["rejected"] for c in counts.values())
    progress("storing")
    with transaction.atomic():
        schools = _schools(tables.schools)
        districts = {school.district for school in schools.values()}
        described = str(Source.of(source).path)
        snapshots = {
            district.district_id: Snapshot.objects.create(
                district=district,
                school_year=tables.school_year,
                period_start=tables.period_start,
                period_end=tables.period_end,
                policy=tables.policy,
                created_by=user,
                source=described,
                counts=counts,
                notes=list(tables.notes),
                cautions=[n.words for n in as_notes(tables.notes) if n.is_caution],
                warning=_warning_record(warning, why_none),
                refused=refused,
            )
            for district in districts
        }
        students = _students(tables, schools, snapshots)
        _summary(tables, schools, snapshots)
        _published(tables, schools, snapshots)
        _weeks(tables, schools, snapshots)
        _days(tables, schools, snapshots, students)
        if warning is not None:
            _flags(warning, tables, schools, snapshots, students)
    _analyze()
    return Refreshed(tuple(snapshots.values()), len(students), refused, counts, tables.notes)


def _check_districts(rows: list[dict[str, str]], only: Collection[str]) -> None:
    held = {row["district_id"]: row["district_name"] for row in rows}
    others = sorted(set(held) - set(only))
    if others:
        named = ", ".join(f"{held[d]} ({d})" for d in others)
        raise OptionError(
            f"the input holds schools of {named}, which this refresh may not change",
            hint="refresh from an input holding only your district's schools",
        )
    if not held:
        wanted = ", ".join(sorted(only))
        raise OptionError(
            f"the input holds no school of district {wanted}",
            hint="check that the input is your district's export",
        )


def _analyze() -> None:
    """Fresh statistics for the database's query planner on the tables a refresh fills. Until
    PostgreSQL's autovacuum gets to a table, its planner takes it for nearly empty: after the first
    refresh of a 50,000-student district, a school's list took 25 s instead of 10 ms."""
    with connection.cursor() as cursor:
        for model in (Student, StudentMetric, SummaryRow, PublishedRow, WeeklyMeasure,
                      SchoolCalendar, StudentDays, WarningFlag):  # fmt: skip
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _schools(rows: list[dict[str, str]]) -> dict[str, School]:
    """The input's schools (and districts), created or renamed as the input says."""
    found = {}
    for row in rows:
        district, _ = District.objects.update_or_create(
            district_id=row["district_id"], defaults={"name": row["district_name"]}
        )
        school, _ = School.objects.update_or_create(
            district=district, school_id=row["school_id"], defaults={"name": row["school_name"]}
        )
        found[row["school_id"]] = school
    return found


def _district_of(level: str, unit_id: str, schools: dict[str, School]) -> str | None:
    """The district a unit's rows belong to (None for the total, stored in every district)."""
    if level == SCHOOL:
        return schools[unit_id].district.district_id
    return unit_id if level == "district" else None


def _snapshots_of(
    level: str, unit_id: str, schools: dict[str, School], snapshots: dict[str, Snapshot]
) -> list[Snapshot]:
    """The snapshots a unit's rows go into: its district's, or every district's for the total."""
    district = _district_of(level, unit_id, schools)
    return [snapshots[district]] if district else list(snapshots.values())


def _students(
    tables: api.SnapshotTables, schools: dict[str, School], snapshots: dict[str, Snapshot]
) -> dict[tuple[str, str], Student]:
    """Each student's rows at their schools and district (the total is the districts')."""
    rows = [r for r in tables.students.to_pylist() if r["level"] != "total"]
    # A student who moved between districts is a student of each (the ids are the district's).
    pairs = {(_district_of(r["level"], r["unit_id"], schools), r["student_id"]) for r in rows}
    students = _student_records(pairs, tables.names, snapshots)
    metrics = []
    for r in rows:
        district = _district_of(r["level"], r["unit_id"], schools)
        assert district is not None
        metrics.append(
            StudentMetric(
                snapshot=snapshots[district],
                student=students[(district, r["student_id"])],
                level=r["level"],
                unit_id=r["unit_id"],
                school=schools.get(r["unit_id"]) if r["level"] == SCHOOL else None,
                grade=r["grade"],
                days_enrolled=int(r["days_enrolled"]),
                days_absent=Decimal(r["days_absent"]),
                days_excused=Decimal(r["days_excused"]),
                days_unexcused=Decimal(r["days_unexcused"]),
                days_suspension=Decimal(r["days_suspension"]),
                absence_rate=Decimal(r["absence_rate"]) if r["absence_rate"] else None,
                eligible=r["eligible"] == "true",
                chronically_absent={"true": True, "false": False}.get(r["chronically_absent"]),
                tier=r["tier"] or None,
            )
        )
    StudentMetric.objects.bulk_create(metrics, batch_size=BATCH)
    return students


def _student_records(
    pairs: set[tuple[str | None, str]],
    names: dict[str, tuple[str, str]],
    snapshots: dict[str, Snapshot],
) -> dict[tuple[str, str], Student]:
    """The students of each district, created where new, their names updated from the input."""
    by_district: dict[str, list[str]] = {}
    for district, student_id in sorted(pairs, key=str):
        if district is not None:
            by_district.setdefault(district, []).append(student_id)
    found = {}
    for district_id, ids in by_district.items():
        district = snapshots[district_id].district
        existing = {s.student_id: s for s in Student.objects.filter(district=district)}
        new = [Student(district=district, student_id=i) for i in ids if i not in existing]
        Student.objects.bulk_create(new, batch_size=BATCH)
        existing |= {s.student_id: s for s in Student.objects.filter(district=district)}
        changed = []
        for student_id in ids:
            student = existing[student_id]
            first, last = names.get(student_id, ("", ""))
            if (student.first_name, student.last_name) != (first, last):
                student.first_name, student.last_name = first, last
                changed.append(student)
            found[(district_id, student_id)] = student
        Student.objects.bulk_update(changed, ["first_name", "last_name"], batch_size=BATCH)
    return found


def _summary(
    tables: api.SnapshotTables, schools: dict[str, School], snapshots: dict[str, Snapshot]
) -> None:
    rows = []
    for r in tables.summary.to_pylist():
        for snapshot in _snapshots_of(r["level"], r["unit_id"], schools, snapshots):
            rows.append(
                SummaryRow(
                    snapshot=snapshot,
                    level=r["level"],
                    unit_id=r["unit_id"],
                    dimension=r["dimension"],
                    group=r["group"],
                    eligible_students=int(r["eligible_students"]),
                    chronically_absent=int(r["chronically_absent"]),
                    chronic_absence_rate=(
                        Decimal(r["chronic_absence_rate"]) if r["chronic_absence_rate"] else None
                    ),
                    satisfactory=int(r["satisfactory"]),
                    at_risk=int(r["at_risk"]),
                    moderate=int(r["moderate"]),
                    severe=int(r["severe"]),
                )
            )
    SummaryRow.objects.bulk_create(rows, batch_size=BATCH)


def _published(
    tables: api.SnapshotTables, schools: dict[str, School], snapshots: dict[str, Snapshot]
) -> None:
    rows = []
    for r in tables.published:
        for snapshot in _snapshots_of(r.level, r.unit_id, schools, snapshots):
            rows.append(
                PublishedRow(
                    snapshot=snapshot,
                    level=r.level,
                    unit_id=r.unit_id,
                    unit_name=r.unit_name,
                    dimension=r.dimension,
                    group=r.group,
                    eligible_students=r.eligible_students,
                    chronically_absent=r.chronically_absent,
                    chronic_absence_rate=r.chronic_absence_rate,
                    note=r.note,
                )
            )
    PublishedRow.objects.bulk_create(rows, batch_size=BATCH)


def _weeks(
    tables: api.SnapshotTables, schools: dict[str, School], snapshots: dict[str, Snapshot]
) -> None:
    rows = []
    for w in tables.weeks:
        for snapshot in _snapshots_of(w.level, w.unit_id, schools, snapshots):
            rows.append(
                WeeklyMeasure(
                    snapshot=snapshot,
                    level=w.level,
                    unit_id=w.unit_id,
                    week_start=w.week_start,
                    week_end=w.week_end,
                    student_days=w.student_days,
                    days_absent=Decimal(w.absent_micro) / MICRO,
                    eligible=w.eligible,
                    chronically_absent=w.chronically_absent,
                )
            )
    WeeklyMeasure.objects.bulk_create(rows, batch_size=BATCH)


def _days(
    tables: api.SnapshotTables,
    schools: dict[str, School],
    snapshots: dict[str, Snapshot],
    students: dict[tuple[str, str], Student],
) -> None:
    """Each school's calendar and each student's days, for the newest snapshot of each district
    only (docs/decisions/0004): the older snapshots' day-level rows are let go."""
    calendars = [
        SchoolCalendar(
            snapshot=snapshots[schools[school_id].district.district_id],
            school=schools[school_id],
            days=[d.isoformat() for d in days],
        )
        for school_id, days in tables.school_days.items()
    ]
    SchoolCalendar.objects.bulk_create(calendars, batch_size=BATCH)
    rows = []
    for d in tables.student_days:
        school = schools[d.school_id]
        district = school.district.district_id
        rows.append(
            StudentDays(
                snapshot=snapshots[district],
                student=students[(district, d.student_id)],
                school=school,
                windows=[[start.isoformat(), end.isoformat()] for start, end in d.windows],
                absences={day.isoformat(): list(amounts) for day, amounts in d.absences.items()},
            )
        )
    StudentDays.objects.bulk_create(rows, batch_size=BATCH)
    for snapshot in snapshots.values():
        newest = Snapshot.objects.filter(district=snapshot.district).latest()
        SchoolCalendar.objects.filter(snapshot__district=snapshot.district).exclude(
            snapshot=newest
        ).delete()
        StudentDays.objects.filter(snapshot__district=snapshot.district).exclude(
            snapshot=newest
        ).delete()


def _early_warning(
    source: Source | Path, tables: api.SnapshotTables, policy: str
) -> tuple[Warning | None, str]:
    """The early warning as of the snapshot's date, or why there is none (an input of
    per-student totals has no days to read signals from; docs/early-warning.md)."""
    if not tables.student_days:
        return None, "The input holds per-student totals, not days: no early warning."
    try:
        return api.warn(source, as_of=tables.period_end, policy=policy).warning, ""
    except RollcallError as error:  # a refresh stores its numbers even when the warning cannot run
        return None, f"No early warning: {error}"


def _warning_record(warning: Warning | None, why_none: str) -> dict[str, object]:
    if warning is None:
        return {"method": "", "why": why_none}
    return {
        "method": warning.method,
        "why": warning.why,
        "trained_on": warning.trained_on or "",
        "notes": list(warning.notes),
    }


def _flags(
    warning: Warning,
    tables: api.SnapshotTables,
    schools: dict[str, School],
    snapshots: dict[str, Snapshot],
    students: dict[tuple[str, str], Student],
) -> None:
    """Each scored student's rank, score and reasons at their school."""
    shares = {
        (r["unit_id"], r["student_id"]): float(r["absence_rate"]) if r["absence_rate"] else None
        for r in tables.students.to_pylist()
        if r["level"] == SCHOOL
    }
    rows = []
    for flag in warning.flags:
        school = schools.get(flag.school_id)
        if school is None:
            continue  # a school of another year of the input, not in this snapshot
        district = school.district.district_id
        student = students.get((district, flag.student_id))
        if student is None:
            continue  # not counted at the snapshot's date (no enrolled day yet)
        share = shares.get((flag.school_id, flag.student_id))
        rows.append(
            WarningFlag(
                snapshot=snapshots[district],
                student=student,
                school=school,
                score=flag.score,
                rank=flag.rank,
                intensive=needs_intensive(flag.score, share),
                reasons=flag.reasons,
            )
        )
    WarningFlag.objects.bulk_create(rows, batch_size=BATCH)
