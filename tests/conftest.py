"""Shared test set-up."""

from __future__ import annotations

import os

import pytest
from budget import FAST
from hypothesis import settings

# Locally, property tests draw new examples each run and so keep finding new cases; in CI they
# draw a fixed set, so that a submission's result does not depend on chance.
settings.register_profile("ci", derandomize=True, print_blob=True)
# The fast loop (make test-fast) draws a few examples of each property: a smoke test of the
# property, not its proof; the full count runs in make test and CI.
settings.register_profile("fast", max_examples=FAST, derandomize=True)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
elif os.environ.get("CI"):
    settings.load_profile("ci")


# The accounts a platform test parametrised by ``username`` runs as in make test-fast: one who may
# see (a principal) and no account at all. The other accounts take the same code paths with
# other data, and the partner's and coach's own rules have tests of their own in the fast loop;
# make test and CI run every account.
FAST_ACCOUNTS = frozenset({"principal", "anonymous"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives Chromium is a ``browser`` test (make test-fast leaves them out);
    every test of the platform (``test_web_*``) a ``platform`` test, run a second time on
    PostgreSQL by make test, and ``slow`` when it runs as an account not in FAST_ACCOUNTS."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) or item.path.stem.endswith("_browser"):
            item.add_marker(pytest.mark.browser)
        if item.path.stem.startswith("test_web"):
            item.add_marker(pytest.mark.platform)
            account = getattr(getattr(item, "callspec", None), "params", {}).get("username")
            if account is not None and account not in FAST_ACCOUNTS:
                item.add_marker(pytest.mark.slow)


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """The platform's test database holds the small world of tests/web_world.py, built once
    (two refreshes through the real engine); each test runs in a transaction rolled back."""
    from web_world import build_world

    with django_db_blocker.unblock():
        build_world(tmp_path_factory.mktemp("world") / "input")


@pytest.fixture(autouse=True)
def _english_after_a_platform_test(request):
    """A request in Spanish leaves Spanish active in the thread (Django's LocaleMiddleware does
    not switch back): after each platform test, back to the default, so no test depends on the
    one before it."""
    yield
    if request.node.get_closest_marker("platform"):
        from django.utils import translation

        translation.deactivate()
