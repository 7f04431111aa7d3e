"""``--memory-limit`` and ``--threads`` (rollcall/duck.py): a run held to a small memory limit
spills to disk and writes the same tables as one without a limit."""

from __future__ import annotations

import csv
from pathlib import Path

import ibis
import pytest
import sqlglot
from command import rollcall

from rollcall import api, duck
from rollcall.engine.backend import connect
from rollcall.engine.pipeline import compute
from rollcall.levels import LEVEL_ORDER
from rollcall.output import student_metrics, summary
from rollcall.policy import get_policy
from rollcall.synth import write_synthetic

SMALL = "40MB"


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A mid-size messy district (about 6,000 students, 100,000 attendance rows)."""
    folder = tmp_path_factory.mktemp("district")
    write_synthetic(folder, students=6000, seed=3, messy=True)
    return folder


def test_a_small_memory_limit_spills_and_changes_no_table(district: Path, tmp_path: Path) -> None:
    free = api.report(district, tmp_path / "free", html=True)
    held = api.report(district, tmp_path / "held", html=True, memory_limit=SMALL, threads=1)
    assert [f.name for f in free.files] == [f.name for f in held.files]
    for name in ("student_metrics.csv", "summary.csv", "rejects.csv", "notes.csv"):
        assert (tmp_path / "held" / name).read_bytes() == (tmp_path / "free" / name).read_bytes()
    assert (held.students, held.eligible, held.chronically_absent) == (
        free.students, free.eligible, free.chronically_absent,
    )  # fmt: skip


def test_the_engine_held_to_the_limit_spills_to_its_own_folder(district: Path) -> None:
    backend = connect(memory_limit=SMALL, threads=1)
    try:
        settings = backend.con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchall()[0]
        compute(backend, district, policy=get_policy("attendance-works"))
        files = "SELECT count(*) FROM duckdb_temporary_files()"
        spilled = backend.con.execute(files).fetchall()[0][0]
    finally:
        backend.close()
    assert settings[0] == "38.1 MiB"  # 40 MB (decimal) as DuckDB shows it
    assert "rollcall-duckdb-" in settings[1]
    assert spilled > 0
    assert not Path(settings[1]).exists()  # DuckDB removed its files on closing


@pytest.mark.parametrize("value", ["4GB", "512MB", "1.5GiB", " 300 mb "])
def test_a_size_is_a_number_and_a_unit(value: str) -> None:
    assert duck.is_size(value)


@pytest.mark.parametrize("value", ["4", "lots", "-1GB", "4 GB 2"])
def test_a_memory_limit_that_is_not_a_size_is_refused_with_an_example(
    value: str, tmp_path: Path
) -> None:
    assert not duck.is_size(value)
    done = rollcall("report", "--input", str(tmp_path), "--out", str(tmp_path / "o"),
                    "--memory-limit", value)  # fmt: skip
    assert done.returncode == 2
    assert "is not a size" in done.stderr and "4GB" in done.stderr


def test_threads_must_be_one_or_more(tmp_path: Path) -> None:
    done = rollcall("report", "--input", str(tmp_path), "--out", str(tmp_path / "o"),
                    "--threads", "0")  # fmt: skip
    assert done.returncode == 2 and "--threads" in done.stderr


def test_the_default_limit_is_an_eighth_of_the_machine_at_least_a_gigabyte(monkeypatch) -> None:
    monkeypatch.setattr(duck, "machine_memory", lambda: 24 * 2**30)
    assert duck.default_memory_limit() == "3072MiB"
    monkeypatch.setattr(duck, "machine_memory", lambda: 4 * 2**30)
    assert duck.default_memory_limit() == "1024MiB"
    monkeypatch.setattr(duck, "machine_memory", lambda: None)
    assert duck.default_memory_limit() is None
    monkeypatch.delenv("ROLLCALL_MEMORY_LIMIT", raising=False)
    monkeypatch.setattr(duck, "machine_memory", lambda: 16 * 2**30)
    with duck.connect() as con:
        assert con.execute("SELECT current_setting('memory_limit')").fetchall() == [("2.0 GiB",)]


def test_a_commands_limits_hold_every_connection_opened_inside(monkeypatch) -> None:
    monkeypatch.delenv("ROLLCALL_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("ROLLCALL_THREADS", raising=False)
    shown = "SELECT current_setting('threads'), current_setting('memory_limit')"
    with duck.limits(threads=1, memory_limit=SMALL):
        with duck.connect() as con:
            inside = con.execute(shown).fetchall()[0]
        with duck.connect(memory_limit="100MB") as con:  # a caller's own limit comes first
            own = con.execute(shown).fetchall()[0]
    with duck.connect() as con:
        after = con.execute(shown).fetchall()[0]
    assert inside == (1, "38.1 MiB")
    assert own == (1, "95.3 MiB")
    assert after[1] != "38.1 MiB"


ENGINE_COMMANDS = {
    "measures": ("measures.csv",),
    "bright-spots": ("bright_spots.csv",),
    "publish": ("public_summary.csv", "public_summary.json", "equity.csv"),
}


@pytest.mark.parametrize("command", sorted(ENGINE_COMMANDS))
def test_every_engine_command_takes_the_limits_and_quiet(
    district: Path, tmp_path: Path, command: str
) -> None:
    free = rollcall(command, "--input", str(district), "--out", str(tmp_path / "free"))
    held = rollcall(command, "--input", str(district), "--out", str(tmp_path / "held"),
                    "--memory-limit", "150MB", "--threads", "1", "--quiet")  # fmt: skip
    assert free.returncode == 0, free.stderr
    assert held.returncode == 0, held.stderr
    assert free.stdout and held.stdout == ""  # --quiet: nothing but errors
    for name in ENGINE_COMMANDS[command]:
        assert (tmp_path / "held" / name).read_bytes() == (tmp_path / "free" / name).read_bytes()


@pytest.mark.slow
def test_the_early_warning_takes_the_limits_and_quiet(tmp_path: Path) -> None:
    # Two school years (the warning trains on the first); held and quiet, the same flags.
    folder = tmp_path / "two"
    write_synthetic(folder, students=600, seed=4, years=2)
    common = ("warn", "--input", str(folder), "--as-of", "2025-10-01")
    free = rollcall(*common, "--out", str(tmp_path / "free"))
    held = rollcall(*common, "--out", str(tmp_path / "held"), "--memory-limit", "150MB",
                    "--threads", "1", "--quiet")  # fmt: skip
    assert free.returncode == 0 and held.returncode == 0, held.stderr
    assert free.stdout and held.stdout == ""
    flags = [(tmp_path / run / "flags.csv").read_bytes() for run in ("free", "held")]
    assert flags[0] == flags[1]


@pytest.fixture(scope="module")
def large_district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Large enough (about 250,000 rows of student_metrics) for DuckDB to build a table in
    several row groups at once: what lost the order of a sort below the last projection."""
    folder = tmp_path_factory.mktemp("large")
    write_synthetic(folder, students=80_000, seed=5)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("limit", [None, "150MB"])
