"""The baselines every district already has, always computed beside the model: each rule is a
score (higher: more at risk) from the signals, and a trigger where the rule has one.

| rule | score | trigger |
|---|---|---|
| ``first_month`` | days missed in the first month (the first four weeks enrolled) | 2 or more |
| ``days_missed`` | days missed so far this year (the "days missed so far" pace) | — |
| ``share_so_far`` | share of enrolled days missed so far this year | 10% or more |
| ``last_year`` | last year's share of days missed (no score without last year) | 10% or more |

Ties are broken by this year's share missed so far, then by the student id, so a ranking never
depends on the order of the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Rule:
    """A baseline: its name, its words, the signal it ranks by and its trigger (or None)."""

    name: str
    label: str
    signal: str
    trigger: float | None


RULES: tuple[Rule, ...] = (
    Rule("first_month", "2 or more days missed in the first month", "first_month_absent", 2.0),
    Rule("days_missed", "days missed so far (the pace)", "days_absent", None),
    Rule("share_so_far", "this year's share of days missed so far", "share_absent", 0.1),
    Rule("last_year", "last year's rate", "last_share", 0.1),
)
RULE_BY_NAME = {rule.name: rule for rule in RULES}


def rule_score(frame: pd.DataFrame, rule: Rule) -> np.ndarray:
    """The rule's score for each row: its signal, NaN where the student has none (a student new
    this year has no last-year rate)."""
    if rule.signal not in frame:
        return np.full(len(frame), np.nan)
    return frame[rule.signal].to_numpy(dtype=float)


def triggered(frame: pd.DataFrame, rule: Rule) -> np.ndarray:
    """Whether the rule's own trigger fires (False without a trigger or a value)."""
    score = rule_score(frame, rule)
    if rule.trigger is None:
        return np.zeros(len(frame), dtype=bool)
    return np.nan_to_num(score, nan=-np.inf) >= rule.trigger


def has_values(frame: pd.DataFrame, rule: Rule) -> bool:
    """Whether any student has the rule's signal (last year's rate needs last year)."""
    return bool(np.isfinite(rule_score(frame, rule)).any())
