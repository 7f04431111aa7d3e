"""The library's front door: what the command line (and later the web app) calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rollcall.engine.backend import connect
from rollcall.engine.pipeline import Computed, FileCounts, compute
from rollcall.errors import OptionError, RollcallError
from rollcall.formats.sources import Source, choose_reader
from rollcall.output import FORMATS, write_tables
from rollcall.policy import Policy, get_policy

if TYPE_CHECKING:
    from rollcall.aggregate_report import AggregateReportResult
    from rollcall.report.timeline import LastYear


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
    # What the reader assumed or found, and rows it left out on purpose (formats/sources.py).
    notes: tuple[str, ...] = ()
    skipped: Mapping[str, int] = field(default_factory=dict)

    @property
    def chronic_rate(self) -> float | None:
        return self.chronically_absent / self.eligible if self.eligible else None


def report(
    input_dir: Source | Path,
    out_dir: Path,
    *,
    policy: str | Policy = "attendance-works",
    year: str | None = None,
    as_of: date | None = None,
    output_format: str = "csv",
    html: bool = False,
    school: str | None = None,
    district: str | None = None,
) -> ReportResult | AggregateReportResult:
    """Compute chronic absence for ``input_dir`` (a canonical folder, or any source
    rollcall/formats/ reads) into ``out_dir``:
    ``student_metrics``, ``summary`` and ``rejects`` (CSV or Parquet).

    A published aggregate file (a state's download) is not computed but read: its
    ``summary``, ``aggregate`` and ``rejects`` tables and page (rollcall/aggregate_report.py).

    With ``html`` (implied by ``school`` or ``district``), also ``report.html``: the page for
    that school, that district, or (with neither) every school (docs/report.md)."""
    if output_format not in FORMATS:
        raise OptionError(f"output format {output_format!r} is not one of {', '.join(FORMATS)}")
    if choose_reader(Source.of(input_dir)).grain == "aggregate":
        # Published figures: no engine run, their own tables and page (aggregate_report.py).
        from rollcall.aggregate_report import report_aggregate

        if as_of is not None:
            raise OptionError(
                "--as-of needs day-level data; a published file has one figure a year"
            )
        return report_aggregate(
            Source.of(input_dir), Path(out_dir), year=year, output_format=output_format,
            html=html, school=school, district=district,
        )  # fmt: skip
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    html = html or school is not None or district is not None
    backend = connect()
    with ExitStack() as stack:
        stack.callback(backend.close)
        if html:
            last_year = _last_year(stack, Source.of(input_dir), chosen, year, school, district)
        computed = compute(backend, Source.of(input_dir), policy=chosen, year=year, as_of=as_of)
        page = None
        if html:
            from rollcall.report import choose_unit

            unit = choose_unit(computed, school=school, district=district)
        files = write_tables(computed, Path(out_dir), output_format=output_format)
        if html:
            from rollcall.report import write_report

            page = write_report(
                computed, Path(out_dir), unit, last_year=partial(last_year, computed)
            )
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
            notes=computed.source.notes if computed.source else (),
            skipped=computed.source.skipped if computed.source else {},
        )


def _last_year(
    stack: ExitStack,
    source: Source,
    policy: Policy,
    year: str | None,
    school: str | None,
    district: str | None,
) -> Callable[[Computed], LastYear | None]:
    """Last school year's months, for the report's comparison, when the input has that year.

    The engine's run for it starts at once, on its own connection in a thread, beside this
    year's run (on two cores, the two take about a third less time than one after the other).
    Which year is last year is guessed from the calendar first; the function returned checks
    the guess against this year's run and runs again if it was wrong. The stack waits for the
    thread and then closes its connection."""
    backend = connect()
    stack.callback(backend.close)
    pool = stack.enter_context(ThreadPoolExecutor(max_workers=1))

    def run(previous: str | None) -> LastYear | None:
        # Imported here, in the thread: Altair and Jinja take most of a second to import.
        from rollcall.report.records import Unit
        from rollcall.report.timeline import last_year_of

        if previous is None:
            return None
        try:
            last = compute(backend, source, policy=policy, year=previous)
        except RollcallError:
            return None
        level, unit_id = (
            ("school", school)
            if school
            else ("district", district)
            if district
            else ("total", "total")
        )
        return last_year_of(last, Unit(level, unit_id, unit_id))

    def start() -> tuple[str | None, LastYear | None]:
        from rollcall.report.charts import warm_up
        from rollcall.report.timeline import guess_previous_year

        # The quick guess reads a canonical calendar; other sources wait for this year's run.
        guess = guess_previous_year(source.path, year) if _is_canonical(source) else None
        found = run(guess)
        warm_up()
        return guess, found

    started = pool.submit(start)

    def result(computed: Computed) -> LastYear | None:
        from rollcall.report.timeline import previous_year

        guess, found = started.result()
        actual = previous_year(computed)
        return found if actual == guess else run(actual)

    return result


def _is_canonical(source: Source) -> bool:
    from rollcall.formats.canonical_source import READER

    plain = source.kind in (None, "canonical") and source.options.mapping is None
    return plain and READER.detect(source.path)