def test_the_tables_come_out_in_their_order_whatever_the_limit(
    large_district: Path, tmp_path: Path, limit: str | None
) -> None:
    # Found comparing DuckDB's student_metrics with Spark's at 200,000 students: DuckDB's was
    # the one out of order, its sort kept only by chance below the projection that followed.
    api.report(large_district, tmp_path, memory_limit=limit, threads=2)
    with (tmp_path / "student_metrics.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    keys = [(LEVEL_ORDER[r["level"]], r["unit_id"], r["student_id"]) for r in rows]
    assert len(rows) > 200_000 and keys == sorted(keys)
    with (tmp_path / "summary.csv").open(encoding="utf-8") as handle:
        groups = [(LEVEL_ORDER[r["level"]], r["unit_id"]) for r in csv.DictReader(handle)]
    assert groups == sorted(groups)


@pytest.mark.parametrize("for_csv", [False, True])
def test_each_output_table_is_sorted_by_its_last_step(district: Path, for_csv: bool) -> None:
    # The ORDER BY must be the outermost clause: a sort in a subquery binds no engine.
    backend = connect()
    try:
        computed = compute(backend, district, policy=get_policy("attendance-works"))
        for table in (
            student_metrics(computed, for_csv=for_csv),
            summary(computed, for_csv=for_csv),
        ):
            outer = sqlglot.parse_one(str(ibis.to_sql(table, dialect="duckdb")), read="duckdb")
            assert outer.args.get("order") is not None
    finally:
        backend.close()
