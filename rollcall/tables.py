"""Small Ibis table helpers the engine and the readers share."""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
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


def literal_table(columns: dict[str, list[object]], types: dict[str, str]) -> ir.Table:
    """A small table of constants (a lookup, a period's dates), written into the query itself as
    a list of rows: the same SQL on DuckDB and Spark, no in-memory table to register, and no
    pyarrow conversion of Python values, which imports pandas (a third of a second of every
    run's start-up; tests/test_startup.py). At least one row: an empty list has no type."""
    names = list(columns)
    rows = [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    if not rows:
        raise ValueError("a literal table needs at least one row")
    row_type = dt.Struct({name: dt.dtype(types[name]) for name in names})
    unnested = ibis.literal(rows, type=dt.Array(row_type)).unnest().name("_row").as_table()
    return unnested.select(**{name: unnested._row[name] for name in names})
