"""The `rollcall` command: it parses options, calls one function of ``rollcall.api`` and hands
the result to ``rollcall.console`` to print. No rule lives here.

Errors we raise on purpose become one line on standard error and exit status 2; running out of
memory one line saying what helps; anything else one line saying where a log of the failure was
written (docs/security.md): no traceback reaches the user.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click
import duckdb
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from rollcall import api, console, duck
from rollcall.crashlog import innermost, write_crash_log
from rollcall.errors import RollcallError
from rollcall.formats.sources import READERS, ReadOptions, Source


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rollcall")
def cli() -> None:
    """Chronic absence, computed exactly: students missing 10% or more of their enrolled days."""


def main(args: Sequence[str] | None = None) -> None:
    """Entry point: run the command group on ``args`` (default: the command line); every
    failure ends as one line and an exit status."""
    args = list(sys.argv[1:] if args is None else args)
    try:
        cli.main(args=args, prog_name="rollcall", standalone_mode=False)
    except click.exceptions.Abort:
        console.warn("Aborted.")
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except RollcallError as exc:
        # One unwrapped line that names the file, line and column, and what to try.
        hint = f" (hint: {exc.hint})" if exc.hint else ""
        console.warn(f"error: {exc}{hint}")
        sys.exit(2)
    except (MemoryError, duckdb.OutOfMemoryException):
        console.warn(f"error: {OUT_OF_MEMORY}")
        sys.exit(1)
    except Exception as exc:  # a bug: one line, and the details in a log without data
        log = write_crash_log(exc, _verb(args))
        saved = f"details (no data values) in {log}" if log else "no log could be written"
        console.warn(
            f"error: rollcall stopped on an unexpected {type(exc).__name__} at {innermost(exc)}; "
            f"this is a bug, please report it with the log: {saved}"
        )
        sys.exit(1)


OUT_OF_MEMORY = (
    "rollcall ran out of memory. What helps: give the input as Parquet (read in pieces, not "
    "whole), set a lower --memory-limit (or ROLLCALL_MEMORY_LIMIT, e.g. 2GB) so the engine "
    "spills to disk sooner, or run one school year at a time with --year"
)


def _verb(args: Sequence[str]) -> str:
    """The command's name only (its options may hold paths and ids)."""
    verbs = [arg for arg in args[:1] if arg in cli.commands]
    return verbs[0] if verbs else ""


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
        # The path may also come first, without --input, as people type it
        # (``rollcall inspect my-folder/``).
        click.argument("input_arg", required=False, metavar="[INPUT]",
                       type=click.Path(path_type=Path)),
        click.option("--input", "input_path", default=None, type=click.Path(path_type=Path),
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
        input_arg: Path | None,
        input_path: Path | None,
        source_kind: str | None,
        mapping: Path | None,
        students_file: Path | None,
        enrollment_from_sessions: bool,
        dimensions: str,
        **kwargs: Any,
    ) -> None:
        path = _input_path(input_arg, input_path)
        read = ReadOptions(
            mapping=mapping,
            students_file=students_file,
            enrollment_from_sessions=enrollment_from_sessions,
            dimensions=tuple(name.strip() for name in dimensions.split(",") if name.strip()),
        )
        command(*args, source=Source(path, source_kind, read), **kwargs)

    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped


def _input_path(argument: Path | None, option: Path | None) -> Path:
    """The input, given as the first argument or with ``--input`` (once, or both the same)."""
    if argument is not None and option is not None and argument != option:
        raise click.UsageError(
            f"two inputs given: {argument} and --input {option}; give one of them"
        )
    path = option or argument
    if path is None:
        raise click.UsageError(
            "no input given: name it first (rollcall inspect my-folder/) or with --input PATH"
        )
    return path


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


