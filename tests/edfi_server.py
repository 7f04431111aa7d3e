"""A small Ed-Fi ODS/API for tests, on a local port, following the published contract:

- ``GET /``: the discovery document (``urls``: oauth, dataManagementApi, changeQueries);
- ``POST /oauth/token``: client credentials by HTTP Basic (or form fields), a bearer token, or
  401 ``invalid_client``;
- ``GET /data/v3/ed-fi/{resource}``: a JSON array, ``offset``/``limit`` paging,
  ``Total-Count`` when ``totalCount=true``, ``minChangeVersion``/``maxChangeVersion``;
  ``…/{resource}/deletes`` the same for deleted records;
- ``GET /changeQueries/v1/availableChangeVersions``.

Tests script failures: answers to serve before the real one (``fail``), resources the client
may not read (``forbidden``), a token revoked once (``revoke``). Every request is logged.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

KEY, SECRET = "test-key", "test-secret-value"


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]


@dataclass
class FakeOds:
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    deletes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    newest: int = 0  # the newest change version
    fail: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    forbidden: set[str] = field(default_factory=set)
    change_queries: bool = True
    revoke: bool = False  # the next data request finds its token revoked
    requests: list[Request] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)  # the valid ones
    issued: int = 0
    url: str = ""

    def add(self, resource: str, record: dict[str, Any], version: int | None = None) -> None:
        """Add or change a record (by id) at a new change version."""
        self.newest = version if version is not None else self.newest + 1
        rows = self.records.setdefault(resource, [])
        rows[:] = [r for r in rows if r["id"] != record["id"]]
        rows.append({**record, "_changeVersion": self.newest})

    def delete(self, resource: str, record_id: str) -> None:
        self.newest += 1
        self.records[resource] = [r for r in self.records[resource] if r["id"] != record_id]
        self.deletes.setdefault(resource, []).append(
            {"id": record_id, "changeVersion": self.newest, "keyValues": {}}
        )

    def data_requests(self, resource: str) -> list[dict[str, str]]:
        path = f"/data/v3/ed-fi/{resource}"
        return [r.params for r in self.requests if r.path == path]


def serve(ods: FakeOds) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

        def _route(self, method: str) -> None:
            parsed = urlparse(self.path)
            params = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
            ods.requests.append(Request(method, parsed.path, params))
            path = parsed.path
            for prefix, answers in ods.fail.items():
                if path.startswith(prefix) and answers:
                    status, headers = answers.pop(0)
                    return self._send(status, {"message": "scripted failure"}, headers)
            if method == "POST" and path == "/oauth/token":
                return self._token()
            if path == "/":
                base = ods.url
                return self._send(200, {"version": "7.1.0", "urls": {
                    "oauth": f"{base}/oauth/token",
                    "dataManagementApi": f"{base}/data/v3/",
                    "changeQueries": f"{base}/changeQueries/v1/",
                }})  # fmt: skip
            if not self._authorized():
                return self._send(401, {"message": "Authorization denied."})
            if path == "/changeQueries/v1/availableChangeVersions" and ods.change_queries:
                return self._send(
                    200, {"oldestChangeVersion": 0, "newestChangeVersion": ods.newest}
                )
            if path.startswith("/data/v3/ed-fi/"):
                return self._resource(path.removeprefix("/data/v3/ed-fi/"), params)
            return self._send(404, {"message": "not found"})

        def _token(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            key, secret = form.get("client_id"), form.get("client_secret")
            header = self.headers.get("Authorization", "")
            if header.startswith("Basic "):
                key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            if (key, secret) != (KEY, SECRET) or form.get("grant_type") != "client_credentials":
                return self._send(401, {"error": "invalid_client"})
            ods.issued += 1
            token = f"token-{ods.issued}"
            ods.tokens.append(token)
            self._send(200, {"access_token": token, "expires_in": 1800, "token_type": "bearer"})

        def _authorized(self) -> bool:
            header = self.headers.get("Authorization", "")
            if ods.revoke and header.startswith("Bearer "):
                ods.revoke = False
                ods.tokens.clear()
                return False
            return header.startswith("Bearer ") and header[7:] in ods.tokens

        def _resource(self, name: str, params: dict[str, str]) -> None:
            deletes = name.endswith("/deletes")
            name = name.removesuffix("/deletes")
            if name in ods.forbidden:
                return self._send(
                    403, {"message": "Access to the resource could not be authorized."}
                )
            low = int(params.get("minChangeVersion", 0))
            high = int(params.get("maxChangeVersion", 10**9))
            if deletes:
                rows = [r for r in ods.deletes.get(name, []) if low <= r["changeVersion"] <= high]
            else:
                rows = [
                    {k: v for k, v in r.items() if k != "_changeVersion"}
                    for r in ods.records.get(name, [])
                    if low <= r["_changeVersion"] <= high
                ]
            offset, limit = int(params.get("offset", 0)), min(int(params.get("limit", 25)), 500)
            headers = {"Total-Count": str(len(rows))} if params.get("totalCount") == "true" else {}
            self._send(200, rows[offset : offset + limit], headers)

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ods.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
