"""A network's change-idea library: its exports (CSV, JSON), a member's change idea added with
what its cycles found, and another network's export imported by the coach. Who may is
``rollcall.web.scope``'s: a network out of scope is a 404; importing is the coaches' (a member
district's staff get 403). Every export and change is in the audit trail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from rollcall.web import scope
from rollcall.web.audit.models import AuditEvent
from rollcall.web.audit.record import record
from rollcall.web.front.exports import csv_response
from rollcall.web.improve.forms import LibraryIdeaForm, PackageForm
from rollcall.web.improve.library import (
    LIBRARY_COLUMNS,
    MEMBER_EVIDENCE,
    cycle_summary,
    entry_cycle,
    library,
)
from rollcall.web.improve.models import Cycle, LibraryEntry
from rollcall.web.improve.package import (
    MAX_PACKAGE_BYTES,
    PackageError,
    StudentNamed,
    import_package,
    read_package,
)
from rollcall.web.improve.privacy import StudentWords, student_words
from rollcall.web.intake.inputs import SizeLimit
from rollcall.web.people.models import Network


def _cells(value: object) -> object:
    return "" if value is None else value


@login_required
@require_GET
def network_library_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The network's change-idea library as CSV (its coaches and member districts)."""
    found = scope.network_or_404(request.user, pk)
    record(request, "export", "network library", str(found.pk), "csv")
    rows = [[_cells(getattr(idea, c)) for c in LIBRARY_COLUMNS] for idea in library(found)]
    return csv_response("change-ideas.csv", LIBRARY_COLUMNS, rows)


@login_required
@require_GET
def network_library_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The network's change-idea library as JSON (its coaches and member districts)."""
    found = scope.network_or_404(request.user, pk)
    record(request, "export", "network library", str(found.pk), "json")
    ideas = [{c: getattr(idea, c) for c in LIBRARY_COLUMNS} for idea in library(found)]
    response = JsonResponse({"network": found.name, "change_ideas": ideas})
    response["Content-Disposition"] = 'attachment; filename="change-ideas.json"'
    response["Cache-Control"] = "no-store"
    return response


def library_cycles(request: HttpRequest, network: Network) -> QuerySet[Cycle]:
    """The PDSA cycles the person may name as testing an idea: of their own projects (school
    or district), in the network's member districts."""
    return Cycle.objects.filter(
        change_idea__project__in=scope.projects_for(request.user),
        change_idea__project__district__in=network.districts.all(),
    )


def idea_form(request: HttpRequest, network: Network, data: Any = None) -> LibraryIdeaForm:
    return LibraryIdeaForm(
        data,
        districts=scope.library_districts(request.user, network),
        cycles=library_cycles(request, network),
    )


def library_context(request: HttpRequest, network: Network) -> dict[str, Any]:
    """The network page's library forms: a change idea (everyone who sees the page, for a
    member district), a change package (its coaches)."""
    coach = scope.coaches_network(request.user, network)
    return {
        "idea_form": idea_form(request, network),
        "package_form": PackageForm() if coach else None,
        "library_coach": coach,
        "package_limit_mb": MAX_PACKAGE_BYTES // 1024**2,
    }


# In the audit trail's detail of a refusal whose words were not shown: counted by ``_paused``.
HIDDEN = "student names, not shown"


def _paused(request: HttpRequest) -> bool:
    """Whether the account had ``NAME_REFUSALS`` texts refused for naming a student it cannot
    see within the last ``NAME_REFUSAL_PAUSE_SECONDS``. Each such refusal tells the writer that
    some word of the text is a student's name or id; without a pause, a coach, who sees no
    student, could try names one by one until the refusals had listed a district's students."""
    since = timezone.now() - timedelta(seconds=settings.NAME_REFUSAL_PAUSE_SECONDS)
    refused = AuditEvent.objects.filter(
        user=request.user, what="network library", detail__contains=HIDDEN, at__gte=since
    )
    return refused.count() >= settings.NAME_REFUSALS


def _paused_page(
    request: HttpRequest, network: Network, template: str, **context: Any
) -> HttpResponse:
    record(request, "change", "network library", str(network.pk), "paused: too many refusals")
    hours = settings.NAME_REFUSAL_PAUSE_SECONDS // 3600
    message = ngettext(
        "Paused: %(count)s texts from your account were refused for naming students in the last "
        "hour, so adding and importing ideas are paused for now (each refusal counts for an "
        "hour). A member district's own team can add the idea meanwhile.",
        "Paused: %(count)s texts from your account were refused for naming students in the last "
        "%(hours)s hours, so adding and importing ideas are paused for now (each refusal counts "
        "for %(hours)s hours). A member district's own team can add the idea meanwhile.",
        hours,
    ) % {"count": settings.NAME_REFUSALS, "hours": hours}
    return render(request, template, {"network": network, "paused": message, **context}, status=429)