def _memory_limit(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not duck.is_size(value):
        raise click.BadParameter(f"{value!r} is not a size: give a number and a unit, like 4GB")
    return value


def limit_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--threads`` and ``--memory-limit``: what the engine may use of the machine; and
    ``--quiet`` for jobs."""
    options = [
        click.option("--threads", default=None, type=click.IntRange(1), metavar="N",
                     help="Threads the engine uses (default: every core, "
                     "or ROLLCALL_THREADS)."),
        click.option("--memory-limit", "memory_limit", default=None, callback=_memory_limit,
                     metavar="SIZE",
                     help="Memory the engine keeps its tables in, like 4GB; past it, it spills "
                     "to the temporary folder (default: an eighth of the machine's memory, at "
                     "least 1 GB, or ROLLCALL_MEMORY_LIMIT)."),
        click.option("--quiet", "-q", is_flag=True,
                     help="Print nothing but errors (for jobs): no progress, no summary."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


@contextmanager
def limited(threads: int | None, memory_limit: str | None, quiet: bool) -> Iterator[None]:
    """Run a command's work under its ``limit_options``: every DuckDB connection it opens held
    to them, and its stages shown unless ``quiet``."""
    with duck.limits(threads=threads, memory_limit=memory_limit), console.stages(quiet=quiet):
        yield


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
@limit_options
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="Run the rules on DuckDB, or on Spark for a state or a "
    "nation (a canonical folder, local or at a URI Spark reads; docs/scale.md).",
)
@click.option(
    "--spark-master",
    default=None,
    metavar="URL",
    help="Spark's master (default: the job's own, else local mode on every core).",
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
    threads: int | None,
    memory_limit: str | None,
    quiet: bool,
    engine: str,
    spark_master: str | None,
) -> None:
    """Compute chronic absence for a canonical folder: student_metrics, summary, rejects
    (and with --html, report.html). A state's published aggregate file gives summary,
    aggregate and rejects (docs/sources/aggregates.md)."""
    with limited(threads, memory_limit, quiet):
        result = api.report(
            source, out_dir, policy=policy, year=year, as_of=as_of, output_format=output_format,
            html=html, school=school, district=district, threads=threads,
            memory_limit=memory_limit, engine=engine, spark_master=spark_master,
        )  # fmt: skip
    if not quiet:
        console.report(result, out_dir)


@cli.command()
@engine_options
@out_option("Folder for measures.csv, the weekly series and their charts.")
@limit_options
def measures(
    source: Source, out_dir: Path, policy: str, year: str | None, as_of: date | None,
    threads: int | None, memory_limit: str | None, quiet: bool,
) -> None:  # fmt: skip
    """Weekly absence and chronic-absence measures per unit, with p' charts and a funnel."""
    with limited(threads, memory_limit, quiet):
        result = api.measures(source, out_dir, policy=policy, year=year, as_of=as_of)
    if not quiet:
        console.measures(result, out_dir)


@cli.command("bright-spots")
@engine_options
@out_option("Folder for bright_spots.csv.")
@limit_options
def bright_spots(
    source: Source, out_dir: Path, policy: str, year: str | None, as_of: date | None,
    threads: int | None, memory_limit: str | None, quiet: bool,
) -> None:  # fmt: skip
    """Schools and districts whose weekly absence improved against their peers (bright spots)."""
    with limited(threads, memory_limit, quiet):
        result = api.bright_spots(source, out_dir, policy=policy, year=year, as_of=as_of)
    if not quiet:
        console.bright_spots(result)


@cli.command()
@source_options
@click.option(
    "--as-of",
    "as_of",
    required=True,
    callback=_iso_date,
    help="Score the students as of this date (YYYY-MM-DD): nothing after it is used.",
)
@out_option("Folder for flags.csv (staff only: it names students), evaluation.json and .html.")
@click.option(
    "--caseload",
    default="20%",
    show_default=True,
    metavar="20%|N",
    help="Students each school can reach: a share of its students or a number.",
)
@click.option("--policy", default="attendance-works", show_default=True, help=_POLICY_HELP)
@click.option(
    "--use-excluded-attributes",
    "protected",
    is_flag=True,
    help="Also give the model race and ethnicity, income, disability, English learner "
    "status and home language (off by default; docs/early-warning.md).",
)
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0))
@limit_options
def warn(
    source: Source, as_of: date, out_dir: Path, caseload: str, policy: str, protected: bool,
    seed: int, threads: int | None, memory_limit: str | None, quiet: bool,
) -> None:  # fmt: skip
    """Early warning: rank each school's students by their risk of ending the year chronically
    absent, with reasons, and test the model against the simple rules on a past year."""
    with limited(threads, memory_limit, quiet):
        result = api.warn(
            source, as_of=as_of, out_dir=out_dir, caseload=caseload, policy=policy,
            protected=protected, seed=seed,
        )  # fmt: skip
    if not quiet:
        console.warning(result, out_dir)


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
    input_dir = out_dir / "input"
    console.say(f"Building a synthetic district of {students:,} students in ", input_dir, " ...")
    api.synth(input_dir, students=students, seed=seed, years=2, messy=True)
    console.report(api.report(input_dir, out_dir, html=True), out_dir)
    console.say(
        "A school's own page, with its students to support: rollcall report --input ", input_dir,
        " --out ", out_dir / "school", " --school ID (an id from ", input_dir / "schools.csv", ").",
    )  # fmt: skip


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
    options: dict[str, Any] = dict(
        students=students, seed=seed, fmt=fmt, year=year, years=years, messy=messy
    )
    from rollcall.synth import CHUNK

    if students > 4 * CHUNK:
        columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console.stderr, transient=True) as bar:
            task = bar.add_task("students", total=students)
            summary = api.synth(
                out_dir, **options, progress=lambda done, _: bar.update(task, completed=done)
            )
    else:
        summary = api.synth(out_dir, **options)
    console.synth(summary, out_dir, messy=messy)


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
    result = api.spc(
        series, out_dir, kind=kind, rules=rules, freeze=freeze, rebase=rebase, screen=screen,
        annotations=annotations_path, title=title,
    )  # fmt: skip
    console.spc(result, out_dir)


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
@click.option(
    "--allow-insecure",
    is_flag=True,
    help="Allow plain http to --url's own host and port (a local test server); never to "
    "another host.",
)
def fetch(
    url: str, out_dir: Path, credentials: Path | None, since_last: bool, allow_insecure: bool
) -> None:
    """Pull attendance, enrollments, calendars, students and programs from an Ed-Fi ODS/API
    into a folder that --input reads (docs/sources/edfi.md)."""
    result = api.fetch(
        url, out_dir, credentials=credentials, since_last=since_last,
        allow_insecure=allow_insecure,
    )  # fmt: skip
    console.fetch(result, out_dir)


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
@limit_options
def publish(
    source: Source, out_dir: Path, policy: str, year: str | None, rules: str | None,
    ca_dashboard: bool, site: bool, threads: int | None, memory_limit: str | None, quiet: bool,
) -> None:  # fmt: skip
    """Write what may be published: suppressed counts by unit and group, and equity measures."""
    with limited(threads, memory_limit, quiet):
        result = api.publish(
            source, out_dir, policy=policy, year=year, rules=rules, ca_dashboard=ca_dashboard,
            site=site,
        )  # fmt: skip
    if not quiet:
        console.publish(result, out_dir)


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
    if suggest is not None:
        console.suggestion(api.suggest_mapping(source.path, suggest), source.path, suggest)
        return
    console.inspection(api.inspect(source), source.path)


