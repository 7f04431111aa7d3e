"""England's official pupil attendance files (docs/sources/england.md): the Department for
Education's weekly and year-to-date figures for England, its regions and local authorities, in
half-day sessions. Persistent absence (missing 10% or more of possible sessions) is read into the
aggregate table as the chronic measure; the sessions themselves (possible, attended, missed by
reason) into a table of their own (``sessions``)."""