def _refusals(form: LibraryIdeaForm, request: HttpRequest) -> str:
    """Refuse the form's text where it names a student of the district it is added for, field
    by field: listing the words to the district's own people (they see its students), not to a
    coach (who sees none). What the audit trail says of it ("" when nothing is refused)."""
    district = form.cleaned_data["district"]
    reveal = scope.districts_overseen(request.user).filter(pk=district.pk).exists()
    texts = {
        "name": [form.cleaned_data["name"]],
        "results": [form.cleaned_data["results"]],
        "cycles": [cycle_summary(entry_cycle(c)) for c in form.cleaned_data.get("cycles") or ()],
    }
    students, refused = StudentWords(student_words(district)), ""
    for field, written in texts.items():
        words = students.named(written)
        if not words:
            continue
        refused = "idea refused: student names" if reveal else f"idea refused: {HIDDEN}"
        if reveal:
            message = gettext(
                "Not added: these words are names or ids of students of %(district)s. Rewrite "
                "the text without them: %(words)s"
            ) % {"district": district.name, "words": ", ".join(words)}
        else:
            message = gettext(
                "Not added: a word of this is the name or id of a student of %(district)s. "
                "Rewrite it without any student's name or id."
            ) % {"district": district.name}
        form.add_error(field, message)
    return refused


@login_required
@require_http_methods(["GET", "POST"])
def network_library_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a change idea a member district tested to the network's library, with what its
    cycles found; text naming a student of the district is refused."""
    found = scope.network_or_404(request.user, pk)
    form = idea_form(request, found, request.POST or None)
    if request.method == "POST" and _paused(request):
        return _paused_page(request, found, "improve/library_add.html", idea_form=form)
    if request.method == "POST" and form.is_valid():
        if refused := _refusals(form, request):
            record(request, "change", "network library", str(found.pk), refused)
        else:
            district = form.cleaned_data["district"]
            chosen = form.cleaned_data.get("cycles") or ()
            with transaction.atomic():
                entry = LibraryEntry.objects.create(
                    network=found, name=" ".join(form.cleaned_data["name"].split()),
                    tier=form.cleaned_data["tier"], evidence=MEMBER_EVIDENCE,
                    source=district.name, district=district,
                    results=form.cleaned_data["results"].strip(),
                    cycles=[entry_cycle(c) for c in chosen], added_by=request.user,
                )  # fmt: skip
                record(request, "change", "network library", str(found.pk),
                       f"idea {entry.pk} added for district {district.pk}")  # fmt: skip
            messages.success(
                request, gettext("“%(name)s” is in the library.") % {"name": entry.name}
            )
            return redirect(reverse("network", kwargs={"pk": found.pk}) + "#library")
    return render(request, "improve/library_add.html", {"network": found, "idea_form": form})


@csrf_exempt  # checked below, once the upload's size limit is in place (Django's pattern)
@login_required
@require_http_methods(["GET", "POST"])
def network_library_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import another network's library export into this network's library (its coaches)."""
    found = scope.coached_network_or_403(request.user, pk)
    limit = SizeLimit(MAX_PACKAGE_BYTES)
    if request.method == "POST":
        request.upload_handlers.insert(0, limit)
    return _import(request, found, limit)


@csrf_protect
def _import(request: HttpRequest, network: Network, limit: SizeLimit) -> HttpResponse:
    if request.method != "POST":
        return _import_page(request, network, PackageForm())
    if _paused(request):
        return _paused_page(
            request, network, "improve/library_import.html", package_form=PackageForm(),
            package_limit_mb=MAX_PACKAGE_BYTES // 1024**2,
        )  # fmt: skip
    form = PackageForm(request.POST, request.FILES)
    if limit.too_big:
        name = limit.file_name or gettext("the file")
        error = PackageError(
            f"is larger than the limit of {MAX_PACKAGE_BYTES // 1024**2} MB for a change package",
            name=name,
        )
        return _refused(request, network, error)
    if not form.is_valid():
        return _import_page(request, network, form, status=400)
    upload = form.cleaned_data["package"]
    name = (upload.name or "package")[:200]
    try:
        ideas = read_package(upload.read(MAX_PACKAGE_BYTES + 1), name)
        done = import_package(network, ideas, name=name, user=request.user)
    except PackageError as exc:
        return _refused(request, network, exc)
    record(request, "change", "network library", str(network.pk),
           f"imported {done.added} ideas from {name} ({done.already} there already)")  # fmt: skip
    said = ngettext(
        "Imported from %(name)s: %(added)s change idea added, %(already)s already in the library.",
        "Imported from %(name)s: %(added)s change ideas added, %(already)s already in the library.",
        done.added,
    )
    messages.success(request, said % {"name": name, "added": done.added, "already": done.already})
    return redirect(reverse("network", kwargs={"pk": network.pk}) + "#library")


def _refused(request: HttpRequest, network: Network, error: PackageError) -> HttpResponse:
    # A coach sees no student: a refusal for naming one counts towards a pause (``_paused``).
    named = f" ({HIDDEN})" if isinstance(error, StudentNamed) else ""
    record(request, "change", "network library", str(network.pk), f"import refused{named}: {error}")
    return _import_page(request, network, PackageForm(), error=str(error), status=400)


def _import_page(
    request: HttpRequest, network: Network, form: PackageForm, error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "improve/library_import.html",
        {"network": network, "package_form": form, "error": error,
         "package_limit_mb": MAX_PACKAGE_BYTES // 1024**2},
        status=status,
    )  # fmt: skip
