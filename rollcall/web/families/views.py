"""Adding and changing a student's contacts: whoever sees the student (scope.students_for),
partners included (they often know best how to reach a family). Every change is audited; the
contacts are read on the student's page, itself a recorded read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from rollcall.web import scope
from rollcall.web.audit.record import record
from rollcall.web.families.forms import ContactForm
from rollcall.web.families.models import Contact
from rollcall.web.snapshots.models import Student


def _save(request: HttpRequest, form: ContactForm, student: Student, action: str) -> HttpResponse:
    with transaction.atomic():
        contact = form.save(commit=False)
        contact.student = student
        contact.updated_by = request.user
        contact.save()
        record(request, "change", "contact", str(contact.pk), action)
    district_id, student_id = student.district.district_id, student.student_id
    return redirect(reverse("student", args=[district_id, student_id]) + "#contacts")


@login_required
@require_http_methods(["GET", "POST"])
def new_contact(request: HttpRequest, district_id: str, student_id: str) -> HttpResponse:
    student = scope.student_or_404(request.user, district_id, student_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, student, "added")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "families/contact.html", {"student": student, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    found: Contact = scope.contact_or_404(request.user, pk)
    form = ContactForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, found.student, "changed")
    record(request, "view", "student", f"{found.student.district.district_id}/"
           f"{found.student.student_id}", f"contact {found.pk}")  # fmt: skip
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "families/contact.html",
        {"student": found.student, "form": form, "contact": found},
        status=status,
    )
