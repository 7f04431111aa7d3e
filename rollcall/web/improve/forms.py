"""The forms of a project: its place and aim, its driver diagram's outline, a measure the team
counts and its weekly counts, and a PDSA cycle; and of a network's library: a change idea a
member tested, a change package to import (labels on every input; errors next to their field,
by templates/plans/_fields.html)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rollcall.web.improve.diagram import OutlineError, parse
from rollcall.web.improve.models import Act, Cycle, Measure, MeasureKind, Project, WeeklyCount
from rollcall.web.people.models import District, School
from rollcall.web.plans.models import Tier


class DateInput(forms.DateInput):
    input_type = "date"


class AimForm(forms.ModelForm):  # type: ignore[type-arg]
    """The aim: reduce chronic absence among whom, from what, to what, by when."""

    name = forms.CharField(label=_("Name of the project"), max_length=200)
    for_whom = forms.CharField(
        label=_("For whom"), max_length=200,
        help_text=_("The students the aim is about, for example: 6th graders."),
    )  # fmt: skip
    baseline = forms.DecimalField(
        label=_("Chronic absence now (percent)"), min_value=0, max_value=100, decimal_places=1
    )
    target = forms.DecimalField(
        label=_("Chronic absence to reach (percent)"), min_value=0, max_value=100,
        decimal_places=1,
    )  # fmt: skip
    by_when = forms.DateField(label=_("By when"), widget=DateInput)

    class Meta:
        model = Project
        fields: tuple[str, ...] = ("name", "for_whom", "baseline", "target", "by_when")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        baseline, target = data.get("baseline"), data.get("target")
        if baseline is not None and target is not None and target >= baseline:
            self.add_error("target", gettext("An aim reduces chronic absence: aim below today's."))
        return data


class ProjectForm(AimForm):
    """A new project: where (a school, or the whole district) and its aim."""

    place = forms.ChoiceField(label=_("School or district"))

    class Meta(AimForm.Meta):
        fields: tuple[str, ...] = ("place", "name", "for_whom", "baseline", "target", "by_when")

    def __init__(
        self, *args: Any, schools: QuerySet[School], districts: QuerySet[District], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f"school:{s.pk}", s.name) for s in schools.order_by("name")]
        choices += [
            (f"district:{d.pk}", gettext("%(name)s (the whole district)") % {"name": d.name})
            for d in districts.order_by("name")
        ]
        self.fields["place"].choices = choices  # type: ignore[attr-defined]
        self.schools = {str(s.pk): s for s in schools}
        self.districts = {str(d.pk): d for d in districts}

    def chosen_place(self) -> tuple[District, School | None]:
        kind, _, pk = self.cleaned_data["place"].partition(":")
        if kind == "school":
            school = self.schools[pk]
            return school.district, school
        return self.districts[pk], None


class DiagramForm(forms.Form):
    outline = forms.CharField(
        label=_("Driver diagram"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "One item a line: # a primary driver, ## a secondary driver under it, - a change "
            "idea under that."
        ),
    )

    def clean_outline(self) -> str:
        text: str = self.cleaned_data["outline"]
        try:
            self.diagram = parse(text)
        except OutlineError as exc:
            raise forms.ValidationError(
                [
                    gettext("Line %(line)d: %(problem)s.") % {"line": n, "problem": m}
                    for n, m in exc.problems
                ]
            ) from exc
        return text


class MeasureForm(forms.ModelForm):  # type: ignore[type-arg]
    """A measure the team counts each week."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of measure"), choices=MeasureKind.choices)
    definition = forms.CharField(
        label=_("What is counted, and of what"), widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("For example: welcome calls made, of the families of students absent twice."),
    )  # fmt: skip

    class Meta:
        model = Measure
        fields = ("name", "kind", "definition")


class CountForm(forms.ModelForm):  # type: ignore[type-arg]
    """One week's count; any day of the week names the week (its Monday is kept)."""

    week_start = forms.DateField(label=_("Week of"), widget=DateInput)
    count = forms.IntegerField(label=_("Count"), min_value=0)
    denominator = forms.IntegerField(
        label=_("Out of (leave empty for a plain count)"), min_value=1, required=False
    )

    class Meta:
        model = WeeklyCount
        fields = ("week_start", "count", "denominator")

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.fields["week_start"].initial = timezone.localdate

    def clean_week_start(self) -> Any:
        day = self.cleaned_data["week_start"]
        return day - timedelta(days=day.weekday())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        count, out_of = data.get("count"), data.get("denominator")
        if count is not None and out_of is not None and count > out_of:
            self.add_error("count", gettext("The count cannot be more than the number it is of."))
        week = data.get("week_start")
        if week is not None and self.measure.counts.filter(week_start=week).exists():
            self.add_error("week_start", gettext("This week has a count already."))
        return data

    def validate_unique(self) -> None:  # the week is checked in clean(), with its message
        return None


