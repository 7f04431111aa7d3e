"""The forms a coach keeps the network's partners and events with (labels on every input; errors
next to their field, by templates/plans/_fields.html). The districts offered are the network's
members only: another district's, posted by hand, is "not a valid choice"."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from functools import cache
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rollcall.web.partners.models import Event, Partner
from rollcall.web.people.models import Network


@cache
def time_zones() -> tuple[tuple[str, str], ...]:
    """Every time zone of the IANA database (``tzdata``), by name, for a select."""
    return tuple((name, name) for name in sorted(zoneinfo.available_timezones()))


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PhoneInput(forms.TextInput):
    input_type = "tel"


class _NetworkForm(forms.ModelForm):  # type: ignore[type-arg]
    """A form for one network's rows: its districts offered, its names unique."""

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        districts = self.fields["districts"]
        districts.queryset = network.districts.order_by("name")  # type: ignore[attr-defined]
        districts.widget = forms.CheckboxSelectMultiple()
        districts.widget.choices = districts.choices  # type: ignore[attr-defined]


class PartnerForm(_NetworkForm):
    class Meta:
        model = Partner
        fields = ("name", "what_they_do", "contact_name", "contact_email", "contact_phone",
                  "website", "districts")  # fmt: skip
        widgets: ClassVar = {
            "what_they_do": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": PhoneInput(),
        }
        help_texts: ClassVar = {
            "what_they_do": _("What they offer the network's schools and families."),
            "contact_name": _("A person's name or a role, for example: family programs lead."),
            "districts": _("The member districts they work with (none, some or all)."),
        }

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        others = Partner.objects.filter(network=self.network, name__iexact=name)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(gettext("The network has a partner of this name already."))
        return name


class EventForm(_NetworkForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zones,
        help_text=_("The start and end are times of day in this zone."),
    )

    class Meta:
        model = Event
        fields = ("title", "kind", "starts_at", "ends_at", "time_zone", "place", "link",
                  "description", "districts")  # fmt: skip
        labels: ClassVar = {
            "starts_at": _("Starts (date and time)"),
            "ends_at": _("Ends (date and time)"),
        }
        widgets: ClassVar = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts: ClassVar = {
            "place": _("Where it is held: an address, a building and room."),
            "link": _("To join online or to register."),
            "districts": _("The member districts invited (leave empty for every member)."),
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, network=network, **kwargs)
        event: Event = self.instance
        if event.pk is not None:
            # Shown as the times of day they were given in, in their own zone.
            zone = zoneinfo.ZoneInfo(event.time_zone)
            for name in ("starts_at", "ends_at"):
                self.initial[name] = getattr(event, name).astimezone(zone).replace(tzinfo=None)
        elif "time_zone" not in self.initial:
            latest = network.events.order_by("-created_at").first()
            self.initial["time_zone"] = latest.time_zone if latest else settings.TIME_ZONE

    def _in_zone(self, data: dict[str, Any], field: str, name: str) -> None:
        """The time of day the form read (in the server's zone) is one in zone ``name``; a time
        the clocks skip there (the hour they go forward) is refused."""
        wall = data[field].replace(tzinfo=None)
        instant = wall.replace(tzinfo=zoneinfo.ZoneInfo(name))
        if instant.astimezone(UTC).astimezone(instant.tzinfo).replace(tzinfo=None) != wall:
            message = gettext("%(time)s does not exist in %(zone)s: the clocks skip it.")
            self.add_error(field, message % {"time": wall.strftime("%Y-%m-%d %H:%M"), "zone": name})
        else:
            data[field] = instant

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = data.get("time_zone")
        if name:
            for field in ("starts_at", "ends_at"):
                if isinstance(data.get(field), datetime):
                    self._in_zone(data, field, name)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if isinstance(starts, datetime) and isinstance(ends, datetime) and ends <= starts:
            self.add_error("ends_at", gettext("An event ends after it starts."))
        if not data.get("place") and not data.get("link"):
            self.add_error("place", gettext("Give a place, a link, or both."))
        return data
