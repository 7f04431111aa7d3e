"""The forms for starting a plan, adding a check-in and ending a plan (labels on every input;
errors shown next to their field by templates/plans/_fields.html)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rollcall.web.plans.models import CheckIn, RootCause, Strategy, SupportPlan, Tier
from rollcall.web.snapshots.models import Student


class StrategyChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Strategy) -> str:  # type: ignore[override]
        return gettext("%(name)s (tier %(tier)s)") % {"name": obj.name, "tier": obj.tier}


class DateInput(forms.DateInput):
    input_type = "date"


class PlanForm(forms.ModelForm):  # type: ignore[type-arg]
    tier = forms.TypedChoiceField(
        label=_("Tier of support"), choices=Tier.choices, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the tier of support.")},
    )  # fmt: skip
    root_causes = forms.MultipleChoiceField(
        label=_("Root causes"),
        choices=RootCause.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("What keeps the student from school, as far as the team and family know."),
    )
    root_cause_note = forms.CharField(
        label=_("About the root causes (staff only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    strategies = StrategyChoices(
        label=_("Strategies"),
        queryset=Strategy.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one strategy.")},
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)  # type: ignore[arg-type]
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    goal = forms.CharField(
        label=_("Goal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: attend at least 9 days in 10 for the next four weeks."),
    )
    checkin_every_days = forms.IntegerField(
        label=_("Check in every (days)"), min_value=1, max_value=90, initial=14
    )

    class Meta:
        model = SupportPlan
        fields = ("tier", "root_causes", "root_cause_note", "strategies", "owner",
                  "start_date", "goal", "checkin_every_days")  # fmt: skip

    def __init__(
        self, *args: Any, student: Student, owners: QuerySet[AbstractBaseUser], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        strategies = Strategy.objects.filter(Q(district=None) | Q(district=student.district_id))
        self.fields["strategies"].queryset = strategies  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["start_date"].initial = timezone.localdate


class CheckInForm(forms.ModelForm):  # type: ignore[type-arg]
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(
        label=_("What happened, what changes"), widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = CheckIn
        fields = ("date", "note")


class EndPlanForm(forms.ModelForm):  # type: ignore[type-arg]
    end_date = forms.DateField(label=_("End date"), widget=DateInput, initial=timezone.localdate)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = SupportPlan
        fields = ("end_date", "outcome")

    def clean_end_date(self) -> Any:
        end = self.cleaned_data["end_date"]
        if end is not None and end < self.instance.start_date:
            raise forms.ValidationError(_("The plan cannot end before it started."))
        return end
