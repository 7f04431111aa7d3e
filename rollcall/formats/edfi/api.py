"""A client for the Ed-Fi ODS/API (versions 5 to 7): OAuth2 client credentials, paging, retries.

- **Where**: ``url`` is the API's base, where ``/oauth/token`` and ``/data/v3/`` live. The base
  answers ``GET /`` with the URLs of its parts (the "discovery" document), which are used when
  given.
- **Token**: ``POST /oauth/token`` with the key and secret (HTTP Basic) and
  ``grant_type=client_credentials``; renewed before it expires, and once when a request is
  refused with 401 (a token revoked early).
- **Paging**: ``offset`` and ``limit``, with ``totalCount=true`` on the first page so that the
  ``Total-Count`` header says how many records to expect.
- **Retries**: on 429 (waiting as long as ``Retry-After`` says) and on 500, 502, 503, 504 and
  connection errors, waiting ``backoff`` seconds, then twice as long each time, up to
  ``retries`` tries.
- **Errors**: 401 (a key or secret refused) and 403 (a resource the API client may not read)
  are errors that say what to check; a 403 is raised as ``Forbidden`` so that a caller can
  skip an optional resource.
- **Change versions**: ``GET /changeQueries/v1/availableChangeVersions``, and
  ``minChangeVersion``/``maxChangeVersion`` on a resource for what changed in between.

Secrets come from the environment or a file (``credentials``), never from the command line, and
are never printed.
"""

from __future__ import annotations

import os
import stat
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from rollcall.errors import InputError, OptionError

ENV_KEY = "ROLLCALL_EDFI_KEY"
ENV_SECRET = "ROLLCALL_EDFI_SECRET"
RETRIED = frozenset([429, 500, 502, 503, 504])
MAX_WAIT = 600.0  # seconds: the longest a Retry-After is honoured before giving up
CREDENTIALS_HINT = (
    f"set {ENV_KEY} and {ENV_SECRET}, or give --credentials FILE (a TOML file with key = ... "
    "and secret = ...): the key and secret of an API client of this ODS/API"
)


@dataclass(frozen=True)
class Credentials:
    """An API client's key and secret, and where they came from (for messages)."""

    key: str
    secret: str = field(repr=False)
    source: str = "the environment"


def read_credentials(
    file: Path | None = None, environ: Mapping[str, str] = os.environ
) -> tuple[Credentials, list[str]]:
    """The key and secret, from ``file`` when given, else from the environment; and notes
    (a credentials file other users can read)."""
    notes = []
    if file is not None:
        try:
            document = tomllib.loads(file.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise InputError("credentials file not found", path=file) from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            # The error of a TOML parser can quote the file: say only where it is.
            where = getattr(exc, "lineno", None)
            raise InputError(
                "cannot be read as TOML" + (f" (line {where})" if where else ""),
                path=file,
                hint='write key = "..." and secret = "..."',
            ) from None
        key, secret = document.get("key"), document.get("secret")
        if not isinstance(key, str) or not isinstance(secret, str) or not key or not secret:
            raise InputError(
                "needs a key and a secret", path=file, hint='write key = "..." and secret = "..."'
            )
        if file.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH):
            notes.append(f"{file} can be read by other users: chmod 600 it.")
        return Credentials(key, secret, str(file)), notes
    key, secret = environ.get(ENV_KEY, ""), environ.get(ENV_SECRET, "")
    if not key or not secret:
        raise OptionError("no Ed-Fi API key and secret", hint=CREDENTIALS_HINT)
    return Credentials(key, secret), notes


class Forbidden(OptionError):
    """The API client may not read a resource (HTTP 403)."""

    def __init__(self, resource: str) -> None:
        self.resource = resource
        super().__init__(
            f"the Ed-Fi API refused to give {resource} (HTTP 403: not authorized)",
            hint="ask the ODS/API administrator to give this API client's claim set read "
            f"access to {resource}, for your education organizations",
        )


class NotFound(OptionError):
    """The API has no such resource or endpoint (HTTP 404)."""


