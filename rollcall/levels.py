"""The three levels every count is made at, and their one order.

A student is counted at each school they attended, at their district (the union of their days
at its schools) and in the total (docs/rules.md, "Levels"). Every table rollcall writes lists
schools first, then districts, then the total; pages that lead with the big picture read the
same order backwards (``reversed(LEVELS)``).
"""

from __future__ import annotations

from typing import Final, Literal

Level = Literal["school", "district", "total"]

SCHOOL: Final = "school"
DISTRICT: Final = "district"
TOTAL: Final = "total"

LEVELS: Final[tuple[Level, ...]] = (SCHOOL, DISTRICT, TOTAL)
LEVEL_ORDER: Final[dict[str, int]] = {level: n for n, level in enumerate(LEVELS)}
