"""The first and last stages every grain shares (days and per-student totals): schools and
students checked and numbered; students' groups counted; what happened to each file's rows."""

from __future__ import annotations

import ibis.expr.types as ir

from rollcall.engine import checks, groups
from rollcall.engine.backend import Backend
from rollcall.engine.results import FileCounts
from rollcall.formats.canonical.dimensions import Dimensions
from rollcall.formats.canonical.format import PERSONAL_COLUMNS, RawFile

# The columns of a student's name, of the personal columns (formats/canonical/format.py).
NAME_COLUMNS = tuple(c for c in PERSONAL_COLUMNS if c.endswith("_name"))


def schools_and_students(
    backend: Backend, raw: dict[str, RawFile]
) -> tuple[checks.Checked, ir.Table, checks.Checked, ir.Table]:
    """The checked schools and students, and the accepted ones numbered (``sch``, ``sid``):
    the first stage of every grain."""
    keep = backend.materialize
    school_check = checks.check_schools(
        backend.table(raw["schools"].table), has_district=raw["schools"].has("district_id")
    ).kept(backend)
    school_ok = keep(checks.numbered(school_check.accepted, "sch"))
    student_check = checks.check_students(backend.table(raw["students"].table)).kept(backend)
    student_ok = keep(checks.numbered(student_check.accepted, "sid"))
    return school_check, school_ok, student_check, student_ok


def student_names(student_ok: ir.Table) -> ir.Table | None:
    """Each accepted student's name columns, when the students file has any (staff pages only)."""
    present = [c for c in NAME_COLUMNS if c in student_ok.columns]
    return student_ok.select("sid", *present) if present else None


def group_summary(
    backend: Backend,
    raw: dict[str, RawFile],
    student_table: ir.Table,
    student_ok: ir.Table,
    dimensions: Dimensions,
) -> tuple[tuple[str, ...], ir.Table, ir.Table, tuple[str, ...]]:
    """The students' reporting ``dimensions`` (``Backend.dimensions``), the student rows with
    them, the counts by unit and group, and the note naming the attributes kept private: the
    last stage of every grain. No other attribute goes further than this."""
    attributes = dimensions.groups
    with_attributes = backend.materialize(
        groups.with_attributes(student_table, student_ok.select("sid", *attributes))
    )
    return (
        attributes,
        with_attributes,
        backend.materialize(groups.group_counts(with_attributes, attributes)),
        dimensions.notes(raw["students"]),
    )


def file_counts(
    backend: Backend, raw: dict[str, RawFile], rejects: ir.Table, ignored: dict[str, int]
) -> dict[str, FileCounts]:
    per_file = {
        row["file"]: row["n"]
        for row in backend.rows(rejects.group_by("file").agg(n=rejects.count()))
    }
    counts = {}
    for name, file in raw.items():
        rejected = int(per_file.get(f"{name}.csv", 0))  # the name every check reports under
        skipped = ignored.get(name, 0)
        counts[file.file_name] = FileCounts(
            read=file.rows,
            accepted=file.rows - rejected - skipped,
            ignored=skipped,
            rejected=rejected,
        )
    return counts
