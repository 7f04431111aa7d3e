"""Organisations, caseloads, accounts and roles in the admin pages: the superuser sets up
networks, districts and their administrators; a district administrator their district's people,
roles and caseloads (rollcall.web.people.adminscope; docs/platform.md, "People and roles")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rollcall.web import scope
from rollcall.web.people.adminscope import ADD, CHANGE, DELETE, VIEW, ScopedAdmin, superuser_only
from rollcall.web.people.models import (
    ApiToken,
    Caseload,
    District,
    Membership,
    Network,
    Role,
    School,
)

# Where each role holds (rollcall.web.scope): the one place a membership of that role names.
PLACE = {
    Role.TEACHER: "caseload",
    Role.PARTNER: "caseload",
    Role.SCHOOL_TEAM: "school",
    Role.PRINCIPAL: "school",
    Role.DISTRICT: "district",
    Role.DISTRICT_ADMIN: "district",
    Role.COACH: "network",
}
PLACES = ("network", "district", "school", "caseload")

admin.site.register(Network, superuser_only(admin.ModelAdmin))
admin.site.unregister(Group)
admin.site.register(Group, superuser_only(GroupAdmin))


@admin.register(District)
class DistrictAdmin(ScopedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    """A district administrator sees their district and may rename it."""

    district_admin_may = frozenset({VIEW, CHANGE})
    list_display = ("name", "district_id")

    def scoped(self, request: HttpRequest) -> QuerySet[District]:
        return scope.admin_districts(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if self.is_root(request):
            return ()
        return ("district_id", "networks")  # the data's key, and the superuser's networks


@admin.register(School)
class SchoolAdmin(ScopedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Schools come from the refreshes; a district administrator may rename theirs."""

    district_admin_may = frozenset({VIEW, CHANGE})
    list_display = ("name", "school_id", "district")

    def scoped(self, request: HttpRequest) -> QuerySet[School]:
        return scope.admin_schools(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if self.is_root(request) else ("district", "school_id")


class CaseloadForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean(self) -> dict[str, Any]:
        """A caseload's school and students are of its own district."""
        data = super().clean()
        district, school = data.get("district"), data.get("school")
        if district is not None and school is not None and school.district_id != district.pk:
            self.add_error("school", _("This school is not in the caseload's district."))
        students = data.get("students")
        if district is not None and students and students.exclude(district=district).exists():
            self.add_error("students", _("Some students are not in the caseload's district."))
        return data


@admin.register(Caseload)
class CaseloadAdmin(ScopedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    district_admin_may = frozenset({VIEW, ADD, CHANGE, DELETE})
    form = CaseloadForm
    list_display = ("name", "district", "school")
    filter_horizontal = ("students",)

    def scoped(self, request: HttpRequest) -> QuerySet[Caseload]:
        return scope.admin_caseloads(request.user)


class MembershipForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean(self) -> dict[str, Any]:
        """A role names the one place it holds at (a teacher's caseload, a principal's school…)."""
        data = super().clean()
        role = data.get("role")
        if role is None:
            return data
        place = PLACE[Role(role)]
        if data.get(place) is None and place in self.fields:
            self.add_error(place, _("Choose where this role holds."))
        for other in PLACES:
            if other != place and data.get(other) is not None:
                self.add_error(other, _("Leave this empty for this role."))
        return data


class ScopedMembership(ScopedAdmin):
    """What the membership page and the account page's inline share."""

    district_admin_may = frozenset({VIEW, ADD, CHANGE, DELETE})

    def scoped(self, request: HttpRequest) -> QuerySet[Membership]:
        return scope.admin_memberships(request.user)

    def editable(self, request: HttpRequest, obj: Any, *, removing: bool = False) -> bool:
        return scope.admin_membership_editable(request.user, obj, removing=removing)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not self.is_root(request):
            kwargs["choices"] = [(r.value, r.label) for r in scope.ADMIN_GIVES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)  # type: ignore[misc]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if self.is_root(request) else ("network",)


@admin.register(Membership)
class MembershipAdmin(ScopedMembership, admin.ModelAdmin):  # type: ignore[type-arg]
    form = MembershipForm
    list_display = ("user", "role", "district", "school", "caseload", "network")
    list_filter = ("role",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A role changes hands by removing it and giving a new one.
        return ("user",) if obj is not None and not self.is_root(request) else ()


class MembershipInline(ScopedMembership, admin.TabularInline):  # type: ignore[type-arg]
    """An account's roles, on its page: a district administrator gives at least one (an
    account with none belongs to no district, so only the superuser would see it)."""

    model = Membership
    form = MembershipForm
    extra = 1

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if not self.is_root(request):
            kwargs.update(min_num=1, validate_min=True)
        return super().get_formset(request, obj, **kwargs)

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 0 if obj is not None and not self.is_root(request) else 1


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(ScopedAdmin, UserAdmin):  # type: ignore[type-arg]
    """Accounts. A district administrator creates their district's (with a role there), sets
    passwords and deactivates; never staff, superuser, groups or permissions (those fields are
    not in their form, so a posted value is ignored), and never deletes (the audit trail keeps
    naming the account)."""

    district_admin_may = frozenset({VIEW, ADD, CHANGE})
    inlines = (MembershipInline,)
    district_admin_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )

    def scoped(self, request: HttpRequest) -> QuerySet[Any]:
        return scope.admin_accounts(request.user)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not self.is_root(request):
            return self.district_admin_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if self.is_root(request) else ("last_login", "date_joined")

    def get_list_filter(self, request: HttpRequest) -> Any:
        return super().get_list_filter(request) if self.is_root(request) else ("is_active",)


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Keys are made by ``rollcall token`` (shown once); here they are listed and revoked."""

    district_admin_may = frozenset({VIEW, DELETE})
    list_display = ("user", "created_at", "last_used_at")
    readonly_fields = ("user", "created_at", "last_used_at")

    def scoped(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return scope.admin_api_tokens(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