# --- the platform ---

data_option = click.option(
    "--data",
    "data",
    default="rollcall-data",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The platform's data folder (database, key).",
)


@cli.command()
@data_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--demo",
    is_flag=True,
    help="On a fresh data folder, load a synthetic district and one account per role.",
)
def serve(data: Path, host: str, port: int, workers: int, demo: bool) -> None:
    """Run the platform (docs/platform.md): SQLite in the data folder, or DATABASE_URL."""
    from rollcall.web import server  # Django loads for the platform's commands only

    server.setup(data)
    server.prepare()
    if demo:
        # Django's models can be imported only once it is set up (just above).
        from rollcall.web.demo import DEMO_PASSWORD, load_demo

        loaded = load_demo(data, say=console.say)
        console.say(
            f"Demo: {loaded.district.name}, {loaded.snapshots} refreshes. Accounts: "
            f"{', '.join(loaded.accounts)}; password: {DEMO_PASSWORD}"
        )
    console.say(f"Serving on http://{host}:{port}/ (stop with Ctrl+C).")
    server.serve(host, port, workers=workers)


@cli.command()
@engine_options
@data_option
@click.option(
    "--warn/--no-warn",
    default=True,
    show_default=True,
    help="Run the early warning as of the same date (docs/early-warning.md); it takes about "
    "half a refresh's time and most of its memory.",
)
def refresh(
    source: Source, policy: str, year: str | None, as_of: date | None, data: Path, warn: bool
) -> None:
    """Compute an input as of a date and store it as the platform's newest snapshot of each
    district it holds (for a nightly job; docs/platform.md)."""
    from rollcall.web import server  # Django loads for the platform's commands only

    server.setup(data)
    server.prepare(static=False)  # a nightly job serves no page
    # Django's models can be imported only once it is set up (just above).
    from rollcall.web.refresh import refresh as refresh_data

    done = refresh_data(source, as_of=as_of, policy=policy, year=year, warn=warn)
    console.platform_refresh(done)


