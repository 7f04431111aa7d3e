"""Attendance Works' concentration categories at their boundaries, the small-group rule, and the
report's options on the command line (exit codes, unknown ids)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from canonical import write_canonical
from command import rollcall
from outputs import absences, calendar_rows, school_days
from report_page import read_page

from rollcall import api
from rollcall.errors import OptionError
from rollcall.report.build import category

DAYS = school_days(20)


@pytest.mark.parametrize(
    ("chronic", "eligible", "expected"),
    [
        (3, 10, "extreme (30% or more)"),
        (299, 1000, "high (20–29.9%)"),
        (1, 5, "high (20–29.9%)"),
        (199, 1000, "significant (10–19.9%)"),
        (1, 10, "significant (10–19.9%)"),
        (1, 20, "modest (5–9.9%)"),
        (49, 1000, "low (under 5%)"),
        (0, 7, "low (under 5%)"),
        (0, 0, "no eligible students"),
    ],
)
def test_concentration_category_is_decided_exactly(chronic, eligible, expected):
    assert category(chronic, eligible) == expected


def school(folder: Path, chronic: dict[str, int], size: int = 10) -> Path:
    """Schools of ``size`` students each (20 days), ``chronic[school]`` of them missing 2 days."""
    students, enrollments, attendance = [], [], []
    for school_id, missing in chronic.items():
        for n in range(size):
            sid = f"{school_id}{n}"
            students.append({"student_id": sid, "gender": "F" if n < 3 else "M"})
            enrollments.append(
                {"student_id": sid, "school_id": school_id, "grade": "5",
                 "entry_date": DAYS[0].isoformat()}
            )  # fmt: skip
            if n < missing:
                attendance += absences(sid, school_id, DAYS[:2])
    return write_canonical(
        folder,
        schools=[{"school_id": s, "district_id": "D"} for s in chronic],
        students=students,
        enrollments=enrollments,
        calendar=calendar_rows(list(chronic), DAYS),
        attendance=attendance,
    )


@pytest.mark.slow
def test_schools_at_20_and_30_percent_are_marked_high_and_extreme(tmp_path):
    folder = school(tmp_path / "in", {"A": 2, "B": 3, "C": 1})
    api.report(folder, tmp_path / "out", html=True)
    page = read_page(tmp_path / "out" / "report.html")
    marked = {
        a["data-unit"]: v
        for a, name, v in page.values
        if name == "category" and a["data-level"] == "school"
    }
    assert marked == {
        "A": "high (20–29.9%)",
        "B": "extreme (30% or more)",
        "C": "significant (10–19.9%)",
    }
    # Not by colour alone: flagged rows (A, B and district D at 6 of 30) carry the words.
    assert page.text.count('<span class="tag">') == 3


@pytest.mark.slow
def test_groups_under_ten_eligible_students_show_no_rate(tmp_path):
    folder = school(tmp_path / "in", {"A": 2}, size=12)
    api.report(folder, tmp_path / "out", school="A")
    page = read_page(tmp_path / "out" / "report.html")
    girls = page.rows(level="school", unit="A", dimension="gender", group="F")
    boys = page.rows(level="school", unit="A", dimension="gender", group="M")
    assert girls == {"eligible_students": "3"}
    assert boys["eligible_students"] == "9" and "chronic_absence_rate" not in boys
    assert page.rows(level="school", unit="A")["chronic_absence_rate"] == "0.166667"


@pytest.mark.slow
def test_unknown_school_or_district_is_an_option_error_naming_it(tmp_path):
    folder = school(tmp_path / "in", {"A": 1})
    with pytest.raises(OptionError, match="'Z'"):
        api.report(folder, tmp_path / "out", school="Z")
    with pytest.raises(OptionError, match="district 'Q'"):
        api.report(folder, tmp_path / "out", district="Q")
    assert not (tmp_path / "out" / "report.html").exists()


@pytest.mark.slow
def test_cli_report_html_exits_0_and_says_where_the_page_is(tmp_path):
    folder = school(tmp_path / "in", {"A": 2, "B": 3})
    done = rollcall("report", "--input", str(folder), "--out", str(tmp_path / "o"), "--html")
    assert done.returncode == 0, done.stderr
    assert "report.html" in done.stdout and (tmp_path / "o" / "report.html").is_file()
    done = rollcall(
        "report", "--input", str(folder), "--out", str(tmp_path / "d"), "--district", "D"
    )
    assert done.returncode == 0, done.stderr
    assert "By school" in (tmp_path / "d" / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_cli_unknown_school_exits_2_naming_it(tmp_path):
    folder = school(tmp_path / "in", {"A": 1})
    done = rollcall(
        "report", "--input", str(folder), "--out", str(tmp_path / "o"), "--school", "NOPE"
    )
    assert done.returncode == 2
    assert "school 'NOPE' is not in schools.csv" in done.stderr
    both = rollcall(
        "report", "--input", str(folder), "--out", str(tmp_path / "o"), "--school", "A",
        "--district", "D",
    )  # fmt: skip
    assert both.returncode == 2 and "not both" in both.stderr


@pytest.mark.slow
def test_demo_writes_the_report_and_says_where_it_is(tmp_path):
    done = rollcall("demo", "--out", str(tmp_path / "demo"), "--students", "300")
    assert done.returncode == 0, done.stderr
    page = tmp_path / "demo" / "report.html"
    assert page.is_file() and page.resolve().as_uri() in done.stdout.replace("\n", "")
    assert "last year, rate to date" in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_last_year_is_the_engine_s_previous_year_even_when_the_quick_guess_is_wrong(tmp_path):
    # A calendar row of an unknown school, a year later, misleads the quick look at the dates;
    # the engine's year (2024-25) decides, so last year is 2023-24.
    last_days = school_days(20, date(2023, 9, 5))
    folder = write_canonical(
        tmp_path / "in",
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}],
        enrollments=[
            {"student_id": "s1", "school_id": "A", "grade": "5", "entry_date": "2023-08-01"}
        ],
        calendar=calendar_rows("A", last_days + DAYS) + calendar_rows("Z", [date(2025, 9, 2)]),
        attendance=absences("s1", "A", DAYS[:3] + last_days[:1]),
    )
    result = api.report(folder, tmp_path / "out", html=True)
    text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert result.school_year == "2024-25"
    assert "Last year (2023-24)" in text


@pytest.mark.slow
def test_a_long_student_list_is_cut_on_the_page_and_says_where_the_rest_is(tmp_path, monkeypatch):
    monkeypatch.setattr("rollcall.report.build.SUPPORT_LIMIT", 2)
    folder = school(tmp_path / "in", {"A": 4})
    api.report(folder, tmp_path / "out", school="A")
    page = read_page(tmp_path / "out" / "report.html")
    assert len({a["data-student"] for a, _, _ in page.values if "data-student" in a}) == 2
    assert "4 students missing 5% or more of their enrolled days" in page.text
    assert "The page shows the first 2; every student is in student_metrics.csv." in page.text
