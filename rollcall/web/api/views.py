"""The endpoints, mounted at ``/api/`` (rollcall/web/urls.py). Each asks ``rollcall.web.scope``
and nothing else about who may see what; reads of students are recorded (audit trail)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from ninja import NinjaAPI, Query
from ninja.security import HttpBearer

from rollcall.levels import DISTRICT, SCHOOL
from rollcall.web import scope
from rollcall.web.api.schemas import (
    Page,
    Problem,
    ProjectDetailOut,
    ProjectOut,
    PublishedRowOut,
    SchoolOut,
    SnapshotOut,
    StudentPage,
    StudentRecordOut,
)
from rollcall.web.audit.record import record
from rollcall.web.improve.aims import aim_text
from rollcall.web.improve.charts import Week, measure_chart
from rollcall.web.improve.models import Cycle, Project
from rollcall.web.people.tokens import user_for_key
from rollcall.web.snapshots.models import (
    PublishedRow,
    Snapshot,
    Student,
    StudentMetric,
    SummaryRow,
)


class BearerKey(HttpBearer):
    """``Authorization: Bearer KEY``: the key's account becomes the request's user, so that
    the scopes and the audit trail see the same person as on the pages."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_key(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="rollcall",
    version="1",
    description="Chronic absence for the schools, students and networks in your scope "
    "(docs/platform.md, “The API”).",
    openapi_url="/schema",
    docs_url=None,  # no browsable page: the schema at /api/schema describes every endpoint
    urls_namespace="api",
    auth=BearerKey(),
)
NOT_FOUND = {404: Problem}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@api.get("/schools", response=list[SchoolOut], url_name="api-schools")
def schools(request: HttpRequest) -> list[dict[str, Any]]:
    """The schools whose numbers you may see, with their latest refresh's counts."""
    found = scope.schools_for(request.user).select_related("district")
    latest = {s.district_id: s for s in scope.latest_snapshots()}
    everyone = {
        (row.snapshot_id, row.unit_id): row
        for row in SummaryRow.objects.filter(
            snapshot__in=latest.values(), level=SCHOOL, dimension="all"
        )
    }
    answer = []
    for school in found.order_by("district__district_id", "school_id"):
        snapshot = latest.get(school.district_id)
        row = everyone.get((snapshot.pk, school.school_id)) if snapshot else None
        answer.append(
            {
                "district_id": school.district.district_id,
                "district_name": school.district.name,
                "school_id": school.school_id,
                "name": school.name,
                "snapshot_id": snapshot.pk if snapshot else None,
                "as_of": snapshot.period_end if snapshot else None,
                "eligible_students": row.eligible_students if row else None,
                "chronically_absent": row.chronically_absent if row else None,
                "chronic_absence_rate": _number(row.chronic_absence_rate) if row else None,
            }
        )
    return answer


def _with_latest_band(students: QuerySet[Student]) -> QuerySet[Student]:
    """``students`` with their row at the district level in their district's latest refresh."""
    latest = StudentMetric.objects.filter(
        student=OuterRef("pk"), level=DISTRICT, snapshot__in=scope.latest_snapshots()
    )
    return students.annotate(
        **{
            f"latest_{field}": Subquery(latest.values(field)[:1])
            for field in ("grade", "days_enrolled", "days_absent", "absence_rate", "tier")
        },
        latest_as_of=Subquery(latest.values("snapshot__period_end")[:1]),
    )


