"""A refresh started from the browser: what it reads, where it is, and what it found."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rollcall.web.people.models import District
from rollcall.web.snapshots.models import Snapshot

# A running job's process writes a heartbeat every HEARTBEAT seconds; a job waiting or running
# without one for STALE seconds lost its process (a restart, a kill, the memory) and is failed.
HEARTBEAT = 10
STALE = timedelta(minutes=3)


class Status(models.TextChoices):
    WAITING = "waiting", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Step(models.TextChoices):
    READING = "reading", _("reading the input")
    COMPUTING = "computing", _("computing")
    STORING = "storing", _("storing the snapshot")


class SourceKind(models.TextChoices):
    UPLOAD = "upload", _("an uploaded file")
    PATH = "path", _("a folder or file in the import folder")
    EDFI = "edfi", _("an Ed-Fi API pull")


class RefreshJob(models.Model):
    """One refresh of a district from the browser. The Ed-Fi secret is never here: it goes to
    the runner's process through a pipe and is forgotten with it."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="refresh_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    step = models.CharField(max_length=10, choices=Step.choices, blank=True)
    steps = models.JSONField(default=list)  # [{"step": …, "at": ISO time}], in order
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    source_kind = models.CharField(max_length=10, choices=SourceKind.choices)
    source_label = models.CharField(max_length=500)  # what is read, in words (no secret)
    options = models.JSONField(default=dict)  # the runner's inputs: paths, policy, dates
    counts = models.JSONField(default=dict)  # file → read, accepted, ignored, rejected
    notes = models.JSONField(default=list)
    students = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    snapshots = models.ManyToManyField(Snapshot, blank=True, related_name="+")
    error = models.TextField(blank=True)  # in words: never a traceback
    error_log = models.CharField(max_length=500, blank=True)  # a crash log's path, for a bug

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.district} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (Status.DONE, Status.FAILED)

    def is_stale(self, now: Any = None) -> bool:
        """Whether the job waits or runs without a sign of life for longer than ``STALE``."""
        last = self.heartbeat_at or self.created_at
        return not self.finished and last < (now or timezone.now()) - STALE
