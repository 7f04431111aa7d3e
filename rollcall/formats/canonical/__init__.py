"""The canonical format (docs/format.md): schools, students, enrollments, calendar and
attendance as CSV or Parquet, the vocabulary every other reader translates into, and the
reader that loads a canonical folder."""
