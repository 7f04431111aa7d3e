"""A network's partner organisations (who they are, what they do, whom to contact, which member
districts they work with) and its events (convenings, learning sessions, webinars). Both are the
network's coaches' to keep (rollcall.web.scope.coaches_network); whoever sees the network's page
reads them. Nothing here is about a student: the contacts are adults' work contacts."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rollcall.web.people.models import District, Network

# Only web addresses a browser opens as a page: never javascript:, data:, file: or ftp:.
WEB_SCHEMES = ("http", "https")
NOT_A_WEB_ADDRESS = _("Give a web address starting with http:// or https://.")
web_address = URLValidator(schemes=list(WEB_SCHEMES), message=NOT_A_WEB_ADDRESS)


class WebAddressFormField(forms.URLField):
    """A web address in a form: "example.org" is read as https://example.org; other schemes
    (javascript:, data:, ftp:) are refused with one message."""

    default_validators = [web_address]
    default_error_messages = {"invalid": NOT_A_WEB_ADDRESS}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{"assume_scheme": "https", **kwargs})


class WebAddressField(models.URLField):
    """A web address (http or https only), in every form made from it, the admin's included."""

    default_validators = [web_address]

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": WebAddressFormField, **kwargs})


# A phone number as people write one: an optional +, digits grouped by spaces, dots, dashes,
# slashes or brackets, and an extension ("ext. 12", "x12").
PHONE = re.compile(r"\+?[0-9 ().\-/]+(?:\s*(?:ext\.?|x)\s*[0-9]{1,6})?", re.IGNORECASE)


def _number_and_extension(value: str) -> tuple[str, str]:
    """A phone number's part before any extension ("ext. 12", "x12") and the extension's."""
    number, *extension = re.split(r"ext\.?|x", value, maxsplit=1, flags=re.IGNORECASE)
    return number, extension[0] if extension else ""


def phone_number(value: str) -> None:
    """A phone number: the characters of ``PHONE``, with 7 to 15 digits before any extension
    (15 is the longest international number, ITU-T E.164)."""
    number, _extension = _number_and_extension(value)
    digits = sum(c.isdigit() for c in number)
    if not PHONE.fullmatch(value.strip()) or not 7 <= digits <= 15:
        raise ValidationError(
            _(
                "Give a phone number: 7 to 15 digits, with spaces, + ( ) - . / and an extension "
                "(ext. 12) if needed."
            ),
            code="invalid",
        )


def known_time_zone(value: str) -> None:
    """A time zone of the IANA database, by name ("America/Los_Angeles")."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone name, such as America/Los_Angeles."),
            code="invalid", params={"value": value},
        )  # fmt: skip


class Partner(models.Model):
    """An organisation the network works with: a health clinic, a family-engagement nonprofit,
    a transit agency, a university research team."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    what_they_do = models.TextField(_("what they do"), max_length=2000)
    contact_name = models.CharField(_("whom to contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact's e-mail"), max_length=254, blank=True)
    contact_phone = models.CharField(
        _("contact's phone"), max_length=40, blank=True, validators=[phone_number]
    )
    website = WebAddressField(_("website"), max_length=500, blank=True)
    districts = models.ManyToManyField(
        District, blank=True, related_name="network_partners", verbose_name=_("works with")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner organisation")
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="partner_name_in_network")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tel(self) -> str:
        """The phone number as a ``tel:`` link dials it (RFC 3966): a leading + if given, the
        digits, and the extension after ``;ext=``."""
        number, extension = _number_and_extension(self.contact_phone)
        dialled = ("+" if number.strip().startswith("+") else "") + re.sub(r"\D", "", number)
        digits = re.sub(r"\D", "", extension)
        return f"{dialled};ext={digits}" if digits else dialled


class EventKind(models.TextChoices):
    CONVENING = "convening", _("convening")
    LEARNING_SESSION = "learning_session", _("learning session")
    WEBINAR = "webinar", _("webinar")
    OTHER = "other", _("other")


class Event(models.Model):
    """A network's event. Its start and end are stored as instants (UTC in the database) with
    the time zone they were given in, which the pages show them in."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[known_time_zone])
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = WebAddressField(_("link"), max_length=500, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    districts = models.ManyToManyField(
        District, blank=True, related_name="network_events", verbose_name=_("districts invited")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("network event")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message=_("An event ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title
