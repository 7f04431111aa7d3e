"""The `rollcall` command: it parses options, calls one library function, prints the outcome.

No rule lives here. Errors we raise on purpose become one line on standard error and exit
status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from rollcall import api
from rollcall.errors import RollcallError
from rollcall.formats.sources import READERS, ReadOptions, Source
from rollcall.report.aggregate import AggregateReportResult

stderr = Console(stderr=True, highlight=False)
stdout = Console(highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rollcall")
def cli() -> None:
    """Chronic absence, computed exactly: students missing 10% or more of their enrolled days."""


def main() -> None:
    """Entry point: run the command group, turning our own errors into a message and status 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        stderr.print("Aborted.")
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except RollcallError as exc:
        # Plain echo: one unwrapped line that names the file, line and column, and what to try.
        hint = f" (hint: {exc.hint})" if exc.hint else ""
        click.echo(f"error: {exc}{hint}", err=True)
        sys.exit(2)


def _iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a YYYY-MM-DD date") from None


def source_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options that name an input: ``--input`` and how to read it. The command receives one
    ``source`` argument (rollcall/formats/sources.py) instead of the separate options."""
    options = [
        click.option("--input", "input_path", required=True, type=click.Path(path_type=Path),
                     help="The input: a canonical folder (docs/format.md), an SIS export, Ed-Fi "
                     "files, a CALPADS or totals file, or a state's aggregate file."),
        click.option("--source", "source_kind", default=None, metavar="KIND",
                     help="What the input is: " + ", ".join(READERS) + " (default: told from "
                     "the files)."),
        click.option("--mapping", default=None, type=click.Path(path_type=Path),
                     help="Mapping file (TOML) for an SIS export (docs/sources/sis.md)."),
        click.option("--students-file", default=None, type=click.Path(path_type=Path),
                     help="Student attributes kept in a file of their own (CALPADS, totals)."),
        click.option("--enrollment-from-sessions", is_flag=True,
                     help="Ed-Fi without enrollments: assume each student with attendance was "
                     "enrolled for the whole session (said in the output)."),
        click.option("--dimensions", default="", metavar="A,B",
                     help="Student attributes to count as groups besides the known ones "
                     "(docs/format.md); every other attribute is kept private."),
    ]  # fmt: skip

    @functools.wraps(command)
    def wrapped(
        *args: Any,
        input_path: Path,
        source_kind: str | None,
        mapping: Path | None,
        students_file: Path | None,
        enrollment_from_sessions: bool,
        dimensions: str,
        **kwargs: Any,
    ) -> None:
        read = ReadOptions(
            mapping=mapping,
            students_file=students_file,
            enrollment_from_sessions=enrollment_from_sessions,
            dimensions=tuple(name.strip() for name in dimensions.split(",") if name.strip()),
        )
        command(*args, source=Source(input_path, source_kind, read), **kwargs)

    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped


def out_option(help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The required ``--out`` folder every writing command takes, with what it will hold."""
    return click.option(
        "--out", "out_dir", required=True, type=click.Path(path_type=Path), help=help_text
    )


