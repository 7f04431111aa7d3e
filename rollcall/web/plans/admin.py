"""The strategy catalogue in the admin (plans themselves are changed in the pages, where every
change is audited)."""

from __future__ import annotations

from django.contrib import admin

from rollcall.web.plans.models import Strategy


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "tier", "district")
    list_filter = ("tier", "district")
    search_fields = ("name",)
