"""How a group is counted: eligible students, chronically absent students and tiers, by unit,
for the whole unit, each grade and each value of each student attribute."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from rollcall.tables import union_all
from rollcall.tiers import TIER_NAMES

UNKNOWN = "unknown"


def with_attributes(students: ir.Table, attributes: ir.Table) -> ir.Table:
    """Student rows with their attributes (empty values as ``unknown``), for counting."""
    joined = students.left_join(attributes, students.sid == attributes.sid)
    names = [c for c in attributes.columns if c != "sid"]
    return joined.select(
        *[students[c] for c in students.columns],
        **{
            name: ibis.cases(
                (joined[name].isnull() | (joined[name] == ""), ibis.literal(UNKNOWN)),
                else_=joined[name],
            )
            for name in names
        },
    )


def group_counts(students: ir.Table, attribute_names: Sequence[str]) -> ir.Table:
    """Counts of eligible students per unit and group, chronically absent and in each tier:
    for the whole unit (``all``/``all``), each grade, and each value of each attribute."""
    eligible = students.eligible
    counts: dict[str, ir.Value] = {
        "eligible_students": ibis.cases((eligible, 1), else_=0).sum(),
        "chronically_absent": ibis.cases((students.chronically_absent, 1), else_=0).sum(),
        **{name: ibis.cases((students.tier == name, 1), else_=0).sum() for name in TIER_NAMES},
    }
    dimensions = {"all": ibis.literal("all"), "grade": students.grade}
    dimensions |= {name: students[name] for name in attribute_names}
    parts = [
        students.group_by(["level", "unit_id", group.name("group")])
        .agg(**counts)
        .mutate(dimension=ibis.literal(dimension))
        for dimension, group in dimensions.items()
    ]
    return union_all(*parts).select("level", "unit_id", "dimension", "group", *counts)
