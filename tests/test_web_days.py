"""The day-level rows a refresh stores (docs/decisions/0004): each school's calendar, each
student's enrollment windows and days absent, every unit's weeks; the attendance calendar of
the student page; the absence rate in the 4 weeks before a support plan and the 4 weeks from
its start. Worked out by hand from the world's attendance (tests/web_world.py), and compared
with the engine's own totals on a synthetic district."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils.formats import date_format
from test_web_plans import client_for, make_plan
from web_world import DAYS, FIRST, SECOND

from rollcall.engine.micro import MICRO

pytestmark = pytest.mark.django_db
SCOPE_TESTED: set[str] = set()  # no page of its own: the student and plan pages show these


def student_days(student_id: str, as_of: date = SECOND):
    from rollcall.web.snapshots.models import StudentDays

    return {
        d.school.school_id: d
        for d in StudentDays.objects.filter(
            student__student_id=student_id, snapshot__period_end=as_of
        ).select_related("school")
    }


def calendar_of(district_id: str, student_id: str):
    from rollcall.web.front.lists import latest_snapshot
    from rollcall.web.snapshots.days import calendars_for
    from rollcall.web.snapshots.models import Student

    student = Student.objects.get(district__district_id=district_id, student_id=student_id)
    return calendars_for([student], latest_snapshot(student.district_id))[student.pk]


def test_the_newest_refresh_keeps_each_students_days_and_the_older_lets_them_go():
    # s1 missed DAYS[3] and DAYS[7] (unexcused), then DAYS[25] to DAYS[30] (unexcused).
    s1 = student_days("s1")["A1"]
    assert s1.windows == [[DAYS[0].isoformat(), SECOND.isoformat()]]
    missed = [*DAYS[3:4], *DAYS[7:8], *DAYS[25:31]]
    assert s1.absences == {d.isoformat(): [MICRO, 0, MICRO, 0] for d in missed}
    # s5 moved from A1 to A2 after ten days: a row at each school.
    s5 = student_days("s5")
    assert s5["A1"].windows == [[DAYS[0].isoformat(), DAYS[9].isoformat()]]
    assert s5["A2"].windows == [[DAYS[10].isoformat(), SECOND.isoformat()]]
    assert student_days("s1", FIRST) == {}  # the first refresh's day rows are let go


def test_each_schools_calendar_is_its_instructional_days_to_the_refresh():
    from rollcall.web.snapshots.models import SchoolCalendar

    calendars = SchoolCalendar.objects.filter(snapshot__period_end=SECOND)
    assert {c.school.school_id: c.days for c in calendars} == {
        school: [d.isoformat() for d in DAYS] for school in ("A1", "A2", "B1")
    }


def test_the_weeks_of_a_district_add_up_to_its_students_days():
    from rollcall.web.snapshots.models import WeeklyMeasure

    weeks = WeeklyMeasure.objects.filter(
        snapshot__period_end=SECOND, snapshot__district__district_id="A", level="district"
    )
    # Four students at district A, each enrolled all 40 days; 8 + 6 + 2 days missed.
    assert len(weeks) == 8  # 40 weekdays
    assert sum(w.student_days for w in weeks) == 4 * 40
    assert sum(w.days_absent for w in weeks) == 16
    last = weeks.order_by("week_start").last()
    assert (last.week_start, last.week_end) == (DAYS[35], SECOND)  # cut at the refresh
    assert (last.eligible, last.chronically_absent) == (4, 2)  # s1 and s3, as the engine says


def test_the_calendar_says_what_each_day_was():
    from rollcall.web.snapshots.days import ABSENT, NO_SCHOOL, NOT_ENROLLED, PRESENT

    days = calendar_of("A", "s5")
    assert days.day(DAYS[12]).kind == ABSENT and days.day(DAYS[12]).absent == 1
    assert days.day(DAYS[11]).kind == PRESENT
    assert days.day(date(2024, 8, 31)).kind == NO_SCHOOL  # a Saturday
    # s5's enrollment at A1 ended on DAYS[9] and at A2 began on DAYS[10]: every day enrolled.
    assert all(days.day(d).kind != NOT_ENROLLED for d in DAYS)
    assert days.stretch(DAYS[0], SECOND).enrolled == 40
    months = days.months()
    assert [m.first for m in months] == [date(2024, 10, 1), date(2024, 9, 1), date(2024, 8, 1)]
    august = [d for week in months[-1].weeks for d in week if d is not None]
    assert len(august) == 31
    assert [d.date.day for d in august if d.kind != NO_SCHOOL] == [26, 27, 28, 29, 30]


def test_a_part_day_two_schools_and_a_hidden_reason_worked_by_hand():
    from rollcall.web.snapshots.days import ABSENT, NOT_ENROLLED, PART, StudentCalendar
    from rollcall.web.snapshots.models import Snapshot, StudentDays

    monday = date(2024, 9, 2)
    week = [date(2024, 9, d) for d in range(2, 7)]
    snapshot = Snapshot(period_start=monday, period_end=week[-1])
    rows = [
        # At school 1 Monday to Wednesday: half of Monday excused, Tuesday suspended.
        StudentDays(school_id=1, windows=[["2024-09-02", "2024-09-04"]], absences={
            "2024-09-02": [MICRO // 2, MICRO // 2, 0, 0], "2024-09-03": [MICRO, 0, 0, MICRO],
            "2024-09-04": [MICRO // 2, 0, MICRO // 2, 0]}),
        # At school 2 from Wednesday: half of Wednesday unexcused there too (one day at most).
        StudentDays(school_id=2, windows=[["2024-09-04", "2024-09-05"]], absences={
            "2024-09-04": [MICRO // 2, 0, MICRO // 2, 0]}),
    ]  # fmt: skip
    school_days = {1: set(week), 2: set(week)}
    days = StudentCalendar(snapshot, rows, school_days)
    assert (days.day(week[0]).kind, days.day(week[0]).absent) == (PART, Decimal("0.5"))
    assert days.day(week[0]).reason == "excused"
    assert (days.day(week[1]).kind, days.day(week[1]).reason) == (ABSENT, "suspension")
    assert (days.day(week[2]).kind, days.day(week[2]).absent) == (ABSENT, 1)
    assert days.day(week[4]).kind == NOT_ENROLLED  # Friday: enrolled at neither school
    stretch = days.stretch(monday, week[-1])
    assert (stretch.enrolled, stretch.absent) == (4, Decimal("2.5"))
    assert stretch.rate == Decimal("0.625")
    hidden = StudentCalendar(snapshot, rows, school_days, frozenset({"suspension"}))
    assert (hidden.day(week[1]).kind, hidden.day(week[1]).reason) == (ABSENT, "")


def test_the_4_weeks_before_and_after_a_plan_worked_by_hand():
    from rollcall.web.plans.followthrough import around, before_after
    from rollcall.web.plans.models import SupportPlan
    from rollcall.web.snapshots.models import Snapshot

    # Started on DAYS[10] (Monday 9 September): the 28 days before hold DAYS[0] to DAYS[9]
    # (s1 missed DAYS[3] and DAYS[7]: 2 of 10); the 28 days from it DAYS[10] to DAYS[29] (s1
    # missed DAYS[25] to DAYS[29]: 5 of 20).
    plan = make_plan("A", "s1", "principal", start_date=DAYS[10])
    measured = around(plan, calendar_of("A", "s1"))
    assert (measured.before.enrolled, measured.before.absent) == (10, 2)
    assert (measured.after.enrolled, measured.after.absent) == (20, 5)
    assert measured.complete
    # Started on DAYS[25]: the 4 weeks from it run past the refresh (15 of its days so far).
    recent = make_plan("A", "s1", "principal", start_date=DAYS[25])
    later = around(recent, calendar_of("A", "s1"))
    assert (later.before.enrolled, later.before.absent) == (20, 1)
    assert (later.after.enrolled, later.after.absent, later.complete) == (15, 6, False)
    latest = Snapshot.objects.get(district__district_id="A", period_end=SECOND)
    pooled = before_after(SupportPlan.objects.filter(student__student_id="s1"), latest)
    assert (pooled.plans, pooled.waiting) == (1, 1)
    assert (pooled.before.rate, pooled.after.rate) == (Decimal("0.2"), Decimal("0.25"))


def test_the_school_page_shows_the_absence_before_and_after_plans():
    make_plan("A", "s1", "principal", start_date=DAYS[10])
    page = client_for("principal").get("/schools/A/A1/").content.decode()
    assert "20.0% → 25.0%" in page
    assert "1 plan with 4 weeks of data since" in page


def test_the_plan_page_shows_its_4_weeks_before_and_after():
    plan = make_plan("A", "s1", "principal", start_date=DAYS[25])
    page = client_for("teacher").get(f"/plans/{plan.pk}/").content.decode()
    assert "the 4 weeks before" in page and "5.0%" in page and "40.0%" in page
    assert "does not reach the end of the 4 weeks" in page


def test_the_student_page_shows_the_calendar_and_hides_suspensions_from_a_partner():
    staff = client_for("team").get("/students/A/s3/").content.decode()
    assert "Attendance calendar" in staff
    assert "absent all day, excused" in staff and "absent all day, suspension" in staff
    partner = client_for("partner").get("/students/A/s3/").content.decode()
    assert "Attendance calendar" in partner and "absent all day, excused" in partner
    assert "suspension" not in partner


@pytest.mark.slow
def test_every_students_calendar_adds_up_to_the_engines_district_totals(tmp_path):
    """The reference: on a synthetic district (transfers, part days, several schools), each
    student's calendar over the whole period gives the engine's district-level days."""
    from rollcall.synth import write_synthetic
    from rollcall.web.refresh import refresh
    from rollcall.web.snapshots.days import calendars_for
    from rollcall.web.snapshots.models import StudentMetric

    write_synthetic(tmp_path, students=150, seed=7)
    (snapshot, *_) = refresh(tmp_path, as_of=date(2025, 11, 14)).snapshots
    metrics = StudentMetric.objects.filter(snapshot=snapshot, level="district").select_related(
        "student"
    )
    calendars = calendars_for([m.student for m in metrics], snapshot)
    for m in metrics:
        stretch = calendars[m.student_id].stretch(snapshot.period_start, snapshot.period_end)
        assert (stretch.enrolled, stretch.absent) == (m.days_enrolled, m.days_absent)


def test_the_district_page_compares_its_schools_on_a_funnel_and_lists_its_refreshes():
    page = client_for("district").get("/districts/A/").content.decode()
    # At the second refresh: A1 counts s1, s2 and s5 (s1 chronically absent); A2 s3 and s5.
    assert 'href="/schools/A/A1/"' in page and 'href="/schools/A/A2/"' in page
    assert "Birch" not in page  # district B's school
    assert 'alt="Funnel plot of 2 schools; all the schools together' in page
    assert "within what chance explains" in page
    refreshed = [f"<tr><td>{date_format(day)}</td>" for day in (SECOND, FIRST)]
    assert all(page.count(row) == 1 for row in refreshed)
    assert 'alt="Weekly share of school days missed, 8 weeks' in page


def test_the_school_page_charts_its_weeks():
    page = client_for("principal").get("/schools/A/A1/").content.decode()
    assert 'alt="Weekly share of school days missed, 8 weeks' in page


def test_a_plan_started_after_the_latest_refresh_says_its_days_are_not_in_yet():
    plan = make_plan("A", "s1", "principal", start_date=SECOND + timedelta(days=3))
    page = client_for("principal").get(f"/plans/{plan.pk}/").content.decode()
    assert "the 4 weeks before" not in page
    assert f"has the days up to {date_format(SECOND)}, before this plan started" in page


@pytest.mark.slow  # a whole refresh with its early warning: make test runs it
def test_a_refresh_keeps_its_cautions_and_the_pages_show_them_first(tmp_path):
    """A row the engine refuses is a caution (rollcall.notes): stored with the snapshot, in a
    principal's words, and shown at the top of the school, list and district pages."""
    from web_world import write_world

    from rollcall.web.refresh import refresh

    source = write_world(tmp_path)
    with (source / "attendance.csv").open("a", encoding="utf-8") as out:
        out.write(f"nobody,A1,{DAYS[2].isoformat()},unexcused,\n")  # no such student
    (snapshot, *_) = sorted(refresh(source, as_of=SECOND).snapshots, key=lambda s: s.district_id)
    assert snapshot.district.district_id == "A"
    (caution,) = snapshot.cautions
    assert caution.startswith("1 of ") and "could not be used and are not counted" in caution
    for path in ("/schools/A/A1/", "/schools/A/A1/students/"):
        page = client_for("principal").get(path).content.decode()
        assert page.index("Before you read these numbers") < page.index("<table")
        assert "could not be used and are not counted" in page
    page = client_for("district").get("/districts/A/").content.decode()
    assert "could not be used and are not counted" in page
