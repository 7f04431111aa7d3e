"""A round's plan: who is eligible, who is left out and why, the households, the holdout.

Eligible: students counted under the policy (enrolled long enough: docs/rules.md) whose band so
far is one of the rules' ``bands``, or (``select = "tier"``) whose early-warning tier is one of
its ``tiers``. Left out, each with its reason in ``exclusions.csv``: the students of a household
that opted out (any member's ``opt_out``), students whose absences are documented as one of
``exclude_documented``, and students whose contact values cannot be read (docs/format.md).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from rollcall.formats.sources import Source
from rollcall.outreach import holdout
from rollcall.outreach.contacts import Contact, Problem, household_ids, read_contacts
from rollcall.outreach.roster import Roster, roster
from rollcall.outreach.rules import OutreachRules
from rollcall.policy import Policy, get_policy
from rollcall.warn.ranking import parse_caseload
from rollcall.warn.run import early_warning

ASSIGNMENT_COLUMNS = ("student_id", "household_id", "school_id", "arm", "stratum")
EXCLUSION_COLUMNS = ("student_id", "household_id", "school_id", "reason", "file", "line",
                     "column", "value")  # fmt: skip


@dataclass(frozen=True)
class Assignment:
    student_id: str
    household_id: str
    school_id: str
    arm: str
    stratum: str


@dataclass(frozen=True)
class Exclusion:
    student_id: str
    household_id: str
    school_id: str
    reason: str
    file: str = ""
    line: int | None = None
    column: str = ""
    value: str = ""


@dataclass(frozen=True)
class Plan:
    """The round: its assignments (eligible students not left out), exclusions, the minimum
    detectable effect, and the roster and contacts the letters are written from."""

    as_of: date
    seed: int
    rules: OutreachRules
    roster: Roster
    contacts: dict[str, Contact]
    assignments: list[Assignment]
    exclusions: list[Exclusion]
    detectable: holdout.DetectableEffect | None
    problems: list[Problem]

    def households(self, arm: str | None = None) -> dict[str, list[Assignment]]:
        """Each household's assigned students (of one arm, if given), in student id order."""
        found: dict[str, list[Assignment]] = {}
        for row in self.assignments:
            if arm is None or row.arm == arm:
                found.setdefault(row.household_id, []).append(row)
        return found


def plan_round(
    source: Source | Path,
    *,
    as_of: date,
    seed: int,
    rules: OutreachRules,
    schools: Collection[str] | None = None,
    amend_contacts: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> Plan:
    """Plan a round for the students enrolled in ``source`` up to ``as_of``. With ``schools``
    (school ids; the platform plans a school's round), only the households whose lead student
    is at one of them, and the exclusions there: their arms are those of the whole input's
    plan, since each stratum (one school's) draws alone. ``amend_contacts``: given the students
    file's rows (text, with ``_file`` and ``_line``), returns them with contact values added
    (the platform's own contact records)."""
    policy = get_policy(rules.policy)
    found = roster(source, as_of=as_of, policy=policy)
    if amend_contacts is not None:
        found = replace(found, contacts=amend_contacts(found.contacts))
    contacts, problems = read_contacts(found.contacts)
    homes = household_ids(contacts)
    students = found.students.copy()
    students["household_id"] = [homes.get(s, holdout_alone(s)) for s in students["student_id"]]
    chosen = students[_eligible(students, source, as_of, rules, policy)].copy()
    exclusions = _exclusions(chosen, contacts, problems, rules, students)
    left_out = {e.student_id for e in exclusions}
    chosen = chosen[~chosen["student_id"].isin(left_out)]
    assignments, detectable = _assign(chosen, rules, seed, schools)
    if schools is not None:
        exclusions = [e for e in exclusions if e.school_id in schools]
    return Plan(as_of=as_of, seed=seed, rules=rules, roster=found, contacts=contacts,
                assignments=assignments, exclusions=exclusions, detectable=detectable,
                problems=problems)  # fmt: skip


def holdout_alone(student_id: str) -> str:
    """The household of a student the students file has no row for: the student alone."""
    return "auto-" + student_id


def _eligible(
    students: pd.DataFrame, source: Source | Path, as_of: date, rules: OutreachRules, policy: Policy
) -> pd.Series:
    counted = students["eligible"].fillna(False).astype(bool)
    if rules.select == "band":
        return counted & students["band"].isin(rules.bands)
    warning = early_warning(source, as_of=as_of, policy=policy, caseload=parse_caseload("20%"))
    tiers = {flag.student_id: flag.tier for flag in warning.flags}
    return counted & students["student_id"].map(tiers).isin(rules.tiers)


def _exclusions(
    chosen: pd.DataFrame,
    contacts: dict[str, Contact],
    problems: list[Problem],
    rules: OutreachRules,
    students: pd.DataFrame,
) -> list[Exclusion]:
    household_of = dict(zip(students["student_id"], students["household_id"], strict=True))
    opted = {household_of[s] for s, c in contacts.items() if c.opted_out and s in household_of}
    problem_of = {(p.student_id, p.column): p for p in problems}
    found = []
    for row in chosen.itertuples(index=False):
        sid, home, school = row.student_id, row.household_id, row.school_id
        contact = contacts.get(sid)
        problem = problem_of.get((sid, "absence_documented")) or problem_of.get((sid, "opt_out"))
        if problem is not None and problem.column in ("absence_documented", "opt_out"):
            found.append(Exclusion(sid, home, school, problem.reason, problem.file,
                                   problem.line, problem.column, problem.value))  # fmt: skip
        elif home in opted:
            found.append(Exclusion(sid, home, school, "the family opted out"))
        elif contact is not None and contact.documented in rules.exclude_documented:
            found.append(
                Exclusion(sid, home, school, f"absences documented as {contact.documented}")
            )
    return found


def _assign(
    chosen: pd.DataFrame, rules: OutreachRules, seed: int, schools: Collection[str] | None
) -> tuple[list[Assignment], holdout.DetectableEffect | None]:
    if chosen.empty:
        return [], None
    frame = chosen.copy()
    frame["stratum"] = [
        holdout.stratum(s, g, b)
        for s, g, b in zip(frame["school_id"], frame["grade"], frame["band"], strict=True)
    ]
    # The lead student: the most absent share, then the smallest id.
    ordered = frame.sort_values(["household_id", "share_absent", "student_id"],
                                ascending=[True, False, True], kind="stable")  # fmt: skip
    leads = ordered.drop_duplicates("household_id")[["household_id", "stratum"]]
    arms = holdout.assign(leads, share=rules.holdout, seed=seed)
    stratum_of = dict(zip(leads["household_id"], leads["stratum"], strict=True))
    if schools is not None:
        kept = {h for h, s in stratum_of.items() if s.split("|")[0] in schools}
        frame = frame[frame["household_id"].isin(kept)]
        if frame.empty:
            return [], None
    assignments = [
        Assignment(sid, home, school, str(arms[home]), stratum_of[home])
        for sid, home, school in sorted(
            zip(frame["student_id"], frame["household_id"], frame["school_id"], strict=True),
            key=lambda r: (r[1], r[0]),
        )
    ]
    means = frame.groupby("household_id")["share_absent"].mean().to_numpy(dtype=float)
    return assignments, holdout.detectable_effect(np.asarray(means), share=rules.holdout)
