"""The output tables: their columns, number formats (docs/rules.md, "Output formats") and files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq

from rollcall.engine.micro import MICRO, decimal_text, ratio_text
from rollcall.engine.results import Computed
from rollcall.formats.canonical.format import line_numbers
from rollcall.grades import GRADE_ORDER
from rollcall.levels import LEVEL_ORDER
from rollcall.notes import NOTE_COLUMNS, Note, cautions_first
from rollcall.tiers import TIER_NAMES
from rollcall.writing import CsvDictWriter, neutralised_expr, prepare_folder

STUDENT_COLUMNS = (
    "school_year",
    "level",
    "unit_id",
    "student_id",
    "grade",
    "days_enrolled",
    "days_absent",
    "days_excused",
    "days_unexcused",
    "days_suspension",
    "absence_rate",
    "eligible",
    "chronically_absent",
    "tier",
)
SUMMARY_COLUMNS = (
    "school_year",
    "level",
    "unit_id",
    "dimension",
    "group",
    "eligible_students",
    "chronically_absent",
    "chronic_absence_rate",
    *TIER_NAMES,
)
REJECT_COLUMNS = ("file", "line", "column", "value", "reason")


def _bool_text(value: ir.BooleanValue) -> ir.StringValue:
    return ibis.cases((value, "true"), (~value, "false"), else_=ibis.null("string"))


def _order(value: ir.StringValue, order: dict[str, int]) -> ir.IntegerValue:
    return ibis.cases(*[(value == key, rank) for key, rank in order.items()], else_=len(order))


def student_metrics(computed: Computed, *, for_csv: bool = False) -> ir.Table:
    """``student_metrics``: one row per student and unit, formatted for output (``for_csv``:
    the text that came from the input made safe for a spreadsheet, ``_neutralised``), ordered
    by level, unit and student."""
    ids = computed.student_ids
    t = computed.students.inner_join(ids, computed.students.sid == ids.sid)
    table = t.select(
        school_year=ibis.literal(computed.period.school_year),
        level=t.level,
        unit_id=t.unit_id,
        student_id=t.student_id,
        grade=t.grade,
        days_enrolled=t.days_enrolled.cast("string"),
        days_absent=decimal_text(t.days_absent),
        days_excused=decimal_text(t.days_excused),
        days_unexcused=decimal_text(t.days_unexcused),
        days_suspension=decimal_text(t.days_suspension),
        absence_rate=ratio_text(t.days_absent, t.days_enrolled),
        eligible=_bool_text(t.eligible),
        chronically_absent=_bool_text(t.chronically_absent),
        tier=t.tier,
    )
    if for_csv:
        table = _neutralised(table, ("unit_id", "student_id", "grade"))
    # The ORDER BY is the query's last step, not in a subquery under the last projection: the
    # engines keep a subquery's order only by chance, and at scale DuckDB did not.
    return table.order_by([_order(table.level, LEVEL_ORDER), table.unit_id, table.student_id])


def summary(computed: Computed, *, for_csv: bool = False) -> ir.Table:
    """``summary``: one row per unit and group, counting eligible students (``for_csv`` as in
    ``student_metrics``), ordered by level, unit, dimension and group."""
    t = computed.summary
    dimension_order = {"all": 0, "grade": 1} | {
        name: 2 + n for n, name in enumerate(computed.attributes)
    }
    table = t.select(
        school_year=ibis.literal(computed.period.school_year),
        level=t.level,
        unit_id=t.unit_id,
        dimension=t.dimension,
        group=t.group,
        eligible_students=t.eligible_students.cast("string"),
        chronically_absent=t.chronically_absent.cast("string"),
        chronic_absence_rate=ratio_text(t.chronically_absent * MICRO, t.eligible_students),
        satisfactory=t.satisfactory.cast("string"),
        at_risk=t.at_risk.cast("string"),
        moderate=t.moderate.cast("string"),
        severe=t.severe.cast("string"),
    )
    if for_csv:
        table = _neutralised(table, ("unit_id", "dimension", "group"))
    return table.order_by([
        _order(table.level, LEVEL_ORDER), table.unit_id, _order(table.dimension, dimension_order),
        _order(table.group, GRADE_ORDER), table.group,
    ])  # fmt: skip


def rejects(computed: Computed) -> list[dict[str, str]]:
    """``rejects``: every refused row with the line it starts on, in file and line order.

    A row a reader translated from another source is reported at that source's file, line and
    column (rollcall/formats/origin.py); a canonical file's row at its own line."""
    rows = computed.backend.rows(computed.rejects)
    names = {f"{name}.csv": raw for name, raw in computed.raw.items()}
    by_file: dict[str, list[int]] = {}
    for row in rows:
        if row["source_line"] is None:
            by_file.setdefault(row["file"], []).append(row["record"])
    lines = {file: line_numbers(names[file], records) for file, records in by_file.items()}
    order = list(names)
    out = []
    for row in rows:
        raw = names[row["file"]]
        translated = row["source_line"] is not None
        out.append(
            {
                "file": row["source_file"] if translated else raw.file_name,
                "line": row["source_line"] if translated else lines[row["file"]][row["record"]],
                "column": raw.origin.get(row["column"], row["column"]),
                "value": row["value"] or "",
                "reason": row["reason"],
                "_order": (order.index(row["file"]), row["record"]),
            }
        )
    out.sort(key=lambda r: r["_order"])
    return [{k: str(v) for k, v in row.items() if k != "_order"} for row in out]


def write_tables(computed: Computed, out_dir: Path, *, output_format: str = "csv") -> list[Path]:
    """Write ``student_metrics``, ``summary``, ``rejects`` and ``notes`` into ``out_dir``."""
    prepare_folder(out_dir)
    written = []
    for_csv = output_format == "csv"
    for name, table in (
        ("student_metrics", student_metrics(computed, for_csv=for_csv)),
        ("summary", summary(computed, for_csv=for_csv)),
    ):
        path = out_dir / f"{name}.{output_format}"
        computed.backend.copy_to(table, path, output_format=output_format)
        written.append(path)
    path = out_dir / f"rejects.{output_format}"
    _write_rows(rejects(computed), path, output_format)
    written.append(path)
    written.append(write_notes(computed.notes, out_dir, output_format=output_format))
    return written


def write_notes(notes: Iterable[Note], out_dir: Path, *, output_format: str = "csv") -> Path:
    """``notes``: what the run assumed or found (rollcall/notes.py), cautions first, one row a
    note, beside the tables it is about."""
    path = out_dir / f"notes.{output_format}"
    _write_rows([note.row() for note in cautions_first(notes)], path, output_format, NOTE_COLUMNS)
    return path


def _neutralised(table: ir.Table, columns: tuple[str, ...]) -> ir.Table:
    """``table`` with the text ``columns`` that come from input files made safe for a
    spreadsheet (writing.py): the other columns are rollcall's own numbers and words. Parquet is
    written as it is: it is read by programs, which take a value as data, never as a formula."""
    return table.mutate(**{column: neutralised_expr(table[column]) for column in columns})


def _write_rows(
    rows: list[dict[str, str]],
    path: Path,
    output_format: str,
    names: tuple[str, ...] = REJECT_COLUMNS,
) -> None:
    if output_format == "parquet":
        columns = {column: [row[column] for row in rows] for column in names}
        pq.write_table(pa.table(columns, schema=pa.schema([(c, pa.string()) for c in names])), path)
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvDictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
