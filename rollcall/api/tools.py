"""The other commands' library calls: weekly measures, run and control charts, pulling from an
Ed-Fi API, inspecting an input, suggesting a mapping, and the synthetic data."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

from rollcall.formats.edfi.pull import PullResult, pull
from rollcall.formats.sis.suggest import Suggestion, write_suggestion
from rollcall.formats.sources import Inspection, Source
from rollcall.formats.sources import inspect as inspect_source
from rollcall.measures import MeasuresResult, write_measures
from rollcall.policy import Policy
from rollcall.spc.series import SpcOutput, write_spc
from rollcall.synth import SynthSummary, write_synthetic


def measures(
    input_dir: Source | Path,
    out_dir: Path,
    *,
    policy: str | Policy = "attendance-works",
    year: str | None = None,
    as_of: date | None = None,
) -> MeasuresResult:
    """Weekly absence and chronic-absence measures per unit, with p′ charts and a funnel
    (docs/measures.md)."""
    return write_measures(input_dir, Path(out_dir), policy=policy, year=year, as_of=as_of)


def spc(
    series: Path,
    out_dir: Path,
    *,
    kind: str,
    rules: str | None = None,
    freeze: int | None = None,
    rebase: Sequence[str] = (),
    screen: bool = False,
    annotations: Path | None = None,
    title: str = "",
) -> SpcOutput:
    """A run or control chart of a series file: spc.csv, spc.json, spc.svg (docs/spc.md)."""
    return write_spc(
        series, out_dir, kind=kind, rules=rules, freeze=freeze, rebase=rebase, screen=screen,
        annotations_path=annotations, title=title,
    )  # fmt: skip


def fetch(
    url: str,
    out_dir: Path,
    *,
    credentials: Path | None = None,
    since_last: bool = False,
    allow_insecure: bool = False,
    environ: Mapping[str, str] = os.environ,
) -> PullResult:
    """Pull an Ed-Fi ODS/API's resources into a folder ``--input`` reads
    (docs/sources/edfi.md). Without ``credentials`` the key and secret are ``environ``'s
    ``ROLLCALL_EDFI_KEY`` and ``ROLLCALL_EDFI_SECRET`` (the platform passes its own mapping: a
    secret typed in a form never enters the process's environment)."""
    return pull(
        url, out_dir, credentials=credentials, since_last=since_last,
        allow_insecure=allow_insecure, environ=environ,
    )  # fmt: skip


def inspect(source: Source | Path) -> Inspection:
    """What an input holds and how rollcall reads it, without running the engine."""
    return inspect_source(source)


def suggest_mapping(path: Path, out: Path) -> Suggestion:
    """A starting mapping file for an SIS export (docs/sources/sis.md)."""
    return write_suggestion(path, out)


def synth(
    out_dir: Path,
    *,
    students: int,
    seed: int = 0,
    fmt: str = "csv",
    year: str = "2025-26",
    years: int = 1,
    messy: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SynthSummary:
    """A synthetic district or state in the canonical format (docs/synth.md)."""
    return write_synthetic(
        out_dir, students=students, seed=seed, fmt=fmt, year=year, years=years, messy=messy,
        progress=progress,
    )  # fmt: skip
