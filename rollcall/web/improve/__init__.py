"""Improvement projects (issue 14): an aim, a driver diagram kept in every version, a family of
measures on run and control charts, and PDSA cycles testing change ideas. Who may see or change
a project is decided in ``rollcall.web.scope``."""
