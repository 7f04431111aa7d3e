"""``rollcall publish``: what may be published about an input, under the disclosure rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from rollcall.api.reports import is_canonical, with_dimensions
from rollcall.engine.aggregate import from_computed
from rollcall.engine.backend import connect
from rollcall.engine.pipeline import Read, compute, read
from rollcall.engine.results import Computed
from rollcall.errors import OptionError, RollcallError
from rollcall.formats.sources import Source, choose_reader, load
from rollcall.period import parse_school_year, school_year_name, school_year_of
from rollcall.policy import Policy, get_policy
from rollcall.publish.ca_dashboard import write_ca_dashboard
from rollcall.publish.files import Loss, public_rows, publish_aggregate
from rollcall.publish.rules import Rules, get_rules
from rollcall.publish.site import write_site
from rollcall.report.timeline import calendar_dates


@dataclass(frozen=True)
class PublishResult:
    """What a publish run wrote and hid."""

    school_years: tuple[str, ...]
    policy: str
    rules: str
    rules_summary: str
    cells: int
    hidden: dict[str, int]  # note → cells with that note
    files: tuple[Path, ...]
    loss: Loss | None = None  # cells and students hidden (publish/files.py)
    notes: tuple[str, ...] = ()  # what the reader assumed or found (formats/sources.py)


def publish(
    input_dir: Source | Path,
    out_dir: Path,
    *,
    policy: str | Policy = "attendance-works",
    year: str | None = None,
    rules: str | Path | None = None,
    ca_dashboard: bool = False,
    site: bool = False,
    dimensions: Sequence[str] = (),
) -> PublishResult:
    """Write what may be published about the canonical folder ``input_dir`` into ``out_dir``:
    ``public_summary.csv``/``.json`` and ``equity.csv`` for ``year`` (default: the latest in
    the calendar) and every earlier school year the calendar holds, under the disclosure
    ``rules`` (a preset name or a TOML file; docs/publish.md). With ``ca_dashboard``, also
    ``ca_dashboard.csv`` (``year`` and the year before, under ``california-dashboard``); with
    ``site``, the static public site."""
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    rule_set = get_rules(rules)
    source = with_dimensions(input_dir, dimensions)
    if choose_reader(source).grain == "aggregate":
        return _publish_published(source, Path(out_dir), rule_set, year, ca_dashboard, site)
    backend = connect()
    try:
        # Every year and policy below is computed from this one read of the input.
        runs = _Runs(read(backend, source))
        years = (
            _publish_years(source.path, chosen, year)
            if is_canonical(source)
            else _computed_years(runs, chosen, year)
        )
        if ca_dashboard and (
            len(years) < 2 or parse_school_year(years[-2]) != parse_school_year(years[-1]) - 1
        ):
            raise _no_prior_year(years[-1])
        table, notes = runs.aggregate(chosen, years)
        dashboard = None
        if ca_dashboard:
            counted = get_policy("california-dashboard")
            dashboard = table if chosen == counted else runs.aggregate(counted, years[-2:])[0]
    finally:
        backend.close()
    return publish_table(
        table,
        Path(out_dir),
        rules=rule_set,
        policy=chosen.name,
        dashboard=dashboard,
        site=site,
        notes=notes,
    )


def publish_table(
    table: pa.Table,
    out_dir: Path,
    *,
    rules: Rules,
    policy: str = "",
    dashboard: pa.Table | None = None,
    site: bool = False,
    notes: tuple[str, ...] = (),
) -> PublishResult:
    """Publish an aggregate table (``rollcall.formats.aggregates.table``: from the engine, or
    read from a state's file) under ``rules``: the public files, and with ``dashboard`` (an
    aggregate table
    under the ``california-dashboard`` policy holding the latest school year and the one
    before) ``ca_dashboard.csv``, and with ``site`` the public site."""
    published = publish_aggregate(table, out_dir, rules)
    files = list(published.files)
    if dashboard is not None:
        current = published.school_years[-1]
        prior = school_year_name(parse_school_year(current) - 1)
        if prior not in set(dashboard.column("school_year").to_pylist()):
            raise _no_prior_year(current)
        # The indicator shows nothing that the disclosure rules hide in the same counts.
        withheld = (
            published.withheld
            if dashboard is table
            else {r.key for r in public_rows(dashboard, rules) if r.note}
        )
        files.append(
            write_ca_dashboard(
                _year_of(dashboard, current), _year_of(dashboard, prior), out_dir, withheld=withheld
            )
        )
    if site:
        files += write_site(out_dir)
    return PublishResult(
        school_years=published.school_years,
        policy=policy,
        rules=rules.name,
        rules_summary=rules.describe(),
        cells=published.cells,
        hidden=published.hidden,
        files=tuple(files),
        notes=notes,
        loss=published.loss,
    )


def _no_prior_year(school_year: str) -> OptionError:
    return OptionError(
        f"--ca-dashboard needs the school year before {school_year}, and the input has no "
        "date in it",
        hint="give an input with two consecutive school years (rollcall synth --years 2)",
    )


def _publish_years(input_dir: Path, policy: Policy, year: str | None) -> tuple[str, ...]:
    """``year`` (default: the calendar's latest) and every earlier school year with a date in
    the calendar, oldest first."""
    found = {school_year_of(day) for day in calendar_dates(input_dir)}
    if not found:
        # The engine says what is wrong with the folder or its calendar.
        backend = connect()
        try:
            compute(backend, input_dir, policy=policy, year=year)
        finally:
            backend.close()
        raise OptionError(f"{input_dir}: the calendar has no school day")
    last = max(found, key=parse_school_year) if year is None else year
    if parse_school_year(last) not in {parse_school_year(y) for y in found}:
        raise OptionError(
            f"--year {year}: the calendar has no date in that school year",
            hint="the calendar holds " + ", ".join(sorted(found, key=parse_school_year)),
        )
    first = parse_school_year(last)
    return tuple(sorted((y for y in found if parse_school_year(y) <= first), key=parse_school_year))


def _computed_years(runs: _Runs, policy: Policy, year: str | None) -> tuple[str, ...]:
    """For a source other than a canonical folder, whose calendar is not read apart: the year
    (default: the latest the engine finds) and the years before it in which the engine finds
    students, oldest first (at most ``EARLIER_YEARS`` of them)."""
    found = [runs.year(policy, year).period.school_year]
    for _ in range(EARLIER_YEARS):
        earlier = school_year_name(parse_school_year(found[0]) - 1)
        try:
            computed = runs.year(policy, earlier)
        except RollcallError:
            break
        if not computed.backend.count(computed.students):
            break
        found.insert(0, earlier)
    return tuple(found)


class _Runs:
    """The engine's runs of one read of the input (engine/pipeline.py, ``Read``), by policy
    and school year, each made once."""

    def __init__(self, found: Read) -> None:
        self.found = found
        self._computed: dict[tuple[Policy, str | None], Computed] = {}

    def year(self, policy: Policy, school_year: str | None) -> Computed:
        key = (policy, school_year)
        if key not in self._computed:
            self._computed[key] = self.found.year(policy=policy, year=school_year)
        return self._computed[key]

    def aggregate(self, policy: Policy, years: tuple[str, ...]) -> tuple[pa.Table, tuple[str, ...]]:
        """The engine's aggregate table for each school year in turn, and the reader's notes
        of every run (each once, in order)."""
        tables: list[pa.Table] = []
        notes: dict[str, None] = {}
        for school_year in years:
            computed = self.year(policy, school_year)
            tables.append(from_computed(computed))
            notes |= dict.fromkeys(computed.source.notes if computed.source else ())
        return pa.concat_tables(tables), tuple(notes)


# How many school years before the chosen one publishing looks for in a non-canonical source.
EARLIER_YEARS = 4


def _publish_published(
    source: Source,
    out_dir: Path,
    rules: Rules,
    year: str | None,
    ca_dashboard: bool,
    site: bool,
) -> PublishResult:
    """Publish a state's published aggregate file: its figures as published (no policy applies),
    under ``rules``, up to ``year`` (default: its latest)."""
    backend = connect()
    try:
        loaded = load(source, backend.con, grains=("aggregate",))
    finally:
        backend.close()
    table = loaded.aggregate
    assert table is not None, "an aggregate reader returns its table"
    if year is not None:
        keep = [
            parse_school_year(y) <= parse_school_year(year)
            for y in table["school_year"].to_pylist()
        ]
        table = table.filter(pa.array(keep, pa.bool_()))
        if not table.num_rows:
            raise OptionError(
                f"--year {year}: the file has no figure for that school year or before"
            )
    return publish_table(
        table,
        out_dir,
        rules=rules,
        policy="as published",
        dashboard=table if ca_dashboard else None,
        site=site,
        notes=loaded.notes,
    )


def _year_of(table: pa.Table, school_year: str) -> pa.Table:
    return table.filter(pc.equal(table.column("school_year"), school_year))
