"""Why a student is flagged, in plain words, from their own signals alone (never from a group the
student belongs to): at most three reasons, the strongest kinds first."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

MOST = 3


def _days(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def student_reasons(row: Mapping[str, object]) -> str:
    """The reasons for one student's signals (keys as in ``signals``), joined by ``; ``."""

    def num(key: str) -> float | None:
        value = row.get(key)
        if value is None:
            return None
        number = float(value)  # type: ignore[arg-type]
        return None if math.isnan(number) else number

    found = []
    first, first_days = num("first_month_absent"), num("first_month_days")
    if first is not None and first >= 2 and first_days is not None:
        found.append(f"missed {_days(first)} of the first {_days(first_days)} days")
    last_chronic, last_share = num("last_chronic"), num("last_share")
    if last_chronic == 1 and last_share is not None:
        found.append(f"chronically absent last year ({_pct(last_share)} of days)")
    elif last_share is not None and last_share >= 0.05:
        found.append(f"missed {_pct(last_share)} of days last year")
    share, absent, enrolled = num("share_absent"), num("days_absent"), num("days_enrolled")
    if share is not None and share >= 0.1 and absent is not None and enrolled is not None:
        found.append(f"missed {_days(absent)} of {_days(enrolled)} days so far")
    run = num("longest_run")
    if run is not None and run >= 3:
        found.append(f"absent {_days(run)} school days in a row")
    recent, before = num("recent_share"), num("earlier_share")
    if recent is not None and before is not None and recent >= 0.1 and recent > before + 0.05:
        found.append(
            f"absent more in the last two weeks ({_pct(recent)}) than before ({_pct(before)})"
        )
    edge = num("monday_friday_share")
    if edge is not None and edge >= 0.6 and absent is not None and absent >= 3:
        found.append("most absences on Mondays or Fridays")
    unexcused = num("days_unexcused")
    if unexcused is not None and unexcused >= 2:
        found.append(f"{_days(unexcused)} days unexcused")
    suspended = num("days_suspension")
    if suspended is not None and suspended > 0:
        found.append(f"{_days(suspended)} days suspended")
    schools = num("schools")
    if schools is not None and schools >= 2:
        found.append("changed school this year")
    return "; ".join(found[:MOST])


def reasons(frame: pd.DataFrame) -> list[str]:
    """The reasons of every row of ``frame``."""
    return [student_reasons(row) for row in frame.to_dict("records")]
