"""Settings from the environment, with safe defaults (docs/platform.md).

- ``ROLLCALL_DATA``: the data folder (default ``./rollcall-data``): the SQLite database, the
  secret key (generated once, kept there, readable by its owner only) and uploaded inputs.
- ``DATABASE_URL``: a PostgreSQL database instead (``postgres://user@host:5432/name``).
- ``ROLLCALL_ALLOWED_HOSTS``: comma-separated host names served (default: this machine's).
- ``ROLLCALL_HTTPS``: set when served behind HTTPS, to mark the cookies secure.
- ``ROLLCALL_DEBUG``: for development only; never in production.
- ``ROLLCALL_IMPORTS``: the folder a refresh from the browser may read server paths from
  (default ``<data folder>/imports``).
- ``ROLLCALL_UPLOAD_MAX_MB``: the largest file a refresh from the browser accepts (default 512).
- ``ROLLCALL_EMAIL_HOST`` (and ``_PORT``, ``_USER``, ``_PASSWORD``, ``_TLS``, ``_FROM``): the
  SMTP server family outreach sends e-mail through; no e-mail is sent without it.
- ``ROLLCALL_SMS_URL`` or ``ROLLCALL_SMS_FILE`` (token: ``ROLLCALL_SMS_TOKEN``): where family
  outreach sends text messages (docs/outreach.md); none without them.
- ``ROLLCALL_EDFI_ALLOW_INSECURE``: set to 1 to let a browser refresh pull from an Ed-Fi API
  over plain http (a local test server only).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("ROLLCALL_DATA", "rollcall-data")).resolve()


def _secret_key(folder: Path) -> str:
    """The key in ``folder/secret_key``, made on first use (never in the code or the repo)."""
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key(DATA)
DEBUG = os.environ.get("ROLLCALL_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("ROLLCALL_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "rollcall.web.people.adminapp.AdminConfig",  # django.contrib.admin, its site scoped
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rollcall.web.people",
    "rollcall.web.snapshots",
    "rollcall.web.audit",
    "rollcall.web.plans",
    "rollcall.web.families",
    "rollcall.web.intake",
    "rollcall.web.improve",
    "rollcall.web.outreach",
    "rollcall.web.partners",
    "rollcall.web.front",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "rollcall.web.urls"
WSGI_APPLICATION = "rollcall.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA / 'rollcall.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Every page writes the audit trail. Write-ahead logging lets pages read while another
    # process writes, and a commit syncs the log once (about 3 ms here, against 13 ms for the
    # rollback journal; still synced, so no event is lost to a power cut); transactions take the
    # write lock when they begin, so two writers wait in turn rather than fail.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [PACKAGE / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = DATA / "static"
STATICFILES_DIRS = [PACKAGE / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions and cookies: HTTP-only, same-site, secure behind HTTPS; a session ends with the browser
# and after eight hours (a school day) at most.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("ROLLCALL_HTTPS") == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Failed logins per user name and address before a wait (rollcall.web.front.throttle).
LOGIN_ATTEMPTS = 5
LOGIN_LOCKOUT_SECONDS = 300
# Texts refused for naming a student the writer cannot see (a network's coach adding an idea or
# importing a change package), per account, before adding and importing pause
# (rollcall.web.improve.library_views): each refusal tells whether a word is a student's name.
NAME_REFUSALS = 5
NAME_REFUSAL_PAUSE_SECONDS = 24 * 3600

# Logs hold requests and errors, never a student's data: no request bodies, no query strings
# beyond the path (the runner's access log prints the path only).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Refreshing from the browser (rollcall.web.intake): where server paths may be read from, the
# largest upload, and the data folder's own places for uploads (never a shared temporary folder)
# and each job's files (deleted after a failed refresh; after a successful one, moved to
# REFRESH_KEPT, where each district keeps its latest refresh's input for outreach).
REFRESH_IMPORTS = Path(os.environ.get("ROLLCALL_IMPORTS") or DATA / "imports").resolve()
REFRESH_UPLOAD_MAX_BYTES = int(os.environ.get("ROLLCALL_UPLOAD_MAX_MB") or 512) * 1024**2
REFRESH_EDFI_ALLOW_INSECURE = os.environ.get("ROLLCALL_EDFI_ALLOW_INSECURE") == "1"
REFRESH_WORK = DATA / "intake"
REFRESH_KEPT = DATA / "inputs"
FILE_UPLOAD_TEMP_DIR = DATA / "uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

# Family outreach (rollcall.web.outreach): each round's files, and its channels. E-mail goes
# through Django's e-mail settings, set from the environment; text messages through the
# library's adapters (rollcall.outreach.send).
OUTREACH_FILES = DATA / "outreach"
OUTREACH_EMAIL = bool(os.environ.get("ROLLCALL_EMAIL_HOST"))
EMAIL_HOST = os.environ.get("ROLLCALL_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ROLLCALL_EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("ROLLCALL_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ROLLCALL_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ROLLCALL_EMAIL_TLS") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("ROLLCALL_EMAIL_FROM", "rollcall@localhost")
OUTREACH_SMS_URL = os.environ.get("ROLLCALL_SMS_URL", "")
OUTREACH_SMS_FILE = os.environ.get("ROLLCALL_SMS_FILE", "")
