"""``rollcall report`` on published aggregates: ``summary.csv`` (the engine's columns, filled
where the publisher has the figures; tiers empty), ``aggregate.csv`` (the aggregate table in the
generic layout, which reads back with ``--input``), ``rejects.csv`` (rows refused, at their line
and column) and, with ``--html``, the aggregate report page (docs/sources/aggregates.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from rollcall import duck
from rollcall.errors import OptionError
from rollcall.formats.aggregates.generic import write
from rollcall.formats.aggregates.reader import find_layout
from rollcall.formats.sources import Loaded, Source, load
from rollcall.grades import GRADE_ORDER
from rollcall.levels import LEVEL_ORDER, TOTAL
from rollcall.notes import Note, as_notes
from rollcall.output import REJECT_COLUMNS, SUMMARY_COLUMNS, write_notes
from rollcall.report.aggregate_records import published_ratio
from rollcall.report.records import Ratio, Unit
from rollcall.writing import FORMATS, CsvDictWriter, prepare_folder


@dataclass(frozen=True)
class AggregateReportResult:
    """What a report on a published aggregate file read, wrote and found."""

    school_year: str  # the year the page is about (the latest, or --year)
    school_years: tuple[str, ...]  # every year written to summary.csv
    figures: int  # aggregate rows kept
    suppressed: int
    refused: int
    units: Mapping[str, int]  # units at each level
    total: Mapping[str, Any] | None  # the state's all-students row that year, when published
    files: tuple[Path, ...]
    html: Path | None = None
    notes: tuple[str, ...] = ()
    skipped: Mapping[str, int] = field(default_factory=dict)


def report_aggregate(
    source: Source,
    out_dir: Path,
    *,
    year: str | None = None,
    output_format: str = "csv",
    html: bool = False,
    school: str | None = None,
    district: str | None = None,
) -> AggregateReportResult:
    """Read a published aggregate file and write its tables (and page) into ``out_dir``."""
    if output_format not in FORMATS:
        raise OptionError(f"output format {output_format!r} is not one of {', '.join(FORMATS)}")
    con = duck.connect()
    try:
        loaded = load(source, con, grains=("aggregate",))
    finally:
        con.close()
    table = loaded.aggregate
    assert table is not None  # the aggregate grain always has its table
    years = sorted(set(table.column("school_year").to_pylist()))
    if year is not None and year not in years:
        raise OptionError(
            f"the file has no figures for {year}",
            hint=f"it has {', '.join(years) or 'no school year'}",
        )
    chosen = table.filter(pc.equal(table["school_year"], year)) if year else table
    shown = year or (years[-1] if years else "")
    unit = None
    if html or school or district:
        # The page's modules load only for a page: they bring Altair (about a second).
        from rollcall.report.aggregate_page import Index, choose_unit

        # An id not in the file stops the run before anything is written.
        unit = choose_unit(Index(table), school=school, district=district)
    out = Path(out_dir)
    prepare_folder(out)
    notes = _notes(loaded, source)
    files = _write_tables(chosen, loaded, out, output_format)
    if loaded.sessions is not None:
        files.append(_write_sessions(loaded.sessions, year, out, output_format))
    files.append(write_notes(notes, out, output_format=output_format))
    page = None
    if unit is not None:
        page = _write_page(table, replace(loaded, notes=notes), source, out, shown, unit)
        files.append(page)
    rows = chosen.to_pylist()
    total = next(
        (
            r
            for r in rows
            if r["level"] == TOTAL and r["dimension"] == "all" and r["school_year"] == shown
        ),
        None,
    )
    return AggregateReportResult(
        school_year=shown,
        school_years=(year,) if year else tuple(years),
        figures=len(rows),
        suppressed=sum(1 for r in rows if r["suppressed"]),
        refused=len(loaded.rejects),
        units=_units(rows),
        total=total,
        files=tuple(files),
        html=page,
        notes=notes,
        skipped=loaded.skipped,
    )


def _notes(loaded: Loaded, source: Source) -> tuple[Note, ...]:
    """What the reader found, the publisher's definition, and the rows refused (a caution)."""
    refused = len(loaded.rejects)
    found = [
        *loaded.notes,
        Note(
            "The publisher's own definition of chronic absence applies: --policy and --as-of "
            "are not used on published figures.",
            plain="These are the publisher's figures, with the publisher's own definition of "
            "chronic absence; rollcall did not count them from student records.",
        ),
    ]
    if refused:
        found.append(
            Note(
                f"{source.path.name}: {refused:,} rows refused (each in rejects.csv, with its "
                "reason).",
                kind="refused",
                plain=f"{refused:,} rows of {source.path.name} could not be used and are not "
                "shown: rejects.csv lists each one with the reason.",
                size=refused,
                file=source.path.name,
            )
        )
    return as_notes(found)


