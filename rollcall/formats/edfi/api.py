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

A server may be wrong or hostile; whatever it does, the client ends with one line that names the
URL (an ``OptionError``), never a traceback and never a hang:

- **Own origin only**: every request goes to the scheme, host and port of ``url``, over HTTPS
  (plain http to that origin only with ``allow_insecure``, for a local test server). A discovery
  document or a redirect that points anywhere else is refused before anything is sent there, so
  the key, the secret and the token never leave the API's own origin.
- **Deadlines**: each request, redirects included, must be answered in whole within
  ``request_deadline`` seconds (not only between two reads: a server trickling a byte at a time
  is cut off), and the whole run within ``deadline`` seconds.
- **Paging that ends**: a page seen before (the same ids, or the same records), or more pages
  than the first page's ``Total-Count`` allows, stops the pull.
- **Redirects**: at most ``MAX_REDIRECTS``, each checked like the first request.
- **Answers**: non-JSON, invalid JSON, JSON of the wrong shape and answers larger than
  ``MAX_BODY`` are errors; no text from the server reaches a message unescaped.

Secrets come from the environment or a file (``credentials``), never from the command line, and
are never printed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import ssl
import stat
import threading
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
DEADLINE = 6 * 3600.0  # seconds for a whole run: generous for a large district's many pages
REQUEST_DEADLINE = 300.0  # seconds for one request and its whole answer: far more than a page
READ_TIMEOUT = 60.0  # seconds without a byte before httpx gives up a connection
MAX_REDIRECTS = 5
MAX_BODY = 64 * 2**20  # bytes: a page of 500 records is about 1 MB
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


VERSION_HINT = "check --url and the API's version (rollcall reads ODS/API 5 to 7)"
PAGING_HINT = (
    "the API's paging is broken (offset and limit not followed?): rollcall stopped rather than "
    "loop; ask the ODS/API administrator"
)
LABELS = {"oauth": "token URL", "data": "data URL", "changes": "change-queries URL"}


class Forbidden(OptionError):
    """The API client may not read a resource (HTTP 403)."""

    def __init__(self, resource: str, url: str = "") -> None:
        self.resource = resource
        where = f" at {url}" if url else ""
        super().__init__(
            f"the Ed-Fi API refused to give {resource} (HTTP 403: not authorized){where}",
            hint="ask the ODS/API administrator to give this API client's claim set read "
            f"access to {resource}, for your education organizations",
        )


class NotFound(OptionError):
    """The API has no such resource or endpoint (HTTP 404)."""


@dataclass(frozen=True)
class Reply:
    """An answer read in whole, its connection already given back."""

    where: str  # its URL as messages show it (the query too: it says which page)
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes
    next: httpx.Request | None = None  # where a redirect points


class _Late(Exception):
    """The request's deadline passed while its answer was being read."""


