"""Information lost to disclosure avoidance: the complementary suppression of a given commit
against the working tree's, on the demo district and the synthetic states of the attack tests.

    .venv/bin/python bench/disclosure_bench.py [--before d52e304]
    .venv/bin/python bench/disclosure_bench.py --unavoidable

For each data set and rule set it prints one Markdown row per method: cells, cells with a hidden
count and the students in them, and cells hidden to protect another group (every one a group of
``minimum_students`` or more) and the students in them. The table goes in docs/publish.md by
hand. The earlier method is read from git (``git show``), so nothing of it is kept in the code.

With ``--unavoidable``, for the working tree's method only: how many of the groups hidden to
protect another group had to be. A hidden group is *avoidable* when one other member of a sum it
is in, with fewer students and shown, could be hidden in its place (the group shown again, the
other hidden) and the publisher's attack then recovers nothing; else *unavoidable*.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from rollcall.engine.aggregate import from_computed
from rollcall.engine.backend import connect
from rollcall.engine.pipeline import compute
from rollcall.levels import SCHOOL
from rollcall.policy import get_policy
from rollcall.publish import files
from rollcall.publish.audit import COMPLEMENTARY, Cell, attack
from rollcall.publish.relations import Key, relations
from rollcall.publish.rules import PRESETS, Rules
from rollcall.publish.suppression import CHRONIC, ELIGIBLE, first_rules, suppress
from rollcall.synth import write_synthetic

ROOT = Path(__file__).resolve().parent.parent
STATE_SEEDS = (1, 7, 23)  # tests/test_publish_attack.py
RULES = ("default", "connecticut")


def aggregate(folder: Path) -> pa.Table:
    """The latest school year of a synthetic folder, as the engine's aggregate table."""
    backend = connect()
    try:
        return from_computed(compute(backend, folder, policy=get_policy("attendance-works")))
    finally:
        backend.close()


def data_sets(work: Path) -> Iterator[tuple[str, pa.Table]]:
    """The demo (``rollcall demo``: 5,000 students, seed 0, messy; its latest year) and the
    three states of the attack tests."""
    demo = work / "demo"
    write_synthetic(demo, students=5000, seed=0, years=2, messy=True)
    yield "demo (5,000 students, seed 0)", aggregate(demo)
    for seed in STATE_SEEDS:
        folder = work / f"state{seed}"
        students = 2000 + 500 * (seed % 4)
        write_synthetic(folder, students=students, seed=seed)
        yield f"test state, seed {seed} ({students:,} students)", aggregate(folder)


def method_of(revision: str) -> Callable[..., None]:
    """``suppress`` as it was at ``revision``."""
    source = subprocess.run(
        ["git", "show", f"{revision}:rollcall/publish/suppression.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader("suppression_before", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{revision}:suppression.py", "exec"), module.__dict__)
    return module.suppress  # type: ignore[no-any-return]


@contextmanager
def suppressing_with(method: Callable[..., None]) -> Iterator[None]:
    current = files.suppress
    files.suppress = method
    try:
        yield
    finally:
        files.suppress = current


def row(name: str, rules: str, method: str, table: pa.Table) -> str:
    loss = files.information_loss(table, files.public_rows(table, PRESETS[rules]))
    return (
        f"| {name} | {rules} | {method} | {table.num_rows:,} | {loss.cells:,} | "
        f"{loss.students:,} | {loss.complementary_cells:,} | {loss.complementary_students:,} |"
    )


def unavoidable(table: pa.Table, rules: Rules) -> tuple[int, int, int]:
    """Of one school year's groups hidden to protect another: (all of them, those with a
    smaller shown member of one of their sums that could take their place, the rest)."""
    rows = table.to_pylist()
    keys = [Key(r["level"], r["unit_id"], r["dimension"], r["group"]) for r in rows]

    def first() -> list[Cell]:
        cells = [Cell(r["eligible_students"], r["chronically_absent"]) for r in rows]
        for row, cell in zip(rows, cells, strict=True):
            first_rules(cell, rules, suppressed=bool(row["suppressed"]))
        return cells

    start = first()
    cells = first()
    district_of = {r["unit_id"]: r["district_id"] for r in rows if r["level"] == SCHOOL}
    sums = relations(keys, district_of)
    suppress(keys, cells, district_of, rules)
    member_of: dict[int, list[int]] = {}
    for relation in sums:
        for k in (relation.total, *relation.parts):
            member_of.setdefault(k, []).append(relation.total)
            member_of[k] += relation.parts
    hidden = [
        k
        for k, cell in enumerate(cells)
        if COMPLEMENTARY in (cell.eligible_hidden, cell.chronic_hidden)
    ]
    avoidable = 0
    for k in hidden:
        count = ELIGIBLE if cells[k].eligible_hidden == COMPLEMENTARY else CHRONIC
        size = cells[k].eligible or 0
        others = sorted(
            {m for m in member_of.get(k, []) if m != k and (cells[m].eligible or 0) < size},
            key=lambda m: cells[m].eligible or 0,
        )
        for m in others:
            shown = cells[m].eligible_hidden is None and (
                count == ELIGIBLE or cells[m].chronic_hidden is None
            )
            if not shown:
                continue
            trial = [
                Cell(c.eligible, c.chronic, c.eligible_hidden, c.chronic_hidden) for c in cells
            ]
            trial[k] = Cell(
                start[k].eligible,
                start[k].chronic,
                start[k].eligible_hidden,
                start[k].chronic_hidden,
            )
            if count == ELIGIBLE:
                trial[m].hide_eligible(COMPLEMENTARY)
            else:
                trial[m].hide_chronic(COMPLEMENTARY)
            if not attack(trial, sums, rules, keys):
                avoidable += 1
                break
    return len(hidden), avoidable, len(hidden) - avoidable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="d52e304", help="the commit to compare against")
    parser.add_argument(
        "--unavoidable", action="store_true", help="count the hidden groups that had to be"
    )
    args = parser.parse_args()
    if args.unavoidable:
        print(
            "| data | rules | hidden to protect another group "
            "| a smaller group could take its place | unavoidable |"
        )
        print("|---|---|---|---|---|")
        with tempfile.TemporaryDirectory() as folder:
            for name, table in data_sets(Path(folder)):
                for rules in RULES:
                    total, smaller, rest = unavoidable(table, PRESETS[rules])
                    print(f"| {name} | {rules} | {total:,} | {smaller:,} | {rest:,} |")
                    sys.stdout.flush()
        return
    before = method_of(args.before)
    print(
        "| data | rules | method | cells | hidden | students in them "
        "| hidden to protect another group | students in them |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, table in data_sets(Path(folder)):
            for rules in RULES:
                with suppressing_with(before):
                    print(row(name, rules, f"before ({args.before})", table))
                print(row(name, rules, "least loss", table))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
