"""What the letters say, in which language, and the printed letters (docs/outreach.md)."""

from __future__ import annotations

import csv
import dataclasses
import re
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest
from outreach_world import AS_OF, SYNTH_AS_OF, small_district, synthetic_district

from rollcall.api import outreach_plan
from rollcall.outreach import letters as letters_module
from rollcall.outreach.content import classmates_average, letters
from rollcall.outreach.letters import KINDS, PACKAGED, Writer
from rollcall.outreach.plan import Plan

TODAY = date(2026, 3, 30)

# Threats, legal language and the awards that backfire: none may appear in any letter or message
# of the early tiers, in any language (the trials: docs/outreach.md, "The evidence").
BANNED = {
    "en": ["truan", "court", "law", "legal", "judge", "police", "attorney", "prosecut", "penalt",
           "fine", "fined", "jail", "arrest", "citation", "violation", "sanction", "punish",
           "consequence", "failure to", "must", "required", "compulsory", "mandatory", "warning",
           "report you", "sarb", "perfect attendance", "award"],
    "es": ["absentismo", "ausentismo escolar", "tribunal", "corte", "ley", "legal", "juez",
           "policía", "abogado", "fiscal", "multa", "sanción", "castigo", "cárcel", "arresto",
           "citación", "violación", "consecuencia", "obligatori", "debe ", "deberá", "advertencia",
           "asistencia perfecta", "premio"],
}  # fmt: skip