@dataclass
class EdfiApi:
    """One ODS/API, read with one API client's credentials."""

    url: str
    credentials: Credentials
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=READ_TIMEOUT))
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    retries: int = 5  # tries of one request, in all
    sleep: Callable[[float], None] = time.sleep
    page_size: int = 500  # the ODS/API's usual upper limit
    allow_insecure: bool = False  # plain http to the origin of url (a local test server)
    deadline: float = DEADLINE  # seconds for everything, counted from when the client is made
    request_deadline: float = REQUEST_DEADLINE  # seconds for one request, redirects included
    _token: str | None = None
    _expires: float = 0.0
    _urls: dict[str, str] | None = None
    _ends: float = field(default=0.0, init=False)  # the run's deadline, on the monotonic clock

    def __post_init__(self) -> None:
        self._ends = time.monotonic() + self.deadline

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> EdfiApi:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- where things are, and where requests may go ---

    def urls(self) -> dict[str, str]:
        """The token, data and change-query URLs: from the discovery document when the base
        gives one, else the ODS/API's usual places under the base."""
        if self._urls is None:
            self._check_base()
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
                    self._check_advertised(base, ours, value)
                    urls[ours] = value if ours == "oauth" else value.rstrip("/") + "/"
            self._urls = urls
        return self._urls

    def _discovery(self, base: str) -> dict[str, Any]:
        """The ``urls`` of the discovery document; none when the base gives none (an error status
        or something else than JSON), and the usual places serve."""
        reply = self._send(
            "GET",
            base + "/",
            authorized=False,
            what="the API's discovery document",
            refused_ok=True,
        )
        if not 200 <= reply.status < 300:
            return {}
        try:
            document = json.loads(reply.body)
        except (ValueError, RecursionError):
            return {}
        urls = document.get("urls") if isinstance(document, dict) else None
        return urls if isinstance(urls, dict) else {}

    def _refusal(self, url: str | httpx.URL) -> str | None:
        """Why no request goes to ``url``, or None: requests go to the origin of --url only (its
        scheme, host and port), over HTTPS unless allow_insecure."""
        own, theirs = _origin(self.url), _origin(url)
        if own is None or theirs is None:
            return "not an http(s) URL"
        scheme, host, port = theirs
        if host != own[1]:
            return f"on another host than --url ({own[1]})"
        if scheme != own[0]:
            return f"{_scheme_name(scheme)}, not {_scheme_name(own[0])} like --url"
        if port != own[2]:
            return f"on another port than --url ({own[2]})"
        if scheme == "http" and not self.allow_insecure:
            return "plain http"
        return None

    def _allowed(self) -> str:
        return "the host and port of --url" + ("" if self.allow_insecure else ", over HTTPS")

    def _check_base(self) -> None:
        shown = _shown_url(self.url)
        if _origin(self.url) is None:
            raise OptionError(
                f"--url {shown} is not an http(s) address",
                hint="give the ODS/API's base, like https://api.example.org/api",
            )
        if self._refusal(self.url) is not None:  # the one reason left: plain http
            raise OptionError(
                f"--url {shown} is plain http: rollcall sends the API key and secret only "
                "over HTTPS",
                hint="give the API's https:// address; for a local test server only, add "
                "--allow-insecure",
            )

    def _check_advertised(self, base: str, ours: str, value: str) -> None:
        """A URL of the discovery document: the token and data URLs get the secret and the token,
        so they must be on the origin of --url like everything else."""
        reason = self._refusal(value)
        if reason is not None:
            raise OptionError(
                f"the Ed-Fi API's discovery document at {_shown_url(base + '/')} gives its "
                f"{LABELS[ours]} as {_shown_url(value)}, {reason}: rollcall sends the key, the "
                f"secret and the token only to {self._allowed()}",
                hint="if the API really is there, give that address as --url; else ask the "
                "ODS/API administrator to correct the URLs the API gives (behind a proxy, its "
                "public https address)",
            )

    # --- token ---

    def token(self) -> str:
        if self._token is None or time.monotonic() >= self._expires:
            self._renew()
        assert self._token is not None
        return self._token

    def _renew(self) -> None:
        url = self.urls()["oauth"]
        reply = self._send(
            "POST",
            url,
            authorized=False,
            secret=True,
            what="a token",
            data={"grant_type": "client_credentials"},
            refused_ok=True,
        )
        if reply.status in (400, 401, 403):
            raise OptionError(
                f"the Ed-Fi API refused the key and secret from {self.credentials.source} "
                f"(HTTP {reply.status} at {reply.where})",
                hint=f"check them: {CREDENTIALS_HINT}; not expired or revoked, and for this "
                "ODS/API's --url",
            )
        if not 200 <= reply.status < 300:
            raise OptionError(
                f"the Ed-Fi API answered HTTP {reply.status} for a token at {reply.where}: "
                + _message(reply),
                hint="check that --url is the ODS/API's base (where /oauth/token is)",
            )
        body = _json(reply, "a token")
        token = body.get("access_token") if isinstance(body, dict) else None
        if not _usable_token(token):
            raise OptionError(
                f"the Ed-Fi API gave no usable access token at {reply.where}",
                hint="check that --url is the ODS/API's base (where /oauth/token is)",
            )
        lifetime = _integer(body.get("expires_in"))
        # Within a day whatever the server says; 30 minutes, the ODS/API's own, when it says none.
        lifetime = min(max(lifetime, 0), 86400) if lifetime is not None else 1800
        self._token = token
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
        """Every record of ``resource`` (or its deletes), page by page. A page that repeats an
        earlier one, or more pages than the first page's Total-Count allows, is an error: a
        server whose paging is broken would otherwise be read for ever."""
        url = self.resource_url(resource, deletes=deletes)
        versions: dict[str, Any] = {}
        if min_version is not None:
            versions["minChangeVersion"] = min_version
        if max_version is not None:
            versions["maxChangeVersion"] = max_version
        offset, pages = 0, 0
        announced: int | None = None  # the first page's Total-Count
        seen: dict[bytes, int] = {}  # each page's fingerprint, and the offset it was read at
        while True:
            params = {**versions, "offset": offset, "limit": self.page_size}
            if offset == 0:
                params["totalCount"] = "true"
            page = self._get(url, params, resource)
            items = _records(page, resource)
            pages += 1
            total = _count(page.headers.get("Total-Count"))
            if offset == 0:
                announced = total
            if announced is not None and pages > _page_cap(announced, self.page_size):
                raise OptionError(
                    f"the Ed-Fi API gave more than {_page_cap(announced, self.page_size)} pages "
                    f"of {resource} ({self.page_size} records each), although its first page said "
                    f"{announced} records in all ({page.where})",
                    hint=PAGING_HINT,
                )
            self._check_new(items, seen, offset, resource, page)
            yield from items
            offset += len(items)
            if len(items) < self.page_size or (total is not None and offset >= total):
                return

    def change_versions(self) -> tuple[int, int] | None:
        """(oldest, newest) change version, or None when the API offers no change queries."""
        url = self.urls()["changes"] + "availableChangeVersions"
        what = "the available change versions"
        try:
            reply = self._get(url, {}, what)
        except (NotFound, Forbidden):
            return None
        body = _json(reply, what)
        found = body if isinstance(body, dict) else {}
        oldest = _integer(found.get("oldestChangeVersion"))
        newest = _integer(found.get("newestChangeVersion"))
        if oldest is None or newest is None:
            raise OptionError(
                f"the Ed-Fi API gave {what} at {reply.where} as {_kind(body)} without "
                "oldestChangeVersion and newestChangeVersion (whole numbers)",
                hint=VERSION_HINT,
            )
        return oldest, newest

    def _check_new(
        self,
        items: list[dict[str, Any]],
        seen: dict[bytes, int],
        offset: int,
        what: str,
        page: Reply,
    ) -> None:
        """A page already read (the same ids or records, at whatever offset) means the server
        ignores the offset: it would give the same pages for ever."""
        if not items:
            return
        mark = _fingerprint(items)
        if mark in seen:
            raise OptionError(
                f"the Ed-Fi API gave the same page of {what} at offset {offset} as at offset "
                f"{seen[mark]} ({page.where})",
                hint=PAGING_HINT,
            )
        seen[mark] = offset

    def _get(self, url: str, params: dict[str, Any], what: str) -> Reply:
        reply = self._send("GET", url, params=params, what=what, refused_ok=True)
        if reply.status == 401:  # the token expired or was revoked: one new one
            self._token = None
            reply = self._send("GET", url, params=params, what=what, refused_ok=True)
        if reply.status == 401:
            raise OptionError(
                f"the Ed-Fi API refused the token for {what} (HTTP 401 at {reply.where})",
                hint=f"check the key and secret: {CREDENTIALS_HINT}",
            )
        if reply.status == 403:
            raise Forbidden(what, reply.where)
        if reply.status == 404:
            raise NotFound(f"the Ed-Fi API has no {what} (HTTP 404 at {reply.where})")
        if not 200 <= reply.status < 300:
            raise OptionError(
                f"the Ed-Fi API answered HTTP {reply.status} for {what} at {reply.where}: "
                + _message(reply),
                hint=VERSION_HINT,
            )
        return reply

    # --- one request ---

    def _send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        authorized: bool = True,
        secret: bool = False,
        refused_ok: bool = False,
        params: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
    ) -> Reply:
        """One request, tried again on 429, 5xx and connection errors. ``authorized`` sends the
        token, ``secret`` the key and secret."""
        for attempt in range(self.retries):
            last = attempt + 1 == self.retries
            request = self._build(method, url, authorized, secret, params, data)
            try:
                reply = self._follow(request, what)
            except httpx.HTTPError as exc:
                problem = self._transport_failed(exc, request, what, last)
                self._wait(self.backoff * 2**attempt, what, _shown_url(request.url), problem)
                continue
            if reply.status not in RETRIED:
                if reply.status >= 400 and not refused_ok:
                    raise OptionError(
                        f"the Ed-Fi API answered HTTP {reply.status} for {what} at {reply.where}",
                        hint=f"check --url ({_shown_url(self.url)})",
                    )
                return reply
            if last:
                raise OptionError(
                    f"the Ed-Fi API kept answering HTTP {reply.status} for {what} at "
                    f"{reply.where} ({self.retries} tries)",
                    hint="the API is busy or failing: try again later",
                )
            wait = _retry_after(reply)
            wait = wait if wait is not None else self.backoff * 2**attempt
            self._wait(wait, what, reply.where, f"HTTP {reply.status}")
        raise AssertionError("unreachable")  # pragma: no cover

    def _build(
        self,
        method: str,
        url: str,
        authorized: bool,
        secret: bool,
        params: dict[str, Any] | None,
        data: dict[str, str] | None,
    ) -> httpx.Request:
        headers = {"Accept": "application/json"}
        if authorized:
            headers["Authorization"] = f"Bearer {self.token()}"
        if secret:
            headers["Authorization"] = _basic(self.credentials)
        # Each read may wait no longer than the request may take, so that a request given up
        # (below) does not keep its thread long.
        wait = max(min(READ_TIMEOUT, self.request_deadline, self._ends - time.monotonic()), 0.01)
        return self.client.build_request(
            method, url, params=params, data=data, headers=headers, timeout=httpx.Timeout(wait)
        )

    def _transport_failed(
        self, exc: httpx.HTTPError, request: httpx.Request, what: str, last: bool
    ) -> str:
        """What went wrong with the connection, when trying again may help; else an error."""
        shown = _shown_url(request.url)
        tls = _tls_problem(exc)
        if tls is not None:  # a certificate does not get better by asking again
            raise OptionError(
                f"the TLS connection to the Ed-Fi API at {shown} failed for {what}: {tls}",
                hint="check that --url is the API's https:// address and that its certificate "
                "is valid for that host; for a certificate from a private CA, point "
                "SSL_CERT_FILE at the CA's certificate",
            ) from None
        problem, again = _problem(exc)
        if not again:
            raise OptionError(
                f"the request for {what} to {shown} failed: {problem}",
                hint=f"check --url ({_shown_url(self.url)}); if it persists, ask the ODS/API "
                "administrator",
            ) from None
        if last:
            raise OptionError(
                f"cannot reach the Ed-Fi API at {shown} for {what}: {problem} "
                f"({self.retries} tries)",
                hint=f"check --url ({_shown_url(self.url)}) and the network",
            ) from None
        return problem

    def _wait(self, seconds: float, what: str, shown: str, cause: str) -> None:
        """Wait before trying again, unless the wait would outlast the run's deadline."""
        if time.monotonic() + seconds >= self._ends:
            raise OptionError(
                f"the Ed-Fi API failed the request for {what} at {shown} ({cause}), and waiting "
                f"{seconds:g} s to try again would pass the deadline of {self.deadline:g} s for "
                "the whole pull",
                hint="the API is busy or failing: try again later",
            )
        self.sleep(seconds)

    def _follow(self, request: httpx.Request, what: str) -> Reply:
        """The answer to ``request``, redirects followed within the origin of --url, all within
        the request's deadline."""
        reason = self._refusal(request.url)
        if reason is not None:  # urls() checked them all: this is a second line of defence
            raise OptionError(
                f"rollcall will not send the request for {what} to "
                f"{_shown_url(request.url)}: {reason}",
                hint="give the API's https:// address as --url",
            )
        now = time.monotonic()
        if now >= self._ends:
            raise self._late(what, request.url, self._ends)
        ends = min(now + self.request_deadline, self._ends)
        first = request
        for _ in range(MAX_REDIRECTS + 1):
            reply = self._exchange(request, what, ends)
            if reply.next is None:
                return reply
            reason = self._refusal(reply.next.url)
            if reason is not None:
                raise OptionError(
                    f"the Ed-Fi API redirected the request for {what} from {reply.where} to "
                    f"{_shown_url(reply.next.url)}, {reason}: rollcall follows redirects only "
                    f"to {self._allowed()}",
                    hint="if the API has moved, give its new address as --url",
                )
            request = reply.next
        raise OptionError(
            f"the Ed-Fi API redirected the request for {what} more than {MAX_REDIRECTS} times, "
            f"from {_shown_url(first.url)} (last to {_shown_url(request.url)})",
            hint="a redirect loop: check --url, or ask the ODS/API administrator",
        )

    def _exchange(self, request: httpx.Request, what: str, ends: float) -> Reply:
        """One request and its whole answer, given up at ``ends``. httpx's timeouts bound each
        read, not the whole, and a server can trickle its headers a byte at a time: so the
        request runs in a thread of its own, which this one stops waiting for at ``ends``."""
        outcome: list[Reply | BaseException] = []
        worker = threading.Thread(
            target=self._receive, args=(request, ends, what, outcome), daemon=True
        )
        worker.start()
        worker.join(max(ends - time.monotonic(), 0.0))
        if worker.is_alive() or isinstance(outcome[0], _Late):
            # A thread given up ends at its next read (the answer's reader checks ``ends``), or
            # within the read timeout, or when close() closes its connection.
            raise self._late(what, request.url, ends)
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def _receive(
        self, request: httpx.Request, ends: float, what: str, outcome: list[Reply | BaseException]
    ) -> None:
        try:
            outcome.append(self._read(request, ends, what))
        except BaseException as exc:  # for the waiting thread to raise
            outcome.append(exc)

    def _read(self, request: httpx.Request, ends: float, what: str) -> Reply:
        response = self.client.send(request, stream=True, follow_redirects=False)
        try:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_BODY:
                    raise OptionError(
                        f"the Ed-Fi API's answer for {what} at {_shown_url(response.url)} is "
                        f"larger than {MAX_BODY:,} bytes",
                        hint="that is no ODS/API page: check --url",
                    )
                if time.monotonic() > ends:
                    raise _Late
            return Reply(
                _shown_url(response.url),
                response.status_code,
                response.reason_phrase,
                response.headers,
                bytes(body),
                response.next_request,
            )
        finally:
            response.close()

    def _late(self, what: str, url: httpx.URL, ends: float) -> OptionError:
        shown = _shown_url(url)
        if ends >= self._ends:
            return OptionError(
                f"the pull from the Ed-Fi API passed its deadline of {self.deadline:g} s at the "
                f"request for {what} to {shown}",
                hint="the API is very slow, or gives pages without end: try again later, or "
                "ask its administrator",
            )
        return OptionError(
            f"the Ed-Fi API took more than {self.request_deadline:g} s to answer the request "
            f"for {what} at {shown}",
            hint="the API is stalled or very slow: try again later; if it persists, ask its "
            "administrator",
        )


