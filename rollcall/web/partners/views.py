"""A network's partners directory and its events: read by whoever sees the network's page
(``scope.network_or_404``: anyone else gets "not found"), kept by its coaches
(``scope.coaches_network``: a reader who tries to add, change or remove one is refused, 403).
Every change is in the audit trail, and so is each download of the events' calendar."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from rollcall.web import scope
from rollcall.web.audit.record import record
from rollcall.web.partners import ics
from rollcall.web.partners.forms import EventForm, PartnerForm
from rollcall.web.partners.listing import events, partners
from rollcall.web.partners.models import Event, EventKind, Partner
from rollcall.web.people.models import Network

PARTNER, EVENT = "network partner", "network event"


def _refused(request: HttpRequest, network: Network) -> HttpResponse:
    """The answer to a reader of the network who tries to keep its partners or events."""
    return render(request, "partners/refused.html", {"network": network}, status=403)


def _partner_or_404(network: Network, pk: int) -> Partner:
    found = network.partners.filter(pk=pk).first()
    if found is None:
        raise Http404("no such partner")
    return found


def _event_or_404(network: Network, pk: int) -> Event:
    found = network.events.filter(pk=pk).first()
    if found is None:
        raise Http404("no such event")
    return found


@login_required
@require_GET
def partner_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The network's partner organisations: what they do, whom to contact, where they work."""
    network = scope.network_or_404(request.user, pk)
    context = {
        "network": network,
        "partners": partners(network),
        "may_keep": scope.coaches_network(request.user, network),
    }
    return render(request, "partners/partners.html", context)


@login_required
@require_GET
def event_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The network's events: those to come (soonest first), then those past (latest first)."""
    network = scope.network_or_404(request.user, pk)
    upcoming, past = events(network, now=timezone.now())
    context = {
        "network": network,
        "upcoming": upcoming,
        "past": past,
        "may_keep": scope.coaches_network(request.user, network),
    }
    return render(request, "partners/events.html", context)


def _save(
    request: HttpRequest, form: PartnerForm | EventForm, network: Network, what: str
) -> Model:
    """Save ``form``'s row for ``network`` and write the change to the audit trail."""
    adding = form.instance.pk is None
    with transaction.atomic():
        row = form.save(commit=False)
        row.network, row.updated_by = network, request.user
        row.save()
        form.save_m2m()
        detail = "added" if adding else "changed: " + ", ".join(form.changed_data)
        record(request, "change", what, str(row.pk), f"network {network.pk}: {detail}"[:2000])
    return row


def _keep(
    request: HttpRequest, network: Network, form: PartnerForm | EventForm, template: str
) -> HttpResponse:
    """A partner's or event's form: saved and back to the list, or shown again (400) with what
    to correct next to each field."""
    what = PARTNER if isinstance(form, PartnerForm) else EVENT
    if request.method == "POST" and form.is_valid():
        try:
            row = _save(request, form, network, what)
        except IntegrityError:  # the same name saved by another coach since the form's check
            if what != PARTNER:
                raise
            form.add_error("name", gettext("The network has a partner of this name already."))
        else:
            page = "network-partners" if what == PARTNER else "network-events"
            anchor = "partner" if what == PARTNER else "event"
            return redirect(reverse(page, args=[network.pk]) + f"#{anchor}-{row.pk}")
    status = 400 if request.method == "POST" else 200
    context = {"network": network, "form": form, "row": form.instance if form.instance.pk else None}
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def partner_new(request: HttpRequest, pk: int) -> HttpResponse:
    network = scope.network_or_404(request.user, pk)
    if not scope.coaches_network(request.user, network):
        return _refused(request, network)
    form = PartnerForm(request.POST or None, network=network)
    return _keep(request, network, form, "partners/partner_form.html")


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int, partner: int) -> HttpResponse:
    network = scope.network_or_404(request.user, pk)
    found = _partner_or_404(network, partner)
    if not scope.coaches_network(request.user, network):
        return _refused(request, network)
    form = PartnerForm(request.POST or None, instance=found, network=network)
    return _keep(request, network, form, "partners/partner_form.html")


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, pk: int) -> HttpResponse:
    network = scope.network_or_404(request.user, pk)
    if not scope.coaches_network(request.user, network):
        return _refused(request, network)
    form = EventForm(request.POST or None, network=network)
    return _keep(request, network, form, "partners/event_form.html")


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int, event: int) -> HttpResponse:
    network = scope.network_or_404(request.user, pk)
    found = _event_or_404(network, event)
    if not scope.coaches_network(request.user, network):
        return _refused(request, network)
    form = EventForm(request.POST or None, instance=found, network=network)
    return _keep(request, network, form, "partners/event_form.html")


def _remove(request: HttpRequest, network: Network, row: Partner | Event) -> HttpResponse:
    """Ask (GET), then remove (POST) a partner or event, in the audit trail with its name."""
    is_partner = isinstance(row, Partner)
    back = reverse("network-partners" if is_partner else "network-events", args=[network.pk])
    if request.method == "POST":
        with transaction.atomic():
            what, pk, name = (PARTNER if is_partner else EVENT), row.pk, str(row)
            row.delete()
            record(request, "change", what, str(pk), f"network {network.pk}: removed {name}"[:2000])
        return redirect(back)
    context = {"network": network, "row": row, "is_partner": is_partner, "back": back}
    return render(request, "partners/remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partner_remove(request: HttpRequest, pk: int, partner: int) -> HttpResponse:
    network = scope.network_or_404(request.user, pk)
    found = _partner_or_404(network, partner)
    if not scope.coaches_network(request.user, network):
        return _refused(request, network)
    return _remove(request, network, found)


@login_required
@require_http_methods(["GET", "POST"])
def event_remove(request: HttpRequest, pk: int, event: int) -> HttpResponse:
    network = scope.network_or_404(request.user, pk)
    found = _event_or_404(network, event)
    if not scope.coaches_network(request.user, network):
        return _refused(request, network)
    return _remove(request, network, found)


def _calendar_event(request: HttpRequest, event: Event) -> ics.CalendarEvent:
    """One event as the calendar file holds it: its kind a category, the districts invited and
    the network's events page in its description."""
    notes = [event.description]
    names = sorted(d.name for d in event.districts.all())
    if names:
        notes.append(gettext("Districts invited: %(names)s") % {"names": ", ".join(names)})
    page = request.build_absolute_uri(reverse("network-events", args=[event.network_id]))
    notes.append(page)
    return ics.CalendarEvent(
        uid=f"network-{event.network_id}-event-{event.pk}@{request.get_host()}",
        starts=event.starts_at, ends=event.ends_at, stamp=event.updated_at,
        created=event.created_at, summary=event.title,
        description="\n\n".join(n for n in notes if n), location=event.place, url=event.link,
        categories=(str(EventKind(event.kind).label),),
    )  # fmt: skip


@login_required
@require_GET
def event_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """Every event of the network as an iCalendar file, for a calendar program to import."""
    network = scope.network_or_404(request.user, pk)
    found = network.events.prefetch_related("districts").order_by("starts_at", "pk")
    text = ics.calendar(network.name, [_calendar_event(request, e) for e in found])
    record(request, "export", "network events", str(network.pk), "ics")
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="network-{network.pk}-events.ics"'
    response["Cache-Control"] = "no-store"
    return response
