"""A refresh job's life: made by the form, started in a process of its own, run (reading,
computing, storing), and failed when its process is gone.

``launch`` starts ``python -m rollcall.web.intake.runner JOB`` detached from the web server
(its own session; the engine's minute and memory are not a server worker's), with the same
settings and database, and hands it the Ed-Fi key and secret through a pipe: they are in no
command line, environment, row or log. ``run`` is what that process does; tests call it
in-process.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

import rollcall
from rollcall import api
from rollcall.crashlog import write_crash_log
from rollcall.errors import RollcallError
from rollcall.formats.edfi.api import ENV_KEY, ENV_SECRET
from rollcall.formats.sources import ReadOptions, Source
from rollcall.web.front.lists import latest_snapshot
from rollcall.web.intake import inputs
from rollcall.web.intake.models import RefreshJob, SourceKind, Status, Step
from rollcall.web.people.models import District
from rollcall.web.refresh import refresh
from rollcall.web.snapshots.models import Snapshot

# Our own words for a failure (translated on the page); a reader's message is shown as written.
STOPPED = gettext_noop(
    "The refresh stopped without finishing: its process ended (the server restarted, or it ran "
    "out of memory). Nothing was stored. Start it again."
)
OUT_OF_MEMORY = gettext_noop(
    "The refresh ran out of memory. Nothing was stored. What helps: give the input as Parquet, "
    "refresh one school year at a time, or ask the server's administrator to set "
    "ROLLCALL_MEMORY_LIMIT."
)
NOT_STARTED = gettext_noop(
    "The refresh could not be started on the server. Nothing was stored. Ask the server's "
    "administrator to check that rollcall can start a process there."
)
CRASHED = gettext_noop(
    "rollcall stopped on an unexpected error: this is a bug. Nothing was stored. The server's "
    "administrator finds where it happened (no data values) in the crash log named below; "
    "please report it with that log."
)


def work_folder(job: RefreshJob) -> Path:
    """The job's own folder in the data folder: its upload, unpacked files, Ed-Fi pull."""
    return Path(settings.REFRESH_WORK) / f"job-{job.pk}"


def kept_folder(district: District) -> Path:
    """Where the input of the district's latest snapshot is kept when it came from an upload or
    an Ed-Fi pull: outreach plans a round, and evaluates it, from that input
    (rollcall/web/outreach/planning.py), as it does from a path in the import folder. Named by
    the district's database key, never its data id: an id is text from the input, and a folder
    named after it could climb out of ``REFRESH_KEPT``."""
    return Path(settings.REFRESH_KEPT) / f"district-{district.pk}"


def keep_input(job: RefreshJob, read: Path, snapshots: Sequence[Snapshot]) -> None:
    """Move the job's folder into the district's kept folder and point its snapshots at the
    input there; then delete every kept input the district's latest snapshot does not read, so
    that a district keeps one input, whatever order its refreshes end in (a refresh of an
    earlier date keeps the later one's). One district's refreshes do this in turn."""
    folder = work_folder(job)
    kept = kept_folder(job.district)
    kept.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = kept / folder.name
    with transaction.atomic():
        District.objects.select_for_update().get(pk=job.district_id)
        folder.rename(target)  # the same data folder: a rename, not a copy
        moved = target / read.relative_to(folder)
        Snapshot.objects.filter(pk__in=[s.pk for s in snapshots]).update(source=str(moved))
        latest = latest_snapshot(job.district_id)
        read_by_latest = Path(latest.source) if latest else None
        for older in kept.glob("job-*"):
            if read_by_latest is None or not read_by_latest.is_relative_to(older):
                shutil.rmtree(older, ignore_errors=True)


def create(
    data: dict[str, Any], *, user: AbstractBaseUser, district: District, options: dict[str, Any]
) -> RefreshJob:
    """The job for the form's cleaned ``data``, its files saved in its folder."""
    kind = data["source"]
    label = {
        SourceKind.UPLOAD: lambda: inputs.safe_name(data["upload"].name or ""),
        SourceKind.PATH: lambda: str(data["server_path"].relative_to(inputs.imports_folder())),
        SourceKind.EDFI: lambda: data["edfi_url"].strip(),
    }[kind]()
    job = RefreshJob.objects.create(
        district=district, created_by=user, source_kind=kind, source_label=label, options=options
    )
    folder = work_folder(job)
    if kind == SourceKind.UPLOAD:
        saved = inputs.save_upload(data["upload"], folder / "upload")
        job.options |= {"input": str(saved), "unpack": inputs.is_archive(data["upload"])}
    elif kind == SourceKind.PATH:
        job.options["input"] = str(data["server_path"])
    else:
        job.options |= {"input": str(folder / "edfi"), "edfi_url": data["edfi_url"].strip()}
    if data.get("mapping") is not None:
        job.options["mapping"] = str(inputs.save_upload(data["mapping"], folder / "mapping"))
    job.options["folder"] = str(folder)
    job.save(update_fields=["options"])
    return job


