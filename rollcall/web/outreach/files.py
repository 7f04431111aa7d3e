"""Where a round's files are kept: the library's own (assignments.csv, exclusions.csv,
messages.csv, letters-<school>.pdf, send_log.csv), one folder a round, in the data folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from rollcall.outreach.pdf import pdf_name

if TYPE_CHECKING:
    from rollcall.web.outreach.models import Round


def round_folder(found: Round) -> Path:
    return Path(settings.OUTREACH_FILES) / found.folder


def letters_pdf(found: Round) -> Path:
    """The school's printed letters, as the library names them."""
    return round_folder(found) / pdf_name(found.school.school_id)
