"""Writing what rollcall produces: the output folder every writing command prepares."""

from __future__ import annotations

import os
from pathlib import Path

from rollcall.errors import OptionError


def prepare_folder(out_dir: Path) -> None:
    """Create ``out_dir`` if needed, or say plainly why it cannot be written to."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OptionError(f"--out {out_dir} is a file, not a folder") from None
    except OSError as exc:
        raise OptionError(f"cannot create the output folder {out_dir}: {exc.strerror}") from None
    if not os.access(out_dir, os.W_OK):
        raise OptionError(f"cannot write to the output folder {out_dir}: permission denied")