def _origin(url: str | httpx.URL) -> tuple[str, str, int] | None:
    """Scheme, host and port (the default one when none is written), or None for a URL that is
    not http(s)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return None
    return parsed.scheme, parsed.host, parsed.port or (443 if parsed.scheme == "https" else 80)


def _scheme_name(scheme: str) -> str:
    return "plain http" if scheme == "http" else scheme


def _basic(credentials: Credentials) -> str:
    """HTTP Basic, written here rather than by httpx so that the header is in the request that
    is checked before it is sent."""
    pair = f"{credentials.key}:{credentials.secret}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


def _usable_token(token: object) -> bool:
    """A token that can go in a header as it is: visible ASCII, no spaces, not huge."""
    return (
        isinstance(token, str) and 0 < len(token) <= 4096 and all("!" <= ch <= "~" for ch in token)
    )


def _records(reply: Reply, what: str) -> list[dict[str, Any]]:
    """A page: a JSON list of JSON objects."""
    items = _json(reply, what)
    if not isinstance(items, list):
        raise OptionError(
            f"the Ed-Fi API gave {what} at {reply.where} as {_kind(items)}, not a list of records",
            hint=VERSION_HINT,
        )
    for item in items:
        if not isinstance(item, dict):
            raise OptionError(
                f"the Ed-Fi API gave a page of {what} at {reply.where} holding {_kind(item)} "
                "where records (JSON objects) were expected",
                hint=VERSION_HINT,
            )
    return items


def _json(reply: Reply, what: str) -> Any:
    try:
        return json.loads(reply.body)
    except (ValueError, RecursionError) as exc:
        kind = reply.headers.get("Content-Type", "")
        if "json" not in kind.lower():
            said = _shown(kind, 60) if kind else "no Content-Type"
            raise OptionError(
                f"the Ed-Fi API gave {what} at {reply.where} as {said}, not JSON",
                hint="check --url: it should be the ODS/API's base, not a web page or a sign-in "
                "page in front of it",
            ) from None
        raise OptionError(
            f"the Ed-Fi API gave {what} at {reply.where} as invalid JSON ({_json_problem(exc)})",
            hint="the API, or a proxy in front of it, sent a broken answer: try again; if it "
            "persists, ask the ODS/API administrator",
        ) from None


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else type(exc).__name__


def _kind(value: object) -> str:
    """A JSON value's type, for a message (never the value: it may be about a student)."""
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, list):
        return "a JSON list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    return "null" if value is None else "a number"


