"""Number formats for the pages: shares as percentages, days as decimals without trailing
zeros, band names and calendar days in words."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from rollcall.tiers import Tier
from rollcall.web.front import bands
from rollcall.web.snapshots.days import Day

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


DAY_KINDS = {
    "no-school": gettext_lazy("no school"),
    "not-enrolled": gettext_lazy("not enrolled"),
    "present": gettext_lazy("present"),
    "absent": gettext_lazy("absent all day"),
    "part": gettext_lazy("absent part of the day"),
}
DAY_REASONS = {
    "excused": gettext_lazy("excused"),
    "unexcused": gettext_lazy("unexcused"),
    "suspension": gettext_lazy("suspension"),
}


@register.filter
def day_label(day: Day) -> str:
    """What a date of a student's calendar was, in words (the calendar's cells say it to screen
    readers and in their tooltip)."""
    words = str(DAY_KINDS[day.kind])
    if day.kind == "part":
        words += f" ({days(day.absent)})"
    if day.reason:
        words += f", {DAY_REASONS[day.reason]}"
    return words


@register.filter
def percent_of_one(value: float | None) -> str:
    """A probability 0.4567 → ``46%`` (``46 %`` as the language writes it: whole points, since
    an estimate is not more precise than that)."""
    if value is None:
        return "—"
    return f"{number_format(round(value * 100), 0)}%"
