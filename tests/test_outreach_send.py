"""Sending a round: SMTP against a local server, SMS against a local fake provider and a file,
the send log, never twice to a household, dry run by default (docs/outreach.md)."""

from __future__ import annotations

import csv
import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from aiosmtpd.controller import Controller
from command import rollcall

from rollcall.api import outreach_send
from rollcall.outreach.files import MESSAGE_COLUMNS, write_rows
from rollcall.outreach.plan import ASSIGNMENT_COLUMNS
from rollcall.outreach.send import FileSms, HttpSms, SmtpEmail, send_round

FIXED = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


def _message(home: str, channel: str, to: str, text: str = "Dear family,") -> dict[str, str]:
    return {"household_id": home, "school_id": "A", "channel": channel, "language": "en",
            "family_language": "en", "to": to, "subject": "Your child's attendance at Adams",
            "text": text, "note": ""}  # fmt: skip


@pytest.fixture
def round_dir(tmp_path: Path) -> Path:
    write_rows(tmp_path / "messages.csv", MESSAGE_COLUMNS, [
        _message("h1", "letter", "1 Oak St / Salem CA"),
        _message("h1", "email", "ana@example.org", "Dear Ana Ruiz,\n\nKid1 has missed 4 days."),
        _message("h1", "sms", "+1 555 0101", "Adams: Kid1 has missed 4 days of school."),
        _message("h2", "email", "kim@example.org"),
        _message("h2", "email", "kim@example.org"),  # the same household twice: sent once
        _message("h3", "sms", "555-0103"),  # held out (a tampered file): never sent
    ])  # fmt: skip
    write_rows(tmp_path / "assignments.csv", ASSIGNMENT_COLUMNS, [
        {"student_id": "s1", "household_id": "h1", "school_id": "A", "arm": "message",
         "stratum": "A|3-5|severe"},
        {"student_id": "s2", "household_id": "h2", "school_id": "A", "arm": "message",
         "stratum": "A|3-5|severe"},
        {"student_id": "s3", "household_id": "h3", "school_id": "A", "arm": "holdout",
         "stratum": "A|3-5|severe"},
    ])  # fmt: skip
    return tmp_path


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos,
                              envelope.content.decode("utf-8")))  # fmt: skip
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, _Inbox]]:
    inbox = _Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks its server by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