def _integer(value: object) -> int | None:
    """A whole number from JSON or a header: an int (not a bool) or its digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
        return int(value)
    return None


def _count(value: object) -> int | None:
    """A Total-Count: a whole number, not below 0; anything else is ignored (a short page still
    ends the paging, and repeated pages and the deadline still stop a server that lies)."""
    number = _integer(value)
    return number if number is not None and number >= 0 else None


def _page_cap(total: int, page_size: int) -> int:
    """The most pages ``total`` records can take: with room for a tenth more records (added
    while the pull runs) and for the last, short page."""
    return (total + total // 10) // max(page_size, 1) + 2


def _fingerprint(items: list[dict[str, Any]]) -> bytes:
    """What tells a page from another: its records' ids, or the records themselves when some
    have none; in any order."""
    ids = [item.get("id") for item in items]
    if all(isinstance(i, str) and i for i in ids):
        basis = sorted(str(i) for i in ids)
    else:
        basis = sorted(json.dumps(item, sort_keys=True) for item in items)
    return hashlib.sha256("\n".join(basis).encode()).digest()


def _tls_problem(exc: BaseException) -> str | None:
    """The TLS error behind a connection error (httpx wraps httpcore's, which wraps ssl's)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLCertVerificationError):
            return _shown(f"certificate not accepted: {seen.verify_message or seen.reason}", 160)
        if isinstance(seen, ssl.SSLError) and seen.reason == "WRONG_VERSION_NUMBER":
            return "the server does not speak TLS there (plain http?)"
        if isinstance(seen, ssl.SSLError):
            return _shown(f"handshake failed ({seen.reason or seen})", 160)
        seen = seen.__cause__ or seen.__context__
    return None