def _all_to_message(plan: Plan) -> Plan:
    """The plan with every household in the message arm: every letter, for content tests."""
    moved = [dataclasses.replace(a, arm="message") for a in plan.assignments]
    return dataclasses.replace(plan, assignments=moved)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_district(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def small_letters(small: Path):
    plan = _all_to_message(outreach_plan(small, as_of=AS_OF, seed=7).plan)
    writer = Writer(today=TODAY)
    return {r.letter.household_id: r for r in map(writer.render, letters(plan))}, plan


@pytest.fixture(scope="module")
def synthetic_round(tmp_path_factory: pytest.TempPathFactory):
    folder = synthetic_district(tmp_path_factory.mktemp("synthetic"))
    out = tmp_path_factory.mktemp("round")
    return outreach_plan(folder, as_of=SYNTH_AS_OF, seed=4, out_dir=out, today=TODAY), out


def _words(text: str) -> str:
    return " " + re.sub(r"\s+", " ", text.lower()) + " "


def _banned_in(text: str, language: str) -> list[str]:
    found = _words(re.sub(r"<[^>]+>", " ", text))
    return [w for w in BANNED[language] if re.search(r"\b" + re.escape(w), found)]


def test_classmates_are_the_other_students_of_the_same_school_and_grade(small_letters) -> None:
    _, plan = small_letters
    average = classmates_average(plan.roster.students)
    # Grade 3: s1 4 days, s3 0, s4 2, s6 1. Grade 4: s2 1, s5 3, s7 2.
    assert average["s1"] == pytest.approx((0 + 2 + 1) / 3)
    assert average["s6"] == pytest.approx((4 + 0 + 2) / 3)
    assert average["s2"] == pytest.approx((3 + 2) / 2)
    assert average["s7"] == pytest.approx((1 + 3) / 2)


def test_the_spanish_letter_says_days_missed_classmates_and_pace(small_letters) -> None:
    rendered, _ = small_letters
    ruiz = rendered["h1"]
    assert ruiz.language == "es" and ruiz.note == ""
    text = _words(re.sub(r"<[^>]+>", " ", ruiz.html))
    assert "kid1 ha faltado 4 días a la escuela este año, de 20 días de clases" in text
    assert "los estudiantes de grado 3 de nuestra escuela han faltado 1 día en promedio" in text
    assert "kid2 ha faltado 1 día a la escuela" in text
    assert "han faltado 2,5 días en promedio" in text  # s2's classmates: (3 + 2) / 2
    assert "a este ritmo, kid1 faltaría unos 36 días" in text  # 4 / 20 × 180
    assert "llámenos al 555-0100" in text
    assert "ana ruiz" in text and "1 oak st" in text and "salem ca 90001" in text
    assert "30 de marzo de 2026" in text


def test_a_language_without_a_template_is_written_in_english_with_a_note(small_letters) -> None:
    rendered, _ = small_letters
    kims = rendered["auto-s6"]  # s7's family speaks Vietnamese
    assert kims.letter.language == "vi"
    assert kims.language == "en"
    assert "Vietnamese, which has no template" in kims.note
    assert "Kid6 has missed 1 day of school this year" in kims.email
    assert "Students in grade 3 at our school have missed 2 days on average." in kims.email


def test_no_threat_or_legal_words_in_any_letter_in_any_language(small_letters) -> None:
    rendered, _ = small_letters
    assert {r.language for r in rendered.values()} == {"en", "es"}
    for one in rendered.values():
        for text in (one.html, one.email, one.sms, one.subject):
            assert _banned_in(text, one.language) == [], one.letter.household_id


def test_the_banned_word_check_finds_a_threat() -> None:
    assert _banned_in("Continued absence may be referred to the court.", "en") == ["court"]
    assert _banned_in("Puede recibir una multa.", "es") == ["multa"]


def test_every_sentence_of_the_templates_is_translated_in_spanish() -> None:
    writer = Writer()
    translations = writer.catalogue("es")
    assert translations is not None
    wanted = set()
    for kind in KINDS:
        source = writer.env.loader.get_source(writer.env, f"{kind}.j2")[0]  # type: ignore[union-attr]
        for _line, function, message in writer.env.extract_translations(source):
            wanted.add((function, message))
    wanted |= {("gettext", w) for w in letters_module.GRADE_WORDS.values()}
    wanted |= {("gettext", letters_module.GRADE_NUMBER), ("gettext", letters_module.YOUR_CHILD)}
    for function, message in wanted:
        if function == "ngettext":
            singular, plural = message[0], message[1]
            assert translations.ngettext(singular, plural, 1) != singular, singular
            assert translations.ngettext(singular, plural, 2) != plural, plural
        else:
            assert translations.gettext(message) != message, message


@pytest.mark.skipif(not Path("/usr/bin/msgfmt").exists(), reason="needs gettext's msgfmt")
def test_the_compiled_spanish_catalogue_is_the_catalogue(tmp_path: Path) -> None:
    folder = PACKAGED / "locale" / "es" / "LC_MESSAGES"
    subprocess.run(["/usr/bin/msgfmt", "--check", "-o", str(tmp_path / "o.mo"),
                    str(folder / "outreach.po")], check=True)  # fmt: skip
    assert (tmp_path / "o.mo").read_bytes() == (folder / "outreach.mo").read_bytes()


def test_a_district_template_replaces_the_packaged_one_and_may_add_a_language(
    small_letters, tmp_path: Path
) -> None:
    _, plan = small_letters
    (tmp_path / "subject.txt.j2").write_text("Attendance news from {{ letter.school.name }}")
    (tmp_path / "letter.vi.html.j2").write_text(
        "<section>{% for c in letter.children %}{{ c.first_name }} đã nghỉ "
        "{{ c.days_absent|days(language) }} ngày.{% endfor %}</section>"
    )
    writer = Writer(tmp_path, today=TODAY)
    rendered = {r.letter.household_id: r for r in map(writer.render, letters(plan))}
    assert rendered["h1"].subject == "Attendance news from Adams Elementary"
    kims = rendered["auto-s6"]
    assert kims.language == "vi" and kims.note == ""
    assert "Kid6 đã nghỉ 1 ngày." in kims.html


@pytest.mark.slow
def test_every_message_household_has_a_letter_in_its_language_and_the_pdf_reads_back(
    synthetic_round,
) -> None:
    result, out = synthetic_round
    households = result.plan.households("message")
    with (out / "messages.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    letters_of = {r["household_id"]: r for r in rows if r["channel"] == "letter"}
    assert set(letters_of) == set(households)
    writer = Writer()
    for row in letters_of.values():
        expected = row["family_language"] if writer.has(row["family_language"]) else "en"
        assert row["language"] == expected
        assert (row["note"] != "") == (expected != row["family_language"] or row["to"] == "")
    assert {"en", "es"} <= {r["language"] for r in letters_of.values()}
    assert {"email", "sms"} <= {r["channel"] for r in rows}
    # No banned word in any letter or message of the synthetic round.
    for one in result.rendered:
        for text in (one.html, one.email, one.sms):
            assert _banned_in(text, one.language) == []
    # One PDF per school, a page per household, its text the letters'.
    by_school: dict[str, list[str]] = {}
    for r in letters_of.values():
        by_school.setdefault(r["school_id"], []).append(r["household_id"])
    pdfs = sorted(out.glob("letters-*.pdf"))
    assert len(pdfs) == len(by_school)
    for school_id, homes in by_school.items():
        assert len(pypdf.PdfReader(out / f"letters-{school_id}.pdf").pages) == len(homes)
    school_id = max(by_school, key=lambda s: len(by_school[s]))
    reader = pypdf.PdfReader(out / f"letters-{school_id}.pdf")
    first = next(r for r in result.rendered if r.letter.school.school_id == school_id)
    page = " ".join(reader.pages[0].extract_text().split())
    assert first.letter.guardian in page
    assert first.letter.address[0] in page
    child = first.letter.children[0]
    assert f"{child.first_name} " in page
    assert (
        f"out of {child.days_enrolled} school days" in page
        or f"de {child.days_enrolled} días de clases" in page
    )


def test_a_broken_district_template_is_named_with_its_line(small_letters, tmp_path: Path) -> None:
    from rollcall.errors import InputError

    _, plan = small_letters
    (tmp_path / "sms.txt.j2").write_text("Hello\n{% if %}\n")
    writer = Writer(tmp_path, today=TODAY)
    with pytest.raises(InputError, match=r"sms.txt.j2, line 2: template error"):
        writer.render(letters(plan)[0])
