"""The contact form (labels on every input; errors next to their field, as the plan forms)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from rollcall.web.families.models import Contact


class ContactForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Contact
        fields = ("name", "relationship", "phone", "email", "language", "preferred",
                  "may_contact", "note", "current")  # fmt: skip
        widgets: ClassVar = {"note": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f) for f in ("phone", "email", "note")):
            raise forms.ValidationError(
                _("Give a phone number, an e-mail address or a note on how to reach them.")
            )
        return cleaned
