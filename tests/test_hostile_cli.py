"""Broken and hostile input at the command line (issue #18): no traceback reaches the user, no
data value is obeyed by the terminal, and an unexpected failure leaves a log without data."""

from __future__ import annotations

import re

import duckdb
import pytest
from canonical import write_canonical
from command import rollcall
from outputs import absences, calendar_rows, school_days

from rollcall import console
from rollcall.api import computed_report as report_module

DAYS = school_days(20)
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\\r"


def folder_with(tmp_path, *, school_name: str = "Hazel", attribute: str = "gender"):
    return write_canonical(
        tmp_path / "in",
        schools=[{"school_id": "A", "school_name": school_name}],
        students=[{"student_id": "s1", attribute: "F"}],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "5", "entry_date": DAYS[0].isoformat()}
        ],
        calendar=calendar_rows("A", DAYS),
        attendance=absences("s1", "A", DAYS[:3]),
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("a\rb", "a\\x0db"),
        ("two\nlines", "two\\x0alines"),
        ("bell\x07", "bell\\x07"),
        ("c1\x9bcsi", "c1\\x9bcsi"),
        ("line\u2028sep", "line\\u2028sep"),
        ("[link=https://evil.example]x[/link]", "[link=https://evil.example]x[/link]"),
        ("tab\tstays", "tab\tstays"),
        ("Ünïcode ✓", "Ünïcode ✓"),
    ],
)
def test_a_data_value_is_shown_and_never_obeyed(value, shown):
    assert console.safe(value) == shown


def test_markup_in_a_value_is_printed_as_written(capsys):
    console.say("[bold]school[/bold] [link=https://evil.example]x[/link]")
    assert capsys.readouterr().out == "[bold]school[/bold] [link=https://evil.example]x[/link]\n"


def test_inspect_escapes_a_column_name_that_holds_terminal_codes(tmp_path):
    # A carriage return would end the header line itself: the CSV reader's business, not this.
    folder = folder_with(tmp_path, attribute="g" + ESCAPES.replace("\r", ""))
    done = rollcall("inspect", "--input", str(folder))
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\r" not in done.stdout
    assert "g\\x1b[2J\\x1b]0;pwned\\x07" in done.stdout


def test_an_error_message_quoting_a_value_is_one_safe_line(tmp_path):
    folder = folder_with(tmp_path)
    done = rollcall(
        "report", "--input", str(folder), "--out", str(tmp_path / "o"), "--policy", ESCAPES
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert "\x1b" not in done.stderr and "\r" not in done.stderr


def test_an_unexpected_error_is_one_line_and_a_log_without_data(tmp_path, monkeypatch):
    secret = "student 0012345678 Jane Roe"

    def broken(*args, **kwargs):
        raise ValueError(secret)

    monkeypatch.setattr(report_module, "read", broken)
    logs = tmp_path / "logs"
    folder = folder_with(tmp_path)
    done = rollcall(
        "report", "--input", str(folder), "--out", str(tmp_path / "o"),
        env={"ROLLCALL_LOG_DIR": str(logs)},
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    expected = r"error: rollcall stopped on an unexpected ValueError at \S+:\d+; "
    assert re.match(expected, done.stderr)
    assert secret not in done.stderr + done.stdout
    (log,) = logs.glob("rollcall-crash-*.log")
    assert str(log) in done.stderr
    text = log.read_text()
    assert "command: rollcall report" in text and "builtins.ValueError" in text
    assert "test_hostile_cli.py" in text  # where it was raised
    assert secret not in text and str(folder) not in text


@pytest.mark.parametrize("error", [MemoryError(), duckdb.OutOfMemoryException("out of memory")])
def test_running_out_of_memory_says_what_helps(tmp_path, monkeypatch, error):
    def exhausted(*args, **kwargs):
        raise error

    monkeypatch.setattr(report_module, "read", exhausted)
    folder = folder_with(tmp_path)
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "o"))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "ran out of memory" in done.stderr
    assert "Parquet" in done.stderr and "ROLLCALL_MEMORY_LIMIT" in done.stderr


def test_an_interrupted_run_says_aborted(tmp_path, monkeypatch):
    import click

    def interrupted(*args, **kwargs):
        raise click.exceptions.Abort()

    monkeypatch.setattr(report_module, "read", interrupted)
    done = rollcall("report", "--input", str(folder_with(tmp_path)), "--out", str(tmp_path / "o"))
    assert (done.returncode, done.stderr) == (1, "Aborted.\n")


def test_spc_says_which_periods_are_gaps(tmp_path):
    series = tmp_path / "series.csv"
    series.write_text("period,value\n1,3\n2,NaN\n3,4\n4,\n5,5\n6,4\n")
    done = rollcall("spc", str(series), "--chart", "run", "--out", str(tmp_path / "o"))
    assert done.returncode == 0, done.stderr
    assert "2 periods without a value (empty, NA or NaN) are gaps: 2, 4." in done.stdout


@pytest.mark.slow
def test_the_report_under_a_memory_cap_leaves_out_its_charts_and_says_why(tmp_path):
    # The chart renderer aborts the whole process under a virtual-memory limit (ulimit -v): the
    # page must still be written, saying why its charts are missing.
    import resource
    import subprocess
    import sys

    folder = folder_with(tmp_path)
    cap = 16 * 2**30

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, resource.RLIM_INFINITY))

    done = subprocess.run(
        [sys.executable, "-c", "from rollcall.cli import main; main()", "report", "--input",
         str(folder), "--out", str(tmp_path / "o"), "--html"],
        capture_output=True, text=True, check=False, preexec_fn=limited, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "o" / "report.html").read_text()
    assert "Chart not drawn: this run has a virtual-memory limit (16 GB, ulimit -v)" in page
    assert '<svg role="img"' not in page and page.count('data-left-out="chart"') >= 2
