"""SIS exports (CSV of any delimiter, ``.xlsx``, Parquet) read through a TOML mapping file
(docs/sources/sis.md): the mapping file, the export's files, status and grade crosswalks, the
tables they become, and ``rollcall inspect --suggest-mapping``."""
