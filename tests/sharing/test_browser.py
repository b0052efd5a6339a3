"""A resident of community B books community A's hall on a phone, is approved and checks in;
the reciprocity chart counts the hour."""

import datetime

import pytest
from django.utils import timezone

from linli.sharing.models import Booking
from tests.browser_kit import DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_book_approve_check_in_and_reciprocity(sw, new_page):
    phone = new_page(PHONE)
    login(phone, sw.users["resident_b1"].username, "pw-resident")
    phone.goto("/m/sharing/")
    phone.click("text=A社区多功能厅")
    phone.check("input[name=start] >> nth=2")
    phone.click("[data-testid=book]")
    assert phone.locator("[data-testid=booking-state]").first.inner_text() == "待审批"

    staff = new_page(DESKTOP)
    login(staff, "community_a", "pw-community_a")
    staff.goto("/console/sharing/")
    staff.click("[data-testid=approve]")
    phone.reload()
    assert phone.locator("[data-testid=booking-state]").first.inner_text() == "已确认"

    # The day comes: the booking starts in ten minutes.
    start = timezone.now() + datetime.timedelta(minutes=10)
    Booking.objects.update(start=start, end=start + datetime.timedelta(hours=1))
    staff.goto("/console/sharing/")
    staff.click("[data-testid=checkin]")
    assert Booking.objects.get().state == "checked_in"

    staff.goto("/console/sharing/reports/")
    given = staff.locator("[data-testid=given]").first.text_content()
    assert given == "1.0"
