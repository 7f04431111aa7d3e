"""The `rollcall` command: it parses options, calls one library function, prints the outcome.

No rule lives here. Errors we raise on purpose become one line on standard error and exit
status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from rollcall.errors import RollcallError

stderr = Console(stderr=True, highlight=False)
stdout = Console(highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rollcall")
def cli() -> None:
    """Chronic absence, computed exactly: students missing 10% or more of their enrolled days."""


def main() -> None:
    """Entry point: run the command group, turning our own errors into a message and status 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        stderr.print("Aborted.")
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except RollcallError as exc:
        stderr.print(f"error: {exc}", markup=False)
        if exc.hint:
            stderr.print(f"hint: {exc.hint}", markup=False)
        sys.exit(2)


def _path(value: str) -> Path:
    return Path(value)