class _Provider(BaseHTTPRequestHandler):
    # Each test's provider is a subclass with its own list and set (the fixture makes it).
    received: ClassVar[list[dict[str, object]]] = []
    fail_for: ClassVar[set[str]] = set()

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append({"auth": self.headers.get("Authorization"), **body})
        if body["to"] in type(self).fail_for:
            self.send_response(503)
            self.end_headers()
            return
        payload = json.dumps({"id": f"msg-{len(type(self).received)}"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def provider() -> Iterator[tuple[str, type[_Provider]]]:
    handler = type("Provider", (_Provider,), {"received": [], "fail_for": set()})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/messages", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _log(round_dir: Path) -> list[dict[str, str]]:
    with (round_dir / "send_log.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_email_goes_through_smtp_once_per_household_and_every_send_is_logged(
    round_dir: Path, smtp_server
) -> None:
    controller, inbox = smtp_server
    email = SmtpEmail(host="127.0.0.1", port=controller.port, sender="office@adams.example.org")
    result = send_round(round_dir, channels={"email": email}, dry_run=False, now=lambda: FIXED)
    assert [to for _, (to,), _ in inbox.messages] == ["ana@example.org", "kim@example.org"]
    sender, _, content = inbox.messages[0]
    assert sender == "office@adams.example.org"
    assert "Subject: Your child's attendance at Adams" in content
    assert "Kid1 has missed 4 days." in content
    log = _log(round_dir)
    assert [(r["household_id"], r["channel"], r["status"]) for r in log] == [
        ("h1", "email", "sent"),
        ("h1", "sms", "skipped"),
        ("h2", "email", "sent"),
        ("h2", "email", "skipped"),
        ("h3", "sms", "skipped"),
    ]
    assert log[0]["time"] == "2026-03-30T09:00:00+00:00"
    assert log[4]["detail"] == "the household is in the holdout"
    assert result.count("sent") == 2
    # A second run of the same round sends nothing again.
    again = send_round(round_dir, channels={"email": email}, dry_run=False)
    assert len(inbox.messages) == 2
    assert again.count("sent") == 0
    assert again.count("skipped", "email") == 3


def test_sms_through_the_http_provider_records_its_id_and_a_failure(
    round_dir: Path, provider
) -> None:
    url, handler = provider
    handler.fail_for.add("+1 555 0101")
    sms = HttpSms(url=url, token="secret-token")
    send_round(round_dir, channels={"sms": sms}, dry_run=False)
    assert handler.received == [{"auth": "Bearer secret-token", "to": "+1 555 0101",
                                 "body": "Adams: Kid1 has missed 4 days of school."}]  # fmt: skip
    sms_rows = [r for r in _log(round_dir) if r["channel"] == "sms"]
    assert [(r["household_id"], r["status"], r["detail"]) for r in sms_rows] == [
        ("h1", "failed", "the provider answered 503"),
        ("h3", "skipped", "the household is in the holdout"),
    ]
    # A failed send is not a send: the next run tries again, and the provider's id is logged.
    handler.fail_for.clear()
    send_round(round_dir, channels={"sms": sms}, dry_run=False)
    last = [r for r in _log(round_dir) if r["channel"] == "sms"][-2]
    assert (last["household_id"], last["status"], last["detail"]) == ("h1", "sent", "msg-2")


def test_the_file_adapter_writes_each_text_message(round_dir: Path, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.jsonl"
    send_round(round_dir, channels={"sms": FileSms(outbox)}, dry_run=False)
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert lines == [{"to": "+1 555 0101", "body": "Adams: Kid1 has missed 4 days of school."}]


def test_a_dry_run_is_the_default_and_sends_nothing(round_dir: Path, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.jsonl"
    result = outreach_send(round_dir, sms_file=outbox)
    assert result.dry_run
    assert result.count("would send", "sms") == 1
    assert not outbox.exists()
    assert not (round_dir / "send_log.csv").exists()


def test_the_command_says_what_a_dry_run_would_send(round_dir: Path, tmp_path: Path) -> None:
    ran = rollcall("outreach", "send", "--round", str(round_dir), "--sms-file",
                   str(tmp_path / "o.jsonl"))  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "sms: 1 would be sent (dry run)" in ran.stdout
    assert "Dry run: nothing was sent. Add --send to send." in ran.stdout
    assert "555" not in ran.stdout  # counts only, never an address


def test_the_command_sends_with_send_and_refuses_bad_options(
    round_dir: Path, tmp_path: Path
) -> None:
    ran = rollcall("outreach", "send", "--round", str(round_dir), "--sms-file",
                   str(tmp_path / "o.jsonl"), "--send")  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "sms: 1 sent, 0 failed, 1 skipped." in ran.stdout
    bad = rollcall("outreach", "send", "--round", str(round_dir), "--smtp", "mail.example.org")
    assert bad.returncode == 2
    assert "--smtp 'mail.example.org': give HOST:PORT" in bad.stderr
    missing = rollcall("outreach", "send", "--round", str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert "messages.csv: cannot be read" in missing.stderr


def test_a_phone_number_written_safe_for_spreadsheets_is_sent_as_it_was(tmp_path: Path) -> None:
    # messages.csv neutralises a cell a spreadsheet would run (a leading +): send restores it.
    write_rows(tmp_path / "messages.csv", MESSAGE_COLUMNS,
               [_message("h1", "sms", "+15550101", "-Adams: Kid1 has missed 4 days.")])  # fmt: skip
    assert "'+15550101" in (tmp_path / "messages.csv").read_text(encoding="utf-8")
    outbox = tmp_path / "outbox.jsonl"
    send_round(tmp_path, channels={"sms": FileSms(outbox)}, dry_run=False)
    assert json.loads(outbox.read_text(encoding="utf-8")) == {
        "to": "+15550101", "body": "-Adams: Kid1 has missed 4 days."}  # fmt: skip
    assert _log(tmp_path)[0]["to"] == "'+15550101"  # the log is a CSV for staff: safe again
