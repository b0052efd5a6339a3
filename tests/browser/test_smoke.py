"""Every demo role logs in and opens its home page, on a desktop and on a phone."""

import pytest

from linli.core.demodata import DEMO_PASSWORD, load_all
from tests.browser_kit import DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_logins(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ctx = load_all(only=["org"], log=lambda *_: None)
    return [login for login in ctx.logins if login.role != "superuser"]


def test_every_role_opens_its_home(new_page, demo_logins):
    assert len(demo_logins) >= 9
    for demo in demo_logins:
        for viewport in (DESKTOP, PHONE):
            page = new_page(viewport)
            login(page, demo.username, DEMO_PASSWORD)
            staff = demo.role != "resident"
            expected = "/console/" if staff else "/m/"
            assert page.url.endswith(expected), (demo.username, page.url)
            heading = page.locator("h1").first.inner_text()
            assert heading, demo.username
            if staff:
                assert page.locator(".sidebar nav a").count() >= 1
            else:
                assert page.locator(".tabbar a").count() == 3
            page.context.close()
