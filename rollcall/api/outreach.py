"""``rollcall outreach plan|send|evaluate``: family outreach (docs/outreach.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rollcall.formats.sources import Source
from rollcall.outreach.files import write_plan
from rollcall.outreach.plan import Plan, plan_round
from rollcall.outreach.rules import load_rules


@dataclass(frozen=True)
class OutreachPlan:
    """The round planned (``plan``) and the files written."""

    plan: Plan
    files: tuple[Path, ...]


def outreach_plan(
    input_dir: Source | Path,
    *,
    as_of: date,
    out_dir: Path | None = None,
    seed: int = 0,
    holdout: float | None = None,
    rules_file: Path | None = None,
) -> OutreachPlan:
    """Plan a round of outreach as of ``as_of``: who, which households, which arm. With
    ``out_dir``, write assignments.csv and exclusions.csv there."""
    rules = load_rules(rules_file, holdout=holdout)
    found = plan_round(input_dir, as_of=as_of, seed=seed, rules=rules)
    files = tuple(write_plan(found, Path(out_dir))) if out_dir is not None else ()
    return OutreachPlan(plan=found, files=files)
