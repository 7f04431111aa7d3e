"""The platform in Spanish: the committed catalogue (rollcall/web/locale/es) is complete, its
compiled .mo says what the .po says, every string of the templates and code is in it, and the
pages answer in Spanish to a browser asking for it or to the language switcher, in English
otherwise."""

from __future__ import annotations

import ast
import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from web_world import PASSWORD, ROLES

from rollcall.tiers import TIERS
from rollcall.web.front.bands import BAND_LABELS, share_rule

pytestmark = pytest.mark.django_db

WEB = Path(__file__).resolve().parent.parent / "rollcall" / "web"
PO = WEB / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SCOPE_TESTED = {"set_language"}


def catalogue(path: Path) -> dict[str, list[str]]:
    """A .po file's messages: msgid (and for plurals ``msgid\\x00msgid_plural``; with a context,
    ``msgctxt\\x04msgid``, as the .mo keeps it) → msgstrs."""
    entries: dict[str, list[str]] = {}
    current: dict[str, str] = {}
    key = ""

    def done() -> None:
        if current.get("msgid"):
            msgid = current["msgid"]
            if "msgid_plural" in current:
                msgid += "\x00" + current["msgid_plural"]
            if "msgctxt" in current:
                msgid = current["msgctxt"] + "\x04" + msgid
            strs = [v for k, v in sorted(current.items()) if k.startswith("msgstr")]
            entries[msgid] = strs

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            done()
            current, key = {}, ""
        elif line.startswith("#"):
            assert not line.startswith("#, fuzzy") or not current, "a fuzzy entry"
            assert not line.startswith("#~"), "an obsolete entry: remove it"
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, text = line.split(" ", 1)
            current[key] = ast.literal_eval(text)
    return entries


def test_every_message_is_translated_and_the_mo_says_what_the_po_says():
    entries = catalogue(PO)
    assert len(entries) > 50
    with MO.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, strs in entries.items():
        assert strs and all(s.strip() for s in strs), f"untranslated: {msgid!r}"
        if "\x00" in msgid:
            one, many = msgid.split("\x00")
            assert [compiled.ngettext(one, many, n) for n in (1, 1_000_000, 2)] == strs
        elif "\x04" in msgid:
            context, text = msgid.split("\x04")
            assert compiled.pgettext(context, text) == strs[0], f"the .mo is stale for {text!r}"
        else:
            assert compiled.gettext(msgid) == strs[0], f"the .mo is stale for {msgid!r}"
    assert len(compiled._catalog) == len(entries) + 1 + sum(  # type: ignore[attr-defined]
        len(s) - 1 for s in entries.values()
    ), "the .mo holds messages the .po no longer has: run compilemessages"


def test_placeholders_and_markup_survive_translation():
    for msgid, strs in catalogue(PO).items():
        for text in strs:
            for token in ("%(lower)s", "%(upper)s", "%(name)s", "%(year)s", "%(day)s",
                          "%(policy)s", "%(label)s", "%(title)s", "%(id)s", "%(district)s",
                          "%(n)s", '<span class="hide-narrow">', "</span>"):  # fmt: skip
                assert (token in msgid) == (token in text), f"{token} in {msgid!r} / {text!r}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) missing")