@dataclass
class EdfiApi:
    """One ODS/API, read with one API client's credentials."""

    url: str
    credentials: Credentials
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60.0))
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    retries: int = 5  # tries of one request, in all
    sleep: Callable[[float], None] = time.sleep
    page_size: int = 500  # the ODS/API's usual upper limit
    _token: str | None = None
    _expires: float = 0.0
    _urls: dict[str, str] | None = None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> EdfiApi:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- where things are ---

    def urls(self) -> dict[str, str]:
        """The token, data and change-query URLs: from the discovery document when the base
        gives one, else the ODS/API's usual places under the base."""
        if self._urls is None:
            base = self.url.rstrip("/")
            urls = {
                "oauth": f"{base}/oauth/token",
                "data": f"{base}/data/v3/",
                "changes": f"{base}/changeQueries/v1/",
            }
            found = self._discovery(base)
            for ours, theirs in (("oauth", "oauth"), ("data", "dataManagementApi"),
                                 ("changes", "changeQueries")):  # fmt: skip
                value = found.get(theirs)
                if isinstance(value, str) and value.startswith("http") and "{" not in value:
                    urls[ours] = value if ours == "oauth" else value.rstrip("/") + "/"
            self._urls = urls
        return self._urls

    def _discovery(self, base: str) -> dict[str, Any]:
        try:
            response = self._send("GET", base + "/", authorized=False, what="the API's base")
        except OptionError:
            return {}
        try:
            document = response.json()
        except ValueError:
            return {}
        urls = document.get("urls") if isinstance(document, dict) else None
        return urls if isinstance(urls, dict) else {}

    # --- token ---

    def token(self) -> str:
        if self._token is None or time.monotonic() >= self._expires:
            self._renew()
        assert self._token is not None
        return self._token

    def _renew(self) -> None:
        response = self._send(
            "POST",
            self.urls()["oauth"],
            authorized=False,
            what="a token",
            auth=(self.credentials.key, self.credentials.secret),
            data={"grant_type": "client_credentials"},
            refused_ok=True,
        )
        if response.status_code in (400, 401, 403):
            raise OptionError(
                f"the Ed-Fi API refused the key and secret from {self.credentials.source} "
                f"(HTTP {response.status_code} at {self.urls()['oauth']})",
                hint=f"check them: {CREDENTIALS_HINT}; not expired or revoked, and for this "
                "ODS/API's --url",
            )
        try:
            body = response.json()
            self._token = str(body["access_token"])
        except (ValueError, KeyError, TypeError):
            raise OptionError(
                f"the Ed-Fi API gave no access token at {self.urls()['oauth']}",
                hint="check that --url is the ODS/API's base (where /oauth/token is)",
            ) from None
        lifetime = body.get("expires_in") if isinstance(body.get("expires_in"), int) else 1800
        # Renewed a minute early, so that a page is never asked for with a dying token.
        self._expires = time.monotonic() + max(lifetime - 60, lifetime / 2)

    # --- resources ---

    def resource_url(self, resource: str, *, deletes: bool = False) -> str:
        return self.urls()["data"] + f"ed-fi/{resource}" + ("/deletes" if deletes else "")

    def records(
        self,
        resource: str,
        *,
        min_version: int | None = None,
        max_version: int | None = None,
        deletes: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """Every record of ``resource`` (or its deletes), page by page."""
        url = self.resource_url(resource, deletes=deletes)
        versions: dict[str, Any] = {}
        if min_version is not None:
            versions["minChangeVersion"] = min_version
        if max_version is not None:
            versions["maxChangeVersion"] = max_version
        offset = 0
        while True:
            params = {**versions, "offset": offset, "limit": self.page_size}
            if offset == 0:
                params["totalCount"] = "true"
            page = self._get(url, params, resource)
            items = page.json()
            if not isinstance(items, list):
                raise OptionError(f"the Ed-Fi API gave {resource} as something else than a list")
            yield from items
            offset += len(items)
            total = page.headers.get("Total-Count")
            if len(items) < self.page_size or (total is not None and offset >= int(total)):
                return

    def change_versions(self) -> tuple[int, int] | None:
        """(oldest, newest) change version, or None when the API offers no change queries."""
        url = self.urls()["changes"] + "availableChangeVersions"
        try:
            response = self._get(url, {}, "the available change versions")
            body = response.json()
            return int(body["oldestChangeVersion"]), int(body["newestChangeVersion"])
        except (NotFound, Forbidden):
            return None
        except (ValueError, KeyError, TypeError):
            return None

    def _get(self, url: str, params: dict[str, Any], what: str) -> httpx.Response:
        response = self._send("GET", url, params=params, what=what, refused_ok=True)
        if response.status_code == 401:  # the token expired or was revoked: one new one
            self._token = None
            response = self._send("GET", url, params=params, what=what, refused_ok=True)
        if response.status_code == 401:
            raise OptionError(
                f"the Ed-Fi API refused the token for {what} (HTTP 401)",
                hint=f"check the key and secret: {CREDENTIALS_HINT}",
            )
        if response.status_code == 403:
            raise Forbidden(what)
        if response.status_code == 404:
            raise NotFound(f"the Ed-Fi API has no {what} (HTTP 404 at {url})")
        if response.status_code >= 400:
            raise OptionError(
                f"the Ed-Fi API answered HTTP {response.status_code} for {what}: "
                + _message(response),
                hint="check --url and the API's version (rollcall reads ODS/API 5 to 7)",
            )
        return response

    def _send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        authorized: bool = True,
        refused_ok: bool = False,
        **options: Any,
    ) -> httpx.Response:
        """One request, tried again on 429, 5xx and connection errors."""
        for attempt in range(self.retries):
            headers = {"Accept": "application/json"}
            if authorized:
                headers["Authorization"] = f"Bearer {self.token()}"
            try:
                response = self.client.request(method, url, headers=headers, **options)
            except httpx.TransportError as exc:
                if attempt + 1 == self.retries:
                    raise OptionError(
                        f"cannot reach the Ed-Fi API for {what}: {type(exc).__name__}",
                        hint=f"check --url ({self.url}) and the network",
                    ) from None
                self.sleep(self.backoff * 2**attempt)
                continue
            if response.status_code not in RETRIED:
                if response.status_code >= 400 and not refused_ok:
                    raise OptionError(
                        f"the Ed-Fi API answered HTTP {response.status_code} for {what}",
                        hint=f"check --url ({self.url})",
                    )
                return response
            if attempt + 1 == self.retries:
                raise OptionError(
                    f"the Ed-Fi API kept answering HTTP {response.status_code} for {what} "
                    f"({self.retries} tries)",
                    hint="the API is busy or failing: try again later",
                )
            wait = _retry_after(response)
            self.sleep(wait if wait is not None else self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover


def _retry_after(response: httpx.Response) -> float | None:
    """The wait a 429 or 503 asks for, in seconds (``Retry-After``: seconds or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_WAIT)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(when.timestamp() - time.time(), 0.0), MAX_WAIT)


def _message(response: httpx.Response) -> str:
    """The API's own words about an error, short."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase
    if isinstance(body, dict):
        for key in ("message", "detail", "title", "error"):
            if isinstance(body.get(key), str):
                return str(body[key])[:200]
    return response.reason_phrase
