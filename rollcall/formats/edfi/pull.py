"""``rollcall fetch``: the resources rollcall reads, pulled from an Ed-Fi ODS/API into a folder
that ``--input`` then reads (rollcall/formats/edfi/json_files.py).

Each resource is saved as ``<resource>.jsonl``, one record a line. Students are saved with their
id and StudentUniqueId only: names and birth dates are not needed and are not kept. The folder
also holds ``edfi-pull.json``: the API's address, the change version the pull reached, and how
many records each resource has; never a key, a secret or a token.

A first pull takes everything. ``since_last`` takes only what changed after the change version
of the last pull (``minChangeVersion``/``maxChangeVersion``, from the API's available change
versions), replaces those records by their ``id`` and removes the deleted ones (the
resource's ``/deletes``). Resources rollcall can do without (calendars, enrollments,
demographics, programs) that the API client may not read (HTTP 403) are skipped, and said so;
the others stop the pull.

What the client does against a wrong or hostile server (the API's own origin only, deadlines,
paging that ends, redirects): rollcall/formats/edfi/api.py.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from rollcall.errors import OptionError
from rollcall.formats.edfi.api import (
    DEADLINE,
    REQUEST_DEADLINE,
    EdfiApi,
    Forbidden,
    NotFound,
    read_credentials,
)
from rollcall.formats.edfi.json_files import RESOURCES
from rollcall.writing import prepare_folder

STATE = "edfi-pull.json"
REQUIRED = ("schools", "sessions", "studentSchoolAttendanceEvents")
# Only these fields of a student are kept (no names, no birth dates).
STUDENT_FIELDS = ("id", "studentUniqueId")


@dataclass(frozen=True)
class Pulled:
    """One resource after a pull."""

    resource: str
    records: int  # in the folder now
    received: int  # records received this time (new or changed)
    deleted: int  # removed this time
    skipped: str | None = None  # why it was not pulled


@dataclass(frozen=True)
class PullResult:
    folder: Path
    resources: tuple[Pulled, ...]
    change_version: int | None  # the newest change version the pull reached
    since: int | None  # for an incremental pull: the change version it started after
    notes: tuple[str, ...] = ()


def pull(
    url: str,
    out: Path,
    *,
    credentials: Path | None = None,
    since_last: bool = False,
    environ: Mapping[str, str] = os.environ,
    client: httpx.Client | None = None,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    page_size: int = 500,
    allow_insecure: bool = False,
    deadline: float = DEADLINE,
    request_deadline: float = REQUEST_DEADLINE,
) -> PullResult:
    """Pull every resource rollcall reads from the ODS/API at ``url`` into ``out``.

    ``allow_insecure`` lets the key and secret go over plain http to the origin of ``url`` (a
    local test server), never elsewhere; ``deadline`` bounds the whole pull and
    ``request_deadline`` each request, in seconds."""
    found, notes = read_credentials(credentials, environ)
    state = _state(out) if since_last else None
    if since_last and state is None:
        raise OptionError(
            f"--since-last: {out} holds no earlier pull ({STATE})",
            hint="pull once without --since-last",
        )
    if state is not None and state.get("url") != url.rstrip("/"):
        raise OptionError(
            f"--since-last: {out} was pulled from {state.get('url')}, not {url}",
            hint="give the same --url, or pull into another folder",
        )
    prepare_folder(out)
    options: dict[str, Any] = {
        "backoff": backoff,
        "sleep": sleep,
        "page_size": page_size,
        "allow_insecure": allow_insecure,
        "deadline": deadline,
        "request_deadline": request_deadline,
    }
    if client is not None:
        options["client"] = client
    with EdfiApi(url, found, **options) as api:
        versions = api.change_versions()
        if since_last and versions is None:
            raise OptionError(
                "--since-last: this ODS/API offers no change queries",
                hint="pull without --since-last (everything again)",
            )
        newest = versions[1] if versions is not None else None
        since = state.get("changeVersion") if state is not None else None
        if state is not None and not isinstance(since, int):
            raise OptionError(
                f"--since-last: the last pull into {out} reached no change version",
                hint="pull without --since-last",
            )
        if since is not None and versions is not None and since < versions[0] - 1:
            notes.append(
                f"The API keeps changes from version {versions[0]} only, after the {since} of "
                "the last pull: pull without --since-last to be sure nothing is missed."
            )
        pulled = [_pull_one(api, out, resource, since, newest) for resource in RESOURCES]
    _save_state(out, url, newest, pulled)
    if versions is None:
        notes.append("This ODS/API offers no change queries: --since-last will not work here.")
    return PullResult(out, tuple(pulled), newest, since, tuple(notes))


def _pull_one(
    api: EdfiApi, out: Path, resource: str, since: int | None, newest: int | None
) -> Pulled:
    path = out / f"{resource}.jsonl"
    try:
        if since is None:
            records = [_kept(resource, r) for r in api.records(resource, max_version=newest)]
            _write(path, records)
            return Pulled(resource, len(records), len(records), 0)
        if since >= (newest or 0):
            count = sum(1 for _ in _lines(path))
            return Pulled(resource, count, 0, 0)
        kept = {_key(r): r for r in _lines(path)}
        changed = [
            _kept(resource, r)
            for r in api.records(resource, min_version=since + 1, max_version=newest)
        ]
        kept.update((_key(r), r) for r in changed)
        deleted = 0
        for gone in api.records(resource, min_version=since + 1, max_version=newest, deletes=True):
            deleted += kept.pop(_key(gone), None) is not None
        _write(path, list(kept.values()))
        return Pulled(resource, len(kept), len(changed), deleted)
    except (Forbidden, NotFound) as exc:
        if resource in REQUIRED:
            raise
        path.unlink(missing_ok=True)  # an old copy would pass for a current one
        reason = "not authorized (HTTP 403)" if isinstance(exc, Forbidden) else "not found (404)"
        return Pulled(resource, 0, 0, 0, skipped=reason)


def _kept(resource: str, record: dict[str, Any]) -> dict[str, Any]:
    if resource == "students":
        return {k: record[k] for k in STUDENT_FIELDS if k in record}
    return record


def _key(record: dict[str, Any]) -> str:
    value = record.get("id")
    return str(value) if value is not None else json.dumps(record, sort_keys=True)


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _write(path: Path, records: list[dict[str, Any]]) -> None:
    """One record a line; written beside and renamed, so that a failed pull leaves the old
    file whole."""
    partial = path.with_suffix(".jsonl.part")
    with partial.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    partial.replace(path)


def _state(out: Path) -> dict[str, Any] | None:
    path = out / STATE
    if not path.is_file():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return state if isinstance(state, dict) and "changeVersion" in state else None


def _save_state(out: Path, url: str, newest: int | None, pulled: list[Pulled]) -> None:
    state = {
        "url": url.rstrip("/"),
        "changeVersion": newest,
        "pulledAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "resources": {p.resource: p.records for p in pulled if p.skipped is None},
    }
    (out / STATE).write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
