"""Small Ibis table helpers the stages share."""

from __future__ import annotations

import ibis.expr.types as ir


def union_all(*tables: ir.Table) -> ir.Table:
    """The rows of every table, in order (UNION ALL): the tables have the same columns.

    Joined as a balanced tree, not a chain: a chain of n unions is an expression n deep, which
    Ibis and SQLGlot walk recursively (a students file with some 70 attribute columns, one union
    each, exceeded Python's recursion limit); the tree is log2(n) deep."""
    if len(tables) <= 2:
        return tables[0] if len(tables) == 1 else tables[0].union(tables[1])
    middle = (len(tables) + 1) // 2
    return union_all(*tables[:middle]).union(union_all(*tables[middle:]))
