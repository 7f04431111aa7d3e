"""Network → district → school, caseloads of students, and who holds which role where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Network(models.Model):
    """An improvement network of districts (its coach sees school- and district-level measures)."""

    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A district, keyed by the id its data uses (``district_id`` in the input)."""

    district_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    networks = models.ManyToManyField(Network, blank=True, related_name="districts")

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school, keyed within its district by the id its data uses."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="schools")
    school_id = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    # How many of its students the school can reach first (docs/early-warning.md): a share
    # ("20%") or a number ("25"); the early warning flags that many, by risk.
    warning_caseload = models.CharField(max_length=10, default="20%")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "school_id"], name="school_id_in_district")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Caseload(models.Model):
    """A set of students someone works with: a teacher's section or advisory, a counselor's
    caseload, the families a community partner serves."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="caseloads")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    name = models.CharField(max_length=200)
    students = models.ManyToManyField("snapshots.Student", blank=True, related_name="caseloads")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    TEACHER = "teacher", _("Teacher or advisor")
    SCHOOL_TEAM = "school_team", _("School attendance team")
    PRINCIPAL = "principal", _("Principal")
    DISTRICT = "district", _("District staff")
    PARTNER = "partner", _("Community partner")
    COACH = "coach", _("Network coach")
    DISTRICT_ADMIN = "district_admin", _("District administrator")


class Membership(models.Model):
    """One role of one person, where it holds: the place a role needs (rollcall.web.scope)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, blank=True)
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    caseload = models.ForeignKey(Caseload, on_delete=models.CASCADE, null=True, blank=True)

    def __str__(self) -> str:
        place = self.caseload or self.school or self.district or self.network
        return f"{self.user} — {self.get_role_display()} — {place}"


class ApiToken(models.Model):
    """A key to the JSON API for one person (``rollcall token``; docs/platform.md, "The API").
    Only the SHA-256 of the key is stored: the key itself is shown once, when made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"{self.user} — {self.created_at:%Y-%m-%d %H:%M}"
