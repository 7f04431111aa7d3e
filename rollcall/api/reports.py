"""``rollcall report``: chronic absence computed from an input, or a state's published figures
read, into tables and a page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from rollcall.api.report_results import Published, ReportResult
from rollcall.engine.engines import check_engine
from rollcall.engine.reading import start as start_reading
from rollcall.errors import OptionError
from rollcall.formats.canonical.source import READER as CANONICAL
from rollcall.formats.sources import Source, choose_reader
from rollcall.policy import Policy, get_policy
from rollcall.progress import stage
from rollcall.writing import FORMATS


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
    check_engine(engine, spark_master=spark_master, threads=threads, memory_limit=memory_limit)
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    # The input is read on a thread of its own while the engine's modules load (Ibis and the
    # rules, about half a second: engine/reading.py).
    stage("reading the input")
    reading = (
        start_reading(source, threads=threads, memory_limit=memory_limit)
        if engine == "duckdb"
        else None
    )
    try:
        from rollcall.api.computed_report import computed_report
    except BaseException:  # Ctrl-C while importing: the reading stops too
        if reading:
            reading.close()
        raise

    return computed_report(
        source, Path(out_dir), chosen, year=year, as_of=as_of, output_format=output_format,
        html=html, school=school, district=district, engine=engine, spark_master=spark_master,
        threads=threads, memory_limit=memory_limit, reading=reading,
    )  # fmt: skip


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
