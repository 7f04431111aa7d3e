"""Everything the command line prints: one function per command's result.

Data values (school names, codes, file names, a server's message) reach the terminal only through
``safe``: a control character is shown as an escape (``\\x1b``) so that no value can recolour,
move the cursor, rewrite a line, set the window title or open a link; and Rich's markup is off,
so ``[link=…]`` in a value is printed as it is, never interpreted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from rollcall.progress import Step, reporting

if TYPE_CHECKING:
    # Only the types: each command's modules load when it runs (rollcall/api/__init__.py).
    from rollcall.api import (
        OutreachEvaluation,
        OutreachPlan,
        PublishResult,
        ReportResult,
        WarnResult,
    )
    from rollcall.formats.edfi.pull import PullResult
    from rollcall.formats.sis.suggest import Suggestion
    from rollcall.formats.sources import Inspection
    from rollcall.improve import BrightSpotsResult
    from rollcall.measures import MeasuresResult
    from rollcall.outreach.send import SendResult
    from rollcall.spc.series import SpcOutput
    from rollcall.synth import SynthSummary

    # Django's models load only once the platform is set up (cli.py).
    from rollcall.web.refresh import Refreshed

# soft_wrap: Rich would otherwise cut long lines (paths, notes) at the terminal's width.
stdout = Console(highlight=False, markup=False, emoji=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)

# C0 controls but tab, DEL and the C1 controls (ESC, CSI, OSC… and their 8-bit forms).
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def safe(value: object) -> str:
    """``value`` as text a terminal shows and never obeys: control characters and line breaks
    inside a value become visible escapes."""
    return _CONTROL.sub(_escape, str(value))


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"


def say(*parts: object) -> None:
    """One line on standard output, each part made safe."""
    stdout.print(Text("".join(safe(part) for part in parts)))


def warn(*parts: object) -> None:
    """One line on standard error, each part made safe."""
    stderr.print(Text("".join(safe(part) for part in parts)))


# Without a terminal (a job's log), stages are said once the run has taken this long.
LONG_RUN = 5.0


def time_left(step: Step) -> str:
    """``about 2 min left``, from the step's estimate (empty before there is one)."""
    if step.left is None:
        return ""
    seconds = round(step.left)
    shown = f"{seconds} s" if seconds < 90 else f"{round(seconds / 60)} min"
    return f"about {shown} left"


def step_line(step: Step) -> str:
    """``[3/8] placing attendance on school days: 12 s so far, about 40 s left``."""
    left = time_left(step)
    return f"[{step.number}/{step.of}] {step.stage}: {step.elapsed:.0f} s so far" + (
        f", {left}" if left else ""
    )


@contextmanager
def stages(*, quiet: bool = False) -> Iterator[None]:
    """Show the run's stages on standard error: a bar with the time left on a terminal, else
    (a job's log) a line a stage once the run is long; nothing at all when ``quiet``."""
    if quiet:
        yield
        return
    if not stderr.is_terminal:

        def line(step: Step) -> None:
            if step.elapsed >= LONG_RUN:
                warn(step_line(step))

        with reporting(line):
            yield
        return
    columns = (
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[left]}", markup=False),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task("starting", total=1.0, left="")

        def show(step: Step) -> None:
            description = f"[{step.number}/{step.of}] {step.stage}"
            bar.update(task, completed=step.done, description=description, left=time_left(step))

        with reporting(show):
            yield


def table(columns: Sequence[str], rows: Iterable[Sequence[object]], title: str = "") -> None:
    """A borderless table; every cell made safe."""
    shown = Table(*columns, box=None, title=title or None)
    for row in rows:
        shown.add_row(*(Text(safe(cell)) for cell in row))
    stdout.print(shown)


# Notes the terminal says in its own table of each file's rows (read, ignored, rejected).
IN_THE_TABLE = frozenset({"refused", "ignored"})


def notes(found: Sequence[str], skipped: Mapping[str, int] | None = None) -> None:
    """What the reader assumed or found, and the rows it left out on purpose, before results
    (the engine's counts of refused and ignored rows are in the files' table instead)."""
    for note in found:
        if getattr(note, "kind", None) not in IN_THE_TABLE:
            say("Note: ", note)
    for what, n in (skipped or {}).items():
        say(f"Skipped {n:,} ", what, " (not refused: counted here).")


def _count(n: int) -> str:
    return f"{n:,}"


