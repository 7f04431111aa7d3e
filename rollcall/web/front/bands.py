"""The four bands' labels and rules in words, translatable. The library (``rollcall.tiers``)
declares the bands in English and never imports Django; the platform shows them through this one
dict, whose English words are the library's (a test checks that they match)."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rollcall.tiers import Tier

BAND_LABELS = {
    "satisfactory": _("Satisfactory"),
    "at_risk": _("At risk"),
    "moderate": _("Moderate chronic absence"),
    "severe": _("Severe chronic absence"),
}


def band_label(name: str | None, *, missing: str = "—") -> str:
    """A band's label in the active language; ``missing`` for no band."""
    return str(BAND_LABELS[name]) if name in BAND_LABELS else missing


def share_rule(tier: Tier) -> str:
    """The band's bounds in words, as ``Tier.share_rule`` says them, in the active language."""
    if tier.upper is None:
        return gettext("%(lower)s or more") % {"lower": _percent(tier.lower)}
    if tier.lower == 0:
        return gettext("fewer than %(upper)s of days") % {"upper": _percent(tier.upper)}
    return gettext("%(lower)s to less than %(upper)s") % {
        "lower": _percent(tier.lower),
        "upper": _percent(tier.upper),
    }


def _percent(share: Fraction) -> str:
    percent = share * 100
    return f"{percent.numerator}%" if percent.denominator == 1 else f"{float(percent):.1f}%"
