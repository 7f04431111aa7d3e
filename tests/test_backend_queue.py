"""The engine's statements run in order on a thread of their own while Python builds the next
(rollcall/engine/backend.py, ``Queued``), and the input is read while the engine's modules
load (rollcall/engine/reading.py): the results must be those of running each statement at once,
errors must reach the caller, and nothing a caller waits for may be lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import ibis
import pytest

from rollcall import api, progress
from rollcall.engine import reading
from rollcall.engine.backend import Queued, connect
from rollcall.engine.pipeline import read
from rollcall.errors import InputError
from rollcall.policy import get_policy
from rollcall.progress import Step
from rollcall.tables import literal_table


def test_tables_built_on_tables_not_yet_made_give_the_same_rows_as_made_at_once() -> None:
    backend = connect()
    numbers = ibis.memtable({"n": list(range(1, 101))})
    made = backend.materialize(numbers)  # queued: the table may not exist yet
    squares = backend.materialize(made.mutate(square=made.n * made.n))
    odd = backend.materialize(squares.filter(squares.n % 2 == 1))
    later = backend.later(odd.square.sum())  # queued after the three
    # The columns are known at once, from the expression, without waiting.
    assert odd.columns == ("n", "square")
    assert later.scalar() == sum(n * n for n in range(1, 101, 2))
    assert backend.count(squares) == 100
    backend.close()


def test_a_table_keeps_the_types_ibis_gives_it() -> None:
    backend = connect()
    made = backend.materialize(
        ibis.memtable({"a": [1, 2]}).mutate(b=ibis.literal(1.5), c=ibis.literal("x"))
    )
    described = backend.con.execute(f"DESCRIBE {made.get_name().split('.')[-1]}").fetchall()
    assert [(row[0], row[1]) for row in described] == [
        ("a", "BIGINT"),
        ("b", "DOUBLE"),
        ("c", "VARCHAR"),
    ]
    backend.close()


def test_the_first_error_reaches_the_caller_at_the_next_read_and_later_statements_do_not_run() -> (
    None
):
    backend = connect()
    bad = literal_table({"t": ["2025-01-02", "not a date"]}, {"t": "string"})
    made = backend.materialize(bad.mutate(d=bad.t.cast("date")))  # fails on its thread
    after = backend.materialize(made.mutate(e=made.d))  # would fail too: its table is missing
    with pytest.raises(duckdb.ConversionException):
        backend.count(after)
    # Asking again about the table still fails, with the reason, rather than answering.
    with pytest.raises(duckdb.ConversionException):
        backend.count(made)
    # And any later result shows the first error, not an answer computed after it.
    with pytest.raises(duckdb.ConversionException):
        backend.scalar(ibis.literal(1))
    backend.close()


def test_a_table_from_python_values_is_made_at_once_on_the_connection_ibis_registered_it_on() -> (
    None
):
    backend = connect()
    bad = ibis.memtable({"t": ["2025-01-02", "not a date"]})
    with pytest.raises(duckdb.ConversionException):  # at once, not at the next read
        backend.materialize(bad.mutate(d=bad.t.cast("date")))
    backend.close()


def test_reading_the_connection_or_ibis_directly_waits_for_the_statements_queued() -> None:
    backend = connect()
    made = backend.materialize(ibis.memtable({"n": [1, 2, 3]}), "_queue_direct")
    assert made.get_name().endswith("_queue_direct")
    assert backend.con.execute("SELECT count(*) FROM _queue_direct").fetchall() == [(3,)]
    assert backend.ibis.table("_queue_direct").count().execute() == 3
    backend.close()


def test_a_written_file_is_there_when_copy_to_returns(tmp_path: Path) -> None:
    backend = connect()
    table = ibis.memtable({"n": [3, 1, 2]})
    backend.copy_to(table.order_by("n"), tmp_path / "n.csv", output_format="csv")
    assert (tmp_path / "n.csv").read_text() == "n\n1\n2\n3\n"
    with pytest.raises(duckdb.IOException):
        backend.copy_to(table, tmp_path / "no such folder" / "n.csv", output_format="csv")
    backend.close()


def test_a_text_table_is_written_from_its_query_in_its_order(tmp_path: Path) -> None:
    """Written without being made a table first (every output table is text): the rows in the
    query's order however DuckDB splits the work, the bytes those of the table made first."""
    numbers = list(range(300_000))
    random.Random(1).shuffle(numbers)
    backend = connect()
    table = ibis.memtable({"n": numbers})
    text = table.select(text=table.n.cast("string").lpad(6, "0")).order_by("text")
    backend.copy_to(text, tmp_path / "direct.csv", output_format="csv")
    made = backend.materialize(text)
    backend.con.execute(f"COPY {made.get_name().split('.')[-1]} TO '{tmp_path / 'made.csv'}'")
    lines = (tmp_path / "direct.csv").read_text().splitlines()
    assert lines == ["text", *(f"{n:06d}" for n in range(300_000))]
    assert (tmp_path / "direct.csv").read_bytes() == (tmp_path / "made.csv").read_bytes()
    backend.close()


def test_closing_drops_the_statements_not_started() -> None:
    queue = Queued(duckdb.connect())
    started, release = threading.Barrier(3, timeout=10), threading.Event()
    ran: list[str] = []

    def slow(con: duckdb.DuckDBPyConnection) -> None:
        started.wait()
        release.wait(10)
        ran.append("slow")

    queue.submit(slow)
    queue.submit(slow)  # both lanes busy
    queue.submit(lambda con: ran.append("never"))
    started.wait()
    threading.Timer(0.2, release.set).start()
    queue.close()  # waits for the two running, drops the third
    assert ran == ["slow", "slow"]


