"""Sending a round: e-mail through SMTP, text messages through a provider, each send recorded.

``send_round`` reads a round's ``messages.csv`` (and ``assignments.csv``, when it is beside it:
a holdout household is never sent to) and sends each e-mail and text message once: a household
already sent a message on a channel in this round (``send_log.csv`` in the round's folder says
so) is skipped, and so is a second row for it. Nothing is sent unless asked (``dry_run`` is the
default); a dry run says what would be sent and writes nothing.

Channels: ``SmtpEmail`` (any SMTP server; STARTTLS and a login when given), ``HttpSms`` (a JSON
POST to a provider's URL: ``{"to": ..., "body": ...}`` with a bearer token, the provider's
``id`` in the log) and ``FileSms`` (each message appended to a JSON-lines file, for a provider
that takes a file, or for testing a round end to end).
"""

from __future__ import annotations

import csv
import json
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import httpx

from rollcall.errors import InputError, OptionError
from rollcall.outreach.files import read_assignments, read_messages
from rollcall.writing import CsvDictWriter, restored

LOG = "send_log.csv"
LOG_COLUMNS = ("time", "household_id", "school_id", "channel", "to", "status", "detail")
SENT, FAILED, SKIPPED, WOULD_SEND = "sent", "failed", "skipped", "would send"
CHANNELS = ("email", "sms")


class Sender(Protocol):
    """A channel: sends one message and returns what the provider said (an id, or "")."""

    def send(self, to: str, subject: str, text: str) -> str: ...


@dataclass(frozen=True)
class SmtpEmail:
    host: str
    port: int
    sender: str
    starttls: bool = False
    username: str = ""
    password: str = ""
    timeout: float = 30.0

    def send(self, to: str, subject: str, text: str) -> str:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(text)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
            if self.starttls:
                server.starttls()
            if self.username:
                server.login(self.username, self.password)
            server.send_message(message)
        return ""


@dataclass(frozen=True)
class HttpSms:
    url: str
    token: str = ""
    timeout: float = 30.0

    def send(self, to: str, subject: str, text: str) -> str:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = httpx.post(self.url, json={"to": to, "body": text}, headers=headers,
                              timeout=self.timeout)  # fmt: skip
        response.raise_for_status()
        try:
            return str(response.json().get("id", ""))
        except (ValueError, AttributeError):
            return ""


@dataclass(frozen=True)
class FileSms:
    path: Path

    def send(self, to: str, subject: str, text: str) -> str:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"to": to, "body": text}, ensure_ascii=False) + "\n")
        return ""


@dataclass(frozen=True)
class SendEntry:
    """One line of the send log (or, in a dry run, of what would be sent)."""

    time: str
    household_id: str
    school_id: str
    channel: str
    to: str
    status: str
    detail: str


@dataclass(frozen=True)
class SendResult:
    entries: list[SendEntry]
    dry_run: bool
    log: Path | None

    def count(self, status: str, channel: str | None = None) -> int:
        return sum(1 for e in self.entries
                   if e.status == status and channel in (None, e.channel))  # fmt: skip


def send_round(
    round_dir: Path,
    *,
    channels: Mapping[str, Sender],
    dry_run: bool = True,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> SendResult:
    """Send the e-mail and text messages of the round in ``round_dir`` through ``channels``
    (``email``, ``sms``; a channel not given is not sent, and said so)."""
    messages = read_messages(Path(round_dir) / "messages.csv")
    holdout = _holdout(Path(round_dir))
    log = Path(round_dir) / LOG
    done = _already_sent(log)
    entries: list[SendEntry] = []

    def record(entry: SendEntry) -> None:
        entries.append(entry)
        if not dry_run:  # written as it happens: a round cut short keeps what was sent
            _append(log, entry)

    for row in messages:
        channel = row["channel"]
        if channel not in CHANNELS:
            continue
        home, to = row["household_id"], restored(row["to"])

        def entry(status: str, detail: str, row: dict[str, str] = row, to: str = to) -> SendEntry:
            return SendEntry(now().isoformat(timespec="seconds"), row["household_id"],
                             row["school_id"], row["channel"], to, status, detail)  # fmt: skip

        if home in holdout:
            record(entry(SKIPPED, "the household is in the holdout"))
        elif (home, channel) in done:
            record(entry(SKIPPED, f"already sent a {channel} message in this round"))
        elif channel not in channels:
            record(entry(SKIPPED, f"no {channel} channel given"))
        elif dry_run:
            record(entry(WOULD_SEND, "dry run"))
            done.add((home, channel))
        else:
            try:
                said = channels[channel].send(to, restored(row["subject"]), restored(row["text"]))
            except (OSError, smtplib.SMTPException, httpx.HTTPError) as exc:
                record(entry(FAILED, _reason(exc)))
            else:
                record(entry(SENT, said))
                done.add((home, channel))
    return SendResult(entries=entries, dry_run=dry_run, log=None if dry_run else log)


def _holdout(round_dir: Path) -> set[str]:
    path = round_dir / "assignments.csv"
    if not path.is_file():
        return set()
    return {a.household_id for a in read_assignments(path) if a.arm == "holdout"}


def _already_sent(log: Path) -> set[tuple[str, str]]:
    if not log.is_file():
        return set()
    with log.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not set(LOG_COLUMNS) <= set(reader.fieldnames or ()):
            raise InputError("is not a send log rollcall wrote", path=log, line=1)
        return {(r["household_id"], r["channel"]) for r in reader if r["status"] == SENT}


def _append(log: Path, entry: SendEntry) -> None:
    new = not log.is_file()
    with log.open("a", encoding="utf-8", newline="") as handle:
        writer = CsvDictWriter(handle, LOG_COLUMNS)
        if new:
            writer.writeheader()
        writer.writerow(entry.__dict__)


def _reason(exc: Exception) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        return f"the provider answered {exc.response.status_code}"
    return f"{type(exc).__name__}: {exc}"[:300]


def channels_from_options(
    *, smtp: str | None, sender: str | None, sms_url: str | None, sms_file: Path | None,
    environ: Mapping[str, str],
) -> dict[str, Sender]:  # fmt: skip
    """The channels the command line names: ``--smtp HOST:PORT`` with ``--from``, and
    ``--sms-url URL`` or ``--sms-file PATH``. Secrets come from the environment only:
    ``ROLLCALL_SMTP_USER``, ``ROLLCALL_SMTP_PASSWORD``, ``ROLLCALL_SMS_TOKEN``."""
    found: dict[str, Sender] = {}
    if smtp:
        host, _, port = smtp.rpartition(":")
        if not host or not port.isdigit():
            raise OptionError(f"--smtp {smtp!r}: give HOST:PORT, like mail.example.org:587")
        if not sender:
            raise OptionError("--smtp needs --from, the address the e-mails are sent from")
        found["email"] = SmtpEmail(
            host=host, port=int(port), sender=sender, starttls=int(port) == 587,
            username=environ.get("ROLLCALL_SMTP_USER", ""),
            password=environ.get("ROLLCALL_SMTP_PASSWORD", ""),
        )  # fmt: skip
    if sms_url and sms_file:
        raise OptionError("give --sms-url or --sms-file, not both")
    if sms_url:
        if not sms_url.startswith(("https://", "http://")):
            raise OptionError(f"--sms-url {sms_url!r}: give the provider's http(s) URL")
        found["sms"] = HttpSms(url=sms_url, token=environ.get("ROLLCALL_SMS_TOKEN", ""))
    if sms_file:
        found["sms"] = FileSms(Path(sms_file))
    return found
