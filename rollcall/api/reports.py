"""``rollcall report``: chronic absence computed from an input, or a state's published figures
read, into tables and a page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from rollcall.engine.engines import open_backend
from rollcall.engine.pipeline import Read, read
from rollcall.engine.results import Computed, FileCounts
from rollcall.errors import OptionError, RollcallError
from rollcall.formats.canonical.source import READER as CANONICAL
from rollcall.formats.sources import Source, choose_reader
from rollcall.levels import DISTRICT, SCHOOL, TOTAL
from rollcall.output import FORMATS, write_tables
from rollcall.policy import Policy, get_policy
from rollcall.progress import stage
from rollcall.report.build import choose_unit
from rollcall.report.records import Unit
from rollcall.report.timeline import (
    LastYear,
    last_year_of,
    previous_year,
)


@dataclass(frozen=True)
class Published:
    """What a report on a state's published file kept (docs/sources/aggregates.md)."""

    figures: int  # aggregate rows kept
    suppressed: int  # of them, hidden by the publisher (kept as hidden, never zero)
    units: Mapping[str, int]  # units at each level
    total: Mapping[str, Any] | None  # the all-students row of the total that year, if published


@dataclass(frozen=True)
class ReportResult:
    """What a report run read, wrote and found.

    From student rows, ``counts`` says what happened to each file's rows and the student numbers
    are set; from a state's published file, ``published`` holds what was kept instead and the
    student numbers are None (the file has counts, not students)."""

    school_year: str  # the year the results are about
    school_years: tuple[str, ...]  # every year in summary.csv
    policy: str  # the policy's name, or "as published"
    files: tuple[Path, ...]
    html: Path | None = None
    # What the reader and the engine assumed or found (rollcall/notes.py), and rows the reader
    # left out on purpose (formats/sources.py).
    notes: tuple[str, ...] = ()
    skipped: Mapping[str, int] = field(default_factory=dict)
    refused: int = 0  # input rows refused, each in rejects.csv
    period_start: date | None = None
    period_end: date | None = None
    counts: Mapping[str, FileCounts] = field(default_factory=dict)
    students: int | None = None
    eligible: int | None = None
    chronically_absent: int | None = None
    published: Published | None = None
    # The school or district the student numbers are about (--school, --district); None: all.
    unit: str | None = None

    @property
    def chronic_rate(self) -> float | None:
        if self.eligible and self.chronically_absent is not None:
            return self.chronically_absent / self.eligible
        return None


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
    dimensions: Sequence[str] = (),
    threads: int | None = None,
    memory_limit: str | None = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> ReportResult:
    """Compute chronic absence for ``input_dir`` (a canonical folder, or any source
    rollcall/formats/ reads) into ``out_dir``:
    ``student_metrics``, ``summary`` and ``rejects`` (CSV or Parquet).

    A published aggregate file (a state's download) is not computed but read: its
    ``summary``, ``aggregate`` and ``rejects`` tables and page (rollcall/report/aggregate.py).

    With ``html`` (implied by ``school`` or ``district``), also ``report.html``: the page for
    that school, that district, or (with neither) every school (docs/report.md).

    ``dimensions`` are student attributes to count as groups besides the known ones
    (docs/format.md, "Student attributes"), as ``--dimensions`` does. ``threads`` and
    ``memory_limit`` bound the DuckDB engine (rollcall/duck.py): past the limit it spills to disk.

    ``engine`` runs the same definitions on ``duckdb`` (default) or ``spark`` (a canonical folder,
    local or at any URI Spark reads; ``spark_master`` names the cluster: docs/scale.md)."""
    if output_format not in FORMATS:
        raise OptionError(f"output format {output_format!r} is not one of {', '.join(FORMATS)}")
    source = with_dimensions(input_dir, dimensions)
    if engine == "spark" and (html or school is not None or district is not None):
        raise OptionError(
            "--engine spark writes the tables only, not report.html",
            hint="make the page with the default engine, or from the tables Spark wrote",
        )
    if engine == "duckdb" and choose_reader(source).grain == "aggregate":
        return _report_published(source, Path(out_dir), year, as_of, output_format, html,
                                 school, district)  # fmt: skip
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    html = html or school is not None or district is not None
    backend = open_backend(
        engine, spark_master=spark_master, threads=threads, memory_limit=memory_limit
    )
    with ExitStack() as stack:
        stack.callback(backend.close)
        found = read(backend, source)
        computed = found.year(policy=chosen, year=year, as_of=as_of, last=not html)
        page = None
        if html:
            unit = choose_unit(computed, school=school, district=district)
            # Last year's run, from the same read, while the page's charts are drawn.
            last_year = partial(_last_year, found, computed, chosen, school, district)
        stage("writing the tables")
        files = write_tables(computed, Path(out_dir), output_format=output_format)
        if html:
            stage("writing the page")
            # The page's modules load here, not at the top: Altair takes about a second.
            from rollcall.report.render import write_report

            page = write_report(computed, Path(out_dir), unit, last_year=last_year)
            files.append(page)
        # The counts printed are the page's unit's (a school's with --school), else the total's.
        level, unit_id = (unit.level, unit.unit_id) if html else (TOTAL, TOTAL)
        students = computed.students
        totals = students.filter((students.level == level) & (students.unit_id == unit_id))
        eligible = totals.filter(totals.eligible)
        return ReportResult(
            school_year=computed.period.school_year,
            school_years=(computed.period.school_year,),
            policy=chosen.name,
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


def _report_published(
    source: Source,
    out_dir: Path,
    year: str | None,
    as_of: date | None,
    output_format: str,
    html: bool,
    school: str | None,
    district: str | None,
) -> ReportResult:
    """Published figures: no engine run, their own tables and page (report/aggregate.py)."""
    if as_of is not None:
        raise OptionError("--as-of needs day-level data; a published file has one figure a year")
    # Imported here: the aggregate page's modules are a fifth of a second a canonical run
    # would otherwise pay at start-up.
    from rollcall.report.aggregate import report_aggregate

    found = report_aggregate(
        source, out_dir, year=year, output_format=output_format, html=html, school=school,
        district=district,
    )  # fmt: skip
    return ReportResult(
        school_year=found.school_year,
        school_years=found.school_years,
        policy="as published",
        files=found.files,
        html=found.html,
        notes=found.notes,
        skipped=found.skipped,
        refused=found.refused,
        published=Published(
            figures=found.figures, suppressed=found.suppressed, units=found.units,
            total=found.total,
        ),
    )  # fmt: skip


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


def with_dimensions(input_dir: Source | Path, dimensions: Sequence[str]) -> Source:
    """The source, with ``dimensions`` declared besides those its options declare."""
    source = Source.of(input_dir)
    if not dimensions:
        return source
    declared = (*source.options.dimensions, *dimensions)
    return replace(source, options=replace(source.options, dimensions=declared))


def is_canonical(source: Source) -> bool:
    """Whether ``source`` is a canonical folder read as it is (no mapping)."""
    plain = source.kind in (None, "canonical") and source.options.mapping is None
    return plain and CANONICAL.detect(source.path)
