"""How groups, days and cautions read on a page (rollcall/labels.py, notes.py, spc.fit_style):
hand-made examples of each rule."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib.resources import files

from rollcall.labels import days_text, dimension_label, group_label, group_phrase
from rollcall.notes import Note
from rollcall.publish.site_chart import WIDTH as TREND_WIDTH
from rollcall.spc import fit_style, inline_svg


def test_dimensions_and_groups_are_words_not_field_names():
    assert dimension_label("race_ethnicity") == "Race and ethnicity"
    assert dimension_label("disability") == "Students with disabilities"
    assert dimension_label("bus_route") == "Bus route"  # a district's own attribute
    assert group_label("english_learner", "Y") == "Yes"
    assert group_label("english_learner", "unknown") == "Not recorded"
    assert group_label("gender", "F") == "Female"
    assert group_label("grade", "K") == "Kindergarten"
    assert group_label("grade", "7") == "Grade 7"
    assert group_label("race_ethnicity", "Asian") == "Asian"


def test_a_group_named_on_its_own_says_which_attribute():
    assert group_phrase("homeless", "Y") == "Homeless"
    assert group_phrase("homeless", "N") == "Homeless: no"
    assert group_phrase("english_learner", "unknown") == "English learners: not recorded"
    assert group_phrase("race_ethnicity", "Asian") == "Race and ethnicity: Asian"
    assert group_phrase("grade", "8") == "Grade 8"


def test_days_are_exact_for_a_student_and_whole_for_a_total():
    assert days_text("4.5") == "4.5"
    assert days_text("99.75") == "99.75"
    assert days_text("100.5") == "101"  # half up
    assert days_text("76275.25") == "76,275"
    assert days_text("1533.5") == "1,534"
    assert days_text(Decimal(1144500000) / Decimal(10**6)) == "1,145"
    assert days_text("12") == "12"
    assert days_text("") == "—"


def test_a_caution_shows_its_first_clause_and_opens_to_the_rest():
    note = Note("x", plain="School days are assumed: the calendar lists 2 dates.")
    assert note.headline == "School days are assumed"
    assert note.detail == "the calendar lists 2 dates."
    whole = Note("x", plain="733 of 960 students have no attendance record.")
    assert whole.headline == whole.words and whole.detail == ""
    late = Note("x", plain="a" * 130 + ": then the rest")
    assert late.headline == late.words  # no early colon: shown whole


def test_a_chart_never_shrinks_below_readable_text():
    # 960 units wide, smallest text 12: 11 px on screen needs 880 px at least.
    assert fit_style(960) == "width:100%;max-width:960px;min-width:880px;height:auto"
    assert "min-width:542px" in fit_style(640, 13)
    # The public site's CSP allows no style attribute: its stylesheet says the same width.
    css = (files("rollcall.publish") / "templates" / "site" / "site.css").read_text()
    rule = re.search(r"svg\.trend \{[^}]*min-width: (\d+)px", css)
    assert rule is not None and f"min-width:{rule.group(1)}px" in fit_style(TREND_WIDTH, 13)


def test_an_inline_chart_has_ids_of_its_own():
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='960' height='500' viewBox='0 0 960 500' "
        "aria-labelledby='chart-title chart-desc'><title id='chart-title'>T</title>"
        "<desc id='chart-desc'>D</desc></svg>"
    )
    inline = inline_svg(svg, "series/school/1")
    assert "xmlns" not in inline and "chart-title" not in inline and "chart-desc" not in inline
    assert "aria-labelledby='series-school-1-title series-school-1-desc'" in inline
    assert "<title id='series-school-1-title'>" in inline
    assert inline.startswith("<svg style='width:100%;max-width:960px;min-width:880px")
