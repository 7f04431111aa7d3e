"""Outreach's staff files: ``assignments.csv``, ``exclusions.csv``, ``messages.csv``,
``send_log.csv``. They name students and families: staff only (docs/outreach.md)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rollcall.errors import InputError
from rollcall.outreach.letters import Rendered
from rollcall.outreach.plan import ASSIGNMENT_COLUMNS, EXCLUSION_COLUMNS, Assignment, Plan
from rollcall.writing import CsvDictWriter, prepare_folder


def write_rows(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvDictWriter(handle, columns)
        writer.writeheader()
        writer.writerows({c: ("" if row.get(c) is None else row.get(c)) for c in columns}
                         for row in rows)  # fmt: skip
    return path


def write_plan(plan: Plan, out_dir: Path) -> list[Path]:
    prepare_folder(out_dir)
    return [
        write_rows(out_dir / "assignments.csv", ASSIGNMENT_COLUMNS,
                   (asdict(a) for a in plan.assignments)),
        write_rows(out_dir / "exclusions.csv", EXCLUSION_COLUMNS,
                   (asdict(e) for e in plan.exclusions)),
    ]  # fmt: skip


def _read_rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """A file ``plan`` wrote, as (line, row) pairs; a missing column or an unreadable file is an
    error naming the file (and the column)."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", path=path) from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise InputError(f"missing required column {missing[0]!r}", path=path,
                             column=missing[0], hint=f"give the {path.name} that "
                             "`rollcall outreach plan` wrote")  # fmt: skip
        return [(reader.line_num, dict(row)) for row in reader]


def read_assignments(path: Path) -> list[Assignment]:
    """``assignments.csv`` as ``plan`` wrote it; a missing column or an unknown arm is an error
    naming the file, line and column."""
    found = []
    for line, row in _read_rows(path, ASSIGNMENT_COLUMNS):
        if row["arm"] not in ("message", "holdout"):
            raise InputError(f"arm must be message or holdout, not {row['arm']!r}",
                             path=path, line=line, column="arm")  # fmt: skip
        found.append(Assignment(**{c: row[c] for c in ASSIGNMENT_COLUMNS}))
    return found


MESSAGE_COLUMNS = ("household_id", "school_id", "channel", "language", "family_language", "to",
                   "subject", "text", "note")  # fmt: skip


def message_rows(rendered: Iterable[Rendered]) -> list[dict[str, str]]:
    """Each household's letter, and its e-mail and text message where the family has an
    address or a phone, as rows of ``messages.csv``."""
    rows = []
    for one in rendered:
        letter = one.letter
        base = {"household_id": letter.household_id, "school_id": letter.school.school_id,
                "language": one.language, "family_language": letter.language}  # fmt: skip
        note = one.note
        if not letter.address:
            note = (note + " " if note else "") + "No postal address: the letter cannot be mailed."
        rows.append(base | {"channel": "letter", "to": " / ".join(letter.address),
                            "subject": one.subject, "text": one.email, "note": note})  # fmt: skip
        if letter.email:
            rows.append(base | {"channel": "email", "to": letter.email, "subject": one.subject,
                                "text": one.email, "note": one.note})  # fmt: skip
        if letter.phone:
            rows.append(base | {"channel": "sms", "to": letter.phone, "subject": "",
                                "text": one.sms, "note": one.note})  # fmt: skip
    return rows


def read_messages(path: Path) -> list[dict[str, str]]:
    """``messages.csv`` as ``plan`` wrote it (a missing column names the file and column)."""
    return [row for _, row in _read_rows(path, MESSAGE_COLUMNS)]
