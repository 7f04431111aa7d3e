"""The `rollcall spc` command: outputs, known answers through the command, exit codes, messages."""

from __future__ import annotations

import csv
import json
import sys

import pytest
from click.testing import CliRunner

from rollcall.cli import cli, main
from tests.test_spc_shewhart import SERIES


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def values_csv(path, values):
    rows = "".join(f"{i + 1},{'' if v is None else v}\n" for i, v in enumerate(values))
    return write(path, "period,value\n" + rows)


def run(args):
    result = CliRunner().invoke(cli, args)
    return result


def run_main(monkeypatch, capsys, args):
    """Run the real entry point (our errors become status 2), returning (status, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["rollcall", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def read_rows(path):
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_xmr_command_writes_csv_json_and_svg_with_the_known_answer(tmp_path):
    values = list(SERIES)
    values[14] = 10
    series = values_csv(tmp_path / "series.csv", values)
    result = run(["spc", str(series), "--chart", "xmr", "--screen", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "out" / "spc.csv")
    assert list(rows[0]) == ["period", "value", "centre", "lower_limit", "upper_limit", "signal"]
    assert round(float(rows[0]["centre"]), 7) == 0.6694159
    assert round(float(rows[0]["lower_limit"]), 6) == -2.383666
    assert round(float(rows[0]["upper_limit"]), 6) == 3.722497
    assert rows[14]["signal"] == "outside"
    assert [r["signal"] for r in rows if r["period"] != "15"] == [""] * 19
    summary = json.loads((tmp_path / "out" / "spc.json").read_text())
    assert summary["chart"] == "xmr"
    assert round(summary["centre"], 7) == 0.6694159
    assert (tmp_path / "out" / "spc.svg").read_text().startswith("<svg")
    assert "signal at 15: beyond a limit" in result.output


def test_xmr_command_without_screening_gives_the_wider_known_limits(tmp_path):
    values = list(SERIES)
    values[14] = 10
    series = values_csv(tmp_path / "series.csv", values)
    assert run(["spc", str(series), "--chart", "xmr", "--out", str(tmp_path)]).exit_code == 0
    row = read_rows(tmp_path / "spc.csv")[0]
    assert round(float(row["lower_limit"]), 6) == -4.596625
    assert round(float(row["upper_limit"]), 6) == 5.935457


def test_run_chart_json_reports_the_runs_analysis(tmp_path):
    series = values_csv(
        tmp_path / "s.csv", [10, 12, 11, 13, 1, 2, 3, 1, 2, 3, 1, 2, 12, 11, 13, 12]
    )
    result = run(
        ["spc", str(series), "--chart", "run", "--rules", "anhoej", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "spc.json").read_text())
    assert summary["chart"] == "run"
    assert summary["centre"] == 6.5
    expected = {"n_useful": 16, "longest_run": 8, "longest_run_max": 7, "crossings": 2,
                "crossings_min": 4, "runs_signal": True}  # fmt: skip
    assert {key: summary[key] for key in expected} == expected
    rows = read_rows(tmp_path / "spc.csv")
    assert rows[4]["signal"] == "shift"
    assert rows[0]["lower_limit"] == "" and rows[0]["upper_limit"] == ""


def test_run_chart_defaults_to_ihi_rules(tmp_path):
    series = values_csv(tmp_path / "s.csv", [3, 1, 2, 3, 4, 5, 2, 3, 2, 4, 3, 2])
    assert run(["spc", str(series), "--chart", "run", "--out", str(tmp_path)]).exit_code == 0
    summary = json.loads((tmp_path / "spc.json").read_text())
    assert summary["rules"] == "ihi"
    assert read_rows(tmp_path / "spc.csv")[1]["signal"] == "trend"


def test_pprime_command_keeps_a_missing_week_as_a_gap(tmp_path):
    series = write(
        tmp_path / "weeks.csv",
        "period,numerator,denominator\n"
        "W1,5000,100000\nW2,5200,100500\nW3,,\nW4,5100,99000\nW5,4900,101000\n",
    )
    notes = write(tmp_path / "notes.csv", "period,text,kind\nW3,half-term,holiday\n")
    args = [
        "spc",
        str(series),
        "--chart",
        "pprime",
        "--annotations",
        str(notes),
        "--out",
        str(tmp_path),
    ]
    result = run(args)
    assert result.exit_code == 0, result.output
    rows = read_rows(tmp_path / "spc.csv")
    assert rows[2] == {"period": "W3", "value": "", "centre": rows[0]["centre"],
                       "lower_limit": "", "upper_limit": "", "signal": ""}  # fmt: skip
    summary = json.loads((tmp_path / "spc.json").read_text())
    assert summary["gaps"] == ["W3"]
    svg = (tmp_path / "spc.svg").read_text()
    assert "HOLIDAY: half-term" in svg and "no data" in svg


def test_freeze_option_fixes_the_centre(tmp_path):
    series = write(
        tmp_path / "s.csv", "period,numerator,denominator\n1,10,100\n2,10,100\n3,30,100\n"
    )
    result = run(["spc", str(series), "--chart", "p", "--freeze", "2", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert float(read_rows(tmp_path / "spc.csv")[2]["centre"]) == pytest.approx(0.1)


def test_bad_number_names_the_file_line_and_column_and_exits_2(tmp_path, monkeypatch, capsys):
    series = write(tmp_path / "s.csv", "period,value\n1,3.5\n2,three\n")
    status, _, err = run_main(
        monkeypatch, capsys, ["spc", str(series), "--chart", "xmr", "--out", str(tmp_path)]
    )
    assert status == 2
    assert f"{series}, line 3, column 'value': 'three' is not a number" in err
    assert "hint:" in err


def test_missing_columns_exit_2_with_the_columns_needed(tmp_path, monkeypatch, capsys):
    series = write(tmp_path / "s.csv", "period,value\n1,3\n")
    status, _, err = run_main(
        monkeypatch, capsys, ["spc", str(series), "--chart", "p", "--out", str(tmp_path)]
    )
    assert status == 2
    assert "no numerator, denominator column" in err


def test_rules_with_a_control_chart_is_an_option_error(tmp_path, monkeypatch, capsys):
    series = values_csv(tmp_path / "s.csv", [1, 2, 3])
    args = ["spc", str(series), "--chart", "xmr", "--rules", "ihi", "--out", str(tmp_path)]
    status, _, err = run_main(monkeypatch, capsys, args)
    assert status == 2
    assert "--rules applies to run charts only" in err


def test_annotation_for_an_unknown_period_names_the_annotations_line(tmp_path, monkeypatch, capsys):
    series = values_csv(tmp_path / "s.csv", [1, 2, 3])
    notes = write(tmp_path / "notes.csv", "period,text\n2,ok\nWeek 9,typo\n")
    args = [
        "spc",
        str(series),
        "--chart",
        "run",
        "--annotations",
        str(notes),
        "--out",
        str(tmp_path),
    ]
    status, _, err = run_main(monkeypatch, capsys, args)
    assert status == 2
    assert f"{notes}, line 3, column 'period': period 'Week 9' is not in the series" in err


def test_freeze_beyond_the_series_is_refused(tmp_path, monkeypatch, capsys):
    series = values_csv(tmp_path / "s.csv", [1, 2, 3])
    args = ["spc", str(series), "--chart", "xmr", "--freeze", "5", "--out", str(tmp_path)]
    status, _, err = run_main(monkeypatch, capsys, args)
    assert status == 2
    assert "--freeze 5 must be between 1 and 3" in err


def test_missing_series_file_exits_2(tmp_path, monkeypatch, capsys):
    args = ["spc", str(tmp_path / "nope.csv"), "--chart", "run", "--out", str(tmp_path)]
    status, _, err = run_main(monkeypatch, capsys, args)
    assert status == 2
    assert "nope.csv: cannot open the file" in err


def test_duplicate_period_and_numerator_above_denominator_are_input_errors(
    tmp_path, monkeypatch, capsys
):
    series = write(tmp_path / "s.csv", "period,numerator,denominator\n1,5,10\n1,5,10\n")
    status, _, err = run_main(
        monkeypatch, capsys, ["spc", str(series), "--chart", "p", "--out", str(tmp_path)]
    )
    assert status == 2 and "line 3, column 'period': period '1' appears twice" in err
    series = write(tmp_path / "s.csv", "period,numerator,denominator\n1,11,10\n")
    status, _, err = run_main(
        monkeypatch, capsys, ["spc", str(series), "--chart", "p", "--out", str(tmp_path)]
    )
    assert status == 2 and "numerator 11 is larger than denominator 10" in err


def test_unknown_chart_kind_is_a_usage_error(tmp_path):
    series = values_csv(tmp_path / "s.csv", [1, 2, 3])
    result = run(["spc", str(series), "--chart", "c", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "Invalid value for '--chart'" in result.output
