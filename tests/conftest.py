"""Shared test set-up."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Locally, property tests draw new examples each run and so keep finding new cases; in CI they
# draw a fixed set, so that a submission's result does not depend on chance.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium through Playwright, shared by a test module's browser tests
    (skipped, saying why, where chromium is missing and cannot be installed)."""
    from test_report_browser import ARGS, _chromium

    playwright = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
