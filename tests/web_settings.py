"""Settings for the platform's tests: the real settings, with a throw-away data folder, the test
client's host, a fast password hasher and static files served without a manifest."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("ROLLCALL_DATA", tempfile.mkdtemp(prefix="rollcall-test-data-"))
os.environ.setdefault("ROLLCALL_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from rollcall.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, for tests only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the package (no collectstatic before the tests).
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
