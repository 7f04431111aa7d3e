"""Per-student totals (days enrolled, present and absent), as CSV or a workbook such as the
Attendance Works tools (docs/sources/totals.md): finding the header, the table, inspection."""
