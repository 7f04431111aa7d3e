"""The pages. Each fetches through ``rollcall.web.scope`` (out of scope is a 404), records reads
of students and exports in the audit trail, and hands small records to its template."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from rollcall.errors import OptionError
from rollcall.grades import GRADE_ORDER
from rollcall.levels import DISTRICT, SCHOOL
from rollcall.tiers import TIERS
from rollcall.warn.ranking import parse_caseload
from rollcall.web import scope
from rollcall.web.audit.record import record
from rollcall.web.front.charts import Placed, school_funnel, weekly_chart
from rollcall.web.front.exports import csv_response
from rollcall.web.front.lists import (
    ListRow,
    filtered,
    latest_snapshot,
    list_rows,
    previous_snapshot,
)
from rollcall.web.front.warnings import Risk, student_risks
from rollcall.web.improve.library_views import library_context
from rollcall.web.improve.network import network_context
from rollcall.web.outreach.record import outreach_entries
from rollcall.web.people.models import School
from rollcall.web.plans.followthrough import follow_through
from rollcall.web.snapshots.days import calendars_for, has_days
from rollcall.web.snapshots.models import PublishedRow, Snapshot, StudentMetric, SummaryRow

SORT_CHOICES = (
    ("rate", gettext_lazy("share of days missed")),
    ("days", gettext_lazy("days missed")),
    ("band", gettext_lazy("band")),
    ("name", gettext_lazy("name")),
    ("grade", gettext_lazy("grade")),
    ("risk", gettext_lazy("early-warning risk")),
)
PAGE_SIZE = 100
LIST_COLUMNS = ("student_id", "name", "grade", "days_enrolled", "days_absent", "absence_rate",
                "band", "previous_band", "risk_rank", "flagged", "suggested_support",
                "reasons")  # fmt: skip


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where each role starts: its districts, schools, caseloads and networks."""
    user = request.user
    schools = scope.schools_for(user).select_related("district").order_by("district", "name")
    return render(
        request,
        "front/home.html",
        {
            "districts": scope.districts_overseen(user).order_by("name"),
            "schools": schools,
            "caseloads": scope.caseloads_for(user).select_related("school"),
            "networks": scope.networks_for(user),
            "may_refresh": scope.refresh_districts_for(user).exists(),
            "may_improve": schools.exists(),
        },
    )


@login_required
def school(request: HttpRequest, district_id: str, school_id: str) -> HttpResponse:
    """A school's numbers in the latest snapshot: headline, bands, grades and groups."""
    return _school_page(request, scope.school_or_404(request.user, district_id, school_id))


@login_required
@require_POST
def school_caseload(request: HttpRequest, district_id: str, school_id: str) -> HttpResponse:
    """Set how many students the school's early warning flags: a share ("20%") or a number."""
    found = scope.school_or_404(request.user, district_id, school_id)
    value = request.POST.get("caseload", "").strip()
    try:
        parse_caseload(value)
    except OptionError:
        error = gettext(
            "Write a share of the school's students, like %(share)s, or a number, like %(number)s."
        ) % {"share": "20%", "number": 25}
        return _school_page(request, found, caseload_error=error, status=400)
    found.warning_caseload = value
    found.save(update_fields=["warning_caseload"])
    record(request, "change", "school", f"{district_id}/{school_id}", f"caseload {value}")
    return redirect(reverse("school", args=[district_id, school_id]) + "#follow-through")


