"""Students and the engine's results for an as-of date: lists, trends and a student's band
history read these rows; no view recomputes a rule (docs/rules.md holds them, the engine applies
them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rollcall.web.people.models import District, School


class Student(models.Model):
    """A student of a district, keyed by the id the district's data uses."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="students")
    student_id = models.CharField(max_length=100)
    first_name = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "student_id"], name="student_id_in_district"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The student's name, or the id where the data has none."""
        return self.name_of(self.first_name, self.last_name, self.student_id)

    @staticmethod
    def name_of(first_name: str, last_name: str, student_id: str) -> str:
        """A name from its parts (for lists read as plain values)."""
        return " ".join(p for p in (first_name, last_name) if p) or student_id


class Snapshot(models.Model):
    """One refresh: the engine's results for a district as of a date."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="snapshots")
    school_year = models.CharField(max_length=7)
    period_start = models.DateField()
    period_end = models.DateField()  # the as-of date (or the year's end)
    policy = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    source = models.CharField(max_length=500)  # what was read, in words
    counts = models.JSONField(default=dict)  # file → read, accepted, ignored, rejected
    notes = models.JSONField(default=list)  # what the reader assumed or found
    # The notes that change what the numbers mean, in words a principal reads (rollcall.notes):
    # shown at the top of the pages made from this snapshot.
    cautions = models.JSONField(default=list)
    # The early warning run with this refresh (rollcall.warn): its method and why, or why none.
    warning = models.JSONField(default=dict)
    refused = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-period_end", "-created_at"]
        get_latest_by = ["period_end", "created_at"]

    def __str__(self) -> str:
        return f"{self.district} as of {self.period_end}"


class StudentMetric(models.Model):
    """One student at one unit (school, district or total) in a snapshot: ``student_metrics``
    (docs/output.md) as stored."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="metrics")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="metrics")
    level = models.CharField(max_length=8)
    unit_id = models.CharField(max_length=100)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    grade = models.CharField(max_length=8)
    days_enrolled = models.PositiveIntegerField()
    days_absent = models.DecimalField(max_digits=12, decimal_places=6)
    days_excused = models.DecimalField(max_digits=12, decimal_places=6)
    days_unexcused = models.DecimalField(max_digits=12, decimal_places=6)
    days_suspension = models.DecimalField(max_digits=12, decimal_places=6)
    absence_rate = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    eligible = models.BooleanField()
    chronically_absent = models.BooleanField(null=True)
    tier = models.CharField(max_length=12, null=True)

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "level", "unit_id", "tier"]),
            models.Index(fields=["student", "level", "unit_id"]),
            models.Index(fields=["school", "snapshot", "level"]),  # a school's list
        ]


class SummaryRow(models.Model):
    """One unit and group in a snapshot: ``summary`` (docs/output.md) as stored."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="summary")
    level = models.CharField(max_length=8)
    unit_id = models.CharField(max_length=100)
    dimension = models.CharField(max_length=100)
    group = models.CharField(max_length=200)
    eligible_students = models.PositiveIntegerField()
    chronically_absent = models.PositiveIntegerField()
    chronic_absence_rate = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    satisfactory = models.PositiveIntegerField()
    at_risk = models.PositiveIntegerField()
    moderate = models.PositiveIntegerField()
    severe = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "level", "unit_id"])]


class PublishedRow(models.Model):
    """One unit and group as it may be published (``public_summary``, docs/publish.md): counts
    hidden under the disclosure rules are null, with the note saying why. The only numbers a
    network coach sees."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="published")
    level = models.CharField(max_length=8)
    unit_id = models.CharField(max_length=100)
    unit_name = models.CharField(max_length=200)
    dimension = models.CharField(max_length=100)
    group = models.CharField(max_length=200)
    eligible_students = models.PositiveIntegerField(null=True)
    chronically_absent = models.PositiveIntegerField(null=True)
    chronic_absence_rate = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=200, blank=True)


class WeeklyMeasure(models.Model):
    """One unit's week in a snapshot (``measures.csv``, docs/measures.md): the student-days
    enrolled and absent that week, and the students eligible and chronically absent to its end."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="weeks")
    level = models.CharField(max_length=8)
    unit_id = models.CharField(max_length=100)
    week_start = models.DateField()
    week_end = models.DateField()
    student_days = models.PositiveIntegerField()
    days_absent = models.DecimalField(max_digits=14, decimal_places=6)
    eligible = models.PositiveIntegerField()
    chronically_absent = models.PositiveIntegerField()

    class Meta:
        ordering = ["week_start"]
        indexes = [models.Index(fields=["snapshot", "level", "unit_id"])]


# Day-level detail (docs/decisions/0004): kept for the newest snapshot of each district only, a
# refresh replaces it. The bands at every refresh stay in StudentMetric.


class SchoolCalendar(models.Model):
    """A school's instructional days in a snapshot's period (ISO dates, in order)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="calendars")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="calendars")
    days = models.JSONField(default=list)


class StudentDays(models.Model):
    """A student's days at a school in a snapshot's period: ``windows``, the enrollment windows
    ([start, end], ISO dates, merged and cut to the period), and ``absences``, each day absent
    as {date: [absent, excused, unexcused, suspension]} in millionths of a day (as the policy
    counted them)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="student_days")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="days")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="student_days")
    windows = models.JSONField(default=list)
    absences = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["student", "snapshot"])]


class WarningFlag(models.Model):
    """A student's early-warning risk at a school in a snapshot (rollcall.warn): the score (the
    probability of ending the year chronically absent; none under a rule), the rank within the
    school (1: most at risk), whether intensive support is suggested once flagged, and why in
    words. Whether the student is flagged depends on the school's caseload, read when shown."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="flags")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="flags")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="flags")
    score = models.FloatField(null=True)
    rank = models.PositiveIntegerField()
    intensive = models.BooleanField()
    reasons = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "school", "rank"]),
            models.Index(fields=["student", "snapshot"]),
        ]
