"""An organisation manager publishes an activity; a resident signs up on a phone and checks in by
QR; the attendance shows in the statistics and as points."""

import datetime

import pytest
from django.utils import timezone

from tests.browser_kit import DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_join_check_in_and_statistics(so, new_page):
    from linli.points.services import person_account, rules_ensure

    rules_ensure()
    manager = new_page(DESKTOP)
    login(manager, "social_a", "pw-social_a")
    manager.goto("/console/socialorgs/activities/")
    starts = timezone.localtime() + datetime.timedelta(minutes=20)
    manager.fill("#title", "重阳节茶话会")
    manager.fill("#place", "A社区活动室")
    manager.fill("#starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    manager.click("[data-testid=publish]")
    checkin_url = manager.locator("#checkin-url").get_attribute("href")

    phone = new_page(PHONE)
    login(phone, so.users["resident_a1"].username, "pw-resident")
    phone.goto("/m/socialorgs/")
    phone.click("[data-testid=join]")
    assert phone.locator("[data-testid=signup-state]").inner_text() == "已报名"
    phone.goto(checkin_url)
    phone.click("#checkin")
    assert phone.locator("[data-testid=signup-state]").inner_text() == "已签到"
    assert person_account(so.people["A1"]).balance == 5

    staff = new_page(DESKTOP)
    login(staff, "community_a", "pw-community_a")
    staff.goto("/console/socialorgs/")
    assert staff.locator("[data-testid=attended]").inner_text() == "1"
