"""The engine and the plain-Python reference (tests/reference.py) agree on random folders.

Both read the same folder; the three output tables are compared as multisets of rows, and the
counts per file must match. A failure shows the rows only one side produced.
"""

from __future__ import annotations

import csv
import datetime
import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from budget import examples
from hypothesis import HealthCheck, Phase, given, settings

from rollcall.api import report  # no skip: the engine's entry point must exist
from rollcall.errors import RollcallError
from rollcall.policy import Policy
from tests.reference import (
    REJECTS_COLUMNS,
    STUDENT_METRICS_COLUMNS,
    SUMMARY_COLUMNS,
    ReferenceRunError,
    reference_report,
)
from tests.strategies import Dataset, datasets, periods, policies

# Each engine run costs about a second; ROLLCALL_PROPERTY_EXAMPLES scales every test here.
EXAMPLES = int(os.environ.get("ROLLCALL_PROPERTY_EXAMPLES", examples(30)))
# Shrinking a failure takes minutes at that cost, so it is off unless asked for: a failure is
# reported as generated (its folder printed in full). ROLLCALL_PROPERTY_SHRINK=1 turns it on.
SHRINK = os.environ.get("ROLLCALL_PROPERTY_SHRINK") == "1"
PHASES = [phase for phase in Phase if SHRINK or phase not in (Phase.shrink, Phase.explain)]
COLUMNS = {
    "student_metrics": STUDENT_METRICS_COLUMNS,
    "summary": SUMMARY_COLUMNS,
    "rejects": REJECTS_COLUMNS,
}
BASE = settings(
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def read_output(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def difference(name: str, engine: list[dict[str, str]], reference: list[dict[str, str]]) -> str:
    columns = COLUMNS[name]
    mine = Counter(tuple(row[c] for c in columns) for row in engine)
    theirs = Counter(tuple(row[c] for c in columns) for row in reference)
    lines = [f"{name}.csv differs; columns {', '.join(columns)}"]
    lines += [f"  engine only:    {row}" for row in sorted((mine - theirs).elements())]
    lines += [f"  reference only: {row}" for row in sorted((theirs - mine).elements())]
    return "\n".join(lines)


def assert_engine_matches_reference(
    dataset: Dataset,
    policy: Policy,
    *,
    year: str | None = None,
    as_of: datetime.date | None = None,
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = dataset.write(Path(temporary) / "in")
        out = Path(temporary) / "out"
        try:
            expected = reference_report(folder, policy=policy, year=year, as_of=as_of)
        except ReferenceRunError:
            # No report can be made (say, as_of outside the year): the engine must refuse too.
            with pytest.raises(RollcallError):
                report(folder, out, policy=policy, year=year, as_of=as_of)
            return
        result = report(folder, out, policy=policy, year=year, as_of=as_of)
        for name, columns in COLUMNS.items():
            header, rows = read_output(out / f"{name}.csv")
            assert header == list(columns), f"{name}.csv header"
            key = [tuple(row[c] for c in columns) for row in rows]
            expected_key = [tuple(row[c] for c in columns) for row in expected[name]]
            assert Counter(key) == Counter(expected_key), difference(name, rows, expected[name])
        counts = {
            name: {
                "read": c.read,
                "accepted": c.accepted,
                "ignored": c.ignored,
                "rejected": c.rejected,
            }
            for name, c in result.counts.items()
        }
        wrong = {
            name: {"engine": counts.get(name), "reference": expected["counts"].get(name)}
            for name in set(counts) | set(expected["counts"])
            if counts.get(name) != expected["counts"].get(name)
        }
        assert not wrong, f"counts differ: {wrong}"


@settings(BASE, max_examples=EXAMPLES)
@given(dataset=datasets(), policy=policies())
def test_engine_matches_reference_on_random_folders(dataset: Dataset, policy: Policy) -> None:
    assert_engine_matches_reference(dataset, policy)


@settings(BASE, max_examples=max(1, EXAMPLES // 2))
@given(dataset=datasets(), policy=policies(), period=periods())
def test_engine_matches_reference_with_year_and_as_of(
    dataset: Dataset, policy: Policy, period: tuple[str | None, datetime.date | None]
) -> None:
    year, as_of = period
    assert_engine_matches_reference(dataset, policy, year=year, as_of=as_of)
