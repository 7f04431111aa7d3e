"""A student's contacts: the parents, guardians and other adults a school team or partner
reaches out to, in the family's language, by the way they prefer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rollcall.web.snapshots.models import Student


class Channel(models.TextChoices):
    PHONE = "phone", _("phone call")
    TEXT = "text", _("text message")
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("in person")


class Contact(models.Model):
    """An adult to reach about a student. ``may_contact`` off: the family asked not to be sent
    attendance messages (outreach leaves them out; a person may still call about a plan)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(_("relationship to the student"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("language"), max_length=60, blank=True, help_text=_("The language the family prefers.")
    )
    preferred = models.CharField(
        _("best way to reach"), max_length=10, choices=Channel.choices, blank=True
    )
    may_contact = models.BooleanField(_("may receive attendance messages"), default=True)
    note = models.TextField(_("note"), blank=True)
    current = models.BooleanField(_("current"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["-current", "name", "pk"]

    def __str__(self) -> str:
        return self.name
