"""One exception root for rollcall; subclasses carry what a person needs to act."""

from __future__ import annotations

from pathlib import Path


class RollcallError(Exception):
    """Every error rollcall raises on purpose; the command line turns it into a message."""

    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class InputError(RollcallError):
    """A problem with an input file, naming the file and, where known, the line and column."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str,
        line: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        where = str(self.path)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}", hint=hint)


class PolicyError(RollcallError):
    """A policy that is unknown, or a policy file with a bad key or value."""


class OptionError(RollcallError):
    """A command-line option or API argument with a value that cannot be used."""
