"""Small Ibis table helpers the stages share."""

from __future__ import annotations

import ibis.expr.types as ir


def union_all(*tables: ir.Table) -> ir.Table:
    """The rows of every table, in order (UNION ALL): the tables have the same columns."""
    result = tables[0]
    for table in tables[1:]:
        result = result.union(table)
    return result
