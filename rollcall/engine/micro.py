"""Absences in whole millionths of a day: exact (a half day is 500000, never 0.4999…), and
portable to any engine. The one declaration of the unit, and its text form."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

MICRO = 1_000_000


def decimal_text(micro: ir.IntegerValue) -> ir.StringValue:
    """Millionths as a decimal with no trailing zeros: 17000000 → ``17``, 500000 → ``0.5``."""
    whole = (micro // MICRO).cast("string")
    fraction = (micro % MICRO).cast("string").lpad(6, "0").re_replace("0+$", "")
    # Most values are whole days: they skip the trimming of trailing zeros.
    return ibis.cases((micro % MICRO == 0, whole), else_=whole + "." + fraction)


def ratio_text(numerator_micro: ir.IntegerValue, denominator: ir.IntegerValue) -> ir.StringValue:
    """``numerator_micro / MICRO / denominator`` rounded half up to six places, as text;
    NULL when the denominator is 0."""
    rounded = (2 * numerator_micro + denominator) // (2 * denominator)
    return ibis.cases((denominator > 0, decimal_text(rounded)), else_=ibis.null("string"))
