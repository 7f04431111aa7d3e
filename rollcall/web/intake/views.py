"""The refresh pages: the form that starts a refresh, the job's page (progress, then what was
read, accepted and refused, and the new snapshot's schools), and the job's status for the
page's poller. Who may is ``rollcall.web.scope``'s: a job out of scope is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from rollcall.levels import SCHOOL
from rollcall.web import scope
from rollcall.web.audit.record import record
from rollcall.web.intake import jobs
from rollcall.web.intake.forms import RefreshForm, job_options, too_big
from rollcall.web.intake.inputs import SizeLimit
from rollcall.web.intake.models import RefreshJob, SourceKind, Status, Step
from rollcall.web.snapshots.models import SummaryRow

RECENT = 10
STEP_LABELS = dict(Step.choices)


@csrf_exempt  # checked below, once the upload's size limit is in place (Django's pattern)
@login_required
@require_http_methods(["GET", "POST"])
def new_refresh(request: HttpRequest) -> HttpResponse:
    """The "Refresh the data" form, for those who may refresh a district."""
    if not scope.refresh_districts_for(request.user).exists():
        raise Http404("no district to refresh")
    limit = SizeLimit(settings.REFRESH_UPLOAD_MAX_BYTES)
    if request.method == "POST":
        request.upload_handlers.insert(0, limit)
    return _new_refresh(request, limit)


@csrf_protect
def _new_refresh(request: HttpRequest, limit: SizeLimit) -> HttpResponse:
    districts = scope.refresh_districts_for(request.user)
    status = 200
    if request.method != "POST":
        form = RefreshForm(districts=districts)
    else:
        form = RefreshForm(request.POST, request.FILES, districts=districts)
        if limit.too_big:
            form.is_valid()
            form._errors = ErrorDict()  # the fields after the file never arrived: one message
            form.add_error("upload", too_big(limit.limit))
            status = 413
        elif form.is_valid():
            return _start(request, form)
        else:
            status = 400
    recent = RefreshJob.objects.filter(district__in=districts).select_related(
        "district", "created_by"
    )[:RECENT]
    context = {"form": form, "recent": [jobs.expire_if_stale(job) for job in recent],
               "imports": settings.REFRESH_IMPORTS,
               "limit_mb": settings.REFRESH_UPLOAD_MAX_BYTES // 1024**2}  # fmt: skip
    return render(request, "intake/new.html", context, status=status)


def _start(request: HttpRequest, form: RefreshForm) -> HttpResponse:
    data = form.cleaned_data
    job = jobs.create(
        data,
        user=request.user,  # type: ignore[arg-type]
        district=data["district"],
        options=job_options(data, input_path=None),
    )
    as_of = data["as_of"].isoformat() if data["as_of"] else "every day"
    detail = f"refresh {job.pk} from {job.source_kind}: {job.source_label}, as of {as_of}"
    record(request, "refresh", "snapshot", job.district.district_id, detail)
    secret = {}
    if job.source_kind == SourceKind.EDFI:
        secret = {"key": data["edfi_key"], "secret": data["edfi_secret"]}
    try:
        jobs.launch(job, secret)
    except OSError:
        jobs.fail(job, jobs.NOT_STARTED)
    return redirect("refresh-job", pk=job.pk)


@dataclass(frozen=True)
class StepRow:
    label: str
    at: datetime
    seconds: int | None  # how long it took (None while it runs)


@dataclass(frozen=True)
class SchoolResult:
    school_id: str
    name: str
    eligible: int
    chronic: int


def steps_of(job: RefreshJob) -> list[StepRow]:
    times = [parse_datetime(s["at"]) or job.created_at for s in job.steps]
    ends = [*times[1:], job.finished_at][: len(times)]
    return [
        StepRow(str(STEP_LABELS[s["step"]]), at, int((end - at).total_seconds()) if end else None)
        for s, at, end in zip(job.steps, times, ends, strict=True)
    ]


def progress_text(job: RefreshJob) -> str:
    """The one sentence the page's live region says about ``job``."""
    if job.status == Status.WAITING:
        return _("Waiting to start.")
    if job.status == Status.RUNNING:
        step = job.step or Step.READING
        number = list(STEP_LABELS).index(step) + 1
        label = STEP_LABELS[step]
        return _("Running: %(step)s (step %(number)s of 3).") % {"step": label, "number": number}
    if job.status == Status.DONE:
        return _("Done.")
    return _("Failed.")


def _schools(job: RefreshJob) -> list[tuple[object, list[SchoolResult]]]:
    found = []
    for snapshot in job.snapshots.select_related("district").order_by("district__name"):
        rows = SummaryRow.objects.filter(snapshot=snapshot, level=SCHOOL, dimension="all")
        names = dict(snapshot.district.schools.values_list("school_id", "name"))
        schools = sorted(
            (SchoolResult(r.unit_id, names.get(r.unit_id, r.unit_id), r.eligible_students,
                          r.chronically_absent) for r in rows),
            key=lambda s: s.name,
        )  # fmt: skip
        found.append((snapshot, schools))
    return found


@login_required
@require_GET
def refresh_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A refresh's progress, then what it read, accepted and refused, and what it stored."""
    job = jobs.expire_if_stale(scope.refresh_job_or_404(request.user, pk))
    files = [(name, c) for name, c in job.counts.items()]
    return render(
        request,
        "intake/job.html",
        {"job": job, "steps": steps_of(job), "progress": progress_text(job), "files": files,
         "snapshots": _schools(job) if job.status == Status.DONE else [],
         "now": timezone.now()},
    )  # fmt: skip


@login_required
@require_GET
def refresh_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's state for the page's poller (rollcall/web/static/rollcall/refresh.js)."""
    job = jobs.expire_if_stale(scope.refresh_job_or_404(request.user, pk))
    return JsonResponse(
        {"status": job.status, "finished": job.finished, "text": progress_text(job)},
        headers={"Cache-Control": "no-store"},
    )