def _school_page(
    request: HttpRequest, found: School, caseload_error: str = "", status: int = 200
) -> HttpResponse:
    district_id, school_id = found.district.district_id, found.school_id
    snapshot = latest_snapshot(found.district_id)
    rows = (
        SummaryRow.objects.filter(snapshot=snapshot, level=SCHOOL, unit_id=found.school_id)
        if snapshot
        else SummaryRow.objects.none()
    )
    everyone = next((r for r in rows if r.dimension == "all"), None)
    grades = sorted(
        (r for r in rows if r.dimension == "grade"), key=lambda r: GRADE_ORDER.get(r.group, 99)
    )
    groups: dict[str, list[SummaryRow]] = defaultdict(list)
    for r in rows:
        if r.dimension not in ("all", "grade"):
            groups[r.dimension].append(r)
    bands = [(t, getattr(everyone, t.name) if everyone else 0) for t in TIERS]
    plans, weekly = None, None
    if snapshot is not None:
        weeks = snapshot.weeks.filter(level=SCHOOL, unit_id=found.school_id)
        weekly = weekly_chart(
            list(weeks), gettext("Weekly absence, %(name)s") % {"name": found.name}
        )
        previous = previous_snapshot(snapshot)
        plans = follow_through(found, snapshot, previous, timezone.localdate())
        if plans.overdue:  # the overdue check-ins name students
            record(request, "view", "student list", f"{district_id}/{school_id}", "overdue plans")
    return render(
        request,
        "front/school.html",
        {
            "school": found,
            "snapshot": snapshot,
            "everyone": everyone,
            "bands": bands,
            "grades": grades,
            "groups": dict(groups),
            "plans": plans,
            "weekly": weekly,
            "caseload_error": caseload_error,
        },
        status=status,
    )


@login_required
def district(request: HttpRequest, district_id: str) -> HttpResponse:
    """A district's schools side by side in the latest snapshot (a funnel plot: each school
    against limits for its size), its weeks, its refreshes and the networks it belongs to."""
    found = scope.district_or_404(request.user, district_id)
    snapshot = latest_snapshot(found.pk)
    placed: list[Placed] = []
    funnel_picture, everyone, weekly = None, None, None
    if snapshot is not None:
        rows = SummaryRow.objects.filter(snapshot=snapshot, dimension="all")
        everyone = next((r for r in rows if r.level == DISTRICT), None)
        names = {s.school_id: s.name for s in found.schools.all()}
        placed, funnel_picture = school_funnel([r for r in rows if r.level == SCHOOL], names)
        weeks = snapshot.weeks.filter(level=DISTRICT, unit_id=found.district_id)
        weekly = weekly_chart(
            list(weeks), gettext("Weekly absence, %(name)s") % {"name": found.name}
        )
    refreshes = Snapshot.objects.filter(district=found).select_related("created_by")[:12]
    return render(
        request,
        "front/district.html",
        {"district": found, "snapshot": snapshot, "everyone": everyone, "schools": placed,
         "funnel": funnel_picture, "weekly": weekly, "refreshes": refreshes,
         "networks": found.networks.order_by("name"),
         "bands": [(t, getattr(everyone, t.name) if everyone else 0) for t in TIERS]},
    )  # fmt: skip


def _list_filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "") for name in ("band", "grade", "view", "sort")}


def _school_rows(school: School, snapshot: Snapshot, filters: dict[str, str]) -> list[ListRow]:
    """The school's students in ``snapshot`` that the list's filters keep, in their order."""
    metrics = StudentMetric.objects.filter(snapshot=snapshot, level=SCHOOL, school=school)
    rows = list_rows(metrics, previous_snapshot(snapshot), level=SCHOOL, school=school)
    return filtered(rows, **filters)


@login_required
def school_students(request: HttpRequest, district_id: str, school_id: str) -> HttpResponse:
    """The school's students by band, with the new and the worsening, filterable."""
    found = scope.school_or_404(request.user, district_id, school_id)
    snapshot = latest_snapshot(found.district_id)
    filters = _list_filters(request)
    rows = _school_rows(found, snapshot, filters) if snapshot is not None else []
    record(request, "view", "student list", f"{district_id}/{school_id}", _described(filters))
    return _list_page(request, rows, filters, title=found.name, school=found, snapshot=snapshot)


@login_required
def school_students_csv(request: HttpRequest, district_id: str, school_id: str) -> HttpResponse:
    """The same list as a CSV file (staff only; values a spreadsheet would run neutralised)."""
    found = scope.school_or_404(request.user, district_id, school_id)
    snapshot = latest_snapshot(found.district_id)
    if snapshot is None:
        raise Http404("no snapshot yet")
    filters = _list_filters(request)
    rows = _school_rows(found, snapshot, filters)
    record(request, "export", "student list", f"{district_id}/{school_id}", _described(filters))
    return csv_response(
        f"students-{found.school_id}-{snapshot.period_end}.csv",
        LIST_COLUMNS,
        (
            (r.student_id, r.name, r.grade, r.days_enrolled, r.days_absent, r.rate or "",
             r.band or "", r.previous_band or "", *_risk_cells(r.risk))
            for r in rows
        ),
    )  # fmt: skip


