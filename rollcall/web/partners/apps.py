from __future__ import annotations

from django.apps import AppConfig


class Config(AppConfig):
    name = "rollcall.web.partners"
    label = "partners"
    default_auto_field = "django.db.models.BigAutoField"
