"""The early warning on small synthetic districts: nothing after the as-of date is used, one
school year runs the rules only and says why, and the command writes its three files."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from command import rollcall
from totals_files import write_totals

from rollcall import api
from rollcall.policy import get_policy
from rollcall.synth import write_synthetic
from rollcall.warn import run
from rollcall.warn.years import YearRuns

AS_OF = date(2025, 10, 1)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warn") / "district"
    write_synthetic(folder, students=600, seed=4, years=2)
    return folder


def _scores(folder: Path) -> dict[str, tuple[float | None, int, str]]:
    found = api.warn(folder, as_of=AS_OF).warning
    return {f.student_id: (f.score, f.rank, f.reasons) for f in found.flags}


@pytest.mark.slow
def test_moving_attendance_after_the_as_of_date_changes_no_score(
    two_years: Path, tmp_path: Path
) -> None:
    before = _scores(two_years)
    moved = tmp_path / "moved"
    moved.mkdir()
    for name in ("schools", "students", "enrollments", "calendar"):
        (moved / f"{name}.csv").write_bytes((two_years / f"{name}.csv").read_bytes())
    with (two_years / "attendance.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    later = [r for r in rows if AS_OF.isoformat() < r["date"] < "2026-07-01"]
    assert later
    # Every absence after the as-of date becomes a tardy, and the school's own dates are kept:
    # this year's outcome changes, the signals as of the date cannot.
    for row in later:
        row["status"], row["absent_fraction"] = "tardy", ""
    with (moved / "attendance.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    # The signals as of the date, and the model's scores from them, are the same. (The method
    # the flags use may change: it is chosen on this year's outcome, which did change.)
    policy = get_policy("attendance-works")
    frames = [
        YearRuns(folder, policy).signals_as_of("2025-26", AS_OF) for folder in (two_years, moved)
    ]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    scores = []
    for folder in (two_years, moved):
        runs = YearRuns(folder, policy)
        trained = run._train(runs, "2024-25", date(2024, 10, 1), False, 0)
        current = run._frame(runs, "2025-26", AS_OF, with_outcome=False)
        scores.append(run._score(current, trained).scores["model"])
    assert (scores[0] == scores[1]).all()
    assert before


@pytest.mark.slow
def test_one_school_year_runs_the_rules_only_and_says_why(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    write_synthetic(folder, students=300, seed=5, years=1)
    found = api.warn(folder, as_of=AS_OF).warning
    assert found.trained_on is None and found.inputs == ()
    assert found.method in ("first_month", "days_missed", "share_so_far")
    assert any("only the rules ran" in note for note in found.notes)
    assert found.evaluation is not None
    assert "model" not in [m.name for m in found.evaluation.methods]


@pytest.mark.slow
def test_warn_writes_flags_and_an_evaluation_and_prints_no_student(
    two_years: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = rollcall("warn", "--input", str(two_years), "--as-of", "2025-10-01", "--out", str(out))
    assert done.returncode == 0, done.stderr
    with (out / "flags.csv").open(encoding="utf-8") as handle:
        flags = list(csv.DictReader(handle))
    assert list(flags[0]) == ["student_id", "school_id", "grade", "score", "rank", "tier",
                              "reasons"]  # fmt: skip
    assert not [f for f in flags if f["student_id"] in done.stdout + done.stderr]
    data = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    names = [m["name"] for m in data["evaluation"]["methods"]]
    assert names[0] == "model" and {"first_month", "share_so_far", "last_year"} <= set(names)
    assert data["evaluation"]["groups"]
    page = (out / "evaluation.html").read_text(encoding="utf-8")
    assert "<svg" in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "recall" in done.stdout


@pytest.mark.slow
def test_the_excluded_attributes_option_shows_the_model_without_them(two_years: Path) -> None:
    found = api.warn(two_years, as_of=AS_OF, protected=True).warning
    assert "group_race_ethnicity" in found.inputs
    assert found.evaluation is not None
    assert {"model", "model_without_protected"} <= {m.name for m in found.evaluation.methods}


def _cut_at(folder: Path, out: Path, day: date, *, ahead: int = 0) -> Path:
    """``folder`` as a district's export on ``day``: attendance recorded up to that day only
    (the calendar, known ahead, is kept whole), but for ``ahead`` absences entered ahead for
    the year's last school days (a planned trip in June)."""
    out.mkdir()
    for name in ("schools", "students", "enrollments", "calendar"):
        (out / f"{name}.csv").write_bytes((folder / f"{name}.csv").read_bytes())
    with (folder / "attendance.csv").open(encoding="utf-8") as handle:
        every = list(csv.DictReader(handle))
    rows = [r for r in every if r["date"] <= day.isoformat()]
    june = [r for r in every if r["date"] >= f"{day.year + 1}-06-01"]
    rows += june[-ahead:] if ahead else []
    with (out / "attendance.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out


@pytest.mark.slow
def test_a_year_in_progress_is_scored_and_tested_on_the_year_before(tmp_path: Path) -> None:
    # Three years, the last recorded up to 1 October: the year scored has no outcome yet, so
    # the model (trained on 2024-25) is tested on 2024-25 as of 1 October 2024, by a model
    # trained on 2023-24, and the flags use whichever found more there.
    whole = tmp_path / "whole"
    write_synthetic(whole, students=600, seed=6, years=3)
    found = api.warn(_cut_at(whole, tmp_path / "cut", AS_OF), as_of=AS_OF).warning
    assert found.school_year == "2025-26" and found.trained_on == "2024-25"
    assert found.evaluation is not None and found.evaluation.school_year == "2024-25"
    assert found.evaluation.trained_on == "2023-24"
    assert "model" in [m.name for m in found.evaluation.methods]
    assert found.why.startswith("On 2024-25 ")
    assert found.flags and all(f.score is not None for f in found.flags)


@pytest.mark.slow
def test_two_years_in_progress_flag_by_the_rule_that_did_best_last_year(
    two_years: Path, tmp_path: Path
) -> None:
    # Nothing can test a model here (2024-25 has no year before it to train one on), so the
    # flags use the rule that found the most students of 2024-25, and say so.
    cut = _cut_at(two_years, tmp_path / "cut", AS_OF, ahead=3)
    found = api.warn(cut, as_of=AS_OF).warning
    assert found.evaluation is not None and found.evaluation.school_year == "2024-25"
    assert found.method != "model"
    assert found.why.startswith("No model could be trained for 2024-25")


def test_per_student_totals_are_refused_with_what_to_give(tmp_path: Path) -> None:
    path = write_totals(tmp_path / "totals.csv", [
        {"student_id": "s1", "school_id": "A", "grade": "3", "present": 160, "excused": 10,
         "unexcused": 5, "suspension": 0},
    ])  # fmt: skip
    done = rollcall("warn", "--input", str(path), "--as-of", "2025-10-01", "--out",
                    str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "reads each student's school days" in done.stderr and "Traceback" not in done.stderr
