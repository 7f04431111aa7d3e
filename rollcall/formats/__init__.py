"""Readers: every source rollcall reads, turned into the canonical tables the engine counts.

One sub-package per kind of input, registered in ``sources.READERS`` (decision 0002):

- ``canonical``: the five canonical files (docs/format.md), and the vocabulary every reader
  translates into (attendance statuses).
- ``sis``: an SIS export (CSV, Excel, Parquet) read through a TOML mapping file.
- ``edfi``: Ed-Fi XML interchanges, JSON pulled from an ODS/API, and the API client itself.
- ``calpads``: California's Student Absence Summary (STAS).
- ``totals``: per-student totals (days enrolled and absent), in CSV or a workbook.
- ``aggregates``: states' published files (CDE, Connecticut, Colorado, the generic CSV) and the
  aggregate table they and the engine's summary share.

What they share lives beside them: ``textfiles`` (encodings, delimiters, workbooks, cell text),
``origin`` (the file and line a translated row came from) and ``sources`` (the registry,
grains, inspection). Readers never import the engine or the outputs.
"""
