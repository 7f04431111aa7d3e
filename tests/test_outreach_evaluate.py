"""The round's evaluation: the estimator by hand and against a reference, an effect injected
into a synthetic district found inside the interval, the files and the command."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from command import rollcall
from outreach_world import AS_OF, SYNTH_AS_OF, small_district, synthetic_district

from rollcall.api import outreach_evaluate, outreach_plan
from rollcall.outreach.estimate import Z95, itt

WINDOW = (date(2025, 12, 15), date(2026, 3, 31))


def test_difference_in_means_by_hand() -> None:
    # Message arm 1, 2, 3 (mean 2); holdout 2, 4 (mean 3): effect −1. Each student a household:
    # variance (2/3)/3 + 1/2 = 13/18 (the arms' variances over n, each over its n), times the
    # small-sample factor G/(G−1)·(N−1)/(N−K) = 5/4 · 4/3 = 5/3: 1.2037037, se 1.0971343;
    # the interval −1 ± 1.959964 × se = −1 ± 2.1503437.
    found = itt(np.array([1, 2, 3, 2, 4]), np.array([1, 1, 1, 0, 0]), np.arange(5))
    assert found is not None
    assert found.effect == pytest.approx(-1.0)
    assert found.se == pytest.approx(1.0971343, abs=1e-7)
    assert (found.ci_low, found.ci_high) == pytest.approx((-3.1503437, 1.1503437), abs=1e-6)
    assert (found.message_mean, found.holdout_mean) == (2.0, 3.0)
    assert (found.n_message, found.n_holdout, found.clusters) == (3, 2, 5)


def _reference(y, treated, clusters, baseline=None):
    """Least squares and the CR1 sandwich, written out cluster by cluster."""
    columns = [np.ones(len(y)), treated.astype(float)]
    if baseline is not None:
        columns.append(baseline - baseline.mean())
    x = np.column_stack(columns)
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    e = y - x @ beta
    inverse = np.linalg.inv(x.T @ x)
    meat = np.zeros((x.shape[1], x.shape[1]))
    names = sorted(set(clusters))
    for name in names:
        rows = clusters == name
        score = x[rows].T @ e[rows]
        meat += np.outer(score, score)
    n, k, g = len(y), x.shape[1], len(names)
    variance = g / (g - 1) * (n - 1) / (n - k) * inverse @ meat @ inverse
    return beta[1], float(np.sqrt(variance[1, 1]))


@pytest.mark.parametrize("seed", range(5))
def test_the_estimator_matches_a_plain_reference_on_random_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 200
    clusters = rng.integers(0, 80, n)
    treated = clusters % 5 != 0  # a household's students share an arm
    baseline = rng.random(n)
    y = 0.1 + 0.3 * baseline - 0.02 * treated + rng.normal(0, 0.05, n)
    for base in (None, baseline):
        found = itt(y, treated, clusters, baseline=base)
        assert found is not None
        effect, se = _reference(y, treated, clusters, base)
        assert found.effect == pytest.approx(effect, abs=1e-10)
        assert found.se == pytest.approx(se, rel=1e-9)
    # Without a covariate and with one student per household: the textbook unequal-variance
    # form, sqrt(N/(N−2) · (v1/n1 + v0/n0)) with variances over n.
    singles = itt(y, treated, np.arange(n))
    assert singles is not None
    a, b = y[treated], y[~treated]
    textbook = np.sqrt(n / (n - 2) * (a.var() / len(a) + b.var() / len(b)))
    assert singles.effect == pytest.approx(a.mean() - b.mean())
    assert singles.se == pytest.approx(textbook, rel=1e-9)


def test_no_estimate_without_both_arms() -> None:
    assert itt(np.array([1.0, 2.0, 3.0]), np.array([1, 1, 1]), np.arange(3)) is None
    assert pytest.approx(1.959964, abs=1e-6) == Z95


def _inject(folder: Path, out: Path, households: set[str], students: set[str], seed: int) -> None:
    """A copy of ``folder`` in which each absence of a message-arm student in the window is
    taken away with probability one half: the letters' effect, known exactly."""
    shutil.copytree(folder, out)
    rng = np.random.default_rng(seed)
    with (folder / "attendance.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames
        rows = list(reader)
    start, end = (d.isoformat() for d in WINDOW)
    kept = [
        row for row in rows
        if not (row["student_id"] in students and start <= row["date"] <= end
                and row["status"] in ("excused", "unexcused") and rng.random() < 0.5)
    ]  # fmt: skip
    assert len(kept) < len(rows)
    with (out / "attendance.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)


@pytest.mark.slow
def test_an_effect_injected_into_the_message_arm_lies_inside_the_reported_interval(
    tmp_path: Path,
) -> None:
    folder = synthetic_district(tmp_path / "district")
    planned = outreach_plan(folder, as_of=SYNTH_AS_OF, seed=21, out_dir=tmp_path / "round")
    assignments = tmp_path / "round" / "assignments.csv"
    message = [a for a in planned.plan.assignments if a.arm == "message"]
    _inject(folder, tmp_path / "injected", {a.household_id for a in message},
            {a.student_id for a in message}, seed=5)  # fmt: skip
    before = outreach_evaluate(folder, assignments=assignments, start=WINDOW[0], end=WINDOW[1])
    after = outreach_evaluate(tmp_path / "injected", assignments=assignments, start=WINDOW[0],
                              end=WINDOW[1], out_dir=tmp_path / "evaluation")  # fmt: skip
    # The true effect: the mean change in the message arm's absence rate (the holdout's is 0).
    from rollcall.outreach.evaluate import outcomes
    from rollcall.policy import get_policy

    policy = get_policy("attendance-works")
    old = outcomes(folder, planned.plan.assignments, start=WINDOW[0], end=WINDOW[1],
                   policy=policy)[0].set_index("student_id")  # fmt: skip
    new = outcomes(tmp_path / "injected", planned.plan.assignments, start=WINDOW[0],
                   end=WINDOW[1], policy=policy)[0].set_index("student_id")  # fmt: skip
    arm = new["arm"] == "message"
    change = (new["absence_rate"] - old["absence_rate"])[arm]
    true_effect = 100 * float(change.mean())
    assert true_effect < -2  # half of the window's absences: a real effect
    assert (new["absence_rate"] - old["absence_rate"])[~arm].abs().max() == 0
    found = after.summary["absence_rate"]
    assert found["ci_low"] <= true_effect <= found["ci_high"]
    # The difference in means is linear: the change in the estimate is the injected change.
    moved = found["effect"] - before.summary["absence_rate"]["effect"]
    assert moved == pytest.approx(true_effect, abs=1e-3)
    adjusted = found["adjusted_for_prior_absence"]
    assert adjusted["ci_low"] <= true_effect <= adjusted["ci_high"]
    # The files: the shape, the plain-language summary, by school and by group.
    written = json.loads((tmp_path / "evaluation" / "evaluation.json").read_text())
    assert set(written["absence_rate"]) >= {"effect", "ci_low", "ci_high"}
    assert set(written) >= {"absence_rate", "days_missed", "chronic_absence", "by_school",
                            "by_group", "summary"}  # fmt: skip
    assert "gender" in written["by_group"]
    assert written["summary"].startswith("Families who got the letter: their children missed ")
    assert "fewer days per 100 school days" in written["summary"]
    page = (tmp_path / "evaluation" / "evaluation.html").read_text()
    assert written["summary"] in page
    assert "By school" in page and "By student group" in page


@pytest.mark.slow
def test_the_command_evaluates_a_round_too_small_to_estimate(tmp_path: Path) -> None:
    folder = small_district(tmp_path / "small", extra_days=10)
    assert rollcall("outreach", "plan", str(folder), "--as-of", AS_OF.isoformat(), "--seed", "1",
                    "--out", str(tmp_path / "round")).returncode == 0  # fmt: skip
    ran = rollcall("outreach", "evaluate", str(folder), "--assignments",
                   str(tmp_path / "round" / "assignments.csv"), "--from", "2026-03-30",
                   "--to", "2026-04-10", "--out", str(tmp_path / "evaluation"))  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "Too few students were measured" in ran.stdout
    data = json.loads((tmp_path / "evaluation" / "evaluation.json").read_text())
    assert data["absence_rate"]["effect"] is None
    assert data["students"] == {"message": data["students"]["message"],
                                "holdout": data["students"]["holdout"],
                                "not_in_input": 0, "not_enrolled_in_window": 0}  # fmt: skip
    backwards = rollcall("outreach", "evaluate", str(folder), "--assignments",
                         str(tmp_path / "round" / "assignments.csv"), "--from", "2026-04-10",
                         "--to", "2026-03-30", "--out", str(tmp_path / "e2"))  # fmt: skip
    assert backwards.returncode == 2
    assert "--to 2026-03-30 is before --from 2026-04-10" in backwards.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("student_id,household_id,school_id,arm,stratum\ns1,h1,A,treated,x\n")
    refused = rollcall(
        "outreach",
        "evaluate",
        str(folder),
        "--assignments",
        str(bad),
        "--from",
        "2026-03-30",
        "--to",
        "2026-04-10",
        "--out",
        str(tmp_path / "e3"),
    )
    assert refused.returncode == 2
    assert "bad.csv, line 2, column 'arm': arm must be message or holdout" in refused.stderr
