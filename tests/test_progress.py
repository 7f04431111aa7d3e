"""Progress of long runs by stage with the time left (rollcall/progress.py), and ``--quiet``
for jobs: nothing printed but errors."""

from __future__ import annotations

import pytest
from canonical import write_canonical
from command import rollcall
from outputs import absences, calendar_rows, school_days

from rollcall import console, progress
from rollcall.progress import STAGES, Step

DAYS = school_days(20)


def small_folder(tmp_path):
    return write_canonical(
        tmp_path / "in",
        schools=[{"school_id": "A", "school_name": "Hazel"}],
        students=[{"student_id": "s1"}],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "5", "entry_date": DAYS[0].isoformat()}
        ],
        calendar=calendar_rows("A", DAYS),
        attendance=absences("s1", "A", DAYS[:3]),
    )


def test_the_time_left_is_the_time_so_far_scaled_by_the_weight_to_come():
    # A quarter of the weight done in 10 s: three quarters to come take 30 s.
    assert progress.estimate(0.25, 10.0) == pytest.approx(30.0)
    assert progress.estimate(0.0, 3.0) is None  # nothing done yet: no estimate


def test_a_report_says_each_stage_once_in_order_with_the_weight_done(tmp_path):
    from rollcall import api

    steps: list[Step] = []
    with progress.reporting(steps.append):
        api.report(small_folder(tmp_path), tmp_path / "out")
    names = [s.stage for s in steps]
    assert names == [n for n in STAGES if n != "writing the page"]
    total = sum(STAGES.values())
    assert steps[0].done == 0 and steps[0].left is None
    # The third stage starts after the first two stages' weight.
    first_two = (STAGES["reading the input"] + STAGES[names[1]]) / total
    assert steps[2].done == pytest.approx(first_two)
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))


def test_last_years_run_after_this_years_says_no_stage_again(tmp_path):
    steps: list[Step] = []
    with progress.reporting(steps.append):
        progress.stage("reading the input")
        progress.stage("counting groups")
        progress.stage("reading the input")  # last year's run, inside "counting groups"
        progress.stage("writing the tables")
    assert [s.stage for s in steps] == ["reading the input", "counting groups",
                                        "writing the tables"]  # fmt: skip


def test_without_a_listener_a_stage_says_nothing():
    progress.stage("reading the input")  # no error, nothing to say it to


def test_a_step_line_says_the_stage_the_time_so_far_and_left():
    step = Step("counting groups", 6, 8, 0.6, 12.4, 8.2)
    assert console.step_line(step) == "[6/8] counting groups: 12 s so far, about 8 s left"
    long = Step("placing attendance on school days", 4, 8, 0.4, 60, 185)
    assert console.time_left(long) == "about 3 min left"
    assert console.step_line(Step("reading the input", 1, 8, 0, 0.1, None)) == (
        "[1/8] reading the input: 0 s so far"
    )


def test_quiet_prints_nothing_on_success(tmp_path):
    done = rollcall("report", "--input", str(small_folder(tmp_path)), "--out",
                    str(tmp_path / "out"), "--quiet")  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert (tmp_path / "out" / "student_metrics.csv").exists()
    loud = rollcall("report", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "o2"))
    assert "chronically absent" in loud.stdout  # the summary it leaves out


def test_quiet_still_prints_the_error(tmp_path):
    done = rollcall("report", "--input", str(tmp_path / "missing"), "--out",
                    str(tmp_path / "out"), "-q")  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1


def test_a_long_run_in_a_jobs_log_says_its_stages(tmp_path, monkeypatch):
    monkeypatch.setattr(console, "LONG_RUN", 0.0)  # every run is long
    done = rollcall("report", "--input", str(small_folder(tmp_path)), "--out",
                    str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 0
    lines = [line for line in done.stderr.splitlines() if line.startswith("[")]
    assert lines[0].startswith("[1/8] reading the input: ")
    assert any(line.startswith("[7/8] writing the tables: ") for line in lines)
