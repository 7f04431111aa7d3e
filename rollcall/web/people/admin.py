"""Organisations, caseloads and roles, set up by a district administrator in the admin."""

from __future__ import annotations

from django.contrib import admin

from rollcall.web.people.models import Caseload, District, Membership, Network, School

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