def _problem(exc: httpx.HTTPError) -> tuple[str, bool]:
    """A connection failure in a few words, and whether trying again may help (a refused or
    dropped connection, a timeout: the server may be restarting)."""
    name = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({name})", True
    text = _shown(str(exc), 160)
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        return f"{text} ({name})" if text else name, True
    return f"{name}: {text}" if text else name, False


def _retry_after(reply: Reply) -> float | None:
    """The wait a 429 or 503 asks for, in seconds (``Retry-After``: seconds or an HTTP date)."""
    value = reply.headers.get("Retry-After")
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


def _message(reply: Reply) -> str:
    """The API's own words about an error, short and on one line."""
    try:
        body = json.loads(reply.body)
    except (ValueError, RecursionError):
        return _shown(reply.reason, 80)
    if isinstance(body, dict):
        for key in ("message", "detail", "title", "error"):
            if isinstance(body.get(key), str):
                return _shown(str(body[key]), 200)
    return _shown(reply.reason, 80)


def _shown(text: str, limit: int = 200) -> str:
    """Text from the server as a message may show it: one line without control characters (a
    terminal would obey an escape sequence), cut at ``limit``."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _shown_url(url: str | httpx.URL) -> str:
    """A URL for a message: without a user name or password, and as _shown."""
    try:
        parsed = httpx.URL(url)
        if parsed.userinfo:
            parsed = parsed.copy_with(username=None, password=None)
        text = str(parsed)
    except (httpx.InvalidURL, TypeError, ValueError):
        text = str(url)
    return _shown(text, 300)
