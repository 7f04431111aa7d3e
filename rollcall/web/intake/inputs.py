"""Where a browser refresh's input comes from, made safe before the engine sees it.

- **A path on the server** must be inside the import folder (``ROLLCALL_IMPORTS``, default
  ``<data folder>/imports``): no ``..``, no absolute path elsewhere, no symbolic link leading out
  of it (the path itself or anything in the folder it names).
- **An upload** is a zip of a folder (canonical files, an SIS export, Ed-Fi files) or one file a
  reader reads. It is capped in size while it arrives (``SizeLimit``), and a zip is checked
  before it is unpacked, with the limits the readers use for workbooks
  (rollcall/formats/textfiles.py): what its members declare is at most 2 GiB together, no large
  member expands more than 100 times, no member is a link, an absolute path or climbs out with
  ``..``. Python's zipfile stops at a member's declared size, so a lie is caught too.

Uploads are written in the data folder (the job's own folder, deleted after the refresh), never
in a shared temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from rollcall.formats.textfiles import (
    MAX_WORKBOOK_BYTES,
    MAX_WORKBOOK_RATIO,
    RATIO_CHECKED_FROM,
)

MAX_ARCHIVE_BYTES = MAX_WORKBOOK_BYTES  # all members together, uncompressed
MAX_MEMBERS = 10_000
FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet", ".json", ".jsonl", ".xml")
# What a Mac or Windows adds to a zip it makes, and no reader should see.
JUNK = re.compile(r"(^|/)(__MACOSX/|\._|\.DS_Store$|Thumbs\.db$)")


def imports_folder() -> Path:
    """The folder a path on the server must be inside."""
    return Path(settings.REFRESH_IMPORTS).resolve()


def server_path(text: str) -> Path:
    """The file or folder ``text`` names inside the import folder (relative to it, or absolute
    inside it); anything else is a ValidationError saying why."""
    imports = imports_folder()
    written = text.strip()
    if ".." in PurePosixPath(written).parts or ".." in PureWindowsPath(written).parts:
        raise ValidationError(
            _("A path may not contain “..”: name a file or folder inside the import folder.")
        )
    path = Path(written)
    if path.is_absolute():
        if not path.is_relative_to(imports):
            raise ValidationError(
                _("%(path)s is outside the import folder (%(imports)s).")
                % {"path": written, "imports": imports}
            )
    else:
        path = imports / path
    if not os.path.lexists(path):
        raise ValidationError(
            _("There is no file or folder %(path)s in the import folder (%(imports)s).")
            % {"path": written, "imports": imports}
        )
    resolved = path.resolve()
    if not resolved.is_relative_to(imports):
        raise ValidationError(
            _("%(path)s leads outside the import folder (a symbolic link).") % {"path": written}
        )
    if resolved.is_dir():
        _no_link_out(resolved, imports)
    return resolved


def _no_link_out(folder: Path, imports: Path) -> None:
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            entry = Path(root) / name
            if entry.is_symlink() and not entry.resolve().is_relative_to(imports):
                raise ValidationError(
                    _("%(path)s leads outside the import folder (a symbolic link).")
                    % {"path": entry.relative_to(imports)}
                )


class SizeLimit(FileUploadHandler):
    """Stops an upload once it passes ``limit`` bytes (the rest of the request is read and
    dropped); ``too_big`` then says so, for the form to tell."""

    def __init__(self, limit: int, request: Any = None) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_big = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_big = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def is_archive(upload: UploadedFile) -> bool:
    return (upload.name or "").lower().endswith(".zip")


def check_upload(upload: UploadedFile) -> None:
    """An upload rollcall may unpack or read: a ``.zip`` within the limits, or one file of a
    kind a reader reads."""
    name = upload.name or ""
    if not is_archive(upload):
        if not name.lower().endswith(FILE_SUFFIXES):
            raise ValidationError(
                _("%(name)s is not a file rollcall reads: upload a .zip of the folder, or one "
                  "%(kinds)s file.") % {"name": name, "kinds": ", ".join(FILE_SUFFIXES)}
            )  # fmt: skip
        return
    upload.seek(0)
    check_archive(upload.file, name)
    upload.seek(0)


def check_archive(handle: IO[bytes], name: str) -> list[zipfile.ZipInfo]:
    """The members of the zip archive ``handle`` (named ``name`` in messages), once checked."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(
            _("%(name)s is not a zip archive rollcall can open.") % {"name": name}
        ) from None
    if len(members) > MAX_MEMBERS:
        raise ValidationError(
            _("%(name)s holds %(count)s files, more than the limit of %(limit)s.")
            % {"name": name, "count": f"{len(members):,}", "limit": f"{MAX_MEMBERS:,}"}
        )
    total = sum(m.file_size for m in members)
    if total > MAX_ARCHIVE_BYTES:
        raise ValidationError(
            _("%(name)s would expand to %(size)s bytes, more than the limit of %(limit)s bytes: "
              "split it, or give the input as Parquet.")
            % {"name": name, "size": f"{total:,}", "limit": f"{MAX_ARCHIVE_BYTES:,}"}
        )  # fmt: skip
    for member in members:
        _check_member(member, name)
    return members


def _check_member(member: zipfile.ZipInfo, name: str) -> None:
    inner = member.filename
    mode = member.external_attr >> 16
    climbs = ".." in PurePosixPath(inner.replace("\\", "/")).parts
    if inner.startswith(("/", "\\")) or PureWindowsPath(inner).drive or climbs:
        raise ValidationError(
            _("%(name)s holds %(member)s, a path outside the archive's folder.")
            % {"name": name, "member": inner}
        )
    if stat.S_ISLNK(mode):
        raise ValidationError(
            _("%(name)s holds %(member)s, a symbolic link: zip the files themselves.")
            % {"name": name, "member": inner}
        )
    ratio = member.file_size / max(member.compress_size, 1)
    if member.file_size >= RATIO_CHECKED_FROM and ratio > MAX_WORKBOOK_RATIO:
        raise ValidationError(
            _("%(name)s: %(member)s would expand %(ratio)s times, more than the limit of "
              "%(limit)s times; a file this compressible is not an export.")
            % {"name": name, "member": inner, "ratio": f"{ratio:,.0f}",
               "limit": MAX_WORKBOOK_RATIO}
        )  # fmt: skip


def safe_name(name: str) -> str:
    """A file name for the data folder: the last part of ``name``, in plain characters."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".")
    return cleaned[:100] or "upload"


def save_upload(upload: UploadedFile, folder: Path) -> Path:
    """Write ``upload`` into ``folder`` (made readable by its owner only)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / safe_name(upload.name or "")
    upload.seek(0)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def unpack(archive_path: Path, folder: Path) -> Path:
    """Unpack the checked zip at ``archive_path`` into ``folder``; the folder to read: the one
    folder the archive holds, when it holds nothing else (a zipped folder)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with archive_path.open("rb") as handle:
        members = check_archive(handle, archive_path.name)
        with zipfile.ZipFile(handle) as archive:
            for member in members:
                inner = member.filename.replace("\\", "/")
                if member.is_dir() or JUNK.search(inner):
                    continue
                target = folder / inner
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
    entries = list(folder.iterdir())
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else folder
