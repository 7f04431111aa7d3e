"""What a reader of a page sees, measured in a real browser (issue 16): whether the page and every
table fit their column, whether text (charts included) is at least 11 px, whether a caption shows a
field name where a label belongs, and whether a count shows a fraction.

`fit_problems(page)` opens every folded section first (a reader may open them all) and returns one
line per problem, empty when the page is fine. A table may be wider than its column only inside a
horizontal scroll container whose first column stays in view (position: sticky), so the reader
always knows which row a number belongs to.
"""

from __future__ import annotations

import re
from pathlib import Path

WIDTHS = (1400, 390)
# The measures as functions the page runs (page_fit.js: each after a line "//== name").
_SCRIPTS = dict(
    re.findall(
        r"^//== (\w+)\n(.*?)(?=^//== |\Z)",
        Path(__file__).with_name("page_fit.js").read_text(encoding="utf-8"),
        flags=re.S | re.M,
    )
)
SMALLEST_TEXT_PX = 11.0

_MEASURE = _SCRIPTS["fitProblems"]


def fit_problems(page) -> list[str]:
    """Every way the page at its current viewport fails a reader (see the module's docstring)."""
    return list(page.evaluate(_MEASURE, SMALLEST_TEXT_PX))


_FIELD_NAME = _SCRIPTS["fieldNames"]


def field_names_shown(page) -> list[str]:
    """Words on the page written like a field name (``race_ethnicity``), outside code, file
    names and a data-quality finding's "column x"."""
    return list(page.evaluate(_FIELD_NAME))


_FRACTIONAL_COUNT = _SCRIPTS["fractionalTotals"]


def fractional_totals_shown(page) -> list[str]:
    """Numbers of a thousand or more shown with a fraction (``35,159.25`` days): a total of that
    size is read as a count, and its quarter day is noise to a reader."""
    return list(page.evaluate(_FRACTIONAL_COUNT))