def _counted(n: int, noun: str) -> str:
    """``1 cell``, ``2 cells``: a count and its noun."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def report(result: ReportResult, out_dir: Path) -> None:
    """What a report run read and wrote: from student rows, or from a state's published file."""
    if result.published is None:
        end = result.period_end.isoformat() if result.period_end else ""
        say(f"School year {result.school_year}, policy ", result.policy, f", days up to {end}.")
        notes(result.notes, result.skipped)
        table(
            ("file", "read", "accepted", "ignored", "rejected"),
            (
                (name, *map(_count, (c.read, c.accepted, c.ignored, c.rejected)))
                for name, c in result.counts.items()
            ),
        )
        rate = result.chronic_rate
        say(
            f"{result.unit}: " if result.unit else "",
            f"Students: {result.students or 0:,}; eligible: {result.eligible or 0:,}; "
            f"chronically absent: {result.chronically_absent or 0:,}"
            + (f" ({rate:.1%})." if rate is not None else "."),
        )
    else:
        _published(result)
    if result.refused:
        say(f"{result.refused:,} rows refused: see ", out_dir / "rejects.csv", " for each reason.")
    say("Wrote ", ", ".join(p.name for p in result.files), " to ", out_dir, ".")
    if result.html is not None:
        say("The report: ", result.html.resolve().as_uri())


def _published(result: ReportResult) -> None:
    """A report on a state's published file: what was kept (docs/sources/aggregates.md)."""
    published = result.published
    assert published is not None
    units = ", ".join(f"{n:,} {level}" for level, n in published.units.items() if n)
    say("Published figures, school years ", ", ".join(result.school_years), ": ", units, ".")
    notes(result.notes, result.skipped)
    say(
        f"Figures kept: {published.figures:,} ({published.suppressed:,} suppressed by the "
        f"publisher, kept as suppressed); refused: {result.refused:,}."
    )
    total = published.total
    if total is None:
        return
    eligible, chronic = total["eligible_students"], total["chronically_absent"]
    shown = [f"eligible: {eligible:,}" if eligible is not None else "eligible: not published"]
    shown.append(
        f"chronically absent: {chronic:,}" if chronic is not None else "count not published"
    )
    if eligible and chronic is not None:
        shown[-1] += f" ({chronic / eligible:.1%})"
    elif total["published_rate"] is not None:
        shown.append(f"rate as published {total['published_rate']:.1%}")
    say(total["unit_name"], f", {result.school_year}: ", "; ".join(shown), ".")


def measures(result: MeasuresResult, out_dir: Path) -> None:
    notes(result.notes)
    say(
        f"School year {result.school_year}: {result.weeks} weeks for {result.units:,} units. "
        f"Wrote measures.csv, series/ and charts ({len(result.files):,} files) to ",
        out_dir,
        ".",
    )


def bright_spots(result: BrightSpotsResult) -> None:
    """How many units were assessed and found: names of schools and districts, never a student."""
    notes(result.notes)
    alone = result.without_peers
    alone_text = f" ({alone:,} without peers to compare with)" if alone else ""
    say(
        f"School year {result.school_year}: {len(result.spots):,} bright spots among "
        f"{result.assessed:,} schools and districts assessed{alone_text}. Wrote ",
        result.path,
        ".",
    )


