"""California's CALPADS Student Absence Summary (STAS), the caret-delimited file or a CSV
extract (docs/sources/calpads.md): per-student totals, read through ``formats.totals``."""
