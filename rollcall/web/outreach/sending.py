"""Sending an approved round: the library sends (``rollcall.api.outreach_send``: each e-mail
and text message once, never to the holdout, every send in the round's send log); this module
gives it the platform's channels and stores each send.

Channels: e-mail through Django's e-mail settings (``ROLLCALL_EMAIL_HOST`` and the rest:
docs/platform.md), text messages through the library's adapters (``ROLLCALL_SMS_URL`` or
``ROLLCALL_SMS_FILE``, the token in ``ROLLCALL_SMS_TOKEN``). A channel not set up is not sent,
and the log says so. The round is locked while it is sent: two people pressing "send" at once
send once."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction

from rollcall import api
from rollcall.outreach.send import Sender, SendResult, channels_from_options
from rollcall.web.outreach.files import round_folder
from rollcall.web.outreach.models import Round, Send


class NotApproved(Exception):
    """A round is sent only once approved."""


class DjangoEmail:
    """The library's e-mail channel through Django's e-mail settings."""

    def send(self, to: str, subject: str, text: str) -> str:
        EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [to]).send()
        return ""


def channels() -> dict[str, Sender]:
    found: dict[str, Sender] = {}
    if settings.OUTREACH_EMAIL:
        found["email"] = DjangoEmail()
    sms_file = settings.OUTREACH_SMS_FILE
    found |= channels_from_options(
        smtp=None, sender=None, sms_url=settings.OUTREACH_SMS_URL or None,
        sms_file=Path(sms_file) if sms_file else None, environ=os.environ,
    )  # fmt: skip
    return found


def send(found: Round, *, user: AbstractBaseUser | None, dry_run: bool = True) -> SendResult:
    """Send (or, by default, rehearse) the round; every entry stored as a ``Send``."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=found.pk)
        if locked.approved_at is None:
            raise NotApproved
        result = api.outreach_send(round_folder(locked), dry_run=dry_run, channels=channels())
        Send.objects.bulk_create(
            Send(round=locked, household_id=e.household_id, channel=e.channel, status=e.status,
                 detail=e.detail[:500], at=datetime.fromisoformat(e.time), dry_run=dry_run,
                 by=user)
            for e in result.entries
        )  # fmt: skip
    return result
