"""Shared test set-up."""

from __future__ import annotations

import os

from hypothesis import settings

# Locally, property tests draw new examples each run and so keep finding new cases; in CI they
# draw a fixed set, so that a submission's result does not depend on chance.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