@cli.command()
@click.argument("username")
@data_option
def token(username: str, data: Path) -> None:
    """Print a new key to the platform's JSON API for the account USERNAME (shown once; only
    its hash is kept; docs/platform.md, "The API")."""
    from rollcall.web import server  # Django loads for the platform's commands only

    server.setup(data)
    server.prepare(static=False)
    # Django's models can be imported only once it is set up (just above).
    from rollcall.web.people.tokens import issue_token

    console.api_token(issue_token(username))


@cli.group()
def outreach() -> None:
    """Family outreach: plan a round of letters and messages with a random holdout, send it,
    and measure its effect (docs/outreach.md)."""


@outreach.command("plan")
@source_options
@click.option("--as-of", "as_of", required=True, callback=_iso_date,
              help="Count absences up to this date (YYYY-MM-DD).")  # fmt: skip
@out_option(
    "Folder for assignments.csv, exclusions.csv, messages.csv and the letters' PDFs "
    "(staff only: they name students and families)."
)
@click.option(
    "--seed",
    required=True,
    type=click.IntRange(0),
    help="Random seed of the holdout: the same seed gives the same assignments.",
)
@click.option(
    "--holdout",
    default=None,
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Share of households held out in each stratum  [default: 0.2]",
)
@click.option(
    "--rules",
    "rules_file",
    default=None,
    type=click.Path(path_type=Path),
    help="TOML file of outreach rules: who is eligible (docs/outreach.md).",
)
@click.option(
    "--templates",
    default=None,
    type=click.Path(path_type=Path),
    help="Folder of the district's own templates and catalogues, used before the "
    "packaged ones (docs/outreach.md).",
)
def outreach_plan(
    source: Source, as_of: date, out_dir: Path, seed: int, holdout: float | None,
    rules_file: Path | None, templates: Path | None,
) -> None:  # fmt: skip
    """Choose the families to write to, hold a random share out, and write the letters."""
    result = api.outreach_plan(source, as_of=as_of, out_dir=out_dir, seed=seed, holdout=holdout,
                               rules_file=rules_file, templates=templates)  # fmt: skip
    console.outreach_plan(result, out_dir)


@outreach.command("send")
@click.option(
    "--round",
    "round_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="The folder `rollcall outreach plan` wrote (messages.csv, assignments.csv).",
)
@click.option(
    "--smtp",
    default=None,
    metavar="HOST:PORT",
    help="Send e-mail through this SMTP server (login from ROLLCALL_SMTP_USER and "
    "ROLLCALL_SMTP_PASSWORD; STARTTLS on port 587).",
)
@click.option("--from", "sender", default=None, help="The address e-mails are sent from.")
@click.option(
    "--sms-url",
    default=None,
    metavar="URL",
    help="Send text messages to this provider URL (token from ROLLCALL_SMS_TOKEN).",
)
@click.option(
    "--sms-file",
    default=None,
    type=click.Path(path_type=Path),
    help="Write text messages to this JSON-lines file instead.",
)
@click.option(
    "--send",
    "really",
    is_flag=True,
    help="Really send (without it, a dry run: says what would be sent, sends nothing).",
)
def outreach_send(
    round_dir: Path, smtp: str | None, sender: str | None, sms_url: str | None,
    sms_file: Path | None, really: bool,
) -> None:  # fmt: skip
    """Send a round's e-mails and text messages, each household once, every send logged."""
    result = api.outreach_send(round_dir, dry_run=not really, smtp=smtp, sender=sender,
                               sms_url=sms_url, sms_file=sms_file)  # fmt: skip
    console.outreach_send(result)


@outreach.command("evaluate")
@source_options
@click.option(
    "--assignments",
    required=True,
    type=click.Path(path_type=Path),
    help="The round's assignments.csv (from `rollcall outreach plan`).",
)
@click.option(
    "--from",
    "start",
    required=True,
    callback=_iso_date,
    help="First day of the window measured (YYYY-MM-DD), after the letters went out.",
)
@click.option(
    "--to",
    "end",
    required=True,
    callback=_iso_date,
    help="Last day of the window measured (YYYY-MM-DD), in the same school year.",
)
@out_option("Folder for evaluation.json and evaluation.html.")
@click.option("--policy", default="attendance-works", show_default=True, help=_POLICY_HELP)
def outreach_evaluate(
    source: Source, assignments: Path, start: date, end: date, out_dir: Path, policy: str
) -> None:
    """Measure the round's effect: the message arm against the holdout, with 95% intervals."""
    result = api.outreach_evaluate(source, assignments=assignments, start=start, end=end,
                                   out_dir=out_dir, policy=policy)  # fmt: skip
    console.outreach_evaluation(result, out_dir)
