"""The one function that writes the audit trail."""

from __future__ import annotations

from django.http import HttpRequest

from rollcall.web.audit.models import AuditEvent


def record(
    request: HttpRequest, action: str, what: str, object_id: str = "", detail: str = ""
) -> AuditEvent:
    """Record that the signed-in user did ``action`` to ``what`` (``object_id``) from the
    request's address."""
    user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        what=what,
        object_id=object_id,
        detail=detail,
        address=request.META.get("REMOTE_ADDR") or None,
    )
