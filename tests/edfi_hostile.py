"""A local HTTP server whose answers each test writes, recording every request it gets: a wrong or
hostile Ed-Fi ODS/API, or the other host that must receive nothing.

Left alone it is the least an ODS/API can be: ``GET /`` has no discovery document (404, so the
usual places serve), ``POST /oauth/token`` gives ``TOKEN`` for ``KEY`` and ``SECRET`` (HTTP
Basic), every ``/data/v3/ed-fi/…`` resource is an empty list for that token, and there are no
change queries. A test sets ``routes[path] = answer`` to answer a path (without its query)
otherwise, an answer being a function of the request (see the answers below).
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

KEY, SECRET, TOKEN = "hostile-test-key", "hostile-test-secret", "hostile-test-token"
BASIC = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()


@dataclass
class Seen:
    """A request as the server received it."""

    method: str
    path: str  # with its query
    headers: dict[str, str]
    body: bytes

    def carries_a_secret(self) -> bool:
        """The key's secret or the token, in the clear or as HTTP Basic, anywhere in it."""
        text = " ".join(self.headers.values()) + self.body.decode("latin-1")
        return any(secret in text for secret in (SECRET, BASIC, TOKEN))


@dataclass
class Ask:
    """The request being answered, and the means to answer it."""

    handler: BaseHTTPRequestHandler
    path: str
    params: dict[str, str]
    seen: Seen
    stop: threading.Event  # set when the server closes: long answers end then

    def send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.handler.send_response(status)
        for name, value in headers.items():
            self.handler.send_header(name, value)
        if "Content-Length" not in headers:
            self.handler.send_header("Content-Length", str(len(body)))
        self.handler.end_headers()
        self.handler.wfile.write(body)


Answer = Callable[[Ask], None]


def json_answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    data = json.dumps(body).encode()
    return raw(data, "application/json", status, headers)


def raw(
    body: bytes, content_type: str, status: int = 200, headers: dict[str, str] | None = None
) -> Answer:
    return lambda ask: ask.send(status, body, {"Content-Type": content_type, **(headers or {})})


def redirect(location: str, status: int = 302) -> Answer:
    return lambda ask: ask.send(status, b"", {"Location": location})


def pages(page: Callable[[int, int, bool], tuple[Any, dict[str, str]]]) -> Answer:
    """A resource whose page at (offset, limit, totalCount asked) a function gives, with its
    headers; the token is checked as the ODS/API would."""

    def answer(ask: Ask) -> None:
        if ask.seen.headers.get("Authorization") != f"Bearer {TOKEN}":
            return json_answer({"message": "Authorization denied."}, 401)(ask)
        offset, limit = int(ask.params.get("offset", 0)), int(ask.params.get("limit", 25))
        body, headers = page(offset, limit, ask.params.get("totalCount") == "true")
        json_answer(body, 200, headers)(ask)

    return answer


def slowly(answer: Answer, seconds: float) -> Answer:
    """``answer`` after ``seconds``."""

    def late(ask: Ask) -> None:
        if not ask.stop.wait(seconds):
            answer(ask)

    return late


def trickle_body(every: float = 0.1) -> Answer:
    """Headers at once, then the body a byte at a time, for ever (until the server closes)."""

    def answer(ask: Ask) -> None:
        ask.send(200, b"[", {"Content-Type": "application/json", "Content-Length": "100000"})
        while not ask.stop.wait(every):
            ask.handler.wfile.write(b" ")
            ask.handler.wfile.flush()

    return answer


def trickle_headers(every: float = 0.1) -> Answer:
    """A status line, then a header a byte at a time, for ever: no timeout between two reads
    ever fires."""

    def answer(ask: Ask) -> None:
        ask.handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while not ask.stop.wait(every):
            ask.handler.wfile.write(b"a")
            ask.handler.wfile.flush()

    return answer


def _token(ask: Ask) -> None:
    if ask.seen.headers.get("Authorization") != f"Basic {BASIC}":
        return json_answer({"error": "invalid_client"}, 401)(ask)
    json_answer({"access_token": TOKEN, "expires_in": 1800, "token_type": "bearer"})(ask)


def _default(ask: Ask) -> None:
    if ask.path == "/oauth/token" and ask.seen.method == "POST":
        return _token(ask)
    if ask.path.startswith("/data/v3/ed-fi/"):
        return pages(lambda *_: ([], {}))(ask)
    json_answer({"message": "not found"}, 404)(ask)


class _Server(ThreadingHTTPServer):
    def handle_error(self, *_: object) -> None:  # a client that hangs up is what tests do
        pass


@dataclass
class Hostile:
    """The server, started; ``url`` names it by ``host`` (another name for 127.0.0.1 is another
    host to the client)."""

    host: str = "127.0.0.1"
    tls: ssl.SSLContext | None = None
    routes: dict[str, Answer] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), self._handler())
        if self.tls is not None:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self.url = f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"
        # Polled often, so that closing the server (each test, twice) takes no half second.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def leaks(self) -> list[Seen]:
        return [seen for seen in self.seen if seen.carries_a_secret()]

    def paths(self) -> list[str]:
        return [f"{seen.method} {seen.path.partition('?')[0]}" for seen in self.seen]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, self.path, dict(self.headers), self.rfile.read(length))
                hostile.seen.append(seen)
                parsed = urlparse(self.path)
                params = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
                ask = Ask(self, parsed.path, params, seen, hostile.stop)
                hostile.routes.get(parsed.path, _default)(ask)

        return Handler