class CycleForm(forms.ModelForm):  # type: ignore[type-arg]
    """A PDSA cycle: its Plan first; Do, Study and Act as it goes."""

    question = forms.CharField(
        label=_("Plan: what question does this cycle answer?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    prediction = forms.CharField(
        label=_("Plan: what do we predict will happen?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    who_where_when = forms.CharField(
        label=_("Plan: who, where and when"), widget=forms.Textarea(attrs={"rows": 2})
    )
    data_plan = forms.CharField(
        label=_("Plan: what data will we collect?"), widget=forms.Textarea(attrs={"rows": 2})
    )
    start_date = forms.DateField(label=_("First day of the test"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day of the test"), widget=DateInput)
    what_happened = forms.CharField(
        label=_("Do: what happened, what we observed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    study = forms.CharField(
        label=_("Study: the results against the prediction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    act = forms.ChoiceField(
        label=_("Act: adopt, adapt or abandon"),
        choices=[("", _("Not decided yet")), *Act.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    next_step = forms.CharField(
        label=_("Act: the next cycle"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    class Meta:
        model = Cycle
        fields = ("question", "prediction", "who_where_when", "data_plan", "start_date",
                  "end_date", "what_happened", "study", "act", "next_step")  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", gettext("The test cannot end before it starts."))
        return data


class CycleChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Cycle) -> str:  # type: ignore[override]
        return gettext("PDSA %(number)s of “%(idea)s”: %(question)s") % {
            "number": obj.number, "idea": obj.change_idea.name, "question": obj.question,
        }  # fmt: skip


class ShareForm(forms.Form):
    """Share a project with one of the district's networks: its aim and driver diagram, and the
    cycles chosen."""

    network = forms.ModelChoiceField(label=_("Network"), queryset=None)  # type: ignore[arg-type]
    cycles = CycleChoices(
        label=_("PDSA cycles to share"), queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple, required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = project.district.networks.all()  # type: ignore[attr-defined]
        self.fields["cycles"].queryset = Cycle.objects.filter(  # type: ignore[attr-defined]
            change_idea__project=project
        ).select_related("change_idea")


class LibraryCycleChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Cycle) -> str:  # type: ignore[override]
        return gettext("%(project)s: PDSA %(number)s of “%(idea)s”, from %(start)s") % {
            "project": obj.change_idea.project.name, "number": obj.number,
            "idea": obj.change_idea.name, "start": obj.start_date.isoformat(),
        }  # fmt: skip


class LibraryIdeaForm(forms.Form):
    """A change idea a member district tested, for its network's library: its name and tier,
    what was tested and what the cycles found, and the cycles (of the person's own projects)
    that tested it."""

    district = forms.ModelChoiceField(
        label=_("District whose cycles tested it"), queryset=None,  # type: ignore[arg-type]
        empty_label=None,
    )  # fmt: skip
    name = forms.CharField(label=_("Change idea"), max_length=300)
    tier = forms.TypedChoiceField(
        label=_("Tier"), choices=Tier.choices, coerce=int, widget=forms.RadioSelect
    )
    results = forms.CharField(
        label=_("What was tested, and what the cycles found"),
        widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
        help_text=_(
            "For example: evening calls in the home language, two grade 6 homerooms for two "
            "weeks; 18 of 25 families answered, against 9 of 25 by day. Write about the "
            "practice, never about a student."
        ),
    )  # fmt: skip
    cycles = LibraryCycleChoices(
        label=_("The PDSA cycles that tested it (optional)"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple, required=False,
    )  # fmt: skip

    def __init__(
        self, *args: Any, districts: QuerySet[District], cycles: QuerySet[Cycle], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts.order_by("name")  # type: ignore[attr-defined]
        if cycles.exists():
            self.fields["cycles"].queryset = cycles.select_related(  # type: ignore[attr-defined]
                "change_idea", "change_idea__project"
            ).order_by("change_idea__project__name", "change_idea__name", "number")
        else:
            del self.fields["cycles"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        district = data.get("district")
        for cycle in data.get("cycles") or ():
            if district is not None and cycle.change_idea.project.district_id != district.pk:
                self.add_error(
                    "cycles",
                    gettext("Choose cycles of %(district)s's projects only.")
                    % {"district": district.name},
                )
                break
        return data


class PackageForm(forms.Form):
    """Another network's change-idea library export, to import (rollcall.web.improve.package)."""

    package = forms.FileField(
        label=_("Change package (the .csv or .json a network's library exports)"),
        help_text=_("At most 1 MB."), allow_empty_file=True,  # the reader says what is wrong
    )  # fmt: skip
