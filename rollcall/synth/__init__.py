"""A realistic synthetic district or state, written in the canonical input format.

``write_synthetic(out, students=200_000, seed=1)`` writes ``schools``, ``students``,
``enrollments``, ``calendar`` and ``attendance`` files (CSV or Parquet) with what real data has:
several districts with their own calendars, uneven absence, transfers and partial days. See
``docs/synth.md`` for the model.
"""

from __future__ import annotations

from rollcall.synth.generator import CHUNK, SynthSummary, write_synthetic

__all__ = ["CHUNK", "SynthSummary", "write_synthetic"]