@api.get("/students", response=StudentPage, url_name="api-students")
def students(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    """The students whose records you may see, by district and id, with their band at the
    district level in the latest refresh; ``limit`` and ``offset`` page through them. A network
    coach's list is empty: a coach sees no student."""
    found = scope.students_for(request.user)
    count = found.count()
    chosen = _with_latest_band(found.select_related("district")).order_by(
        "district__district_id", "student_id"
    )[page.offset : page.offset + page.limit]
    items = [
        {
            "student_id": s.student_id,
            "district_id": s.district.district_id,
            "name": s.name,
            "as_of": s.latest_as_of,  # type: ignore[attr-defined]
            "grade": s.latest_grade,  # type: ignore[attr-defined]
            "days_enrolled": s.latest_days_enrolled,  # type: ignore[attr-defined]
            "days_absent": _number(s.latest_days_absent),  # type: ignore[attr-defined]
            "absence_rate": _number(s.latest_absence_rate),  # type: ignore[attr-defined]
            "band": s.latest_tier,  # type: ignore[attr-defined]
        }
        for s in chosen
    ]
    record(request, "view", "student list", "api", f"limit={page.limit}, offset={page.offset}")
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": items}


@api.get(
    "/students/{district_id}/{student_id}",
    response={200: StudentRecordOut, **NOT_FOUND},
    url_name="api-student",
    exclude_unset=True,  # the fields hidden from this person are left out, not null
)
def student(request: HttpRequest, district_id: str, student_id: str) -> dict[str, Any]:
    """A student's record: days and band at each refresh, at each school and the district.
    A community partner gets no ``days_suspension``."""
    found = scope.student_or_404(request.user, district_id, student_id)
    hidden = scope.hidden_fields(request.user)
    history = (
        StudentMetric.objects.filter(student=found, level__in=(SCHOOL, DISTRICT))
        .select_related("snapshot")
        .order_by("-snapshot__period_end", "-snapshot__created_at", "level", "unit_id")
    )
    rows = []
    for m in history:
        row = {
            "student_id": found.student_id,
            "snapshot_id": m.snapshot_id,
            "as_of": m.snapshot.period_end,
            "level": m.level,
            "unit_id": m.unit_id,
            "grade": m.grade,
            "days_enrolled": m.days_enrolled,
            "days_absent": float(m.days_absent),
            "days_excused": float(m.days_excused),
            "days_unexcused": float(m.days_unexcused),
            "days_suspension": float(m.days_suspension),
            "absence_rate": _number(m.absence_rate),
            "eligible": m.eligible,
            "chronically_absent": m.chronically_absent,
            "band": m.tier,
        }
        rows.append({k: v for k, v in row.items() if k not in hidden})
    record(request, "view", "student", f"{district_id}/{student_id}", "api")
    return {
        "student_id": found.student_id,
        "district_id": found.district.district_id,
        "name": found.name,
        "history": rows,
    }


@api.get("/snapshots", response=list[SnapshotOut], url_name="api-snapshots")
def snapshots(request: HttpRequest) -> list[dict[str, Any]]:
    """The refreshes of the districts you hold a role in, newest first (none for a coach)."""
    found = Snapshot.objects.filter(district__in=scope.districts_for(request.user))
    return [
        {
            "id": s.pk,
            "district_id": s.district.district_id,
            "school_year": s.school_year,
            "period_start": s.period_start,
            "period_end": s.period_end,
            "created_at": s.created_at,
            "policy": s.policy,
            "counts": s.counts,
            "refused": s.refused,
        }
        for s in found.select_related("district").order_by(
            "district__district_id", "-period_end", "-created_at"
        )
    ]


@api.get(
    "/networks/{pk}/measures",
    response={200: list[PublishedRowOut], **NOT_FOUND},
    url_name="api-network-measures",
)
def network_measures(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """A network's schools and districts as they may be published, from each district's latest
    refresh (for its coaches and its member districts' staff and administrators, as the
    network's page): counts hidden under the disclosure rules are null."""
    found = scope.network_or_404(request.user, pk)
    latest = scope.latest_snapshots().filter(district__in=found.districts.all())
    rows = (
        PublishedRow.objects.filter(snapshot__in=latest, level__in=(SCHOOL, DISTRICT))
        .select_related("snapshot__district")
        .order_by("snapshot__district__district_id", "-level", "unit_id", "dimension", "group")
    )
    return [
        {
            "district_id": r.snapshot.district.district_id,
            "snapshot_id": r.snapshot_id,
            "as_of": r.snapshot.period_end,
            "level": r.level,
            "unit_id": r.unit_id,
            "unit_name": r.unit_name,
            "dimension": r.dimension,
            "group": r.group,
            "eligible_students": r.eligible_students,
            "chronically_absent": r.chronically_absent,
            "chronic_absence_rate": r.chronic_absence_rate,
            "note": r.note,
        }
        for r in rows
    ]


def _project(project: Project) -> dict[str, Any]:
    latest = project.diagrams.first()
    return {
        "id": project.pk,
        "district_id": project.district.district_id,
        "school_id": project.school.school_id if project.school else None,
        "name": project.name,
        "aim": aim_text(project),
        "for_whom": project.for_whom,
        "baseline": float(project.baseline),
        "target": float(project.target),
        "by_when": project.by_when,
        "diagram_version": latest.number if latest else None,
    }


CYCLE_FIELDS = ("number", "question", "prediction", "who_where_when", "data_plan", "start_date",
                "end_date", "what_happened", "study", "act", "next_step")  # fmt: skip


def _cycle(cycle: Cycle) -> dict[str, Any]:
    return {"id": cycle.pk} | {name: getattr(cycle, name) for name in CYCLE_FIELDS}


def _week(week: Week) -> dict[str, Any]:
    return {
        "week_start": week.start,
        "week_end": week.end,
        "value": week.value,
        "numerator": week.numerator,
        "denominator": week.denominator,
    }


@api.get("/projects", response=list[ProjectOut], url_name="api-projects")
def projects(request: HttpRequest) -> list[dict[str, Any]]:
    """The improvement projects of your school or district team."""
    found = scope.projects_for(request.user).select_related("district", "school")
    return [_project(p) for p in found]


@api.get("/projects/{pk}", response={200: ProjectDetailOut, **NOT_FOUND}, url_name="api-project")
def project(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A project: its aim, driver diagram, change ideas with their PDSA cycles, and measures
    week by week with their signals in words."""
    found = scope.project_or_404(request.user, pk)
    cycles = list(Cycle.objects.filter(change_idea__project=found).select_related("change_idea"))
    latest = found.diagrams.first()
    measures = []
    for measure in found.measures.prefetch_related("counts"):
        shown = measure_chart(measure, cycles)
        measures.append(
            {
                "id": measure.pk,
                "name": measure.name,
                "kind": measure.kind,
                "source": measure.source,
                "chart": shown.chart.kind if shown.chart else None,
                "signals": list(shown.sentences),
                "weeks": [_week(w) for w in shown.weeks],
            }
        )
    ideas = [
        {
            "id": idea.pk,
            "name": idea.name,
            "cycles": [_cycle(c) for c in cycles if c.change_idea_id == idea.pk],
        }
        for idea in found.change_ideas.all()
    ]
    return _project(found) | {
        "diagram": latest.outline if latest else None,
        "change_ideas": ideas,
        "measures": measures,
    }
