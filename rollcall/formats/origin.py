"""Where a translated row came from: the columns a reader adds to each raw table it builds from
another source (an SIS export, Ed-Fi, CALPADS), so that a refused row is reported at the file and
line the user can open, not at a record number of an internal table."""

ORIGIN_FILE = "_file"  # the source file's name (several files can feed one canonical table)
ORIGIN_LINE = "_line"  # the line (or spreadsheet row, or XML element line) the row starts on
ORIGIN_COLUMNS = (ORIGIN_FILE, ORIGIN_LINE)
