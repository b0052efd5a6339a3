"""A resident reports by phone; the event reaches the grid worker, goes through every step to
评价, and the KPI page counts it."""

import pytest

from linli.grid.models import Event
from tests.browser_kit import DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_to_rating_end_to_end(gw, new_page):
    phone = new_page(PHONE)
    login(phone, gw.users["resident_a1"].username, "pw-resident")
    phone.goto("/m/grid/report/")
    phone.select_option("#id_category", label="设施维修")
    phone.fill("#id_title", "单元门禁坏了")
    phone.fill("#id_description", "1单元门禁刷卡没反应，老人进不了门")
    phone.select_option("#id_building", index=1)
    phone.click("[data-testid=report-submit]")
    assert phone.locator("#event-state").inner_text() == "已上报"
    event = Event.objects.get(title="单元门禁坏了")
    assert event.grid == gw.units["gA1"]

    staff = new_page(DESKTOP)
    login(staff, "community_a", "pw-community_a")
    staff.goto(f"/console/grid/events/{event.pk}/")
    staff.click("[data-testid=accept]")
    staff.select_option("select[name=assignee]", label="grid_a1 (grid_a1)")
    staff.click("[data-testid=dispatch]")
    assert staff.locator("#event-state").inner_text() == "已派遣"

    worker = new_page(PHONE)
    login(worker, "grid_a1", "pw-grid_a1")
    worker.goto("/m/grid/mine/")
    worker.click(f"[data-testid=tasks] a[href='/m/grid/events/{event.pk}/']")
    worker.fill("textarea[name=note]", "已联系物业，更换读卡器")
    worker.click("[data-testid=feedback]")
    assert worker.locator("#event-state").inner_text() == "已反馈待核查"

    staff.reload()
    staff.click("[data-testid=check-pass]")
    assert staff.locator("#event-state").inner_text() == "已结案"

    phone.goto(f"/m/grid/events/{event.pk}/")
    phone.select_option("#rating", "5")
    phone.click("[data-testid=rate]")
    assert "5★" in phone.locator("#event-rating").inner_text()

    staff.goto("/console/grid/kpi/")
    assert staff.locator("[data-testid=closure-rate]").inner_text() == "100.0%"
    assert staff.locator("[data-testid=satisfaction]").inner_text() == "5.0"
