"""The `rollcall` command: it parses options, calls one library function, prints the outcome.

No rule lives here. Errors we raise on purpose become one line on standard error and exit
status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from rollcall import api
from rollcall.errors import RollcallError

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


def engine_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options every command that runs the engine takes: input, policy, year, as-of."""
    options = [
        click.option("--input", "input_dir", required=True, type=click.Path(path_type=Path),
                     help="Folder of canonical files (schools, students, enrollments, calendar, "
                     "attendance; .csv or .parquet)."),
        click.option("--policy", default="attendance-works", show_default=True, help=_POLICY_HELP),
        click.option("--year", default=None,
                     help="School year like 2024-25 (default: the latest in calendar.csv)."),
        click.option("--as-of", "as_of", default=None, callback=_iso_date,
                     help="Count only days up to this date (YYYY-MM-DD)."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


_POLICY_HELP = (
    "attendance-works (default), edfacts, california, california-dashboard, "
    "or the path of a .toml policy file"
)


@cli.command()
@engine_options
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder to write student_metrics, summary and rejects into.",
)
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
    input_dir: Path,
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
    (and with --html, report.html)."""
    result = api.report(
        input_dir, out_dir, policy=policy, year=year, as_of=as_of, output_format=output_format,
        html=html, school=school, district=district,
    )  # fmt: skip
    _print_result(result, out_dir)


def _print_result(result: api.ReportResult, out_dir: Path) -> None:
    end = result.period_end.isoformat()
    stdout.print(f"School year {result.school_year}, policy {result.policy}, days up to {end}.")
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


@cli.command()
@engine_options
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for measures.csv, the weekly series and their charts.",
)
def measures(
    input_dir: Path, out_dir: Path, policy: str, year: str | None, as_of: date | None
) -> None:
    """Weekly absence and chronic-absence measures per unit, with p' charts and a funnel."""
    from rollcall.measures import write_measures

    result = write_measures(input_dir, out_dir, policy=policy, year=year, as_of=as_of)
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
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder to write the five canonical files into.",
)
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
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for spc.csv, spc.json and spc.svg.",
)
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


# --- publish ---


@cli.command()
@click.option(
    "--input",
    "input_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder of canonical files (as for report).",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for public_summary.csv/.json and equity.csv.",
)
@click.option("--policy", default="attendance-works", show_default=True, help=_POLICY_HELP)
@click.option(
    "--year",
    default=None,
    help="School year like 2024-25 (default: the latest in calendar.csv); earlier "
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
    input_dir: Path, out_dir: Path, policy: str, year: str | None, rules: str | None,
    ca_dashboard: bool, site: bool,
) -> None:  # fmt: skip
    """Write what may be published: suppressed counts by unit and group, and equity measures."""
    result = api.publish(
        input_dir, out_dir, policy=policy, year=year, rules=rules, ca_dashboard=ca_dashboard,
        site=site,
    )  # fmt: skip
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
