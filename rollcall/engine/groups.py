"""How a group is counted: eligible students, chronically absent students and tiers, by unit,
for the whole unit, each grade and each value of each student attribute."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from rollcall.engine.students import TIERS

UNKNOWN = "unknown"


def group_memberships(
    students: ir.Table, attributes: ir.Table, attribute_names: Sequence[str]
) -> ir.Table:
    """One row per student row and group: (``dimension``, ``group``) pairs.

    ``all``/``all`` for everyone, ``grade``/the grade, and each attribute with its value (an empty
    value is the group ``unknown``).
    """
    keep = ["level", "unit_id", "student_id", "eligible", "chronically_absent", "tier"]
    parts = [
        students.select(*keep, dimension=ibis.literal("all"), group=ibis.literal("all")),
        students.select(*keep, dimension=ibis.literal("grade"), group=students.grade),
    ]
    if attribute_names:
        joined = students.left_join(attributes, students.student_id == attributes.student_id)
        for name in attribute_names:
            value = joined[name]
            parts.append(
                joined.select(
                    *[students[k] for k in keep],
                    dimension=ibis.literal(name),
                    group=ibis.cases(
                        (value.isnull() | (value == ""), ibis.literal(UNKNOWN)), else_=value
                    ),
                )
            )
    memberships = parts[0]
    for part in parts[1:]:
        memberships = memberships.union(part)
    return memberships


def group_counts(memberships: ir.Table) -> ir.Table:
    """Counts of eligible students per unit and group: chronically absent and in each tier."""
    eligible = memberships.eligible
    counts = {
        "eligible_students": ibis.cases((eligible, 1), else_=0).sum(),
        "chronically_absent": ibis.cases((memberships.chronically_absent, 1), else_=0).sum(),
    }
    for name, _ in TIERS:
        counts[name] = ibis.cases((memberships.tier == name, 1), else_=0).sum()
    return memberships.group_by(["level", "unit_id", "dimension", "group"]).agg(**counts)
