"""The improvement pages: a team's projects, a project (aim, driver diagram, measures on their
charts, change ideas and their ramps of PDSA cycles), and the forms that change them. Every
page fetches through ``rollcall.web.scope`` (out of scope is a 404); every change is written to
the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from rollcall.web import scope
from rollcall.web.audit.record import record
from rollcall.web.front.charts import image
from rollcall.web.improve.aims import aim_text
from rollcall.web.improve.charts import measure_chart
from rollcall.web.improve.diagram import Diagram, describe, diagram_svg, parse
from rollcall.web.improve.forms import (
    AimForm,
    CountForm,
    CycleForm,
    DiagramForm,
    MeasureForm,
    ProjectForm,
    ShareForm,
)
from rollcall.web.improve.models import (
    ChangeIdea,
    Cycle,
    DiagramVersion,
    Measure,
    MeasureSource,
    Project,
    Share,
)
from rollcall.web.improve.network import share_summary, summary_texts
from rollcall.web.improve.privacy import students_named

# The measures every project starts with (the team adds the ones it counts).
STARTING_MEASURES: tuple[tuple[str, str], ...] = (
    ("outcome", "chronic"),
    ("outcome", "absence"),
    ("process", "plans"),
)


def _changed(request: HttpRequest, project: Project, detail: str) -> None:
    record(request, "change", "improvement project", str(project.pk), detail)


@login_required
@require_GET
def projects(request: HttpRequest) -> HttpResponse:
    """The projects of the schools and districts in the person's scope."""
    found = scope.projects_for(request.user).select_related("district", "school")
    may_start = scope.schools_for(request.user).exists()
    return render(
        request,
        "improve/projects.html",
        {"projects": [(p, aim_text(p)) for p in found], "may_start": may_start},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    """Start a project for a school or district the person's team works for."""
    schools = scope.schools_for(request.user)
    districts = scope.districts_overseen(request.user)
    if not schools.exists():
        raise Http404("no school or district to start a project for")
    form = ProjectForm(request.POST or None, schools=schools, districts=districts)
    if request.method == "POST" and form.is_valid():
        district, school = form.chosen_place()
        with transaction.atomic():
            project = form.save(commit=False)
            project.district, project.school = district, school
            project.created_by = request.user
            project.save()
            for kind, source in STARTING_MEASURES:
                name = str(dict(MeasureSource.choices)[source])
                Measure.objects.create(project=project, kind=kind, source=source, name=name)
            _changed(request, project, "started")
        return redirect("improve-project", pk=project.pk)
    return render(request, "improve/project_new.html", {"form": form})


def latest_diagram(project: Project) -> tuple[DiagramVersion | None, Diagram | None]:
    version = project.diagrams.first()
    return version, parse(version.outline) if version else None


def diagram_picture(project: Project, diagram: Diagram) -> Any:
    aim = aim_text(project)
    return image(diagram_svg(aim, diagram), describe(aim, diagram))


def ramps(project: Project) -> list[tuple[ChangeIdea, list[Cycle]]]:
    """Each change idea with its cycles in order (its ramp)."""
    ideas = project.change_ideas.prefetch_related("cycles")
    return [(idea, list(idea.cycles.all())) for idea in ideas]


@login_required
@require_GET
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """A project: aim, driver diagram, measures with PDSA cycles marked, change ideas' ramps."""
    found = scope.project_or_404(request.user, pk)
    version, diagram = latest_diagram(found)
    cycles = list(Cycle.objects.filter(change_idea__project=found).select_related("change_idea"))
    measures = [measure_chart(m, cycles) for m in found.measures.prefetch_related("counts")]
    return render(
        request,
        "improve/project.html",
        {
            "project": found,
            "aim": aim_text(found),
            "version": version,
            "diagram": diagram,
            "picture": diagram_picture(found, diagram) if diagram else None,
            "measures": measures,
            "ramps": ramps(found),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_aim(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the project's aim."""
    found = scope.project_or_404(request.user, pk)
    form = AimForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            _changed(request, found, "aim changed")
        return redirect("improve-project", pk=found.pk)
    return render(request, "improve/aim.html", {"project": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def project_diagram(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the next version of the driver diagram (every version is kept)."""
    found = scope.project_or_404(request.user, pk)
    version, _diagram = latest_diagram(found)
    initial = {"outline": version.outline} if version else {}
    form = DiagramForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            number = (found.diagrams.aggregate(top=Max("number"))["top"] or 0) + 1
            DiagramVersion.objects.create(
                project=found, number=number, outline=form.cleaned_data["outline"],
                created_by=request.user,
            )  # fmt: skip
            for name in form.diagram.change_ideas:
                ChangeIdea.objects.get_or_create(project=found, name=name)
            _changed(request, found, f"driver diagram version {number}")
        return redirect("improve-project", pk=found.pk)
    versions = found.diagrams.select_related("created_by")
    return render(
        request,
        "improve/diagram_edit.html",
        {"project": found, "form": form, "versions": versions},
    )


@login_required
@require_GET
def diagram_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """An earlier (or the latest) version of the driver diagram."""
    found = scope.project_or_404(request.user, pk)
    version = found.diagrams.filter(number=number).first()
    if version is None:
        raise Http404("no such version")
    diagram = parse(version.outline)
    return render(
        request,
        "improve/diagram_version.html",
        {
            "project": found,
            "version": version,
            "diagram": diagram,
            "picture": diagram_picture(found, diagram),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a measure the team counts each week."""
    found = scope.project_or_404(request.user, pk)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            measure = form.save(commit=False)
            measure.project, measure.source = found, MeasureSource.COUNTED
            measure.save()
            _changed(request, found, f"measure {measure.pk} added")
        return redirect("improve-measure", pk=measure.pk)
    return render(request, "improve/measure_new.html", {"project": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    """A measure on its chart with every week's numbers; the team enters its counts here."""
    found = scope.measure_or_404(request.user, pk)
    counted = found.source == MeasureSource.COUNTED
    form = CountForm(request.POST or None, measure=found) if counted else None
    if request.method == "POST":
        if form is None:
            raise Http404("this measure comes from the refreshes")
        if form.is_valid():
            with transaction.atomic():
                count = form.save(commit=False)
                count.measure, count.created_by = found, request.user
                count.save()
                _changed(request, found.project, f"measure {found.pk}: week {count.week_start}")
            return redirect("improve-measure", pk=found.pk)
    cycles = Cycle.objects.filter(change_idea__project=found.project).select_related("change_idea")
    return render(
        request,
        "improve/measure.html",
        {
            "project": found.project,
            "shown": measure_chart(found, list(cycles)),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the next PDSA cycle of a change idea."""
    idea = scope.change_idea_or_404(request.user, pk)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            cycle = form.save(commit=False)
            cycle.change_idea, cycle.created_by = idea, request.user
            cycle.number = (idea.cycles.aggregate(top=Max("number"))["top"] or 0) + 1
            cycle.save()
            _changed(request, idea.project, f"PDSA cycle {cycle.pk} planned")
        return redirect("improve-project", pk=idea.project_id)
    return render(
        request, "improve/cycle.html", {"project": idea.project, "idea": idea, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """A PDSA cycle: its plan, and what was done, studied and decided."""
    found = scope.cycle_or_404(request.user, pk)
    form = CycleForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            _changed(request, found.change_idea.project, f"PDSA cycle {found.pk} updated")
        return redirect("improve-project", pk=found.change_idea.project_id)
    return render(
        request,
        "improve/cycle.html",
        {
            "project": found.change_idea.project,
            "idea": found.change_idea,
            "cycle": found,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_share(request: HttpRequest, pk: int) -> HttpResponse:
    """Share the project with a network of its district; text naming a student is refused."""
    found = scope.project_or_404(request.user, pk)
    form = ShareForm(request.POST or None, project=found)
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        network = form.cleaned_data["network"]
        summary = share_summary(found, list(form.cleaned_data["cycles"]))
        refused = students_named(summary_texts(summary), found.district)
        if refused:
            _changed(request, found, f"share with network {network.pk} refused: student names")
        else:
            with transaction.atomic():
                Share.objects.update_or_create(
                    project=found, network=network,
                    defaults={"summary": summary, "shared_by": request.user},
                )  # fmt: skip
                _changed(request, found, f"shared with network {network.pk}")
            return redirect("improve-project", pk=found.pk)
    return render(
        request,
        "improve/share.html",
        {"project": found, "form": form, "refused": refused, "shares": found.shares.all()},
    )


def summary_html(request: HttpRequest, pk: int) -> tuple[Project, str]:
    """The project on one page, as standalone HTML (images inline, no link out)."""
    found = scope.project_or_404(request.user, pk)
    _version, diagram = latest_diagram(found)
    cycles = list(Cycle.objects.filter(change_idea__project=found).select_related("change_idea"))
    context = {
        "project": found,
        "aim": aim_text(found),
        "picture": diagram_picture(found, diagram) if diagram else None,
        "measures": [measure_chart(m, cycles) for m in found.measures.prefetch_related("counts")],
        "ramps": ramps(found),
    }
    return found, render_to_string("improve/summary.html", context, request=request)


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def project_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The project as a one-page HTML summary, for a network convening."""
    found, html = summary_html(request, pk)
    record(request, "export", "improvement project", str(found.pk), "html")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    return _attachment(response, f"project-{found.pk}.html")


@login_required
@require_GET
def project_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same summary as a PDF (WeasyPrint, offline: every image is inline)."""
    from weasyprint import HTML

    found, html = summary_html(request, pk)
    record(request, "export", "improvement project", str(found.pk), "pdf")
    pdf = HTML(string=html, base_url=None).write_pdf()
    return _attachment(HttpResponse(pdf, content_type="application/pdf"), f"project-{found.pk}.pdf")
