"""The output folder: five canonical tables, appended to chunk by chunk as CSV or Parquet.

Every column is a string (ids, ISO dates, codes), so CSV and Parquet read back alike. CSV is
written without quotes (no generated value holds a comma, quote or line break; pyarrow refuses to
write one that would), LF line ends, nulls as empty fields. Parquet files get one row group per
write and zstd compression. Both writers are deterministic: the same tables give the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from rollcall.errors import OptionError
from rollcall.synth.contacts import CONTACT_COLUMNS
from rollcall.synth.population import STUDENT_COLUMNS
from rollcall.writing import FORMATS

COLUMNS: dict[str, tuple[str, ...]] = {
    "schools": ("school_id", "school_name", "district_id", "district_name", "school_phone"),
    "students": STUDENT_COLUMNS + CONTACT_COLUMNS,
    "enrollments": ("student_id", "school_id", "grade", "entry_date", "exit_date"),
    "calendar": ("school_id", "date"),
    "attendance": ("student_id", "school_id", "date", "status", "absent_fraction"),
}


def schema(name: str) -> pa.Schema:
    return pa.schema([pa.field(column, pa.string()) for column in COLUMNS[name]])


class TableFile:
    """One output file, open for appending tables with its columns."""

    def __init__(self, path: Path, name: str, fmt: str) -> None:
        self.path = path
        self.schema = schema(name)
        self.rows = 0
        self._writer: pacsv.CSVWriter | pq.ParquetWriter
        if fmt == "csv":
            options = pacsv.WriteOptions(quoting_style="none", quoting_header="none")
            self._writer = pacsv.CSVWriter(str(path), self.schema, write_options=options)
        else:
            self._writer = pq.ParquetWriter(str(path), self.schema, compression="zstd")

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        self._writer.write_table(table.select(list(self.schema.names)).cast(self.schema))
        self.rows += table.num_rows

    def close(self) -> None:
        self._writer.close()


class Folder:
    """The five files of a canonical folder, open together; use as a context manager."""

    def __init__(self, out: Path, fmt: str) -> None:
        if fmt not in FORMATS:
            raise OptionError(
                f"unknown format {fmt!r}", hint="use --format csv or --format parquet"
            )
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OptionError(
                f"cannot create the output folder {out}: {exc.strerror}",
                hint="choose a folder you can write to",
            ) from exc
        if not out.is_dir():
            raise OptionError(f"{out} is not a folder", hint="--out names a folder")
        self.files: dict[str, TableFile] = {}
        for name in COLUMNS:
            self.files[name] = TableFile(out / f"{name}.{fmt}", name, fmt)

    def write(self, name: str, table: pa.Table) -> None:
        self.files[name].write(table)

    def rows(self) -> dict[str, int]:
        return {name: file.rows for name, file in self.files.items()}

    def __enter__(self) -> Folder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for file in self.files.values():
            file.close()
