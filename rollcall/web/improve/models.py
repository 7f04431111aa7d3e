"""An improvement project: its aim, its driver diagram (every version kept), its change ideas,
its family of measures (with the weekly counts a team enters) and its PDSA cycles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rollcall.web.people.models import District, School


class Project(models.Model):
    """A school team's (``school`` set) or a district team's project, and its aim: reduce chronic
    absence among ``for_whom`` from ``baseline`` to ``target`` (percent) by ``by_when``."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="projects")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="projects"
    )
    name = models.CharField(max_length=200)
    for_whom = models.CharField(max_length=200)
    baseline = models.DecimalField(max_digits=5, decimal_places=1)
    target = models.DecimalField(max_digits=5, decimal_places=1)
    by_when = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_name(self) -> str:
        return self.school.name if self.school else self.district.name


class DiagramVersion(models.Model):
    """One version of the driver diagram, as its outline (``rollcall.web.improve.diagram``);
    a change makes a new version, and none is ever changed or deleted."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="diagrams")
    number = models.PositiveIntegerField()
    outline = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="diagram_version_number")
        ]


class ChangeIdea(models.Model):
    """A change idea of the project's driver diagram, which PDSA cycles test (by name: a new
    version of the diagram naming it again keeps its cycles)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_ideas")
    name = models.CharField(max_length=300)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="change_idea_name")]

    def __str__(self) -> str:
        return self.name


class MeasureKind(models.TextChoices):
    OUTCOME = "outcome", _("Outcome")
    PROCESS = "process", _("Process")
    BALANCING = "balancing", _("Balancing")


class MeasureSource(models.TextChoices):
    """Where a measure's weeks come from: the latest refresh, the plans, or the team's counts."""

    CHRONIC = "chronic", _("Chronic-absence rate to date, from the latest refresh")
    ABSENCE = "absence", _("Share of school days missed each week, from the latest refresh")
    PLANS = "plans", _("Flagged students with a plan within 10 school days, at each refresh")
    COUNTED = "counted", _("Counted by the team each week")


class Measure(models.Model):
    """One measure of the project's family: its kind, where its weeks come from and, for those
    the team counts, what it counts."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=MeasureKind.choices)
    source = models.CharField(max_length=10, choices=MeasureSource.choices)
    definition = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class WeeklyCount(models.Model):
    """A team's count for one week (the Monday it starts): ``count`` of ``denominator`` when the
    measure is a share, or a plain count."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="counts")
    week_start = models.DateField()
    count = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "week_start"], name="one_count_a_week")
        ]


class Act(models.TextChoices):
    ADOPT = "adopt", _("Adopt")
    ADAPT = "adapt", _("Adapt")
    ABANDON = "abandon", _("Abandon")


class Cycle(models.Model):
    """A Plan-Do-Study-Act cycle testing a change idea; the cycles of one idea, in order, are
    its ramp."""

    change_idea = models.ForeignKey(ChangeIdea, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveIntegerField()
    # Plan
    question = models.TextField()
    prediction = models.TextField()
    who_where_when = models.TextField()
    data_plan = models.TextField()
    start_date = models.DateField()
    end_date = models.DateField()
    # Do
    what_happened = models.TextField(blank=True)
    # Study
    study = models.TextField(blank=True)
    # Act
    act = models.CharField(max_length=8, choices=Act.choices, blank=True)
    next_step = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["change_idea", "number"]
        constraints = [
            models.UniqueConstraint(fields=["change_idea", "number"], name="cycle_number")
        ]

    def __str__(self) -> str:
        return f"PDSA {self.number}: {self.change_idea.name}"


class Share(models.Model):
    """What a member district shares with a network from one project: its aim, driver diagram
    and chosen PDSA cycles, copied as text when shared (checked then for students' names and
    ids: ``rollcall.web.improve.privacy``), so a later edit shares nothing unchecked. Sharing
    again replaces it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="shares")
    network = models.ForeignKey(
        "people.Network", on_delete=models.CASCADE, related_name="shared_projects"
    )
    summary = models.JSONField(default=dict)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "network"], name="one_share_a_network")
        ]


class LibraryEntry(models.Model):
    """A change idea a network's library holds besides the seed and the shared projects' ideas:
    one a member district tested, added with what its cycles found (``results``, and a copy of
    the cycles it names, ``cycles``), or one imported from another network's library export
    (``imported_from``: the file's name; ``source`` as the file gave it). The text is copied and
    checked for students' names and ids when it comes in (``rollcall.web.improve.privacy``)."""

    network = models.ForeignKey(
        "people.Network", on_delete=models.CASCADE, related_name="library_entries"
    )
    name = models.CharField(max_length=300)
    tier = models.PositiveSmallIntegerField(null=True, blank=True)  # 1 to 3, or none
    evidence = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=300)  # a member's idea: its district's name
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    results = models.TextField(blank=True)
    cycles = models.JSONField(default=list, blank=True)
    imported_from = models.CharField(max_length=255, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tier__isnull=True) | models.Q(tier__gte=1, tier__lte=3),
                name="library_entry_tier",
            )
        ]

    def __str__(self) -> str:
        return self.name
