"""Shared fixtures. Test data is built through the same services production uses."""

import os

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

from tests.browser_kit import CHROMIUM, CHROMIUM_ARGS, DESKTOP
from tests.factories import World

# Two shared cores make wall-clock deadlines meaningless; hypothesis still shrinks and replays.
hypothesis_settings.register_profile("linli", deadline=None, print_blob=True)
hypothesis_settings.load_profile("linli")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(item.get_closest_marker(m) for m in ("browser", "postgres", "serial")):
            # These use real threads and live servers: keep them on one xdist worker so they
            # do not compete for the two cores with each other.
            item.add_marker(pytest.mark.xdist_group("serial"))


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LINLI_BACKGROUND_INLINE = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://…)")


@pytest.fixture
def world(db):
    return World.build()


@pytest.fixture
def client_for(client):
    """Log a test client in as a given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process (Debian's, launched by path; nothing downloads a browser)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is required for browser tests: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(viewport=PHONE)``: a fresh, Chinese-locale page pointed at the live server."""
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
