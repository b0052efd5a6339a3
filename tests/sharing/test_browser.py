"""Done-when path: a resident of B books A's venue on a phone, A's staff approve and check
them in, and the street's reciprocity chart shows the hours."""

import datetime

import pytest

from linli.core.scoping import SYSTEM
from linli.sharing import services
from linli.sharing.choices import Reach, ResourceKind
from tests.browser_kit import DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_book_approve_check_in_and_see_reciprocity(new_page, world):
    services.resource_create(
        actor=SYSTEM,
        owner_unit=world.units["cA"],
        code="hall",
        name="A社区多功能厅",
        kind=ResourceKind.VENUE,
        reach=Reach.STREET,
        capacity=1,
        slot_minutes=15,
        needs_approval=True,
        min_notice_hours=0,
        max_duration_minutes=60,
        hours=[(d, datetime.time(0), datetime.time(23, 45)) for d in range(7)],
    )
    phone = new_page(PHONE)
    login(phone, world.users["resident_b1"].username, "pw-resident")
    phone.goto("/m/sharing/")
    phone.click("text=A社区多功能厅")
    phone.locator("a.sharing-slot.free").first.click()
    phone.click("button:has-text('确认预约')")
    assert "等待审批" in phone.inner_text("main")
    assert phone.locator(".sharing-booking[data-status=pending]").count() == 1

    desk = new_page(DESKTOP)
    login(desk, "community_a", "pw-community_a")
    desk.goto("/console/sharing/")
    desk.click("button:has-text('通过')")
    assert "已通过" in desk.inner_text("main")
    desk.click("button:has-text('签到')")
    assert "已签到" in desk.inner_text("main")

    phone.goto("/m/sharing/mine/")
    assert phone.locator(".sharing-booking[data-status=checked_in]").count() == 1

    street = new_page(DESKTOP)
    login(street, "street", "pw-street")
    street.goto("/console/sharing/reciprocity/")
    assert "A社区 → B社区" in street.locator("svg.sharing-chart").text_content()
