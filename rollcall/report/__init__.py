"""The chronic-absence report: one self-contained HTML page for a school, a district or the total
(docs/report.md). ``write_report(computed, out_dir, unit)`` writes ``report.html``."""

from __future__ import annotations

from rollcall.report.build import choose_unit
from rollcall.report.render import REPORT_FILE, build_page, render_page, write_report

__all__ = ["REPORT_FILE", "build_page", "choose_unit", "render_page", "write_report"]
