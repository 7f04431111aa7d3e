"""Sign-in, throttled: after ``LOGIN_ATTEMPTS`` failures for one user name or from one address
within ``LOGIN_LOCKOUT_SECONDS``, sign-in waits. Failures are counted in the audit trail, which
every server process shares."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rollcall.web.audit.models import AuditEvent
from rollcall.web.audit.record import record

FAILED = "login failed"


class ThrottledLoginForm(AuthenticationForm):
    """Django's sign-in form, refusing to try a password after too many recent failures."""

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "")[:150]
        if self.request is not None and self._too_many(username):
            raise ValidationError(
                _("Too many failed sign-ins. Wait a few minutes, then try again."),
                code="throttled",
            )
        try:
            return super().clean()
        except ValidationError:
            if self.request is not None:
                record(self.request, FAILED, "account", username)
            raise

    def _too_many(self, username: str) -> bool:
        assert self.request is not None
        since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        address = self.request.META.get("REMOTE_ADDR") or None
        recent = AuditEvent.objects.filter(action=FAILED, at__gte=since).filter(
            Q(object_id=username) | Q(address=address)
        )
        return recent.count() >= settings.LOGIN_ATTEMPTS
