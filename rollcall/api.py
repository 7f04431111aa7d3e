"""The library's front door: what the command line (and later the web app) calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rollcall.engine.backend import connect
from rollcall.engine.pipeline import FileCounts, compute
from rollcall.errors import OptionError
from rollcall.output import FORMATS, write_tables
from rollcall.policy import Policy, get_policy


@dataclass(frozen=True)
class ReportResult:
    """What a report run read, wrote and found."""

    school_year: str
    period_start: date
    period_end: date
    policy: str
    counts: dict[str, FileCounts]
    students: int
    eligible: int
    chronically_absent: int
    files: tuple[Path, ...]

    @property
    def chronic_rate(self) -> float | None:
        return self.chronically_absent / self.eligible if self.eligible else None


def report(
    input_dir: Path,
    out_dir: Path,
    *,
    policy: str | Policy = "attendance-works",
    year: str | None = None,
    as_of: date | None = None,
    output_format: str = "csv",
) -> ReportResult:
    """Compute chronic absence for the canonical folder ``input_dir`` into ``out_dir``:
    ``student_metrics``, ``summary`` and ``rejects`` (CSV or Parquet)."""
    if output_format not in FORMATS:
        raise OptionError(f"output format {output_format!r} is not one of {', '.join(FORMATS)}")
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    backend = connect()
    try:
        computed = compute(backend, Path(input_dir), policy=chosen, year=year, as_of=as_of)
        files = write_tables(computed, Path(out_dir), output_format=output_format)
        totals = computed.students.filter(computed.students.level == "total")
        eligible = totals.filter(totals.eligible)
        return ReportResult(
            school_year=computed.period.school_year,
            period_start=computed.period.start,
            period_end=computed.period.end,
            policy=chosen.name,
            counts=computed.counts,
            students=backend.count(totals),
            eligible=backend.count(eligible),
            chronically_absent=backend.count(eligible.filter(eligible.chronically_absent)),
            files=tuple(files),
        )
    finally:
        backend.close()
