"""The form that plans a round: its seed (shown, kept: the draw can be repeated), the share
held out, and the day its evaluation's window ends."""

from __future__ import annotations

import secrets
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from rollcall.web.outreach.planning import Request


class PlanForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Random seed"), min_value=0, max_value=2**53,
        help_text=_("Chosen at random for you. The same seed and data give the same draw."),
    )  # fmt: skip
    holdout = forms.IntegerField(
        label=_("Share of families held out (percent)"), min_value=5, max_value=50,
        help_text=_("Families held out get no letter this round: the comparison that shows "
                    "whether the letters work. 20 is usual."),
    )  # fmt: skip
    window_end = forms.DateField(
        label=_("Evaluate up to"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last school day counted when the round is evaluated."),
    )

    @classmethod
    def initial_for(cls, window_end: date) -> dict[str, object]:
        return {"seed": secrets.randbelow(10**6), "holdout": 20, "window_end": window_end}

    def request(self) -> Request:
        data = self.cleaned_data
        return Request(seed=data["seed"], holdout=data["holdout"] / 100,
                       window_end=data["window_end"])  # fmt: skip