@login_required
def caseload(request: HttpRequest, pk: int) -> HttpResponse:
    """A teacher's or partner's students, by band across the district."""
    found = scope.caseload_or_404(request.user, pk)
    snapshot = latest_snapshot(found.district_id)
    filters = _list_filters(request)
    rows = []
    if snapshot is not None:
        metrics = StudentMetric.objects.filter(
            snapshot=snapshot, level=DISTRICT, student__in=found.students.all()
        )
        rows = filtered(list_rows(metrics, previous_snapshot(snapshot), level=DISTRICT), **filters)
    record(request, "view", "student list", f"caseload {found.pk}", _described(filters))
    return _list_page(request, rows, filters, title=found.name, caseload=found, snapshot=snapshot)


def _list_page(
    request: HttpRequest, rows: list[ListRow], filters: dict[str, str], **context: Any
) -> HttpResponse:
    """A list of students, ``PAGE_SIZE`` at a time (the CSV export holds them all): a school of
    1,500 students is read a page at a time anyway, and a page of 100 rows stays fast."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in filters.items() if v}  # the filters the page links keep
    return render(
        request,
        "front/students.html",
        {**context, "rows": rows, "page": page, "filters": filters, "tiers": TIERS,
         "sort_choices": SORT_CHOICES, "kept": urlencode(kept)},
    )  # fmt: skip


@login_required
def student(request: HttpRequest, district_id: str, student_id: str) -> HttpResponse:
    """A student's record: band and days at each snapshot, at each school and the district."""
    found = scope.student_or_404(request.user, district_id, student_id)
    hidden = scope.hidden_fields(request.user)
    history = (
        StudentMetric.objects.filter(student=found, level__in=(SCHOOL, DISTRICT))
        .select_related("snapshot", "school")
        .order_by("-snapshot__period_end", "-snapshot__created_at", "level", "unit_id")
    )
    plans = scope.plans_for(request.user).filter(student=found).select_related("owner")
    snapshot = latest_snapshot(found.district_id)
    days, warned = None, []
    if snapshot is not None:
        warned = student_risks(snapshot, found.pk)
    if snapshot is not None and has_days(snapshot):
        hidden_reasons = frozenset({"suspension"} if "days_suspension" in hidden else ())
        days = calendars_for([found], snapshot, hidden_reasons)[found.pk]
    record(request, "view", "student", f"{district_id}/{student_id}")
    return render(
        request,
        "front/student.html",
        {"student": found, "history": history, "show_suspension": "days_suspension" not in hidden,
         "plans": plans, "can_start_plan": scope.can_start_plan(request.user, found),
         "days": days, "weekdays": [WEEKDAYS_ABBR[n] for n in range(7)],
         "contacts": found.contacts.all(), "risks": warned, "snapshot": snapshot,
         "outreach": outreach_entries(found)},
    )  # fmt: skip


@login_required
def network(request: HttpRequest, pk: int) -> HttpResponse:
    """A network's schools and districts as they may be published (hidden counts stay hidden),
    its members' shared work and its change-idea library, for its coaches and its member
    districts' staff and administrators."""
    found = scope.network_or_404(request.user, pk)
    units = []
    for district in found.districts.order_by("name"):
        snapshot = latest_snapshot(district.pk)
        if snapshot is None:
            continue
        rows = PublishedRow.objects.filter(
            snapshot=snapshot, level__in=(SCHOOL, DISTRICT), dimension="all"
        ).order_by("-level", "unit_name")
        units.append((district, snapshot, list(rows)))
    context = {
        "network": found, "units": units, **network_context(found),
        **library_context(request, found),
    }  # fmt: skip
    return render(request, "front/network.html", context)


def _risk_cells(risk: Risk | None) -> tuple[object, ...]:
    """The early warning's columns of the CSV export (empty without a warning)."""
    if risk is None:
        return ("", "", "", "")
    return (risk.rank, "yes" if risk.flagged else "no", risk.tier, risk.reasons)


def _described(filters: dict[str, str]) -> str:
    """The filters of a list, for the audit trail."""
    shown = ", ".join(f"{k}={v}" for k, v in filters.items() if v)
    return shown or "no filter"  # the trail is read in one language, whoever made the event
