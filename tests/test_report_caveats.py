"""Every note a reader or the engine gives (rollcall/notes.py) reaches every output of the run:
the terminal, the top of the report page ("Before you read these numbers", in a principal's
words with their sizes) and notes.csv (issue 16, item 1)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from canonical import write_canonical
from outputs import absences, calendar_rows, read_csv, school_days

from rollcall import api
from rollcall.notes import Note, as_notes, cautions_first

GRAND_BEND = Path(__file__).resolve().parents[2] / "shared" / "data" / "edfi-grand-bend"
if not GRAND_BEND.is_dir():
    GRAND_BEND = Path("/work/shared/data/edfi-grand-bend")
DAYS = school_days(20)


def box(page: Path) -> str:
    """The words of the page's "Before you read these numbers" box, tags taken out."""
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<aside id="before".*?</aside>', text, re.S)
    assert found, "the page has no 'Before you read these numbers' box"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found[0])).split())


def section(page: Path, name: str) -> str:
    text = page.read_text(encoding="utf-8")
    found = re.search(rf'<section id="{name}".*?</section>', text, re.S)
    assert found
    return html.unescape(re.sub(r"<[^>]+>", " ", found[0]))


def test_a_note_is_its_terminal_words_and_carries_its_size():
    note = Note("Students not counted: 3 of 9.", kind="not_counted", plain="3 of 9 …", size=3,
                out_of=9, file="Student.xml")  # fmt: skip
    assert note == "Students not counted: 3 of 9." and "not counted" in note
    assert note.is_caution and note.words == "3 of 9 …"
    assert note.row() == {
        "severity": "caution", "kind": "not_counted", "file": "Student.xml", "count": "3",
        "total": "9", "what": "3 of 9 …", "detail": "Students not counted: 3 of 9.",
    }  # fmt: skip
    plain = as_notes(["read as CSV"])[0]
    assert plain.kind == "read" and not plain.is_caution and plain.words == "read as CSV"
    assert cautions_first([plain, note]) == (note, plain)


def small_folder(folder: Path) -> Path:
    write_canonical(
        folder,
        schools=[{"school_id": "A"}],
        students=[{"student_id": "s1"}, {"student_id": "s2"}],
        enrollments=[
            {"student_id": s, "school_id": "A", "grade": "5", "entry_date": DAYS[0].isoformat()}
            for s in ("s1", "s2")
        ],
        calendar=calendar_rows("A", DAYS),
        attendance=absences("s1", "A", DAYS[:3]) + absences("s1", "A", DAYS[3:4], "bogus"),
    )
    (folder / "extra.txt").write_text("not attendance", encoding="utf-8")
    return folder


def test_refused_rows_and_unread_files_are_on_the_page_and_in_notes_csv(tmp_path):
    out = tmp_path / "out"
    result = api.report(small_folder(tmp_path / "in"), out, school="A")
    words = box(out / "report.html")
    assert "1 of 4 attendance records (attendance.csv) could not be used and are not counted" in (
        words
    )
    assert "1 file in the input folder could not be read and was left out: extra.txt" in words
    rows = read_csv(out / "notes.csv")
    assert [(r["severity"], r["kind"], r["count"], r["total"]) for r in rows] == [
        ("caution", "refused", "1", "4"),
        ("info", "not_read", "1", ""),
    ]
    assert any(getattr(n, "kind", "") == "refused" for n in result.notes)
    assert out / "notes.csv" in result.files


def test_a_clean_input_says_nothing_was_assumed(tmp_path):
    folder = small_folder(tmp_path / "in")
    (folder / "extra.txt").unlink()
    rows = (folder / "attendance.csv").read_text(encoding="utf-8").splitlines()
    (folder / "attendance.csv").write_text("\n".join(r for r in rows if "bogus" not in r) + "\n")
    out = tmp_path / "out"
    api.report(folder, out, school="A")
    assert 'id="before"' not in (out / "report.html").read_text(encoding="utf-8")
    assert read_csv(out / "notes.csv") == []


@pytest.mark.slow
@pytest.mark.skipif(not GRAND_BEND.is_dir(), reason="Grand Bend data not present")
def test_grand_bend_caveats_are_on_the_page_with_their_numbers(tmp_path):
    from rollcall.formats.sources import ReadOptions, Source

    source = Source(GRAND_BEND, options=ReadOptions(enrollment_from_sessions=True))
    out = tmp_path / "out"
    result = api.report(source, out, html=True)
    words = box(out / "report.html")
    # Enrollments assumed, students not counted, the calendar against itself: with their sizes.
    assert "Enrollments are assumed, not recorded" in words and "227 students" in words
    assert "733 of 960 students have no attendance record and are not counted" in words
    assert "give 189 school days" in words and "says 169 (20 more)" in words
    assert "absence rates understated" in words
    # Before the headline's "15.9%".
    text = (out / "report.html").read_text(encoding="utf-8")
    assert text.index('id="before"') < text.index('id="headline"')
    # The same cautions in notes.csv and in the result the terminal prints.
    cautions = {r["kind"] for r in read_csv(out / "notes.csv") if r["severity"] == "caution"}
    assert cautions == {"assumed", "not_counted", "calendar", "refused"}
    assert any("733 of 960" in n for n in result.notes)
    # The data-quality section names the files this input has, not canonical ones it lacks.
    quality = section(out / "report.html", "quality")
    assert "students.csv" not in quality and "Student.xml" in quality
