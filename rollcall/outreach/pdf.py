"""The printed letters: one PDF per school, a page per household (WeasyPrint, offline)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from weasyprint import HTML

from rollcall.outreach.letters import Rendered, Writer


def write_pdfs(writer: Writer, rendered: Sequence[Rendered], out_dir: Path) -> list[Path]:
    """``letters-<school_id>.pdf`` for each school with letters, in school id order."""
    by_school: dict[str, list[Rendered]] = {}
    for one in rendered:
        by_school.setdefault(one.letter.school.school_id, []).append(one)
    written = []
    for school_id, letters in sorted(by_school.items()):
        page = writer.page(letters[0].letter.school, [one.html for one in letters])
        path = out_dir / pdf_name(school_id)
        HTML(string=page, base_url=str(out_dir)).write_pdf(path)
        written.append(path)
    return written


def pdf_name(school_id: str) -> str:
    """The file name of a school's letters: ``letters-<school_id>.pdf``."""
    return f"letters-{_file_part(school_id)}.pdf"


def _file_part(school_id: str) -> str:
    """A school id as a safe part of a file name (letters, digits, - and _ kept)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in school_id) or "school"
