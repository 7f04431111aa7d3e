"""A reader for tests of the reading layer: the canonical folder, read as if it were another
source, so that refused rows must be reported at the "source" file, line and column."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from rollcall.formats.canonical.format import read_canonical
from rollcall.formats.canonical.source import READER as CANONICAL
from rollcall.formats.origin import ORIGIN_FILE, ORIGIN_LINE
from rollcall.formats.sources import Grain, Inspection, Loaded, ReadOptions

# Each canonical attendance line n is "line n + 100 of export.txt", and status is "AttCode".
LINE_OFFSET = 100


@dataclass(frozen=True)
class TranslatedReader:
    kind: str = "translated"
    grain: Grain = "days"

    def detect(self, path: Path) -> bool:
        return False

    def inspect(self, path: Path, options: ReadOptions) -> Inspection:
        # What the canonical reader finds, under this reader's kind.
        return replace(CANONICAL.inspect(path, options), kind=self.kind)

    def load(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Loaded:
        raw = read_canonical(path, con)
        table = raw["attendance"].table
        con.execute(
            f"CREATE OR REPLACE TABLE {table}_origin AS SELECT *, 'export.txt' AS {ORIGIN_FILE}, "
            f"rowid + 2 + {LINE_OFFSET} AS {ORIGIN_LINE} FROM {table}_data"
        )
        con.execute(f"DROP VIEW {table}")
        con.execute(f"DROP TABLE {table}_data")
        con.execute(f"ALTER TABLE {table}_origin RENAME TO {table}_data")
        con.execute(f"CREATE VIEW {table} AS SELECT rowid AS _record, * FROM {table}_data")
        raw["attendance"] = replace(
            raw["attendance"], label="export.txt", origin={"status": "AttCode"}
        )
        return Loaded(
            kind=self.kind,
            grain=self.grain,
            raw=raw,
            notes=("read as a translated source",),
            skipped={"test rows": 2},
        )


READER = TranslatedReader()
