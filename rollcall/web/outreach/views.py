"""Family outreach's pages: a school's rounds, one round (its letters, sends and evaluation), a
letter's preview, the printed letters, and the actions (plan, approve, send, evaluate). Each
fetches through ``rollcall.web.scope`` (out of scope is a 404) and records in the audit trail;
the work is in the app's modules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rollcall.web import scope
from rollcall.web.audit.record import record
from rollcall.web.front.lists import latest_snapshot
from rollcall.web.outreach import evaluating, planning, sending
from rollcall.web.outreach.files import letters_pdf
from rollcall.web.outreach.forms import PlanForm
from rollcall.web.outreach.models import Household
from rollcall.web.outreach.pages import overview


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest, district_id: str, school_id: str) -> HttpResponse:
    """A school's rounds, and the form that plans the next."""
    school = scope.school_or_404(request.user, district_id, school_id)
    snapshot = latest_snapshot(school.district_id)
    initial = PlanForm.initial_for(planning.default_window_end(snapshot)) if snapshot else None
    form = PlanForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            found = planning.plan(school, form.request(), user=request.user)
        except planning.PlanError as exc:
            error = str(exc)
        else:
            record(request, "change", "outreach round", str(found.pk),
                   f"planned round {found.number} of school {school.school_id}")  # fmt: skip
            return redirect("outreach-round", pk=found.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "outreach/rounds.html",
        {"school": school, "snapshot": snapshot, "form": form, "error": error,
         "rounds": school.outreach_rounds.select_related("approved_by")},
        status=status,
    )  # fmt: skip


@login_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = scope.outreach_round_or_404(request.user, pk)
    record(request, "view", "outreach round", str(found.pk))
    ready = evaluating.readiness(found, today=timezone.localdate())
    return render(
        request,
        "outreach/round.html",
        {"round": found, "school": found.school, "overview": overview(found), "ready": ready,
         "evaluation": found.evaluation, "pdf": letters_pdf(found)
         .is_file()},
    )  # fmt: skip


@login_required
def letter(request: HttpRequest, pk: int, household_id: str) -> HttpResponse:
    """A household's letter as the family will read it."""
    found = scope.outreach_round_or_404(request.user, pk)
    home = get_object_or_404(Household, round=found, household_id=household_id)
    record(request, "view", "outreach letter", f"{found.pk}/{household_id}")
    return render(request, "outreach/letter.html", {"round": found, "home": home})


@login_required
def letters(request: HttpRequest, pk: int) -> FileResponse:
    """The school's printed letters (one page a household), for staff to print and mail."""
    found = scope.outreach_round_or_404(request.user, pk)
    path = letters_pdf(found)
    if not path.is_file():
        raise Http404("no letters")
    record(request, "export", "outreach letters", str(found.pk))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name,
                        content_type="application/pdf")  # fmt: skip


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = scope.outreach_round_or_404(request.user, pk)
    if planning.approve(found, user=request.user):
        record(request, "change", "outreach round", str(found.pk), "approved")
        messages.success(request, _("Round approved."))
    return redirect("outreach-round", pk=found.pk)


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the approved round: a dry run unless the form says to send for real."""
    found = scope.outreach_round_or_404(request.user, pk)
    dry_run = request.POST.get("really") != "yes"
    try:
        result = sending.send(found, user=request.user, dry_run=dry_run)
    except sending.NotApproved:
        messages.error(request, _("Approve the round before sending it."))
        return redirect("outreach-round", pk=found.pk)
    counts = {s: result.count(s) for s in ("sent", "failed", "skipped", "would send")}
    said = ", ".join(f"{n} {s}" for s, n in counts.items())
    record(request, "view" if dry_run else "change", "outreach send", str(found.pk),
           ("dry run: " if dry_run else "") + said)  # fmt: skip
    if dry_run:
        messages.info(request, _("Dry run: %(n)d messages would be sent. Nothing was sent.")
                      % {"n": counts["would send"]})  # fmt: skip
    else:
        messages.success(request, _("%(sent)d messages sent, %(failed)d failed, %(skipped)d "
                                    "skipped.") % counts)  # fmt: skip
    return redirect("outreach-round", pk=found.pk)


@login_required
@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    found = scope.outreach_round_or_404(request.user, pk)
    try:
        evaluating.evaluate(found, today=timezone.localdate())
    except evaluating.EvaluateError as exc:
        messages.error(request, str(exc))
    else:
        record(request, "change", "outreach round", str(found.pk), "evaluated")
    return redirect("outreach-round", pk=found.pk)
