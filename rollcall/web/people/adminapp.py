"""Django's admin, with the platform's site (``rollcall.web.people.adminscope.Site``: who may
open it is decided by the role, rollcall.web.scope)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "rollcall.web.people.adminscope.Site"
