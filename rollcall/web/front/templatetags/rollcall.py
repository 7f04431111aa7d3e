"""Number formats for the pages: shares as percentages, days as decimals without trailing
zeros, band names in words."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from rollcall.tiers import Tier
from rollcall.web.front import bands

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    """0.123456 → ``12.3%`` (``12,3%`` in Spanish); nothing → ``—``."""
    if value is None:
        return "—"
    rounded = Decimal(format(Decimal(value) * 100, ".1f"))  # rounded: number_format truncates
    return f"{number_format(rounded, 1)}%"


@register.filter
def days(value: Decimal | None) -> str:
    """17.500000 → ``17.5`` (``17,5`` in Spanish); 17.000000 → ``17``."""
    if value is None:
        return "—"
    return str(number_format(Decimal(format(Decimal(value).normalize(), "f"))))


@register.filter
def published_rate(text: str) -> str:
    """A published rate as a percentage: ``0.155844`` → ``15.6%``; a range the disclosure rules
    print (``≤5%``) as it is; hidden → ``—``."""
    if not text:
        return "—"
    try:
        return percent(Decimal(text))
    except ArithmeticError:
        return text


@register.filter
def band_label(name: str | None) -> str:
    """A band's name (``at_risk``) → its label in the active language; no band → ``—``."""
    return bands.band_label(name)


@register.filter
def share_rule(tier: Tier) -> str:
    """A band's bounds in words, in the active language."""
    return bands.share_rule(tier)


@register.filter
def dimension_title(name: str) -> str:
    """``race_ethnicity`` → ``Race ethnicity``."""
    return name.replace("_", " ").capitalize()
