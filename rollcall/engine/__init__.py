"""The engine: every rule of counting, as Ibis expressions run by one backend (DuckDB here).

``checks`` refuses rows with their reasons, ``days`` counts enrolled and absent days,
``students`` decides chronic absence and tiers, ``groups`` sums students into units and groups,
``pipeline`` runs them in order (``compute``), ``totals`` starts from per-student totals,
``trends`` counts week by week, ``aggregate`` turns the summary into the aggregate table.
Nothing here imports a reader's internals beyond its tables, or any output."""
