"""The strategy catalogue in the admin (plans themselves are changed in the pages, where every
change is audited). A district administrator reads the shared catalogue and keeps their
district's own strategies."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from rollcall.web import scope
from rollcall.web.people.adminscope import ADD, CHANGE, DELETE, VIEW, ScopedAdmin
from rollcall.web.plans.models import Strategy


@admin.register(Strategy)
class StrategyAdmin(ScopedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    district_admin_may = frozenset({VIEW, ADD, CHANGE, DELETE})
    list_display = ("name", "tier", "district")
    list_filter = ("tier", ("district", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name",)

    def scoped(self, request: HttpRequest) -> QuerySet[Strategy]:
        return scope.admin_strategies(request.user)

    def editable(self, request: HttpRequest, obj: Any, *, removing: bool = False) -> bool:
        return scope.admin_strategies(request.user, editable=True).filter(pk=obj.pk).exists()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "district" and not self.is_root(request):
            # A district administrator's strategy is their district's: never shared.
            field.required, field.empty_label = True, None
        return field
