"""A grid worker files a request for an elder; a volunteer accepts, checks in and out on a phone;
the grid worker confirms as the elder's proxy and a reviewer approves; the hours appear."""

import datetime

import pytest
from django.utils import timezone

from linli.timebank.models import Service
from tests.browser_kit import DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_serve_confirm_review(tb, new_page):
    grid = new_page(DESKTOP)
    login(grid, "grid_a1", "pw-grid_a1")
    grid.goto("/console/timebank/board/?q=李大爷")
    when = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    form = grid.locator("form:has(input[name=elder])")
    form.locator("select[name=category]").select_option(label="文化陪伴")
    form.locator("input[name=start]").fill(when)
    form.locator("input[name=minutes]").fill("90")
    form.locator("button").click()
    assert "已为 李大爷 发布需求" in grid.locator(".messages").inner_text()
    service = Service.objects.get(elder=tb.people["elder61"])

    phone = new_page(PHONE)
    login(phone, "vol", "pw-resident")
    phone.goto("/m/timebank/")
    phone.click(f"#open-requests form[action*='/{service.pk}/accept/'] button")
    phone.goto(f"/m/timebank/services/{service.pk}/")
    phone.fill("#code", service.code)
    phone.click("#checkin")
    assert phone.locator("#service-state").inner_text() == "服务中"
    # Ninety minutes pass at the elder's home.
    Service.objects.filter(pk=service.pk).update(
        checked_in_at=timezone.now() - datetime.timedelta(minutes=90)
    )
    phone.fill("#note", "陪老人读报、聊天")
    phone.click("#checkout")
    assert phone.locator("#service-state").inner_text() == "待老人确认"

    grid.goto("/console/timebank/board/")
    grid.click("[data-testid=proxy-confirm]")
    assert "已代老人确认" in grid.locator(".messages").inner_text()

    reviewer = new_page(DESKTOP)
    login(reviewer, "community_a", "pw-community_a")
    reviewer.goto("/console/timebank/board/")
    reviewer.click("[data-testid=review-approve]")
    assert "已审核入账" in reviewer.locator(".messages").inner_text()

    phone.goto("/m/timebank/")
    assert phone.locator("#tb-hours").inner_text() == "1.5"
    phone.goto(f"/m/timebank/services/{service.pk}/")
    assert phone.locator("#service-state").inner_text() == "已确认入账"
