"""The platform in a real browser: the production server (``rollcall serve``, its own SQLite data
folder refreshed twice from tests/web_world.py) walked by headless Chromium as a principal and
as a teacher, in English and in Spanish. On every page, axe-core (vendored in tests/vendor, run
in the page; nothing is downloaded) finds no serious or critical violation; there is no console
error and no request leaving 127.0.0.1; Tab from the top reaches the skip link first and it moves
focus to the content; at 390 px wide the page does not scroll sideways. Screenshots of each page
at 1400 and 390 px go to /tmp/i18n-shots (or ROLLCALL_SHOTS)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_web_serve import _wait_for, free_port, own_sqlite
from web_world import FIRST, PASSWORD, SECOND, write_world

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
SHOTS = Path(os.environ.get("ROLLCALL_SHOTS", "/tmp/i18n-shots"))
WIDE, PHONE = 1400, 390
# The accounts of tests/web_world.py, made in the served data folder through the same code.
ACCOUNTS = """
import sys
from pathlib import Path
sys.path.insert(0, "tests")
from rollcall.web.server import prepare, setup
setup(Path(sys.argv[1]))
prepare()
from web_world import make_accounts
make_accounts()
"""


def _run(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def served(folder: Path, write: Callable[[Path], Path] = write_world) -> Iterator[str]:
    """Refresh the input ``write`` makes at the world's two dates into a data folder, make the
    world's accounts there, serve it, and give its address until the caller is done."""
    data, source = folder / "data", write(folder / "input")
    env = own_sqlite()
    for day in (FIRST, SECOND):
        _run("-c", "from rollcall.cli import main; main()", "refresh", "--input", str(source),
             "--as-of", day.isoformat(), "--data", str(data), env=env)  # fmt: skip
    _run("-c", ACCOUNTS, str(data), env=env)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from rollcall.cli import main; main()", "serve", "--data",
         str(data), "--port", str(port), "--workers", "1"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The address of a running ``rollcall serve`` holding the small world and its accounts."""
    yield from served(tmp_path_factory.mktemp("served"))


class Walk:
    """One person's browser tab, checking every page it opens."""

    def __init__(self, browser, base: str, who: str) -> None:
        self.base, self.who = base, who
        self.context = browser.new_context(viewport={"width": WIDE, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        SHOTS.mkdir(parents=True, exist_ok=True)

    def sign_in(self) -> None:
        self.page.goto(f"{self.base}/")
        assert "/accounts/login/" in self.page.url
        self.check("login")
        self.page.fill("#id_username", self.who)
        self.page.fill("#id_password", PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        assert self.page.url.split("#")[0] == f"{self.base}/"

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state()
        if "#" in page.url:
            # A page reached from one whose skip link was used keeps its #main (a redirect, a
            # form sent to its own address): open it afresh, so that Tab starts from the top.
            page.goto(page.url.split("#")[0])
        shot = f"{self.who}-{name}"
        page.screenshot(path=str(SHOTS / f"{shot}-{WIDE}.png"), full_page=True)
        self._axe(shot)
        self._skip_link(shot)
        page.set_viewport_size({"width": PHONE, "height": 844})
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(SHOTS / f"{shot}-{PHONE}.png"), full_page=True)
        self._axe(f"{shot} at {PHONE} px")
        page.set_viewport_size({"width": WIDE, "height": 900})
        assert width <= PHONE, f"{shot} scrolls sideways at {PHONE} px ({width} px wide)"
        assert self.errors == [], f"{shot}: console errors {self.errors}"
        away = [url for url in self.requests if not url.startswith(f"{self.base}/")]
        assert away == [], f"{shot}: requests leaving the server {away}"

    def _axe(self, shot: str) -> None:
        if not self.page.evaluate("typeof axe !== 'undefined'"):
            self.page.add_script_tag(path=str(AXE))
        violations = self.page.evaluate(
            """async () => (await axe.run()).violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"""
        )
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], f"{shot}: axe found " + "\n".join(
            f"{v['impact']} {v['id']} ({v['help']}): {v['nodes']}" for v in serious
        )

    def _skip_link(self, shot: str) -> None:
        page = self.page
        page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
        page.keyboard.press("Tab")
        first = page.evaluate("document.activeElement.className")
        assert first == "skip", f"{shot}: Tab from the top reaches {first!r} first"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", f"{shot}: skip link"

    def close(self) -> None:
        self.context.close()


def test_a_principal_walks_the_school_pages(browser, server):
    walk = Walk(browser, server, "principal")
    try:
        walk.sign_in()
        page = walk.page
        walk.check("home")
        page.get_by_role("link", name="Alder Elementary").click()
        walk.check("school")
        assert page.locator("h1").inner_text() == "Alder Elementary"
        page.get_by_role("link", name="Students by band").first.click()
        walk.check("students")
        page.get_by_label("Show").select_option("new")
        page.get_by_role("button", name="Show").click()
        walk.check("students-new")
        assert "view=new" in page.url and page.get_by_role("link", name="Ana Lopez").count() == 1
        page.get_by_role("link", name="Ana Lopez").click()
        walk.check("student")
        assert page.locator("h1").inner_text() == "Ana Lopez"
    finally:
        walk.close()


def test_a_teacher_opens_the_caseload(browser, server):
    walk = Walk(browser, server, "teacher")
    try:
        walk.sign_in()
        walk.check("home")
        walk.page.get_by_role("link", name="Advisory").click()
        walk.check("caseload")
        assert "Advisory: students by band" in walk.page.locator("h1").inner_text()
    finally:
        walk.close()


def test_the_language_switcher_in_the_browser(browser, server):
    walk = Walk(browser, server, "principal")
    try:
        walk.sign_in()
        page = walk.page
        page.get_by_label("Language").select_option("es")
        page.get_by_role("button", name="Change language").click()
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.lang") == "es"
        assert page.locator("h1").inner_text() == "Sus escuelas y estudiantes"
        page.get_by_role("link", name="Alder Elementary").click()
        walk.check("school-es")
        assert "Ausentismo crónico severo" in page.content()
        page.get_by_role("link", name="Estudiantes por nivel").first.click()
        walk.check("students-es")
    finally:
        walk.close()
