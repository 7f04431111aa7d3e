"""``rollcall report`` from student rows: the engine's run, the tables and the page
(rollcall/api/reports.py reads the options, and starts reading the input before this module's
imports: engine/reading.py)."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from functools import partial
from pathlib import Path

from rollcall.api.report_results import ReportResult
from rollcall.engine.engines import open_backend
from rollcall.engine.pipeline import Read, read
from rollcall.engine.reading import Reading
from rollcall.engine.results import Computed
from rollcall.errors import RollcallError
from rollcall.formats.sources import Source
from rollcall.levels import DISTRICT, SCHOOL, TOTAL
from rollcall.output import write_tables
from rollcall.policy import Policy
from rollcall.report.build import choose_unit
from rollcall.report.records import Unit
from rollcall.report.timeline import LastYear, last_year_of, previous_year


def computed_report(
    source: Source,
    out_dir: Path,
    policy: Policy,
    *,
    year: str | None,
    as_of: date | None,
    output_format: str,
    html: bool,
    school: str | None,
    district: str | None,
    engine: str,
    spark_master: str | None,
    threads: int | None,
    memory_limit: str | None,
    reading: Reading | None,
) -> ReportResult:
    """``rollcall.api.report`` on student rows (its docstring), ``reading`` them already (the
    DuckDB engine) or not (Spark)."""
    html = html or school is not None or district is not None
    try:
        backend = open_backend(
            engine,
            spark_master=spark_master,
            threads=threads,
            memory_limit=memory_limit,
            con=reading.connection() if reading else None,
        )
    except BaseException:
        if reading:
            reading.close()
        raise
    with ExitStack() as stack:
        stack.callback(backend.close)
        found = read(backend, source, reading=reading)
        computed = found.year(policy=policy, year=year, as_of=as_of, last=not html)
        page = None
        if html:
            unit = choose_unit(computed, school=school, district=district)
            # Last year's run, from the same read, while the page's charts are drawn.
            last_year = partial(_last_year, found, computed, policy, school, district)
        backend.stage("writing the tables")
        files = write_tables(computed, out_dir, output_format=output_format)
        if html:
            backend.stage("writing the page")
            # The page's modules load here, not at the top: Altair takes about a second.
            from rollcall.report.render import write_report

            page = write_report(computed, out_dir, unit, last_year=last_year)
            files.append(page)
        # The counts printed are the page's unit's (a school's with --school), else the total's.
        level, unit_id = (unit.level, unit.unit_id) if html else (TOTAL, TOTAL)
        students = computed.students
        totals = students.filter((students.level == level) & (students.unit_id == unit_id))
        eligible = totals.filter(totals.eligible)
        return ReportResult(
            school_year=computed.period.school_year,
            school_years=(computed.period.school_year,),
            policy=policy.name,
            files=tuple(files),
            html=page,
            notes=computed.notes,
            skipped=computed.source.skipped if computed.source else {},
            refused=sum(c.rejected for c in computed.counts.values()),
            period_start=computed.period.start,
            period_end=computed.period.end,
            counts=computed.counts,
            students=backend.count(totals),
            eligible=backend.count(eligible),
            chronically_absent=backend.count(eligible.filter(eligible.chronically_absent)),
            unit=unit.title if html and unit.level != TOTAL else None,
        )


def _last_year(
    found: Read, computed: Computed, policy: Policy, school: str | None, district: str | None
) -> LastYear | None:
    """Last school year's months, for the report's comparison, when the input has that year:
    computed from the same read of the input as this year (engine/pipeline.py, ``Read``)."""
    previous = previous_year(computed)
    if previous is None:
        return None
    try:
        last = found.year(policy=policy, year=previous, last=True)
    except RollcallError:
        return None
    level, unit_id = (
        (SCHOOL, school) if school else (DISTRICT, district) if district else (TOTAL, TOTAL)
    )
    return last_year_of(last, Unit(level, unit_id, unit_id))
