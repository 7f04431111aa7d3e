"""The list to act on (issue 16, item 2, and the small points of item 5): a school or district
page leads with "Since last month" and the students to support (at risk, moderate and severe,
with their name, days missed by kind and change in the last 30 days), then the group detail
folded; and the smaller points: early months marked, no empty "why" chart, the terminal's
numbers for --school are the school's."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from canonical import write_canonical
from command import rollcall
from outputs import absences, calendar_rows, read_csv, school_days
from report_page import read_page

from rollcall import api
from rollcall.report.charts import reasons_chart
from rollcall.report.records import GradeRow, GroupRow, Ratio, ReasonShare
from rollcall.report.support import furthest
from rollcall.synth import write_synthetic
from rollcall.tiers import TIER_NAMES

DAYS = school_days(60)


# --- fast: the records -------------------------------------------------------------------------


def test_the_why_chart_is_not_drawn_when_the_input_gives_no_kind_of_absence():
    # Per-student totals with only "days absent": nothing to split into excused, unexcused…
    only_total = ReasonShare("all", "all", "12", Ratio.of(0, 12), Ratio.of(0, 12), Ratio.of(0, 12))
    chart = reasons_chart([only_total])
    assert chart.svg == "" and "without their kind" in chart.left_out


def test_the_grades_and_groups_furthest_above_the_rate_skip_small_ones():
    rate = Ratio.of
    grades = [
        GradeRow("6", 40, 12, rate(12, 40), 2, None),
        GradeRow("7", 9, 9, rate(9, 9), 0, None),
    ]
    groups = {
        "disability": [
            GroupRow("disability", "Y", 20, 8, rate(8, 20), False, "", "", None, None),
            GroupRow("disability", "N", 60, 6, rate(6, 60), False, "", "", None, None),
        ]
    }
    found = furthest(grades, groups, overall=Fraction(1, 5))
    # Grade 7 has 9 students (too few); disability N is below the rate.
    assert [(f.what, f.gap_points) for f in found] == [
        ("Students with disabilities", "+20.0 pts"),
        ("Grade 6", "+10.0 pts"),
    ]


# --- a small school: the terminal, early months --------------------------------------------------


def two_schools(folder: Path) -> Path:
    students = [
        {"student_id": f"s{n}", "first_name": f"Ann{n}", "last_name": "Lee"} for n in range(4)
    ]
    enrollments = [
        {"student_id": f"s{n}", "school_id": "A" if n < 2 else "B", "grade": "5",
         "entry_date": DAYS[0].isoformat()}
        for n in range(4)
    ]  # fmt: skip
    attendance = absences("s0", "A", DAYS[:12]) + absences("s2", "B", DAYS[:2])
    return write_canonical(
        folder,
        schools=[{"school_id": "A", "school_name": "Alder"}, {"school_id": "B"}],
        students=students,
        enrollments=enrollments,
        calendar=calendar_rows(["A", "B"], DAYS),
        attendance=attendance,
    )


@pytest.mark.slow
def test_report_school_prints_the_schools_numbers_not_the_districts(tmp_path):
    folder = two_schools(tmp_path / "in")
    done = rollcall(
        "report", "--input", str(folder), "--out", str(tmp_path / "out"), "--school", "A"
    )
    assert done.returncode == 0, done.stderr
    # School A: 2 students, s0 missed 12 of 60 days (20%). The total would be 4 and 25.0%.
    assert "Alder (A): Students: 2; eligible: 2; chronically absent: 1 (50.0%)." in done.stdout
    assert "Ann0" not in done.stdout and "Lee" not in done.stdout  # names stay off the terminal


@pytest.mark.slow
def test_names_are_on_the_staff_page_and_early_months_are_marked(tmp_path):
    folder = two_schools(tmp_path / "in")
    api.report(folder, tmp_path / "out", school="A")
    page = read_page(tmp_path / "out" / "report.html")
    assert re.search(r'data-student="s0"[^>]*><th scope="row"[^>]*>Lee, Ann0<small', page.text)
    assert "read it from October on" in page.text
    assert re.search(r'<tr data-early="true"><th scope="row">August', page.text)
    assert "data-early" not in page.text.split('<th scope="row">October')[1].split("</table>")[0]
    # Not in a table anywhere: names are for the page.
    assert "Ann0" not in (tmp_path / "out" / "student_metrics.csv").read_text(encoding="utf-8")


# --- a synthetic district: the page's order and the 30 days, against the engine's --as-of ------


@pytest.fixture(scope="module")
def school_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("support")
    write_synthetic(folder / "input", students=400, seed=11)
    schools = read_csv(folder / "input" / "schools.csv")
    school = schools[0]["school_id"]
    api.report(folder / "input", folder / "out", school=school)
    return folder, school, read_page(folder / "out" / "report.html")


@pytest.mark.slow
def test_the_page_leads_with_since_last_month_and_the_list_then_folds_the_groups(school_page):
    _, _, page = school_page
    assert page.sections[:3] == ["headline", "recent", "support"]
    text = page.text
    groups = text[text.index('<section id="groups"') : text.index('<section id="reasons"')]
    assert (
        groups.count('<details class="group">') >= 3 and '<details class="group" open' not in groups
    )
    # Without JavaScript every row is on the page; the script only pages and sorts them.
    support = text[
        text.index('id="support-table"') : text.index("</table>", text.index('id="support-table"'))
    ]
    assert " hidden" not in support
    bands = {m for m in re.findall(r'data-field="tier" data-value="(\w+)"', support)}
    # At risk is on the list now, beside moderate and severe; never satisfactory.
    assert "at_risk" in bands and bands <= {"at_risk", "moderate", "severe"}


@pytest.mark.slow
def test_the_30_day_change_is_what_the_engine_gives_as_of_that_day(school_page, tmp_path):
    folder, school, page = school_page
    since = date.fromisoformat(
        re.search(r"Moved up into a band since (\d{4}-\d\d-\d\d)", page.text)[1]
    )
    api.report(folder / "input", tmp_path / "then", as_of=since)
    then = {
        r["student_id"]: r["tier"]
        for r in read_csv(tmp_path / "then" / "student_metrics.csv")
        if (r["level"], r["unit_id"]) == ("school", school)
    }
    now = [
        r
        for r in read_csv(folder / "out" / "student_metrics.csv")
        if (r["level"], r["unit_id"]) == ("school", school) and r["eligible"] == "true"
    ]
    rank = {name: n for n, name in enumerate(TIER_NAMES)}
    moved = Counter(
        r["tier"] for r in now if rank[r["tier"]] > rank.get(then.get(r["student_id"]) or "", -1)
    )
    shown = dict(re.findall(r'data-band="(\w+)" data-field="moved" data-value="(\d+)"', page.text))
    assert shown == {name: str(moved[name]) for name in ("at_risk", "moderate", "severe")}
    assert sum(moved.values()) > 0
    # Each listed student: "new" when not counted then, "was <band>" when the band was lower.
    rows = re.findall(r'<tr data-student="([^"]+)"(.*?)</tr>', page.text)
    assert rows
    for student, row in rows:
        before = then.get(student) or ""
        if not before:
            assert ">new<" in row, student
        elif rank[before] < rank[re.search(r'data-field="tier" data-value="(\w+)"', row)[1]]:
            assert f"was {before.replace('_', ' ')}" in row.lower(), student


def test_a_change_on_few_students_says_so():
    from rollcall.report.aggregate_page import change
    from rollcall.report.aggregate_records import Figures

    def of(eligible: int, chronic: int) -> Figures:
        return Figures(eligible, chronic, Ratio.of(chronic, eligible), True, False)

    # 15 students then 11: "−80.0 pts" alone would read as a collapse.
    assert change(of(11, 1), of(15, 13)) == (
        "−77.6 pts (small group: changes of this size happen by chance)"
    )
    assert change(of(300, 30), of(320, 64)) == "−10.0 pts"
    assert change(of(300, 30), None) == ""