def launch(job: RefreshJob, secret: Mapping[str, str]) -> None:
    """Start the job's process, detached, and give it ``secret`` (Ed-Fi key and secret)."""
    env = dict(os.environ)
    package_root = str(Path(rollcall.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    env["ROLLCALL_DATA"] = str(settings.DATA)
    env.setdefault("DJANGO_SETTINGS_MODULE", "rollcall.web.settings")
    process = subprocess.Popen(
        [sys.executable, "-m", "rollcall.web.intake.runner", str(job.pk)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=env, cwd=str(settings.DATA), start_new_session=True,
    )  # fmt: skip
    assert process.stdin is not None
    with process.stdin:
        process.stdin.write(json.dumps(dict(secret)).encode())
    # Reap it when it ends (no zombie under a long-lived worker); if the worker ends first, the
    # process carries on under init.
    threading.Thread(target=process.wait, daemon=True).start()


def run(pk: int, *, secret: Mapping[str, str] | None = None) -> RefreshJob:
    """Run the waiting job ``pk`` to its end: done with what it stored, or failed in words."""
    job = RefreshJob.objects.select_related("district", "created_by").get(pk=pk)
    if job.status != Status.WAITING:
        return job
    step(job, str(Step.READING), status=str(Status.RUNNING))
    folder = Path(job.options["folder"]) if job.options.get("folder") else None
    source: Source | None = None
    try:
        source, pulled = _source(job, secret or {})
        options = job.options
        done = refresh(
            source,
            as_of=date.fromisoformat(options["as_of"]) if options.get("as_of") else None,
            policy=options["policy"],
            year=options.get("year"),
            user=job.created_by,
            progress=lambda name: step(job, name),
            only=[job.district.district_id],
        )
    except RollcallError as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        fail(job, _relative(f"{exc}{hint}", folder))
    except (MemoryError, duckdb.OutOfMemoryException):
        fail(job, OUT_OF_MEMORY)
    except Exception as exc:  # a bug: the words on the page, the details in a log without data
        log = write_crash_log(exc, "refresh (from the browser)")
        fail(job, CRASHED, log=str(log) if log else "")
    else:
        job.counts, job.notes = done.counts, [*pulled, *done.notes]
        job.students, job.refused = done.students, done.refused
        job.status, job.finished_at = Status.DONE, timezone.now()
        job.save()
        job.snapshots.set(done.snapshots)
        if folder is not None and source is not None and job.source_kind != SourceKind.PATH:
            try:
                keep_input(job, Path(source.path), done.snapshots)
            except Exception as exc:  # the refresh is stored and done: only outreach loses its
                # input (its page then says the input is no longer on the server)
                write_crash_log(exc, "keeping a refresh's input (from the browser)")
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return job


def _source(job: RefreshJob, secret: Mapping[str, str]) -> tuple[Source, tuple[str, ...]]:
    """What the engine reads (unpacked, or pulled), and the pull's notes."""
    options = job.options
    path = Path(options["input"])
    notes: tuple[str, ...] = ()
    if job.source_kind == SourceKind.UPLOAD and options.get("unpack"):
        path = inputs.unpack(path, path.parent.parent / "input")
    elif job.source_kind == SourceKind.EDFI:
        environ = {ENV_KEY: secret.get("key", ""), ENV_SECRET: secret.get("secret", "")}
        insecure = settings.REFRESH_EDFI_ALLOW_INSECURE
        pulled = api.fetch(options["edfi_url"], path, allow_insecure=insecure, environ=environ)
        notes = pulled.notes
    read = ReadOptions(
        mapping=Path(options["mapping"]) if options.get("mapping") else None,
        enrollment_from_sessions=options.get("enrollment_from_sessions", False),
        dimensions=tuple(options.get("dimensions", ())),
    )
    return Source(path, options.get("kind"), read), notes


def _relative(message: str, folder: Path | None) -> str:
    """A message without the server's own folders: a file is named as the user gave it."""
    for prefix in (
        *((folder / "input", folder / "upload", folder / "mapping", folder) if folder else ()),
        inputs.imports_folder(),
    ):
        message = message.replace(f"{prefix}{os.sep}", "")
    return message


def step(job: RefreshJob, name: str, *, status: str | None = None) -> None:
    """Record that ``job`` begins step ``name`` now (a sign of life, too)."""
    now = timezone.now()
    job.step, job.heartbeat_at = name, now
    job.steps = [*job.steps, {"step": str(name), "at": now.isoformat()}]
    if status is not None:
        job.status = status
    job.save(update_fields=["step", "steps", "heartbeat_at", "status"])


def fail(job: RefreshJob, error: str, *, log: str = "") -> None:
    job.status, job.error, job.error_log = Status.FAILED, error, log
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "error_log", "finished_at"])


def beat(pk: int) -> None:
    """A sign of life from the running job ``pk``'s process."""
    # SQLite refuses while the snapshot is being stored: the next beat will do.
    with contextlib.suppress(OperationalError):
        RefreshJob.objects.filter(pk=pk, status=Status.RUNNING).update(heartbeat_at=timezone.now())


def expire_if_stale(job: RefreshJob) -> RefreshJob:
    """Fail ``job`` if it waits or runs without a sign of life (its process is gone)."""
    if not job.is_stale():
        return job
    try:
        RefreshJob.objects.filter(
            pk=job.pk, status__in=(Status.WAITING, Status.RUNNING), heartbeat_at=job.heartbeat_at
        ).update(status=Status.FAILED, error=STOPPED, finished_at=timezone.now())
    except OperationalError:  # SQLite busy storing a snapshot: it is alive after all
        return job
    if job.options.get("folder"):
        shutil.rmtree(job.options["folder"], ignore_errors=True)
    job.refresh_from_db()
    return job
