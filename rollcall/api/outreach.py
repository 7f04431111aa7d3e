"""``rollcall outreach plan|send|evaluate``: family outreach (docs/outreach.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rollcall.formats.sources import Source
from rollcall.outreach.content import letters
from rollcall.outreach.files import MESSAGE_COLUMNS, message_rows, write_plan, write_rows
from rollcall.outreach.letters import LANGUAGE_NAMES, Rendered, Writer
from rollcall.outreach.pdf import write_pdfs
from rollcall.outreach.plan import Plan, plan_round
from rollcall.outreach.rules import load_rules


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
) -> OutreachPlan:
    """Plan a round of outreach as of ``as_of``: who, which households, which arm, and the
    message arm's letters and messages. With ``out_dir``, write assignments.csv,
    exclusions.csv, messages.csv and one letters-<school>.pdf per school there. ``templates``:
    the district's own templates and catalogues (docs/outreach.md); ``today``: the letters'
    date (default: today)."""
    rules = load_rules(rules_file, holdout=holdout)
    writer = Writer(templates, today=today)
    found = plan_round(input_dir, as_of=as_of, seed=seed, rules=rules)
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
