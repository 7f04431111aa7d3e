"""Run the ``rollcall`` command as a user would: its exit status and what it printed.

``rollcall`` runs it in this process (Click's isolation of the standard streams and the
environment), which is fast enough to test every command; ``rollcall_process`` starts a new
process, for the few tests of the installed entry point itself."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from rollcall.cli import main

# Wide enough that Rich does not wrap the lines tests look for.
WIDE = {"COLUMNS": "300"}


@dataclass(frozen=True)
class Ran:
    """What a run printed and how it ended (the fields of ``subprocess.CompletedProcess``)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def rollcall(
    *args: str, env: Mapping[str, str] | None = None, cwd: Path | str | None = None
) -> Ran:
    """``rollcall ARGS`` in this process, with ``env`` added to the environment."""
    runner = CliRunner()
    with (
        contextlib.chdir(cwd or os.getcwd()),
        runner.isolation(env={**WIDE, **(env or {})}) as (out, err, _),
    ):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return Ran(args, code, out.getvalue().decode(), err.getvalue().decode())


def rollcall_process(
    *args: str, env: Mapping[str, str] | None = None, cwd: Path | str | None = None
) -> subprocess.CompletedProcess[str]:
    """``rollcall ARGS`` in a new process."""
    return subprocess.run(
        [sys.executable, "-c", "from rollcall.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, **WIDE, **(env or {})},
    )
