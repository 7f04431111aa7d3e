"""The round's evaluation: the intention-to-treat effect of the message arm against the holdout
over a window of school days, overall, by school and by student group.

Outcomes, for each assigned student, from two engine runs (as of ``to``, and as of the day
before ``from``) of the same school year:

- ``absence_rate``: days absent ÷ days enrolled in the window, in days per 100 school days;
- ``days_missed``: days absent in the window;
- ``chronic_absence``: chronically absent for the year so far at the window's end (0 or 1), in
  percentage points.

Students are analysed in the arm they were assigned to, whether a message reached them or not
(intention to treat). A student the input no longer holds, or with no school day enrolled in the
window, cannot be measured: they are counted and said, never silently dropped. The effect is the
difference in means (``estimate.itt``), with household-clustered intervals; the headline
``absence_rate`` and ``days_missed`` are also given adjusted for the share of days absent before
the window. Groups of a breakdown with fewer than ``MIN_GROUP`` students in either arm are named
but not estimated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from rollcall.errors import OptionError
from rollcall.formats.sources import Source
from rollcall.outreach.estimate import Estimate, itt
from rollcall.outreach.plan import Assignment
from rollcall.outreach.roster import roster
from rollcall.policy import Policy

OUTCOMES = {
    "absence_rate": ("days absent per 100 school days", 100.0),
    "days_missed": ("days absent in the window", 1.0),
    "chronic_absence": ("percentage points chronically absent at the window's end", 100.0),
}
MIN_GROUP = 10


@dataclass(frozen=True)
class Evaluation:
    school_year: str
    start: date
    end: date
    measured: dict[str, int]  # message, holdout, missing, not_enrolled
    overall: dict[str, Estimate | None]
    adjusted: dict[str, Estimate | None]
    by_school: dict[str, dict[str, Estimate | None]]
    by_group: dict[str, dict[str, dict[str, Estimate | None]]]
    school_names: dict[str, str] = field(default_factory=dict)


def outcomes(
    source: Source | Path, assignments: list[Assignment], *, start: date, end: date,
    policy: Policy,
) -> tuple[pd.DataFrame, dict[str, int], str, dict[str, str]]:  # fmt: skip
    """Each measurable assigned student's outcomes, covariate and groups; the counts of who
    was measured; the school year; the school names."""
    if end < start:
        raise OptionError(f"--to {end} is before --from {start}")
    after = roster(source, as_of=end, policy=policy)
    if start > after.end:
        raise OptionError(f"--from {start} is after the input's last school day ({after.end})")
    before_day = start - timedelta(days=1)
    if before_day < after.start:
        if start < after.start:
            raise OptionError(f"--from {start} and --to {end} must be in one school year "
                              f"({after.school_year} starts {after.start})")  # fmt: skip
        before = None
    else:
        before = roster(source, as_of=before_day, policy=policy)
    frame = pd.DataFrame([a.__dict__ for a in assignments])
    now = after.students.set_index("student_id")
    prior = (before.students.set_index("student_id") if before is not None
             else pd.DataFrame(columns=["days_enrolled", "days_absent"]))  # fmt: skip
    found = frame[frame["student_id"].isin(now.index)].copy()
    ids = found["student_id"]
    enrolled_before = ids.map(prior["days_enrolled"]).fillna(0).astype(float)
    absent_before = ids.map(prior["days_absent"]).fillna(0).astype(float)
    enrolled = ids.map(now["days_enrolled"]).astype(float) - enrolled_before
    absent = ids.map(now["days_absent"]).astype(float) - absent_before
    found["days_enrolled"] = enrolled.to_numpy()
    found["days_missed"] = absent.to_numpy()
    found["absence_rate"] = (absent / enrolled.where(enrolled > 0)).to_numpy()
    found["chronic_absence"] = ids.map(now["chronic"]).fillna(False).astype(float).to_numpy()
    found["prior_rate"] = (absent_before / enrolled_before.where(enrolled_before > 0)).fillna(
        0.0).to_numpy()  # fmt: skip
    for column in (c for c in now.columns if c.startswith("group_")):
        found[column] = ids.map(now[column]).fillna("unknown").to_numpy()
    measurable = found[found["days_enrolled"] > 0]
    counts = {
        "message": int((measurable["arm"] == "message").sum()),
        "holdout": int((measurable["arm"] == "holdout").sum()),
        "not_in_input": int(len(frame) - len(found)),
        "not_enrolled_in_window": int(len(found) - len(measurable)),
    }
    names = {s.school_id: s.name for s in after.schools.values()}
    return measurable.reset_index(drop=True), counts, after.school_year, names


def evaluate_round(
    source: Source | Path, assignments: list[Assignment], *, start: date, end: date,
    policy: Policy,
) -> Evaluation:  # fmt: skip
    frame, counts, year, names = outcomes(source, assignments, start=start, end=end,
                                          policy=policy)  # fmt: skip
    overall = {name: _estimate(frame, name) for name in OUTCOMES}
    adjusted = {name: _estimate(frame, name, adjust=True) for name in ("absence_rate",
                                                                      "days_missed")}  # fmt: skip
    by_school = {
        school: {name: _estimate(part, name) for name in OUTCOMES}
        for school, part in sorted(frame.groupby("school_id"), key=lambda kv: str(kv[0]))
    }
    by_group: dict[str, dict[str, dict[str, Estimate | None]]] = {}
    for column in (c for c in frame.columns if c.startswith("group_")):
        by_group[column.removeprefix("group_")] = {
            str(value): {name: _estimate(part, name) for name in OUTCOMES}
            for value, part in sorted(frame.groupby(column), key=lambda kv: str(kv[0]))
        }
    return Evaluation(school_year=year, start=start, end=end, measured=counts, overall=overall,
                      adjusted=adjusted, by_school=by_school, by_group=by_group,
                      school_names=names)  # fmt: skip


def _estimate(frame: pd.DataFrame, outcome: str, *, adjust: bool = False) -> Estimate | None:
    message = (frame["arm"] == "message").to_numpy()
    if min(int(message.sum()), int((~message).sum())) < MIN_GROUP:
        return None
    found = itt(
        frame[outcome].to_numpy(dtype=float),
        message,
        frame["household_id"].to_numpy(),
        baseline=frame["prior_rate"].to_numpy(dtype=float) if adjust else None,
    )
    return found.scaled(OUTCOMES[outcome][1]) if found is not None else None


__all__ = ["MIN_GROUP", "OUTCOMES", "Evaluation", "evaluate_round", "outcomes"]
