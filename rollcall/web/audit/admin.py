"""The audit trail in the admin: readable by the superuser and, for their districts' people, by
district administrators (rollcall.web.scope.admin_audit_events); never editable by anyone."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from rollcall.web import scope
from rollcall.web.audit.models import AuditEvent
from rollcall.web.people.adminscope import VIEW, ScopedAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    district_admin_may = frozenset({VIEW})
    list_display = ("at", "username", "action", "what", "object_id", "address")
    list_filter = ("action", "what")
    search_fields = ("username", "object_id")

    def scoped(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        return scope.admin_audit_events(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
