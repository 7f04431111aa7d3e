"""A school's outreach rounds as the platform stores them: what the library planned (the
assignments, each household's letter and messages), who approved the round, and every send.

The round's files (assignments.csv, messages.csv, the letters' PDF, the library's send log) are
kept in the round's folder (``files.round_folder``); these rows are what the pages read."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from rollcall.web.people.models import School
from rollcall.web.snapshots.models import Snapshot, Student


def _new_folder() -> str:
    """A round's folder name: never one a round that was rolled back left behind."""
    return uuid.uuid4().hex


class Round(models.Model):
    """One round of letters for a school, planned from a snapshot's input as of its date."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="outreach_rounds")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()  # 1, 2, … for the school
    as_of = models.DateField()
    seed = models.BigIntegerField()
    holdout = models.FloatField()  # the share of households held out
    window_start = models.DateField()  # the evaluation's window: the day after as_of …
    window_end = models.DateField()  # … to this day
    source = models.CharField(max_length=500)  # the input the library read
    folder = models.CharField(max_length=32, default=_new_folder, unique=True)
    detectable = models.FloatField(null=True)  # minimum detectable effect, share of days
    notes = models.JSONField(default=list)  # the library's notes to staff
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    evaluation = models.JSONField(null=True)  # evaluation.json's content, once evaluated
    evaluated_with = models.ForeignKey(
        Snapshot, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="round_number_in_school")
        ]

    def __str__(self) -> str:
        return f"{self.school} round {self.number}"


class Assignment(models.Model):
    """A student of the round: in the ``message`` arm (their household gets the letter) or the
    ``holdout`` (the randomised comparison group: no letter this round)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="outreach")
    household_id = models.CharField(max_length=200)
    arm = models.CharField(max_length=10)
    stratum = models.CharField(max_length=300)

    class Meta:
        ordering = ["household_id", "student__student_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "student"], name="one_assignment_a_round")
        ]


class Household(models.Model):
    """A message-arm household's letter: its HTML, and the language it is written in."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="households")
    household_id = models.CharField(max_length=200)
    language = models.CharField(max_length=20)  # the letter's
    family_language = models.CharField(max_length=60)  # the family's (they differ: a note)
    html = models.TextField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["household_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "household_id"], name="one_letter_a_home")
        ]


class Send(models.Model):
    """One attempt to send a household a message (or, in a dry run, what would be sent). At
    most one ``sent`` per household and channel in a round: the database refuses a second."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sends")
    household_id = models.CharField(max_length=200)
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=20)  # sent, failed, skipped, would send
    detail = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()
    dry_run = models.BooleanField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "household_id", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "household_id", "channel"],
                condition=Q(status="sent"),
                name="sent_once_a_round",
            )
        ]
