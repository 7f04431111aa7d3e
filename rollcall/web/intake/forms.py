"""The "Refresh the data" form: the source (an upload, a path in the import folder, an Ed-Fi
API pull), and the input options that matter, each validated with a message naming what to fix."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rollcall.formats.sources import READERS
from rollcall.policy import POLICIES
from rollcall.web.intake import inputs
from rollcall.web.intake.models import SourceKind
from rollcall.web.people.models import District

YEAR = re.compile(r"^(\d{4})-(\d{2})$")
DIMENSION = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
MAX_MAPPING_BYTES = 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


class RefreshForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    source = forms.ChoiceField(
        label=_("Read the data from"),
        choices=SourceKind.choices,
        widget=forms.RadioSelect,
        initial=SourceKind.UPLOAD,
        help_text=_("Then fill in the box below for the one you choose; the others are left out."),
        error_messages={"required": _("Choose where to read the data from.")},
    )
    upload = forms.FileField(
        label=_("File to upload"),
        required=False,
        help_text=_("A .zip of the export's folder, or one .csv, .xlsx or .parquet file."),
    )
    path = forms.CharField(
        label=_("Folder or file in the import folder"),
        required=False,
        max_length=500,
        help_text=_("Relative to the import folder, for example sis-export/2025-10-31."),
    )
    edfi_url = forms.CharField(
        label=_("Ed-Fi API address"),
        required=False,
        max_length=500,
        help_text=_("The ODS/API's base URL, for example https://edfi.example.org/api."),
    )
    edfi_key = forms.CharField(label=_("Ed-Fi API key"), required=False, max_length=200)
    edfi_secret = forms.CharField(
        label=_("Ed-Fi API secret"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Used for this pull only: never stored or written to a log."),
    )
    kind = forms.ChoiceField(
        label=_("What the input is"),
        required=False,
        choices=[("", _("tell from the files")), *((name, name) for name in READERS)],
    )
    mapping = forms.FileField(
        label=_("Mapping file (SIS exports)"),
        required=False,
        help_text=_("The .toml file saying which column is what (docs/sources/sis.md)."),
    )
    enrollment_from_sessions = forms.BooleanField(
        label=_("Ed-Fi without enrollments: count each student with attendance as enrolled for "
                "the whole session"),
        required=False,
    )  # fmt: skip
    policy = forms.ChoiceField(
        label=_("Policy"),
        choices=[(name, name) for name in POLICIES],
        initial="attendance-works",
    )
    year = forms.CharField(
        label=_("School year"),
        required=False,
        max_length=7,
        help_text=_("Like 2025-26; leave empty for the latest year in the input."),
    )
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=DateInput,
        help_text=_("Count the days up to this date; leave empty for every day in the input."),
        error_messages={"invalid": _("Enter a date such as 2025-10-31.")},
    )
    dimensions = forms.CharField(
        label=_("Other groups to count"),
        required=False,
        max_length=500,
        help_text=_("Student columns to count as groups besides the known ones, separated by "
                    "commas; every other column stays private."),
    )  # fmt: skip

    def __init__(self, *args: Any, districts: QuerySet[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = districts
        if districts.count() == 1:
            field.initial = districts.first()

    def clean_year(self) -> str:
        year: str = self.cleaned_data["year"].strip()
        found = YEAR.match(year)
        if year and (not found or (int(found[1]) + 1) % 100 != int(found[2])):
            raise forms.ValidationError(_("Write the school year like 2025-26."))
        return year

    def clean_as_of(self) -> date | None:
        as_of: date | None = self.cleaned_data["as_of"]
        if as_of is not None and as_of > timezone.localdate():
            raise forms.ValidationError(
                _("The as-of date is after today: the days after today have no attendance yet.")
            )
        return as_of

    def clean_dimensions(self) -> tuple[str, ...]:
        names = tuple(n.strip() for n in self.cleaned_data["dimensions"].split(",") if n.strip())
        for name in names:
            if not DIMENSION.match(name):
                raise forms.ValidationError(
                    _("%(name)s is not a column name: use letters, digits and _.") % {"name": name}
                )
        return names

    def clean_mapping(self) -> Any:
        mapping = self.cleaned_data["mapping"]
        if mapping is not None:
            if not (mapping.name or "").lower().endswith(".toml"):
                raise forms.ValidationError(_("A mapping file is a .toml file."))
            if mapping.size > MAX_MAPPING_BYTES:
                raise forms.ValidationError(_("A mapping file is at most 1 MB."))
        return mapping

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        source = data.get("source")
        if source == SourceKind.UPLOAD:
            self._clean_upload(data)
        elif source == SourceKind.PATH:
            self._clean_path(data)
        elif source == SourceKind.EDFI:
            self._clean_edfi(data)
        return data

    def _clean_upload(self, data: dict[str, Any]) -> None:
        upload = data.get("upload")
        if upload is None:
            self.add_error("upload", gettext("Choose the file to upload."))
            return
        limit = settings.REFRESH_UPLOAD_MAX_BYTES
        if upload.size > limit:
            self.add_error("upload", too_big(limit))
            return
        try:
            inputs.check_upload(upload)
        except forms.ValidationError as error:
            self.add_error("upload", error)

    def _clean_path(self, data: dict[str, Any]) -> None:
        if not data.get("path", "").strip():
            self.add_error("path", gettext("Name a folder or file in the import folder."))
            return
        try:
            data["server_path"] = inputs.server_path(data["path"])
        except forms.ValidationError as error:
            self.add_error("path", error)

    def _clean_edfi(self, data: dict[str, Any]) -> None:
        url = data.get("edfi_url", "").strip()
        parts = urlsplit(url)
        insecure = settings.REFRESH_EDFI_ALLOW_INSECURE
        if (
            parts.scheme not in (("https", "http") if insecure else ("https",))
            or not parts.hostname
        ):
            self.add_error("edfi_url", gettext("Give the API's address, beginning with https://."))
        for field in ("edfi_key", "edfi_secret"):
            if not data.get(field):
                self.add_error(field, gettext("Give the API client's key and secret."))


def too_big(limit: int) -> str:
    text = gettext(
        "The file is larger than the limit of %(size)s MB: zip it, or put it in the import "
        "folder and give its path."
    )
    return text % {"size": f"{limit / 1024**2:,.0f}"}


def job_options(data: dict[str, Any], *, input_path: Path | None) -> dict[str, Any]:
    """What the runner needs besides the secret, as JSON."""
    return {
        "input": str(input_path) if input_path else None,
        "kind": data["kind"] or None,
        "enrollment_from_sessions": data["enrollment_from_sessions"],
        "dimensions": list(data["dimensions"]),
        "policy": data["policy"],
        "year": data["year"] or None,
        "as_of": data["as_of"].isoformat() if data["as_of"] else None,
    }
