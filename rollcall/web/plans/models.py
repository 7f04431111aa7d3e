"""Support plans: a catalogue of tiered strategies (Attendance Works and the Attendance
Playbook), a student's plan (tier, root causes, strategies, owner, goal, check-ins) and its
check-ins. Who may see or change a plan is decided in ``rollcall.web.scope``."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rollcall.web.people.models import District
from rollcall.web.snapshots.models import Student


class Tier(models.IntegerChoices):
    """Attendance Works' tiers of support: for every student, early, intensive."""

    UNIVERSAL = 1, _("Tier 1: universal support for every student and family")
    EARLY = 2, _("Tier 2: early, personalised outreach")
    INTENSIVE = 3, _("Tier 3: intensive support, with other agencies")


class RootCause(models.TextChoices):
    """Attendance Works' four kinds of root cause of absence."""

    BARRIERS = "barriers", _("Barriers (illness, transport, housing, care duties, …)")
    AVERSION = "aversion", _("Aversion (struggling at school, bullying, anxiety, …)")
    DISENGAGEMENT = "disengagement", _("Disengagement (bored, no connection to an adult, …)")
    MISCONCEPTIONS = "misconceptions", _("Misconceptions (absences only matter when unexcused, …)")


class Strategy(models.Model):
    """One practice of the catalogue; a district may add its own (``district`` set), the shared
    defaults have none."""

    name = models.CharField(max_length=200)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    description = models.TextField(blank=True)
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="strategies"
    )

    class Meta:
        ordering = ["tier", "name"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.name


class SupportPlan(models.Model):
    """What a team will do with a student and family, who owns it, and how often it is
    reviewed."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="plans")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    root_causes = models.JSONField(default=list, blank=True)  # RootCause values
    root_cause_note = models.TextField(blank=True)  # staff only (scope.PARTNER_HIDDEN)
    strategies = models.ManyToManyField(Strategy, related_name="plans")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_plans"
    )
    start_date = models.DateField()
    goal = models.TextField()
    checkin_every_days = models.PositiveSmallIntegerField(default=14)
    end_date = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-created_at"]

    def __str__(self) -> str:
        return f"plan {self.pk}"

    @property
    def root_cause_labels(self) -> list[str]:
        labels = dict(RootCause.choices)
        return [str(labels.get(c, c)) for c in self.root_causes]

    def last_checkin_date(self) -> date | None:
        last = self.checkins.order_by("-date").first()
        return last.date if last else None

    def next_checkin(self, last: date | None = None) -> date:
        """The day the next check-in is due: the last one (or the start) plus the frequency."""
        return (last or self.start_date) + timedelta(days=self.checkin_every_days)


class CheckIn(models.Model):
    """One review of a plan: what happened, what changes."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField()
    note = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