def _units(rows: list[dict[str, Any]]) -> dict[str, int]:
    units = {(r["level"], r["unit_id"]) for r in rows}
    return {level: sum(1 for lv, _ in units if lv == level) for level in LEVEL_ORDER}


def summary_rows(table: pa.Table) -> list[dict[str, str]]:
    """``summary.csv`` rows from an aggregate table: the engine's columns (docs/output.md).
    ``chronic_absence_rate`` is the counts' own when both are published (rounded half up to six
    places, as the engine writes it), else the rate as published; the tier columns are empty
    (a published file does not have them); a suppressed count is empty, never zero."""
    dimension_rank = {"all": 0, "grade": 1, "grade_span": 2}
    rows = sorted(
        table.to_pylist(),
        key=lambda r: (
            r["school_year"],
            LEVEL_ORDER[r["level"]],
            r["unit_id"],
            dimension_rank.get(r["dimension"], 3),
            r["dimension"],
            GRADE_ORDER.get(r["group"], len(GRADE_ORDER)),
            r["group"],
        ),
    )
    return [_summary_row(r) for r in rows]


def _summary_row(row: dict[str, Any]) -> dict[str, str]:
    eligible, chronic, published = (
        row["eligible_students"],
        row["chronically_absent"],
        row["published_rate"],
    )
    rate = ""
    if eligible and chronic is not None:
        counted = Ratio.of(chronic, eligible)
        rate = counted.exact if counted else ""
    elif published is not None:
        rate = published_ratio(published).exact
    out = {name: "" for name in SUMMARY_COLUMNS}
    out |= {
        "school_year": row["school_year"],
        "level": row["level"],
        "unit_id": row["unit_id"],
        "dimension": row["dimension"],
        "group": row["group"],
        "eligible_students": "" if eligible is None else str(eligible),
        "chronically_absent": "" if chronic is None else str(chronic),
        "chronic_absence_rate": rate,
    }
    return out


def _write_rows(rows: Sequence[Mapping[str, str]], columns: tuple[str, ...], path: Path) -> None:
    if path.suffix == ".parquet":
        schema = pa.schema([(c, pa.string()) for c in columns])
        data = {c: [row[c] for row in rows] for c in columns}
        pq.write_table(pa.table(data, schema=schema), path)
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvDictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _write_tables(table: pa.Table, loaded: Loaded, out: Path, output_format: str) -> list[Path]:
    summary = out / f"summary.{output_format}"
    _write_rows(summary_rows(table), SUMMARY_COLUMNS, summary)
    if output_format == "parquet":
        whole = out / "aggregate.parquet"
        pq.write_table(table, whole)
    else:
        whole = write(table, out / "aggregate.csv")
    rejects = out / f"rejects.{output_format}"
    _write_rows(list(loaded.rejects), REJECT_COLUMNS, rejects)
    return [summary, whole, rejects]


def _write_sessions(table: pa.Table, year: str | None, out: Path, output_format: str) -> Path:
    """``sessions.csv``: the half-day sessions a source publishes (England's DfE files), every
    period of the year given (or of every year), as read (docs/sources/england.md)."""
    if year is not None:
        table = table.filter(pc.equal(table["school_year"], year))
    path = out / f"sessions.{output_format}"
    if output_format == "parquet":
        pq.write_table(table, path)
        return path
    rows = [
        {name: "" if value is None else _text(value) for name, value in row.items()}
        for row in table.to_pylist()
    ]
    _write_rows(rows, tuple(table.column_names), path)
    return path


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write_page(
    table: pa.Table,
    loaded: Loaded,
    source: Source,
    out: Path,
    year: str,
    unit: Unit,
) -> Path:
    from rollcall.report.aggregate_page import build_page, write_page  # see choose_unit

    found = find_layout(source.path)
    title = found[0].title if found else loaded.title or "published aggregate file"
    page = build_page(
        table,
        unit,
        year=year,
        source=title,
        file_name=source.path.name,
        notes=loaded.notes,
        skipped=loaded.skipped,
        rejects=loaded.rejects,
        sessions=loaded.sessions,
    )
    return write_page(page, out)
