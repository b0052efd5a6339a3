"""Shared fixtures. Test data is built through the same services production uses."""

import pytest
from django.db import connection

from tests.factories import World


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