def test_every_string_of_the_templates_and_code_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the platform (never writing to the package) finds exactly the
    committed catalogue's messages."""
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po"))
    (copy / "locale").mkdir(exist_ok=True)
    env = {"PATH": "/usr/bin:/bin"}  # no settings: the copy's own locale folder only
    done = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "es", "--no-location"],
        cwd=copy, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = set(catalogue(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    assert found == set(catalogue(PO)), "run makemessages -l es and translate the new messages"


def test_the_band_labels_and_rules_in_english_are_the_librarys():
    with translation.override("en"):
        assert list(BAND_LABELS) == [t.name for t in TIERS]
        for tier in TIERS:
            assert str(BAND_LABELS[tier.name]) == tier.label
            assert share_rule(tier) == tier.share_rule()
    with translation.override("es"):
        assert [str(BAND_LABELS[t.name]) for t in TIERS] == [
            "Asistencia satisfactoria", "En riesgo", "Ausentismo crónico moderado",
            "Ausentismo crónico severo",
        ]  # fmt: skip
        assert [share_rule(t) for t in TIERS] == [
            "menos del 5% de los días", "del 5% a menos del 10%", "del 10% a menos del 20%",
            "20% o más",
        ]  # fmt: skip


def signed_in(username: str, **headers: str) -> Client:
    client = Client(**headers)
    assert client.login(username=username, password=PASSWORD)
    return client


SCHOOL = {"district_id": "A", "school_id": "A1"}
SPANISH = {
    "login": ('lang="es"', "Iniciar sesión", "Nombre de usuario", "Contraseña", "Ir al contenido"),
    "home": ("Sus escuelas y estudiantes", "estudiantes por nivel", "Cerrar sesión"),
    "school": ("Estudiantes por nivel", "Ausentismo crónico severo", "del 10% a menos del 20%",
               "estudiantes elegibles", "Año escolar", "(33,3%)"),
    "school-students": ("estudiantes por nivel", "nuevos en un nivel más alto", "con más ausencias",
                        "Ausentismo crónico severo", "Descargar CSV", "proporción de días"),
}  # fmt: skip
ENGLISH = {
    "login": ('lang="en"', "Sign in", "User name", "Password", "Skip to the content"),
    "home": ("Your schools and students", "students by band", "Sign out"),
    "school": ("Students by band", "Severe chronic absence", "10% to less than 20%",
               "eligible students", "School year", "(33.3%)"),
    "school-students": ("students by band", "new to a higher band", "getting worse",
                        "Severe chronic absence", "Download CSV", "share of days missed"),
}  # fmt: skip


def page(client: Client, name: str) -> str:
    url = reverse(name, kwargs=SCHOOL if name.startswith("school") else None)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", list(SPANISH))
def test_a_browser_asking_for_spanish_gets_spanish(name):
    headers = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}
    client = Client(**headers) if name == "login" else signed_in("principal", **headers)
    text = page(client, name)
    for words in SPANISH[name]:
        assert words in text
    for words in ENGLISH[name][1:]:
        assert words not in text


@pytest.mark.parametrize("name", list(ENGLISH))
def test_english_stays_english(name):
    client = Client() if name == "login" else signed_in("principal")
    text = page(client, name)
    for words in ENGLISH[name]:
        assert words in text
    assert "Iniciar sesión" not in text and "Sus escuelas" not in text


def test_the_language_switcher_changes_the_pages_and_back():
    client = signed_in("principal")
    assert 'name="language"' in page(client, "home") and "Change language" in page(client, "home")
    switched = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert switched.status_code == 302 and switched["Location"] == "/"
    for name in ("home", "school", "school-students"):
        text = page(client, name)
        assert all(words in text for words in SPANISH[name])
    student = client.get(reverse("student", kwargs={"district_id": "A", "student_id": "s1"}))
    assert "Asistencia en cada actualización" in student.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Your schools and students" in page(client, "home")


def test_the_new_and_severe_in_spanish_on_the_list():
    client = signed_in("principal", HTTP_ACCEPT_LANGUAGE="es")
    url = reverse("school-students", kwargs=SCHOOL) + "?view=new"
    text = client.get(url).content.decode()
    assert "Ana" in text and "Ausentismo crónico severo" in text and "nuevo" in text


def test_the_throttle_message_is_translated():
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    for _ in range(6):
        response = client.post(reverse("login"), {"username": "principal", "password": "wrong"})
    assert "Espere unos minutos" in response.content.decode()


@pytest.mark.parametrize("username", ["anonymous", *ROLES])
def test_everyone_may_choose_a_language(username):
    """set_language is open to everyone (it only sets a cookie), signed in or not."""
    client = Client() if username == "anonymous" else signed_in(username)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["django_language"].value == "es"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) missing")
def test_the_catalogue_passes_msgfmts_checks():
    """``compilemessages`` runs msgfmt --check: a translation whose placeholders differ from its
    message's (a bare ``%`` in a python-format entry) fails there, not in Python's gettext."""
    done = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(PO)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
