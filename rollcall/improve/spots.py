"""Bright spots of a district or state: every school and district with a sustained improvement in
its weekly absence against its peers (:mod:`rollcall.improve.bright`), as ``bright_spots.csv``.

A school's peers are the other schools of its district; a district's are the other districts of
the input. A district alone in its input, or a school alone in its district, has no peers and is
not assessed (the result counts them). The total is never assessed: it has no peers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rollcall.engine.aggregate import school_districts, unit_names
from rollcall.engine.backend import connect
from rollcall.engine.micro import MICRO
from rollcall.engine.pipeline import compute
from rollcall.formats.sources import Source
from rollcall.improve.bright import MEASURE, UnitWeek, improvement, relative_absence
from rollcall.levels import DISTRICT, LEVEL_ORDER, SCHOOL
from rollcall.measures import WeekRow, unit_title, week_rows
from rollcall.policy import Policy, get_policy
from rollcall.writing import CsvWriter

BRIGHT_SPOT_COLUMNS = ("level", "unit_id", "unit_name", "measure", "signal", "since")


@dataclass(frozen=True)
class BrightSpot:
    """One row of ``bright_spots.csv``: ``signal`` joins the rules that fired with ``;``,
    ``since`` is the Monday of the week the improvement started."""

    level: str
    unit_id: str
    unit_name: str
    measure: str
    signal: str
    since: str


@dataclass(frozen=True)
class BrightSpotsResult:
    """What ``rollcall bright-spots`` found and wrote."""

    school_year: str
    spots: tuple[BrightSpot, ...]
    assessed: int
    without_peers: int
    path: Path
    notes: tuple[str, ...] = ()


def _weeks(rows: Sequence[WeekRow]) -> list[UnitWeek]:
    return [
        UnitWeek(r.week_start.isoformat(), r.absent_micro / MICRO, r.student_days) for r in rows
    ]


def _pooled(rows: Sequence[Sequence[WeekRow]]) -> list[UnitWeek]:
    """The peers' weeks, summed over the peers."""
    absent: dict[date, int] = defaultdict(int)
    days: dict[date, int] = defaultdict(int)
    for unit in rows:
        for r in unit:
            absent[r.week_start] += r.absent_micro
            days[r.week_start] += r.student_days
    return [UnitWeek(w.isoformat(), absent[w] / MICRO, days[w]) for w in sorted(days)]


def peer_groups(
    units: Mapping[tuple[str, str], Sequence[WeekRow]], districts: Mapping[str, str]
) -> dict[tuple[str, str], str]:
    """Each school and district's peer group: a school's district, or ``""`` for districts."""
    groups: dict[tuple[str, str], str] = {}
    for level, unit_id in units:
        if level == SCHOOL and unit_id in districts:
            groups[(level, unit_id)] = districts[unit_id]
        elif level == DISTRICT:
            groups[(level, unit_id)] = ""
    return groups


def find_bright_spots(
    rows: Sequence[WeekRow],
    *,
    districts: Mapping[str, str],
    names: Mapping[tuple[str, str], str],
) -> tuple[list[BrightSpot], int, int]:
    """The bright spots among ``rows`` (every unit's weeks with school), the number of units
    assessed, and the number without peers; spots in level and unit order."""
    units: dict[tuple[str, str], list[WeekRow]] = defaultdict(list)
    for row in rows:
        units[(row.level, row.unit_id)].append(row)
    groups = peer_groups(units, districts)
    members: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key, group in groups.items():
        members[(key[0], group)].append(key)
    spots, assessed, alone = [], 0, 0
    for key in sorted(groups, key=lambda k: (LEVEL_ORDER[k[0]], k[1])):
        peers = [units[p] for p in members[(key[0], groups[key])] if p != key]
        if not peers:
            alone += 1
            continue
        assessed += 1
        signal = improvement(relative_absence(_weeks(units[key]), _pooled(peers)))
        if signal is not None:
            title = unit_title(key[0], key[1], dict(names))
            spots.append(
                BrightSpot(key[0], key[1], title, MEASURE, ";".join(signal.signals), signal.since)
            )
    return spots, assessed, alone


def write_bright_spots(
    source: Source | Path,
    out_dir: Path,
    *,
    policy: str | Policy = "attendance-works",
    year: str | None = None,
    as_of: date | None = None,
) -> BrightSpotsResult:
    """Run the engine's weekly measures on ``source`` up to ``as_of`` and write
    ``bright_spots.csv`` (columns ``BRIGHT_SPOT_COLUMNS``) into ``out_dir``."""
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    backend = connect()
    try:
        computed = compute(
            backend, Source.of(source), policy=chosen, year=year, as_of=as_of, grains=("days",)
        )
        rows = week_rows(computed)
        names = unit_names(computed)
        districts = school_districts(computed)
    finally:
        backend.close()
    spots, assessed, alone = find_bright_spots(rows, districts=districts, names=names)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "bright_spots.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvWriter(handle)
        writer.writerow(BRIGHT_SPOT_COLUMNS)
        writer.writerows(
            [s.level, s.unit_id, s.unit_name, s.measure, s.signal, s.since] for s in spots
        )
    notes = computed.source.notes if computed.source else ()
    return BrightSpotsResult(
        computed.period.school_year, tuple(spots), assessed, alone, path, notes
    )
