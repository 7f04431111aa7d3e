"""Organisations, caseloads and roles, set up by a district administrator in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from rollcall.web.people.models import ApiToken, Caseload, District, Membership, Network, School

admin.site.register(Network)
admin.site.register(District)
admin.site.register(School)


@admin.register(Caseload)
class CaseloadAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "district", "school")
    filter_horizontal = ("students",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "district", "school", "caseload", "network")
    list_filter = ("role",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Keys are made by ``rollcall token`` (shown once); here they are listed and revoked."""

    list_display = ("user", "created_at", "last_used_at")
    readonly_fields = ("user", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
