"""How many examples a property test draws: its full count, or a few in the fast loop."""

from __future__ import annotations

import os

FAST = 3  # per property in make test-fast: a smoke test of the property, not its proof


def examples(full: int) -> int:
    """``full``, or ``FAST`` when the fast loop runs (``HYPOTHESIS_PROFILE=fast``)."""
    return min(full, FAST) if os.environ.get("HYPOTHESIS_PROFILE") == "fast" else full