def engine_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options every command that runs the engine takes: the input, policy, year, as-of."""
    options = [
        click.option("--policy", default="attendance-works", show_default=True, help=_POLICY_HELP),
        click.option("--year", default=None,
                     help="School year like 2024-25 (default: the latest in the input)."),
        click.option("--as-of", "as_of", default=None, callback=_iso_date,
                     help="Count only days up to this date (YYYY-MM-DD)."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return source_options(command)


_POLICY_HELP = (
    "attendance-works (default), edfacts, california, california-dashboard, "
    "or the path of a .toml policy file"
)


@cli.command()
@engine_options
@out_option("Folder to write student_metrics, summary and rejects into.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="Format of the output tables.",
)
@click.option(
    "--html", is_flag=True, help="Also write report.html, a page a school team can act on."
)
@click.option(
    "--school", default=None, metavar="ID", help="report.html for this school (implies --html)."
)
@click.option(
    "--district",
    default=None,
    metavar="ID",
    help="report.html for this district and its schools (implies --html).",
)
def report(
    source: Source,
    out_dir: Path,
    policy: str,
    year: str | None,
    as_of: date | None,
    output_format: str,
    html: bool,
    school: str | None,
    district: str | None,
) -> None:
    """Compute chronic absence for a canonical folder: student_metrics, summary, rejects
    (and with --html, report.html). A state's published aggregate file gives summary,
    aggregate and rejects (docs/sources/aggregates.md)."""
    result = api.report(
        source, out_dir, policy=policy, year=year, as_of=as_of, output_format=output_format,
        html=html, school=school, district=district,
    )  # fmt: skip
    _print_result(result, out_dir)


def _print_result(result: api.ReportResult | AggregateReportResult, out_dir: Path) -> None:
    if isinstance(result, AggregateReportResult):
        _print_aggregate(result, out_dir)
        return
    end = result.period_end.isoformat()
    stdout.print(f"School year {result.school_year}, policy {result.policy}, days up to {end}.")
    print_notes(result.notes, result.skipped)
    table = Table("file", "read", "accepted", "ignored", "rejected", box=None)
    for name, counts in result.counts.items():
        table.add_row(
            name,
            *(f"{n:,}" for n in (counts.read, counts.accepted, counts.ignored, counts.rejected)),
        )
    stdout.print(table)
    rate = result.chronic_rate
    stdout.print(
        f"Students: {result.students:,}; eligible: {result.eligible:,}; chronically absent: "
        f"{result.chronically_absent:,}" + (f" ({rate:.1%})." if rate is not None else ".")
    )
    rejected = sum(c.rejected for c in result.counts.values())
    if rejected:
        stdout.print(f"{rejected:,} rows refused: see {out_dir / 'rejects.csv'} for each reason.")
    stdout.print(f"Wrote {', '.join(p.name for p in result.files)} to {out_dir}.")
    if result.html is not None:
        stdout.print(f"The report: {result.html.resolve().as_uri()}", markup=False, soft_wrap=True)


def _print_aggregate(result: AggregateReportResult, out_dir: Path) -> None:
    """What a report on a published aggregate file read and wrote (docs/sources/aggregates.md)."""
    years = ", ".join(result.school_years)
    units = ", ".join(f"{n:,} {level}" for level, n in result.units.items() if n)
    stdout.print(f"Published figures, school years {years}: {units}.", markup=False)
    print_notes(result.notes, result.skipped)
    stdout.print(
        f"Figures kept: {result.figures:,} ({result.suppressed:,} suppressed by the publisher, "
        f"kept as suppressed); refused: {result.refused:,}.",
        markup=False,
    )
    total = result.total
    if total is not None:
        eligible, chronic, rate = (
            total["eligible_students"], total["chronically_absent"], total["published_rate"]
        )  # fmt: skip
        shown = [f"eligible: {eligible:,}" if eligible is not None else "eligible: not published"]
        shown.append(
            f"chronically absent: {chronic:,}" if chronic is not None else "count not published"
        )
        if eligible and chronic is not None:
            shown[-1] += f" ({chronic / eligible:.1%})"
        elif rate is not None:
            shown.append(f"rate as published {rate:.1%}")
        stdout.print(
            f"{total['unit_name']}, {result.school_year}: {'; '.join(shown)}.", markup=False
        )
    if result.refused:
        stdout.print(
            f"{result.refused:,} rows refused: see {out_dir / 'rejects.csv'} for each reason."
        )
    stdout.print(f"Wrote {', '.join(p.name for p in result.files)} to {out_dir}.", markup=False)
    if result.html is not None:
        stdout.print(f"The report: {result.html.resolve().as_uri()}", markup=False, soft_wrap=True)


@cli.command()
@engine_options
@out_option("Folder for measures.csv, the weekly series and their charts.")
def measures(
    source: Source, out_dir: Path, policy: str, year: str | None, as_of: date | None
) -> None:
    """Weekly absence and chronic-absence measures per unit, with p' charts and a funnel."""
    from rollcall.measures import write_measures

    result = write_measures(source, out_dir, policy=policy, year=year, as_of=as_of)
    print_notes(result.notes, {})
    stdout.print(
        f"School year {result.school_year}: {result.weeks} weeks for {result.units:,} units. "
        f"Wrote measures.csv, series/ and charts ({len(result.files):,} files) to {out_dir}."
    )


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default="demo",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for the synthetic input and results.",
)
@click.option(
    "--students",
    default=5000,
    show_default=True,
    type=click.IntRange(min=100),
    help="Size of the synthetic district.",
)
@click.option("--seed", default=0, show_default=True, type=int)
def demo(out_dir: Path, students: int, seed: int) -> None:
    """Build a synthetic district (this year and last) and write its chronic-absence tables and
    report.html, end to end."""
    from rollcall.synth import write_synthetic

    input_dir = out_dir / "input"
    stdout.print(f"Building a synthetic district of {students:,} students in {input_dir} ...")
    write_synthetic(input_dir, students=students, seed=seed, years=2, messy=True)
    result = api.report(input_dir, out_dir, html=True)
    _print_result(result, out_dir)
    stdout.print(
        f"A school's own page, with its students to support: rollcall report --input {input_dir} "
        f"--out {out_dir / 'school'} --school ID (an id from {input_dir / 'schools.csv'}).",
        markup=False,
    )


