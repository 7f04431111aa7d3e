"""The chronic-absence report: one self-contained HTML page for a school, a district or the total
(docs/report.md). ``write_report(computed, out_dir, unit)`` writes ``report.html``.

The page's modules (Jinja2, Altair) load on first use, so that the engine's modules can be
imported without them."""

from __future__ import annotations

from typing import Any

__all__ = ["REPORT_FILE", "build_page", "choose_unit", "render_page", "write_report"]


def __getattr__(name: str) -> Any:
    if name == "choose_unit":
        from rollcall.report.build import choose_unit

        return choose_unit
    if name in __all__:
        from rollcall.report import render

        return getattr(render, name)
    raise AttributeError(name)
