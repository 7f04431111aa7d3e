"""Starting the platform: settings for a data folder, migrations, and the production server
(``rollcall serve``; docs/platform.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import django
from django.core.management import call_command
from django.db import connections
from gunicorn.app.base import BaseApplication


def setup(data: Path, *, database_url: str | None = None) -> None:
    """Configure Django for the data folder ``data`` (and ``DATABASE_URL`` if set), once."""
    os.environ["ROLLCALL_DATA"] = str(Path(data).resolve())
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "rollcall.web.settings"
    django.setup()


def prepare(*, static: bool = True) -> None:
    """Create or update the database's tables, and gather the static files the server serves
    (unless ``static`` is false: a command that serves nothing)."""
    call_command("migrate", interactive=False, verbosity=0)
    if static:
        call_command("collectstatic", interactive=False, verbosity=0)


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn serving the platform's WSGI application, configured here (no config file)."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from rollcall.web.wsgi import application

        return application


def serve(host: str, port: int, *, workers: int = 2) -> None:
    """Serve until stopped. The access log names the path only: a query string can hold a
    student's id or a search.

    The database connections this process opened (``prepare``) are closed first: gunicorn's
    workers are forks of it, and two processes writing to one inherited connection mix their
    queries and answers (on PostgreSQL a request then fails, or reads another's rows)."""
    connections.close_all()
    Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "accesslog": "-",
            "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(M)sms',
            "timeout": 120,
        }
    ).run()
