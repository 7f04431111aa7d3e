"""A project's aim in one sentence, as every page, the API and a share say it."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext

from rollcall.web.improve.models import Project


def aim_text(project: Project) -> str:
    """The aim in one sentence."""
    return gettext(
        "Reduce chronic absence among %(whom)s at %(unit)s from %(baseline)s%% to %(target)s%% "
        "by %(when)s."
    ) % {
        "whom": project.for_whom,
        "unit": project.unit_name,
        "baseline": number_format(project.baseline, 1),
        "target": number_format(project.target, 1),
        "when": project.by_when.isoformat(),
    }
