"""``rollcall refresh`` and ``rollcall serve`` as an administrator runs them: a fresh data folder,
a refresh from the command line, and the production server (gunicorn, static files by
WhiteNoise) answering in a real HTTP exchange. The server uses SQLite in its own data folder
whatever database the other platform tests use."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from command import rollcall_process
from web_world import FIRST, SECOND, write_world

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def own_sqlite() -> dict[str, str]:
    """The environment without the tests' database or data folder: the command's own."""
    private = ("DATABASE_URL", "ROLLCALL_DATA", "DJANGO_SETTINGS_MODULE")
    return {k: v for k, v in os.environ.items() if k not in private}


def test_refresh_then_serve_from_a_fresh_data_folder(tmp_path):
    data = tmp_path / "data"
    source = write_world(tmp_path / "input")
    env = own_sqlite()
    done = subprocess.run(
        [sys.executable, "-c", "from rollcall.cli import main; main()", "refresh", "--input",
         str(source), "--as-of", FIRST.isoformat(), "--data", str(data)],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Stored a snapshot of Ash District" in done.stdout
    assert "Stored a snapshot of Beech District" in done.stdout
    assert "Ana" not in done.stdout and "s1" not in done.stdout  # no student on the terminal
    assert (data / "rollcall.sqlite3").is_file() and (data / "secret_key").is_file()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from rollcall.cli import main; main()", "serve", "--data",
         str(data), "--port", str(port), "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    try:
        login = _wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        assert login.status_code == 200 and "Sign in" in login.text
        css = httpx.get(f"http://127.0.0.1:{port}/static/rollcall/app.css")
        assert css.status_code == 200 and "--band-severe" in css.text  # served by WhiteNoise
        home = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=False)
        assert home.status_code == 302 and home.headers["location"].startswith("/accounts/login/")
        missing = httpx.get(f"http://127.0.0.1:{port}/no/such/page/")
        assert missing.status_code == 404 and "Traceback" not in missing.text  # DEBUG is off
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Serving on http://127.0.0.1" in output


def test_serve_closes_the_database_connections_before_gunicorn_forks_its_workers(monkeypatch):
    """A connection opened by the migrations and inherited by two workers mixes their queries
    (on PostgreSQL, sign-ins failed under load and a worker could read another's answer)."""
    from rollcall.web import server

    steps = []
    monkeypatch.setattr(server.connections, "close_all", lambda: steps.append("closed"))
    monkeypatch.setattr(server.Server, "run", lambda self: steps.append("run"))
    server.serve("127.0.0.1", 8000, workers=2)
    assert steps == ["closed", "run"]


def test_serve_refuses_a_bad_option_in_one_line():
    done = rollcall_process("serve", "--port", "0")
    assert done.returncode == 2 and "Invalid value for '--port'" in done.stderr


def _wait_for(url: str, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(url)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.slow
def test_refresh_without_the_early_warning_stores_no_flags(tmp_path):
    """``rollcall refresh --no-warn``: the snapshot, without the early warning's time and memory."""
    import json
    import sqlite3

    data = tmp_path / "data"
    source = write_world(tmp_path / "input")
    command = [
        sys.executable, "-c", "from rollcall.cli import main; main()", "refresh",
        "--input", str(source), "--as-of", SECOND.isoformat(), "--data", str(data),
    ]  # fmt: skip
    done = subprocess.run(
        [*command, "--no-warn"], capture_output=True, text=True, check=False, env=own_sqlite()
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(data / "rollcall.sqlite3") as db:
        assert db.execute("select count(*) from snapshots_warningflag").fetchone() == (0,)
        warnings = [json.loads(w) for (w,) in db.execute("select warning from snapshots_snapshot")]
    assert warnings and all(w == {"method": "", "why": ""} for w in warnings)
