"""``rollcall outreach plan|send|evaluate``: family outreach (docs/outreach.md)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from rollcall.formats.sources import Source
from rollcall.outreach.content import letters
from rollcall.outreach.evaluate import Evaluation, evaluate_round
from rollcall.outreach.evaluation_files import as_json, write_evaluation
from rollcall.outreach.files import (
    MESSAGE_COLUMNS,
    message_rows,
    read_assignments,
    write_plan,
    write_rows,
)
from rollcall.outreach.letters import LANGUAGE_NAMES, Rendered, Writer
from rollcall.outreach.pdf import write_pdfs
from rollcall.outreach.plan import Plan, plan_round
from rollcall.outreach.rules import load_rules
from rollcall.outreach.send import Sender, SendResult, channels_from_options, send_round
from rollcall.policy import get_policy


@dataclass(frozen=True)
class OutreachPlan:
    """The round planned (``plan``), its letters rendered, notes to staff, the files written."""

    plan: Plan
    rendered: tuple[Rendered, ...]
    notes: tuple[str, ...]
    files: tuple[Path, ...]


def outreach_plan(
    input_dir: Source | Path,
    *,
    as_of: date,
    out_dir: Path | None = None,
    seed: int = 0,
    holdout: float | None = None,
    rules_file: Path | None = None,
    templates: Path | None = None,
    today: date | None = None,
    schools: Collection[str] | None = None,
    policy: str | None = None,
    amend_contacts: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> OutreachPlan:
    """Plan a round of outreach as of ``as_of``: who, which households, which arm, and the
    message arm's letters and messages. With ``out_dir``, write assignments.csv,
    exclusions.csv, messages.csv and one letters-<school>.pdf per school there. ``templates``:
    the district's own templates and catalogues (docs/outreach.md); ``today``: the letters'
    date (default: today). ``schools`` and ``amend_contacts``: a round of some schools only,
    with contact values added to the input's (``plan.plan_round``; the platform's).
    ``policy``: the rules' policy instead of the rules file's (the platform's refresh's)."""
    rules = load_rules(rules_file, holdout=holdout, policy=policy)
    writer = Writer(templates, today=today)
    found = plan_round(input_dir, as_of=as_of, seed=seed, rules=rules, schools=schools,
                       amend_contacts=amend_contacts)  # fmt: skip
    rendered = tuple(writer.render(letter) for letter in letters(found))
    files: list[Path] = []
    if out_dir is not None:
        out = Path(out_dir)
        files += write_plan(found, out)
        files.append(write_rows(out / "messages.csv", MESSAGE_COLUMNS, message_rows(rendered)))
        files += write_pdfs(writer, rendered, out)
    return OutreachPlan(plan=found, rendered=rendered, notes=_notes(rendered), files=tuple(files))


def _notes(rendered: tuple[Rendered, ...]) -> tuple[str, ...]:
    notes = []
    fallback = Counter(r.letter.language for r in rendered if r.note)
    for code, n in sorted(fallback.items()):
        name = LANGUAGE_NAMES.get(code, code)
        notes.append(f"{n:,} households speak {name}, which has no template: their letters are "
                     "in English (messages.csv says which; docs/outreach.md, how to add a "
                     "language).")  # fmt: skip
    unaddressed = sum(1 for r in rendered if not r.letter.address)
    if unaddressed:
        notes.append(f"{unaddressed:,} households have no postal address: their letters are "
                     "printed without one (messages.csv says which).")  # fmt: skip
    return tuple(notes)


def outreach_send(
    round_dir: Path,
    *,
    dry_run: bool = True,
    channels: Mapping[str, Sender] | None = None,
    smtp: str | None = None,
    sender: str | None = None,
    sms_url: str | None = None,
    sms_file: Path | None = None,
) -> SendResult:
    """Send the e-mail and text messages of the round ``plan`` wrote to ``round_dir``, each once,
    recorded in its send_log.csv; a dry run (the default) sends nothing. ``channels`` (e.g.
    ``{"email": SmtpEmail(...), "sms": HttpSms(...)}``), or the command line's options: ``smtp``
    HOST:PORT with ``sender``; ``sms_url`` or ``sms_file``. Secrets from the environment
    (docs/outreach.md)."""
    chosen = dict(channels) if channels is not None else channels_from_options(
        smtp=smtp, sender=sender, sms_url=sms_url, sms_file=sms_file, environ=os.environ
    )  # fmt: skip
    return send_round(Path(round_dir), channels=chosen, dry_run=dry_run)


@dataclass(frozen=True)
class OutreachEvaluation:
    """The round's evaluation, ``summary`` (evaluation.json's content) and the files written."""

    evaluation: Evaluation
    summary: dict[str, Any]
    files: tuple[Path, ...]


def outreach_evaluate(
    input_dir: Source | Path,
    *,
    assignments: Path,
    start: date,
    end: date,
    out_dir: Path | None = None,
    policy: str = "attendance-works",
) -> OutreachEvaluation:
    """The intention-to-treat effect of the round in ``assignments`` (assignments.csv) on
    absences from ``start`` to ``end``; with ``out_dir``, evaluation.json and evaluation.html."""
    found = evaluate_round(input_dir, read_assignments(Path(assignments)), start=start, end=end,
                           policy=get_policy(policy))  # fmt: skip
    files = tuple(write_evaluation(found, Path(out_dir))) if out_dir is not None else ()
    return OutreachEvaluation(evaluation=found, summary=as_json(found), files=files)
