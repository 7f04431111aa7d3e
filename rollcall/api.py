"""The library's front door: what the command line (and later the web app) calls."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rollcall.engine.backend import connect
from rollcall.engine.pipeline import Computed, FileCounts, compute
from rollcall.errors import OptionError, RollcallError
from rollcall.output import FORMATS, write_tables
from rollcall.policy import Policy, get_policy

# Last year's engine run, when there is one: called when the report needs it.
LastYear = Callable[[], Computed | None]


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
    html: Path | None = None

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
    html: bool = False,
    school: str | None = None,
    district: str | None = None,
) -> ReportResult:
    """Compute chronic absence for the canonical folder ``input_dir`` into ``out_dir``:
    ``student_metrics``, ``summary`` and ``rejects`` (CSV or Parquet).

    With ``html`` (implied by ``school`` or ``district``), also ``report.html``: the page for
    that school, that district, or (with neither) every school (docs/report.md)."""
    if output_format not in FORMATS:
        raise OptionError(f"output format {output_format!r} is not one of {', '.join(FORMATS)}")
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    html = html or school is not None or district is not None
    backend = connect()
    with ExitStack() as stack:
        stack.callback(backend.close)
        computed = compute(backend, Path(input_dir), policy=chosen, year=year, as_of=as_of)
        page = None
        if html:
            from rollcall.report import choose_unit

            unit = choose_unit(computed, school=school, district=district)
            last_year = _last_year(stack, computed, Path(input_dir))
        files = write_tables(computed, Path(out_dir), output_format=output_format)
        if html:
            from rollcall.report import write_report

            page = write_report(computed, Path(out_dir), unit, last_year=last_year)
            files.append(page)
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
            html=page,
        )


def _last_year(stack: ExitStack, computed: Computed, input_dir: Path) -> LastYear:
    """Last school year's engine run, for the report's monthly comparison, when the calendar
    has it. It runs on its own connection in a thread while this year's tables and page are
    written (the stack waits for it, then closes its connection); None if it cannot be run."""
    from rollcall.report.timeline import previous_year

    previous = previous_year(computed)
    if previous is None:
        return lambda: None
    backend = connect()
    stack.callback(backend.close)
    pool = stack.enter_context(ThreadPoolExecutor(max_workers=1))

    def run() -> Computed | None:
        try:
            return compute(backend, input_dir, policy=computed.policy, year=previous)
        except RollcallError:
            return None

    return pool.submit(run).result
