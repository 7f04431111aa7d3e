"""The plan pages: start a plan for a student, see a plan with its check-ins, add a check-in,
end a plan. Every rule of who may comes from ``rollcall.web.scope``; every read of a plan is a
read of a student's record and every change is written to the audit trail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from rollcall.web import scope
from rollcall.web.audit.record import record
from rollcall.web.front.lists import latest_snapshot
from rollcall.web.plans.followthrough import around
from rollcall.web.plans.forms import CheckInForm, EndPlanForm, PlanForm
from rollcall.web.plans.models import SupportPlan
from rollcall.web.snapshots.days import calendars_for, has_days


def _key(plan: SupportPlan) -> str:
    return f"{plan.student.district.district_id}/{plan.student.student_id}"


@login_required
@require_http_methods(["GET", "POST"])
def new_plan(request: HttpRequest, district_id: str, student_id: str) -> HttpResponse:
    """Start a support plan for a student (staff who see the student; not partners)."""
    student = scope.plan_student_or_404(request.user, district_id, student_id)
    owners = scope.plan_owners(student)
    if request.method == "POST":
        form = PlanForm(request.POST, student=student, owners=owners)
        if form.is_valid():
            with transaction.atomic():
                plan = form.save(commit=False)
                plan.student = student
                plan.created_by = request.user
                plan.save()
                form.save_m2m()
                record(request, "change", "support plan", str(plan.pk), "started")
            return redirect("plan", pk=plan.pk)
    else:
        initial = {"owner": request.user.pk} if owners.filter(pk=request.user.pk).exists() else {}
        form = PlanForm(student=student, owners=owners, initial=initial)
    record(request, "view", "student", f"{district_id}/{student_id}", "new support plan")
    return render(request, "plans/new.html", {"student": student, "form": form})


def _plan_page(
    request: HttpRequest,
    plan: SupportPlan,
    checkin_form: CheckInForm | None = None,
    end_form: EndPlanForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_change = scope.can_start_plan(request.user, plan.student)
    record(request, "view", "student", _key(plan), f"support plan {plan.pk}")
    last = plan.last_checkin_date()
    snapshot = latest_snapshot(plan.student.district_id)
    measured, data_end = None, None
    if snapshot is not None and has_days(snapshot):
        if plan.start_date <= snapshot.period_end:
            measured = around(plan, calendars_for([plan.student], snapshot)[plan.student_id])
        else:  # no day of the plan in the data yet
            data_end = snapshot.period_end
    return render(
        request,
        "plans/plan.html",
        {
            "plan": plan,
            "student": plan.student,
            "strategies": plan.strategies.all(),
            "checkins": plan.checkins.select_related("by"),
            "next_checkin": plan.next_checkin(last) if plan.end_date is None else None,
            "show_note": "root_cause_note" not in scope.hidden_fields(request.user),
            "can_change": can_change,
            "around": measured,
            "data_end": data_end,
            "checkin_form": checkin_form or CheckInForm(),
            "end_form": (end_form or EndPlanForm(instance=plan)) if can_change else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan with its check-ins; a POST adds a check-in (anyone who sees the plan)."""
    found = scope.plan_or_404(request.user, pk)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            checkin = form.save(commit=False)
            checkin.plan = found
            checkin.by = request.user
            with transaction.atomic():
                checkin.save()
                record(request, "change", "support plan", str(found.pk), "check-in added")
            return redirect("plan", pk=found.pk)
        return _plan_page(request, found, checkin_form=form)
    return _plan_page(request, found)


@login_required
@require_POST
def end_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """End a plan with its outcome (those who may start one)."""
    found = scope.plan_or_404(request.user, pk)
    if not scope.can_start_plan(request.user, found.student):
        raise Http404("no such plan")
    form = EndPlanForm(request.POST, instance=found)
    if form.is_valid():
        with transaction.atomic():
            form.save()
            record(request, "change", "support plan", str(found.pk), "ended")
        return redirect("plan", pk=found.pk)
    found.refresh_from_db()
    return _plan_page(request, found, end_form=form)