def test_statements_on_different_tables_run_side_by_side() -> None:
    """Each of the two waits for the other to start: they finish only if run at once."""
    queue = Queued(duckdb.connect())
    both = threading.Barrier(2, timeout=10)
    first = queue.submit(lambda con: both.wait())
    second = queue.submit(lambda con: both.wait())
    queue.result(second)
    assert first.done()
    queue.close()


def test_a_table_is_dropped_only_after_the_statements_that_read_it() -> None:
    backend = connect()
    numbers = ibis.memtable({"n": list(range(1000))})
    made = backend.materialize(numbers)
    doubled = backend.materialize(made.mutate(d=made.n * 2))
    total = backend.later(doubled.d.sum())
    backend.drop(doubled)  # queued after its readers
    backend.drop(made)
    assert total.scalar() == 2 * sum(range(1000))
    backend.wait()
    tables = {row[0] for row in backend.con.execute("SHOW TABLES").fetchall()}
    assert not tables & {made.get_name(), doubled.get_name()}
    backend.close()


def test_a_long_query_is_interrupted_when_the_backend_closes() -> None:
    backend = connect(threads=1)
    side = ibis.range(0, 200_000).unnest().name("n").as_table()
    pairs = side.cross_join(side.select(m=side.n))  # 40 billion rows: hours, in little memory
    made = backend.materialize(pairs.aggregate(total=(pairs.n * pairs.m).sum()))
    time.sleep(0.5)  # let it start
    began = time.monotonic()
    backend.close()
    assert time.monotonic() - began < 30  # interrupted, not run to its end
    assert made.get_name()  # the table was asked for; it was never made


def test_the_input_read_on_its_own_thread_gives_the_same_run(tmp_path: Path) -> None:
    district = tmp_path / "in"
    api.synth(district, students=200, seed=5)
    policy = get_policy("attendance-works")
    one = connect()
    plain = read(one, district).year(policy=policy, last=True)
    started = reading.start(district)
    two = connect(con=started.connection())
    ahead = read(two, district, reading=started).year(policy=policy, last=True)
    order = ("level", "unit_id", "sid")
    assert (
        one.arrow(plain.students.order_by(order)).to_pylist()
        == two.arrow(ahead.students.order_by(order)).to_pylist()
    )
    assert plain.counts == ahead.counts
    one.close()
    two.close()


def test_a_reading_that_fails_says_why_when_its_connection_is_asked_for(tmp_path: Path) -> None:
    district = tmp_path / "in"
    api.synth(district, students=50, seed=5)
    (district / "attendance.csv").write_text("student_id,school_id\n1,2\n")
    started = reading.start(district)
    with pytest.raises(InputError, match="attendance"):
        started.connection()
    started.close()
    # Through the command too: the same message, no traceback.
    with pytest.raises(InputError, match="attendance"):
        api.report(district, tmp_path / "out")


def test_a_reading_closed_before_it_is_used_stops_and_closes_its_connection(
    tmp_path: Path,
) -> None:
    district = tmp_path / "in"
    api.synth(district, students=2000, seed=5)
    started = reading.start(district)
    started.close()  # stopped if still reading, finished otherwise: either way, closed
    # The reading's own error if it was stopped (a reader reports DuckDB's as the file's),
    # else the closed connection's.
    with pytest.raises((duckdb.Error, InputError)):
        started.connection().execute("SELECT 1")


def test_the_report_command_loads_ibis_only_after_it_starts_reading() -> None:
    """The overlap of reading and importing holds only while the command's own module, and
    what it imports before it starts reading, leave Ibis alone."""
    code = (
        "import sys\nimport rollcall.cli, rollcall.api.reports, rollcall.engine.reading\n"
        "print('ibis' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "False"


def test_a_stage_is_said_when_duckdb_gets_to_it_not_when_python_does() -> None:
    """Python builds the statements long before DuckDB has run them: the progress shown is
    DuckDB's (rollcall/progress.py)."""
    steps: list[Step] = []
    backend = connect()
    with progress.reporting(steps.append):
        backend.stage("reading the input")
        numbers = ibis.range(0, 3_000_000).unnest().name("n").as_table()
        backend.materialize(numbers.aggregate(total=numbers.n.sum()))  # about a second
        backend.stage("counting groups")
        said_at_once = [s.stage for s in steps]
        backend.wait()
    assert "counting groups" not in said_at_once
    assert [s.stage for s in steps] == ["reading the input", "counting groups"]
    backend.close()


def test_the_error_shown_is_the_failing_statements_own_whatever_ran_first() -> None:
    """A statement given before the failing one, but started after it failed, is not run: the
    error raised is the failure's own, not the note that the other was not run."""
    backend = connect()
    side = ibis.range(0, 3_000_000).unnest().name("n").as_table()
    slow = backend.materialize(side.aggregate(total=side.n.sum()))  # about a second
    backend.materialize(slow.mutate(twice=slow.total * 2))  # waits for it, then is not run
    words = literal_table({"w": ["x"]}, {"w": "string"})
    failing = backend.later(words.w.cast("int64").max())  # fails at once, on the other lane
    with pytest.raises(duckdb.ConversionException):
        failing.scalar()
    backend.close()


def test_ctrl_c_while_waiting_stops_the_running_query_when_the_backend_closes() -> None:
    backend = connect(threads=1)
    side = ibis.range(0, 200_000).unnest().name("n").as_table()
    pairs = side.cross_join(side.select(m=side.n))  # hours, in little memory
    endless = backend.later(pairs.aggregate(total=(pairs.n * pairs.m).sum()))
    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        endless.scalar()
    began = time.monotonic()
    backend.close()
    assert time.monotonic() - began < 30  # interrupted, not waited for
