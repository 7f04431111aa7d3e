"""The admin pages as each role may use them: the superuser all of them, a district
administrator their districts' rows only, everyone else none (docs/platform.md, "People and
roles"). Every ModelAdmin of the platform uses ``ScopedAdmin``; what each district
administrator sees is decided in ``rollcall.web.scope`` (the ``admin_*`` functions), never by
Django's hand-assigned permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from rollcall.web import scope
from rollcall.web.audit.record import record
from rollcall.web.front.auth import ThrottledLoginForm
from rollcall.web.people.models import Caseload, District, School
from rollcall.web.plans.models import Strategy
from rollcall.web.snapshots.models import Student

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


class AdminLoginForm(ThrottledLoginForm, AdminAuthenticationForm):
    """The admin's sign-in, throttled and audited like the pages' (staff accounts only)."""


class Site(admin.AdminSite):
    """The admin site: open to the superuser and to district administrators (staff, with the
    role), whatever Django permissions an account holds."""

    login_form = AdminLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        return scope.may_administer(request.user)


def choices_for(user: Any, model: type[Model]) -> QuerySet[Any]:
    """What a district administrator may pick in a form's field pointing at ``model``: their
    districts' rows; none of a model not listed (a network, a group, a permission)."""
    found: dict[type[Model], Callable[[Any], QuerySet[Any]]] = {
        District: scope.admin_districts,
        School: scope.admin_schools,
        Caseload: scope.admin_caseloads,
        Student: scope.admin_students,
        Strategy: scope.admin_strategies,
        get_user_model(): scope.admin_accounts,
    }
    if model in found:
        return found[model](user)
    return model._default_manager.none()


class ScopedAdmin:
    """A ModelAdmin (or inline) deciding from the role: the superuser may do anything; a
    district administrator may do what ``district_admin_may`` lists, to the rows of ``scoped``
    (and change or delete those ``editable`` allows); anyone else nothing. A row out of scope
    is "not found" (404), as in the pages; its foreign keys offer only their districts' rows,
    so a form naming another district's is refused."""

    district_admin_may: frozenset[str] = frozenset()

    def scoped(self, request: HttpRequest) -> QuerySet[Any]:
        """The rows a district administrator sees (none unless overridden)."""
        return self.model._default_manager.none()  # type: ignore[attr-defined,no-any-return]

    def editable(self, request: HttpRequest, obj: Any, *, removing: bool = False) -> bool:
        """Whether a district administrator may change (or with ``removing``, delete) ``obj``,
        one of ``scoped``."""
        return True

    @staticmethod
    def is_root(request: HttpRequest) -> bool:
        return scope.is_superuser(request.user)

    def district_admin_does(self, request: HttpRequest, what: str) -> bool:
        may = what in self.district_admin_may
        return may and not self.is_root(request) and scope.may_administer(request.user)

    def in_scope(self, request: HttpRequest, obj: Any) -> bool:
        return bool(self.scoped(request).filter(pk=obj.pk).exists())

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        found = super().get_queryset(request)  # type: ignore[misc]
        if self.is_root(request):
            return found  # type: ignore[no-any-return]
        return found.filter(pk__in=self.scoped(request).values("pk"))  # type: ignore[no-any-return]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.is_root(request) or self.district_admin_does(request, VIEW)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.is_root(request):
            return True
        allowed = self.district_admin_does(request, VIEW)
        return allowed and (obj is None or self._row(request, obj))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.is_root(request) or self.district_admin_does(request, ADD)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.is_root(request):
            return True
        allowed = self.district_admin_does(request, CHANGE)
        return allowed and (obj is None or self._row(request, obj, change=True))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.is_root(request):
            return True
        allowed = self.district_admin_does(request, DELETE)
        return allowed and (obj is None or self._row(request, obj, removing=True))

    def _row(
        self, request: HttpRequest, obj: Any, *, change: bool = False, removing: bool = False
    ) -> bool:
        """``obj`` is a row of this admin's model in scope (for an inline, ``obj`` is the parent
        row, whose admin decided already)."""
        if not isinstance(obj, self.model):  # type: ignore[attr-defined]
            return True
        if not self.in_scope(request, obj):
            return False
        return not (change or removing) or self.editable(request, obj, removing=removing)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not self.is_root(request):
            kwargs["queryset"] = choices_for(request.user, db_field.related_model)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not self.is_root(request):
            kwargs["queryset"] = choices_for(request.user, db_field.related_model)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, key: str) -> Any:
        """A row out of scope (or missing) is "not found", as in the pages: Django's default
        redirects to the index with a message."""
        raise Http404("no such row")

    # Every change made in the admin pages goes to the audit trail too (Django's own log stays).

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        record(request, "change", f"admin {obj._meta.model_name}", str(obj.pk), "added")
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        detail = "changed" if not message else f"changed: {message}"
        record(request, "change", f"admin {obj._meta.model_name}", str(obj.pk), detail[:2000])
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            record(request, "change", f"admin {obj._meta.model_name}", str(obj.pk), "deleted")
        return super().log_deletions(request, queryset)  # type: ignore[misc]


def superuser_only(model_admin: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:  # type: ignore[type-arg]
    """``model_admin`` for the superuser alone (a network, a group): no district administrator
    sees it."""
    return type(model_admin.__name__, (ScopedAdmin, model_admin), {"__module__": __name__})
