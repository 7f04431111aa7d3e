"""Rendering the letters and messages: Jinja templates, translated by gettext catalogues.

The packaged templates (``templates/``) hold every sentence in ``{% trans %}`` blocks; a language
is written from them with its catalogue, ``locale/<code>/LC_MESSAGES/outreach.mo``. A district's
own ``--templates`` folder comes first: a template there replaces the packaged one of the same
name, ``letter.<code>.html.j2`` (and ``sms.<code>.txt.j2``, ``email.<code>.txt.j2``,
``subject.<code>.txt.j2``) is a whole letter written in one language, and its
``locale/<code>/LC_MESSAGES/outreach.mo`` adds a language. A family whose language has neither is
written to in English, and the letter's row in ``messages.csv`` says so to staff.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from markupsafe import Markup

from rollcall.errors import InputError, OptionError
from rollcall.outreach.content import Letter
from rollcall.outreach.roster import School

PACKAGED = Path(__file__).parent
DOMAIN = "outreach"
ENGLISH = "en"
KINDS = ("letter.html", "sms.txt", "email.txt", "subject.txt")
# Grade words (catalogue entries like the templates' sentences).
GRADE_WORDS = {"PK": "preschool", "TK": "transitional kindergarten", "K": "kindergarten",
               "UG": "an ungraded class"}  # fmt: skip
GRADE_NUMBER = "grade {grade}"
YOUR_CHILD = "your child"
# Language names for the note to staff (English: staff read it).
LANGUAGE_NAMES = {"es": "Spanish", "vi": "Vietnamese", "zh": "Chinese", "tl": "Tagalog",
                  "ar": "Arabic", "ko": "Korean", "ru": "Russian", "pt": "Portuguese",
                  "fr": "French", "ht": "Haitian Creole", "so": "Somali", "hmn": "Hmong",
                  "pa": "Punjabi", "hi": "Hindi", "en": "English"}  # fmt: skip


@dataclass(frozen=True)
class Rendered:
    """One household's letter (an HTML section), e-mail and text message, and the language
    they are written in (``language``: English when the family's has no template)."""

    letter: Letter
    language: str
    html: Markup
    subject: str
    email: str
    sms: str
    note: str  # to staff; empty when the letter is in the family's language


class Writer:
    """Renders letters in every language it has templates or a catalogue for."""

    def __init__(self, templates: Path | None = None, *, today: date | None = None) -> None:
        if templates is not None and not Path(templates).is_dir():
            raise OptionError(f"--templates {templates}: no such folder")
        self.folders = [Path(templates)] if templates is not None else []
        loaders: list[BaseLoader] = [FileSystemLoader(str(f)) for f in self.folders]
        loaders.append(PackageLoader("rollcall.outreach", "templates"))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            extensions=["jinja2.ext.i18n"],
            autoescape=lambda name: bool(name and name.endswith(".html.j2")),
            undefined=StrictUndefined,
            trim_blocks=False,
            keep_trailing_newline=False,
        )
        self.env.filters["days"] = _days
        self.env.filters["plural"] = plural_count
        self.env.filters["grade"] = str  # replaced by each language's words when rendering
        self.today = today or date.today()
        self._catalogues: dict[str, gettext.NullTranslations | None] = {}

    def catalogue(self, language: str) -> gettext.NullTranslations | None:
        """The language's catalogue (the district's first), None without one."""
        if language not in self._catalogues:
            found: gettext.NullTranslations | None = None
            for folder in [*self.folders, PACKAGED]:
                path = folder / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
                if path.is_file():
                    with path.open("rb") as handle:
                        found = gettext.GNUTranslations(handle)
                    break
            self._catalogues[language] = found
        return self._catalogues[language]

    def has(self, language: str) -> bool:
        """Whether letters can be written in ``language``."""
        return (
            language == ENGLISH
            or self.catalogue(language) is not None
            or self._own("letter.html", language) is not None
        )

    def _own(self, kind: str, language: str) -> str | None:
        name = f"{kind.replace('.', f'.{language}.', 1)}.j2"
        try:
            self._template(name)
        except TemplateNotFound:
            return None
        return name

    def _template(self, name: str) -> Template:
        """A template by name; one that cannot be read is an error naming its file and line."""
        try:
            return self.env.get_template(name)
        except TemplateSyntaxError as exc:
            raise InputError(f"template error: {exc.message}", path=exc.filename or name,
                             line=exc.lineno) from None  # fmt: skip

    def render(self, letter: Letter) -> Rendered:
        language = letter.language if self.has(letter.language) else ENGLISH
        note = ""
        if language != letter.language:
            name = LANGUAGE_NAMES.get(letter.language, letter.language)
            note = (f"The family's language is {name}, which has no template: this letter is in "
                    "English. Add a catalogue or a letter for it (docs/outreach.md), or ask an "
                    "interpreter to call.")  # fmt: skip
        translations = self.catalogue(language) or gettext.NullTranslations()
        self.env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        self.env.filters["grade"] = _grade(translations.gettext)
        context = {"letter": letter, "language": language, "today": _date(self.today, language)}
        text = {kind: self._render(kind, language, context) for kind in KINDS}
        return Rendered(
            letter=letter,
            language=language,
            html=Markup(text["letter.html"]),
            subject=" ".join(text["subject.txt"].split()),
            email=text["email.txt"].strip() + "\n",
            sms=" ".join(text["sms.txt"].split()),
            note=note,
        )

    def _render(self, kind: str, language: str, context: dict[str, object]) -> str:
        name = self._own(kind, language) or f"{kind}.j2"
        template = self._template(name)
        try:
            return template.render(context)
        except UndefinedError as exc:
            raise InputError(f"template error: {exc.message}",
                             path=template.filename or name) from None  # fmt: skip

    def page(self, school: School, sections: list[Markup]) -> str:
        """One school's letters as one HTML page, a printed page per household."""
        return self._template("letters.html.j2").render(school=school, sections=sections)


def _days(value: float, language: str) -> str:
    """Days as people write them: ``4``, ``4.5`` (``4,5`` where a comma is the decimal mark)."""
    rounded = round(float(value), 1)
    text = str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"
    return text.replace(".", ",") if language in COMMA_DECIMALS else text


def plural_count(value: float) -> int:
    """The whole number a catalogue's plural rule is given for ``value`` days: the number
    itself when whole, else the next one up and at least 2 (0.5 and 1.5 days take the form
    of 2, as English and Spanish write them)."""
    return int(value) if value == int(value) else max(2, int(value) + 1)


COMMA_DECIMALS = frozenset({"es", "pt", "fr", "vi", "ru", "so", "ht"})


def _grade(translate: Callable[[str], str]) -> Callable[[str], str]:
    def grade(value: str) -> str:
        if value in GRADE_WORDS:
            return translate(GRADE_WORDS[value])
        return translate(GRADE_NUMBER).format(grade=value)

    return grade


SPANISH_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                  "septiembre", "octubre", "noviembre", "diciembre")  # fmt: skip


def _date(day: date, language: str) -> str:
    """The letter's date as the language writes it (ISO for a language this module does not
    know the months of)."""
    if language == ENGLISH:
        return f"{day:%B} {day.day}, {day.year}"
    if language == "es":
        return f"{day.day} de {SPANISH_MONTHS[day.month - 1]} de {day.year}"
    return day.isoformat()