def warning(result: WarnResult, out_dir: Path) -> None:
    """What the early warning found: counts and rates only, never a student."""
    found = result.warning
    flagged = sum(1 for f in found.flags if f.flagged)
    say(f"Early warning for {found.school_year} as of {found.as_of.isoformat()}: "
        f"{_count(len(found.flags))} students scored, {_count(flagged)} flagged "
        f"({found.caseload}).")  # fmt: skip
    for note in found.notes:
        say("Note: ", note)
    say(found.why)
    evaluation = found.evaluation
    if evaluation is not None:
        table(
            ["method", "recall", "precision", "PR-AUC", "ROC-AUC"],
            [
                [m.label, _share(m.at_caseload.recall), _share(m.at_caseload.precision),
                 _auc(m.pr_auc), _auc(m.roc_auc)]
                for m in evaluation.methods
            ],
            title=f"On {evaluation.school_year}, at the caseload",
        )  # fmt: skip
        for gap in evaluation.gaps.get(found.method, [])[:3]:
            say("Gap: ", gap)
    say("Wrote flags.csv (names students: staff only), evaluation.json and evaluation.html to ",
        out_dir, ".")  # fmt: skip


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _auc(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def synth(summary: SynthSummary, out_dir: Path, *, messy: bool) -> None:
    say(
        f"{summary.districts:,} districts, {summary.schools:,} schools, "
        f"school years {', '.join(summary.years)}."
    )
    table(("file", "rows"), ((name, _count(rows)) for name, rows in summary.rows().items()))
    if messy:
        say(f"{summary.bad_rows:,} rows made bad on purpose (--messy).")
    say("Wrote them to ", out_dir, ".")


def spc(result: SpcOutput, out_dir: Path) -> None:
    from rollcall.spc.svg import RULE_TEXT

    chart = result.chart
    present = sum(p.value is not None for p in chart.points)
    centre = "none (no values)" if chart.centre is None else f"{chart.centre:.6g}"
    say(f"{chart.kind} chart of {present} periods, centre {centre}.")
    gaps = [p.period for p in chart.points if p.value is None]
    if gaps:
        shown = ", ".join(gaps[:5]) + (f" and {len(gaps) - 5:,} more" if len(gaps) > 5 else "")
        say(f"  {len(gaps):,} periods without a value (empty, NA or NaN) are gaps: ", shown, ".")
    for point in chart.signalling:
        say("  signal at ", point.period, ": ", ", ".join(RULE_TEXT[s] for s in point.signals))
    if chart.runs is not None:
        runs = chart.runs
        verdict = "non-random variation" if runs.runs_signal else "no runs signal"
        say(
            f"  runs: {runs.n_useful} useful, longest run {runs.longest_run} "
            f"(max {runs.longest_run_max}), crossings {runs.crossings} "
            f"(min {runs.crossings_min}): {verdict}."
        )
    say("Wrote spc.csv, spc.json and spc.svg to ", out_dir, ".")


def fetch(result: PullResult, out_dir: Path) -> None:
    table(
        ("resource", "records", "received", "deleted"),
        (
            (p.resource, "skipped: " + p.skipped, "", "")
            if p.skipped
            else (p.resource, *map(_count, (p.records, p.received, p.deleted)))
            for p in result.resources
        ),
    )
    notes(result.notes)
    if result.change_version is not None:
        since = f" (changes after {result.since})" if result.since is not None else ""
        say(
            f"Pulled up to change version {result.change_version:,}{since}; next time, "
            "--since-last pulls only what changed after it."
        )
    say("Saved to ", out_dir, ". Then: rollcall report --input ", out_dir, " --out RESULTS")


def publish(result: PublishResult, out_dir: Path) -> None:
    notes(result.notes)
    policy = f", policy {result.policy}" if result.policy else ""
    say(
        "School years ", ", ".join(result.school_years), policy, ", rules ", result.rules, ": ",
        result.rules_summary, ".",
    )  # fmt: skip
    say(f"{result.cells:,} cells, {sum(result.hidden.values()):,} with a hidden count:")
    hidden = sorted(result.hidden.items(), key=lambda item: -item[1])
    table(("note", "cells"), ((reason, _count(cells)) for reason, cells in hidden))
    if result.loss is not None:
        loss = result.loss
        say(
            f"Information lost: {_counted(loss.cells, 'cell')} hidden, "
            f"{_counted(loss.students, 'student')} in them; hidden to protect another group: "
            f"{_counted(loss.complementary_cells, 'cell')}, "
            f"{_counted(loss.complementary_students, 'student')}."
        )
    names = [
        str(p.relative_to(out_dir)) if p.is_relative_to(out_dir) else str(p) for p in result.files
    ]
    shown = names if len(names) <= 8 else [*names[:6], f"and {len(names) - 6:,} more"]
    say("Wrote ", ", ".join(shown), " to ", out_dir, ".")


def inspection(found: Inspection, path: Path) -> None:
    say(path, f": {found.kind} ({found.grain}-level data).")
    for seen in found.files:
        say()
        say(seen.path, " → ", seen.role, f": {seen.rows:,} rows")
        for canonical, column in seen.matched.items():
            say("  ", canonical, "" if canonical == column else f" ← {column}")
        if seen.unmatched:
            say("  not used: ", ", ".join(seen.unmatched))
    if found.codes:
        say()
        table(
            ("column", "code", "rows", "read as"),
            (
                (c.column, c.code or "(empty)", _count(c.count), _mapped(c.mapped_to))
                for c in found.codes
            ),
            title="Codes",
        )
    if found.first_date is not None:
        say()
        say(f"Dates: {found.first_date} to {found.last_date}.")
    for line in found.missing:
        say("Missing: ", line)
    notes(found.notes)
    if found.unmapped:
        say("Not mapped: ", ", ".join(f"{c.code!r} ({c.count:,})" for c in found.unmapped), ".")


def _mapped(mapped_to: str | None) -> str:
    return mapped_to if mapped_to is not None else "NOT MAPPED"


def suggestion(found: Suggestion, path: Path, out: Path) -> None:
    for name, files in found.tables.items():
        say(name, ": ", ", ".join(files))
    entries = "1 entry is" if found.todo == 1 else f"{found.todo:,} entries are"
    say("Wrote ", out, f"; {entries} marked TODO for you." if found.todo else ".")
    say("Check it, then: rollcall inspect --input ", path, " --mapping ", out)


def api_token(key: str) -> None:
    """A new API key, alone on its line (for a script to capture); shown this once."""
    say(key)


def platform_refresh(done: Refreshed) -> None:
    """What a platform refresh stored."""
    for snapshot in done.snapshots:
        say(
            "Stored a snapshot of ",
            snapshot.district.name,
            f": school year {snapshot.school_year}, days up to {snapshot.period_end}, policy ",
            snapshot.policy,
            ".",
        )
    notes(done.notes)
    table(
        ("file", "read", "accepted", "ignored", "rejected"),
        ((name, *map(_count, c.values())) for name, c in done.counts.items()),
    )
    say(f"Students: {done.students:,}; rows refused: {done.refused:,}.")


def outreach_plan(result: OutreachPlan, out_dir: Path) -> None:
    """A round planned: counts and the minimum detectable effect, never a family."""
    plan = result.plan
    by_arm = {arm: len(plan.households(arm)) for arm in ("message", "holdout")}
    students = {arm: sum(1 for a in plan.assignments if a.arm == arm) for arm in by_arm}
    say(f"Outreach round as of {plan.as_of.isoformat()} (seed {plan.seed}): "
        f"{_count(by_arm['message'])} households ({_count(students['message'])} students) to "
        f"write to, {_count(by_arm['holdout'])} households ({_count(students['holdout'])} "
        "students) held out.")  # fmt: skip
    if plan.exclusions:
        say(f"Left out: {_count(len(plan.exclusions))} students (exclusions.csv says why).")
    effect = plan.detectable
    if effect is None:
        say("Too few households to measure an effect.")
    else:
        say(f"Minimum detectable effect: {effect.effect * 100:.2f} fewer days absent per 100 "
            f"school days ({effect.households:,} households, {effect.share_held_out:.0%} held "
            "out; 95% confidence, 80% power).")  # fmt: skip
    languages = Counter(r.language for r in result.rendered)
    if languages:
        say("Letters by language: " + ", ".join(f"{code} {n:,}" for code, n in
                                                sorted(languages.items())) + ".")  # fmt: skip
    for note in result.notes:
        say("Note: ", note)
    say(f"Wrote them to {out_dir}.")


def outreach_send(result: SendResult) -> None:
    """What a round's sending did, by channel: counts only, never an address."""
    for channel in ("email", "sms"):
        if result.dry_run:
            say(f"{channel}: {_count(result.count('would send', channel))} would be sent "
                f"(dry run), {_count(result.count('skipped', channel))} skipped.")  # fmt: skip
        else:
            say(f"{channel}: {_count(result.count('sent', channel))} sent, "
                f"{_count(result.count('failed', channel))} failed, "
                f"{_count(result.count('skipped', channel))} skipped.")  # fmt: skip
    skipped = sorted({e.detail for e in result.entries if e.status == "skipped"})
    for why in skipped:
        say("Skipped: ", why, ".")
    if result.dry_run:
        say("Dry run: nothing was sent. Add --send to send.")
    else:
        say(f"Logged every send in {result.log}.")


def outreach_evaluation(result: OutreachEvaluation, out_dir: Path) -> None:
    """The round's effect in words and the headline numbers; never a student."""
    data = result.summary
    say(str(data["summary"]))
    rows = []
    for name in ("absence_rate", "days_missed", "chronic_absence"):
        found = data[name]
        if found["effect"] is None:
            rows.append([found["unit"], "", "", found["note"]])
        else:
            rows.append([found["unit"], f"{found['effect']:+.2f}",
                         f"{found['ci_low']:+.2f} to {found['ci_high']:+.2f}",
                         f"{found['n_message']:,} / {found['n_holdout']:,}"])  # fmt: skip
    table(["outcome", "effect", "95% interval", "students (written to / held out)"], rows)
    students = data["students"]
    if students["not_in_input"] or students["not_enrolled_in_window"]:
        say(f"Not measured: {students['not_in_input']:,} students no longer in the input, "
            f"{students['not_enrolled_in_window']:,} not enrolled in the window.")  # fmt: skip
    say(f"Wrote evaluation.json and evaluation.html to {out_dir}.")