# --- synth ---
@cli.command()
@click.option(
    "--students",
    type=int,
    required=True,
    help="Students per school year (at least 1); leavers are replaced by newcomers.",
)
@out_option("Folder to write the five canonical files into.")
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=int,
    help="Random seed: the same seed and options give byte-identical files.",
)
@click.option(
    "--format",
    "fmt",
    default="csv",
    show_default=True,
    metavar="csv|parquet",
    help="File format of the output.",
)
@click.option(
    "--year", default="2025-26", show_default=True, help="The (last) school year, like 2025-26."
)
@click.option(
    "--years",
    default=1,
    show_default=True,
    type=int,
    help="Consecutive school years ending with --year.",
)
@click.option(
    "--messy", is_flag=True, help="Mix in a small share of bad rows, for data-quality reporting."
)
def synth(
    students: int, out_dir: Path, seed: int, fmt: str, year: str, years: int, messy: bool
) -> None:
    """Write a realistic synthetic district or state in the canonical format, in bounded memory."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from rollcall.synth import CHUNK, write_synthetic

    options: dict[str, Any] = dict(
        students=students, seed=seed, fmt=fmt, year=year, years=years, messy=messy
    )
    if students > 4 * CHUNK:
        columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=stderr, transient=True) as bar:
            task = bar.add_task("students", total=students)
            summary = write_synthetic(
                out_dir, **options, progress=lambda done, _: bar.update(task, completed=done)
            )
    else:
        summary = write_synthetic(out_dir, **options)
    stdout.print(
        f"{summary.districts:,} districts, {summary.schools:,} schools, "
        f"school years {', '.join(summary.years)}."
    )
    table = Table("file", "rows", box=None)
    for name, rows in summary.rows().items():
        table.add_row(name, f"{rows:,}")
    stdout.print(table)
    if messy:
        stdout.print(f"{summary.bad_rows:,} rows made bad on purpose (--messy).")
    stdout.print(f"Wrote them to {out_dir}.")


# --- spc ---


@cli.command()
@click.argument("series", type=click.Path(path_type=Path))
@click.option(
    "--chart",
    "kind",
    required=True,
    type=click.Choice(["run", "xmr", "p", "pprime"]),
    help="run (median, runs rules), xmr (measurements), p or pprime (proportions).",
)
@click.option(
    "--rules",
    type=click.Choice(["ihi", "anhoej"]),
    default=None,
    help="Run chart rules (default ihi).",
)
@click.option(
    "--freeze",
    type=click.IntRange(min=1),
    default=None,
    metavar="K",
    help="Fix the centre line and limits on the first K periods.",
)
@click.option(
    "--rebase",
    multiple=True,
    metavar="PERIOD",
    help="Start a new baseline at PERIOD, after a sustained shift (repeatable).",
)
@click.option(
    "--screen",
    is_flag=True,
    help="xmr/pprime: leave out moving ranges above 3.267 × their mean first.",
)
@click.option(
    "--annotations",
    "annotations_path",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="CSV of period, text[, kind] notes to draw on the chart.",
)
@click.option("--title", default="", help="Chart title (default: the series file name).")
@out_option("Folder for spc.csv, spc.json and spc.svg.")
def spc(
    series: Path, kind: str, rules: str | None, freeze: int | None, rebase: tuple[str, ...],
    screen: bool, annotations_path: Path | None, title: str, out_dir: Path,
) -> None:  # fmt: skip
    """Run or control chart of SERIES (period,value or period,numerator,denominator)."""
    from rollcall.spc.series import write_spc
    from rollcall.spc.svg import RULE_TEXT

    result = write_spc(
        series, out_dir, kind=kind, rules=rules, freeze=freeze, rebase=rebase, screen=screen,
        annotations_path=annotations_path, title=title,
    )  # fmt: skip
    chart = result.chart
    present = sum(p.value is not None for p in chart.points)
    centre = "none (no values)" if chart.centre is None else f"{chart.centre:.6g}"
    stdout.print(f"{chart.kind} chart of {present} periods, centre {centre}.")
    for point in chart.signalling:
        rules_fired = ", ".join(RULE_TEXT[s] for s in point.signals)
        stdout.print(f"  signal at {point.period}: {rules_fired}", markup=False)
    if chart.runs is not None:
        verdict = "non-random variation" if chart.runs.runs_signal else "no runs signal"
        stdout.print(
            f"  runs: {chart.runs.n_useful} useful, longest run {chart.runs.longest_run} "
            f"(max {chart.runs.longest_run_max}), crossings {chart.runs.crossings} "
            f"(min {chart.runs.crossings_min}): {verdict}."
        )
    stdout.print(f"Wrote spc.csv, spc.json and spc.svg to {out_dir}.", markup=False)


@cli.command()
@click.option(
    "--url",
    required=True,
    help="The Ed-Fi ODS/API's base URL (where /oauth/token and /data/v3 are).",
)
@out_option("Folder to save the resources in; read it with --input.")
@click.option(
    "--credentials",
    default=None,
    type=click.Path(path_type=Path),
    help="TOML file with key and secret (default: the environment variables "
    "ROLLCALL_EDFI_KEY and ROLLCALL_EDFI_SECRET).",
)
@click.option(
    "--since-last",
    is_flag=True,
    help="Only what changed since the last pull into --out (change versions).",
)
def fetch(url: str, out_dir: Path, credentials: Path | None, since_last: bool) -> None:
    """Pull attendance, enrollments, calendars, students and programs from an Ed-Fi ODS/API
    into a folder that --input reads (docs/sources/edfi.md)."""
    from rollcall.formats.edfi.pull import pull

    result = pull(url, out_dir, credentials=credentials, since_last=since_last)
    table = Table("resource", "records", "received", "deleted", box=None)
    for pulled in result.resources:
        if pulled.skipped:
            table.add_row(pulled.resource, "skipped: " + pulled.skipped, "", "")
        else:
            counts = (pulled.records, pulled.received, pulled.deleted)
            table.add_row(pulled.resource, *(f"{n:,}" for n in counts))
    stdout.print(table)
    print_notes(result.notes, {})
    if result.change_version is not None:
        since = f" (changes after {result.since})" if result.since is not None else ""
        stdout.print(
            f"Pulled up to change version {result.change_version:,}{since}; next time, "
            "--since-last pulls only what changed after it."
        )
    stdout.print(
        f"Saved to {out_dir}. Then: rollcall report --input {out_dir} --out RESULTS",
        markup=False,
    )


# --- publish ---


@cli.command()
@source_options
@out_option("Folder for public_summary.csv/.json and equity.csv.")
@click.option("--policy", default="attendance-works", show_default=True, help=_POLICY_HELP)
@click.option(
    "--year",
    default=None,
    help="School year like 2024-25 (default: the latest in the input); earlier "
    "years in the input are published too, for the trend.",
)
@click.option(
    "--rules",
    default=None,
    metavar="NAME|FILE",
    help="Disclosure rules: default, california, connecticut, federal, or a .toml "
    "file (docs/publish.md).",
)
@click.option(
    "--ca-dashboard",
    "ca_dashboard",
    is_flag=True,
    help="Also ca_dashboard.csv: California's chronic absenteeism indicator (needs "
    "the year before too).",
)
@click.option("--site", is_flag=True, help="Also the static public website, in DIR/site.")
def publish(
    source: Source, out_dir: Path, policy: str, year: str | None, rules: str | None,
    ca_dashboard: bool, site: bool,
) -> None:  # fmt: skip
    """Write what may be published: suppressed counts by unit and group, and equity measures."""
    result = api.publish(
        source, out_dir, policy=policy, year=year, rules=rules, ca_dashboard=ca_dashboard,
        site=site,
    )  # fmt: skip
    print_notes(result.notes, {})
    policy = f", policy {result.policy}" if result.policy else ""
    stdout.print(
        f"School years {', '.join(result.school_years)}{policy}, rules "
        f"{result.rules}: {result.rules_summary}.",
        markup=False,
        soft_wrap=True,
    )
    hidden = sum(result.hidden.values())
    stdout.print(f"{result.cells:,} cells, {hidden:,} with a hidden count:")
    table = Table("note", "cells", box=None)
    for reason, cells in sorted(result.hidden.items(), key=lambda item: -item[1]):
        table.add_row(reason, f"{cells:,}")
    stdout.print(table)
    names = [str(p.relative_to(out_dir)) if p.is_relative_to(out_dir) else str(p)
             for p in result.files]  # fmt: skip
    shown = names if len(names) <= 8 else [*names[:6], f"and {len(names) - 6:,} more"]
    stdout.print(f"Wrote {', '.join(shown)} to {out_dir}.", markup=False, soft_wrap=True)


def print_notes(notes: Sequence[str], skipped: Mapping[str, int]) -> None:
    """What the reader assumed or found, and the rows it left out on purpose, before results."""
    for note in notes:
        stdout.print(f"Note: {note}", markup=False, soft_wrap=True)
    for what, n in skipped.items():
        stdout.print(
            f"Skipped {n:,} {what} (not refused: counted here).", markup=False, soft_wrap=True
        )


@cli.command()
@source_options
@click.option(
    "--suggest-mapping",
    "suggest",
    default=None,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write a starting mapping file (TOML) for an SIS export from the headers and codes "
    "it finds (docs/sources/sis.md); no mapping needed.",
)
def inspect(source: Source, suggest: Path | None) -> None:
    """What an input holds and how rollcall reads it: the kind, files, columns matched and not,
    codes seen with counts and what each maps to, the date range, and what is missing."""
    from rollcall.formats.sources import inspect as inspect_source

    if suggest is not None:
        _suggest(source.path, suggest)
        return
    found = inspect_source(source)
    stdout.print(
        f"{source.path}: {found.kind} ({found.grain}-level data).", markup=False, soft_wrap=True
    )
    for seen in found.files:
        stdout.print(
            f"\n{seen.path} → {seen.role}: {seen.rows:,} rows", markup=False, soft_wrap=True
        )
        for canonical, column in seen.matched.items():
            same = "" if canonical == column else f" ← {column}"
            stdout.print(f"  {canonical}{same}", markup=False, soft_wrap=True)
        if seen.unmatched:
            stdout.print("  not used: " + ", ".join(seen.unmatched), markup=False, soft_wrap=True)
    if found.codes:
        table = Table("column", "code", "rows", "read as", box=None, title="\nCodes")
        for code in found.codes:
            shown = code.mapped_to if code.mapped_to is not None else "NOT MAPPED"
            table.add_row(code.column, code.code or "(empty)", f"{code.count:,}", shown)
        stdout.print(table)
    if found.first_date is not None:
        stdout.print(f"\nDates: {found.first_date} to {found.last_date}.", soft_wrap=True)
    for line in found.missing:
        stdout.print(f"Missing: {line}", markup=False, soft_wrap=True)
    print_notes(found.notes, {})
    if found.unmapped:
        codes = ", ".join(f"{c.code!r} ({c.count:,})" for c in found.unmapped)
        stdout.print(f"Not mapped: {codes}.", markup=False, soft_wrap=True)


def _suggest(path: Path, out: Path) -> None:
    from rollcall.formats.sis.suggest import write_suggestion

    suggestion = write_suggestion(path, out)
    for table, files in suggestion.tables.items():
        stdout.print(f"{table}: {', '.join(files)}", markup=False)
    entries = "1 entry is" if suggestion.todo == 1 else f"{suggestion.todo:,} entries are"
    todo = f"; {entries} marked TODO for you" if suggestion.todo else ""
    stdout.print(f"Wrote {out}{todo}.", markup=False, soft_wrap=True)
    stdout.print(
        f"Check it, then: rollcall inspect --input {path} --mapping {out}",
        markup=False,
        soft_wrap=True,
    )
