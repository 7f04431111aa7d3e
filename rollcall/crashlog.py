"""What an unexpected failure leaves behind: a log of where it happened, never what data.

An exception's message can quote the value that broke it (a student id, a name), so the log
holds the exception's type and the chain of calls (file, line, function) only: enough for a
developer to find the bug, nothing about a student. ``ROLLCALL_LOG_DIR`` chooses the folder
(default: the system's temporary folder).
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def write_crash_log(exc: BaseException, command: str) -> Path | None:
    """Write the log of ``exc`` raised while running ``command`` (the verb only); its path, or
    None if no log could be written."""
    folder = Path(os.environ.get("ROLLCALL_LOG_DIR") or tempfile.gettempdir())
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"rollcall-crash-{stamp}-{os.getpid()}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(crash_text(exc, command), encoding="utf-8")
    except OSError:
        return None
    return path


def crash_text(exc: BaseException, command: str) -> str:
    """The log: versions, the command's verb, and each exception's type and frames."""
    lines = [
        f"rollcall {_version()} on Python {platform.python_version()} ({sys.platform})",
        f"command: rollcall {command}",
        "(messages and values are left out: they can hold student data)",
    ]
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"\n{type(current).__module__}.{type(current).__qualname__}:")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {where(frame)} in {frame.name}")
        current = current.__cause__ or current.__context__
    return "\n".join(lines) + "\n"


def where(frame: traceback.FrameSummary) -> str:
    """A frame's file (from the package or library root, not the user's home) and line."""
    parts = Path(frame.filename).parts
    for anchor in ("rollcall", "site-packages"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            return f"{'/'.join(parts[index:])}:{frame.lineno}"
    return f"{Path(frame.filename).name}:{frame.lineno}"


def innermost(exc: BaseException) -> str:
    """Where ``exc`` was raised, for the one line the user sees."""
    frames = traceback.extract_tb(exc.__traceback__)
    return where(frames[-1]) if frames else "an unknown place"


def _version() -> str:
    try:
        return version("rollcall")
    except PackageNotFoundError:
        return "(not installed)"
