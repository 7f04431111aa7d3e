"""Partners and events in the admin pages: the superuser's, as networks are (a coach keeps them
in the network's pages, where every change is audited; the admin pages audit theirs too)."""

from __future__ import annotations

from django.contrib import admin

from rollcall.web.partners.models import Event, Partner
from rollcall.web.people.adminscope import superuser_only


class PartnerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "network", "contact_name")
    list_filter = ("network",)
    search_fields = ("name",)


class EventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "kind", "network", "starts_at", "time_zone")
    list_filter = ("network", "kind")
    search_fields = ("title",)


admin.site.register(Partner, superuser_only(PartnerAdmin))
admin.site.register(Event, superuser_only(EventAdmin))
