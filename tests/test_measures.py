"""`rollcall measures`: weekly series per unit, p′ charts and the schools' funnel."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from rollcall.cli import cli
from rollcall.synth import write_synthetic


@pytest.mark.slow
def test_measures_writes_a_p_prime_chart_per_school_and_a_funnel(tmp_path):
    write_synthetic(tmp_path / "in", students=300, seed=2)
    result = CliRunner().invoke(
        cli, ["measures", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    with (tmp_path / "in" / "schools.csv").open() as handle:
        schools = [row["school_id"] for row in csv.DictReader(handle)]
    for school in schools:
        svg = (out / "series" / "school" / school / "absence-pprime.svg").read_text()
        assert svg.startswith("<svg") and "<title>" in svg and "p′" in svg
    assert (out / "series" / "total" / "total" / "chronic.csv").is_file()
    assert "<svg" in (out / "funnel-schools.svg").read_text()
    with (out / "measures.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["level"] for r in rows} == {"school", "district", "total"}
    assert all(int(r["student_days"]) > 0 for r in rows)


@pytest.mark.slow
def test_a_week_without_school_is_a_gap_not_a_zero(tmp_path):
    write_synthetic(tmp_path / "in", students=150, seed=4)
    CliRunner().invoke(
        cli, ["measures", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
    )
    series = tmp_path / "out" / "series" / "total" / "total" / "absence.csv"
    with series.open() as handle:
        rows = list(csv.DictReader(handle))
    winter = [r for r in rows if r["period"] in ("2025-12-22", "2025-12-29")]
    assert winter and all(r["numerator"] == "" and r["denominator"] == "" for r in winter)
    assert all(r["denominator"] != "0" for r in rows)
