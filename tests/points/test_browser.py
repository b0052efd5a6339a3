"""A resident checks in by QR on a phone, sees the points, redeems a voucher; the property
manager verifies it at the desk."""

import re

import pytest

from tests.browser_kit import DESKTOP, PHONE, login
from tests.points.conftest import give

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_checkin_redeem_and_fulfil(points_world, new_page):
    w = points_world
    give(w.people["A1"], 29, "seed")

    staff = new_page(DESKTOP)
    login(staff, "community_a", "pw-community_a")
    staff.goto(f"/console/points/activities/{w.activity.pk}/")
    assert staff.locator("svg").count() >= 1
    checkin_url = staff.locator("#checkin-url").get_attribute("href")

    phone = new_page(PHONE)
    login(phone, w.users["resident_a1"].username, "pw-resident")
    phone.goto(checkin_url)
    phone.click("#checkin")
    assert phone.locator("#points-available").inner_text() == "30"
    assert "签到成功" in phone.content()

    phone.goto("/m/points/rewards/")
    phone.click('form[action$="/redeem/"] button')
    code = phone.locator("#voucher-code").inner_text()
    assert re.fullmatch(r"[\w-]{8,}", code)
    assert phone.locator("#voucher-state").inner_text() == "待领取"

    desk = new_page(DESKTOP)
    login(desk, "property_a", "pw-property_a")
    desk.goto("/console/points/fulfil/")
    desk.fill("input[name=code]", code)
    desk.click("#fulfil")
    assert "已核销" in desk.locator(".messages").inner_text()

    phone.reload()
    assert phone.locator("#voucher-state").inner_text() == "已核销"
    phone.goto("/m/points/")
    assert phone.locator("#points-available").inner_text() == "0"
