"""Run the ``rollcall`` command as a user would: a new process, its exit status and output."""

from __future__ import annotations

import os
import subprocess
import sys


def rollcall(*args: str) -> subprocess.CompletedProcess[str]:
    """``rollcall ARGS`` in a subprocess; wide enough that Rich does not wrap the lines tests
    look for."""
    return subprocess.run(
        [sys.executable, "-c", "from rollcall.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "300"},
    )
