"""Done-when path: a resident's topic goes through co-signing, agenda, meeting, resolution,
publication and a completed task, in Chromium."""

import pytest

from linli.council.models import Topic
from tests.browser_kit import PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(new_page, user):
    page = new_page(PHONE)
    login(page, user.get_username(), "pw-resident")
    return page


def test_topic_from_proposal_to_completed_task(world, council, new_page):
    resident = _phone(new_page, world.users["resident_a1"])
    resident.goto("/m/council/")
    resident.fill("#propose-form input[name=title]", "3栋楼道电动车充电隐患")
    resident.fill("#propose-form textarea[name=body]", "楼道里有人私拉电线充电")
    resident.click("#propose-form button[type=submit]")
    assert resident.locator("#topic-status").inner_text() == "征集联署"
    topic = Topic.objects.get(title="3栋楼道电动车充电隐患")

    neighbours = {}
    for key in ("A1b", "A1c"):
        neighbours[key] = page = _phone(new_page, world.users[key])
        page.goto(f"/m/council/topics/{topic.pk}/")
        page.click("text=联署支持")
        assert "联署成功" in page.content()
        assert page.locator("text=联署支持").count() == 0
    member = neighbours["A1b"]
    resident.reload()
    assert resident.locator("#topic-status").inner_text() == "可列入议程"

    staff = new_page()
    login(staff, "community_a", "pw-community_a")
    staff.goto(f"/console/council/councils/{council.pk}/")
    row = staff.locator(f"#topic-{topic.pk}")
    row.locator("select[name=decision]").select_option("accept")
    row.locator("button[type=submit]").click()
    assert "已处理" in staff.content()
    staff.fill("#meeting-form input[name=title]", "四月议事会")
    staff.fill("#meeting-form input[name=starts_at]", "2026-04-10T19:00")
    staff.fill("#meeting-form input[name=place]", "社区活动室")
    staff.check(f"#meeting-form input[value='{topic.pk}']")
    staff.click("#meeting-form button[type=submit]")
    assert "通知已发送" in staff.content()
    staff.fill("#resolution-form textarea[name=positions]", "物业：同意配合；居民：希望尽快")
    staff.fill("#resolution-form textarea[name=text]", "物业一周内在车棚加装充电桩，楼道禁止充电")
    staff.click("#resolution-form button[type=submit]")
    checkin_url = staff.locator("#checkin-url").inner_text()

    member.goto(checkin_url)
    member.click("text=确认签到")
    assert "签到成功" in member.content()
    member.click("form.vote >> text=赞成")
    assert "已记录您的表决" in member.content()

    staff.reload()
    assert staff.locator(".resolution b.for").inner_text() == "1"
    staff.click("text=结束表决")
    staff.click("text=公示决议")
    assert "决议已公示" in staff.content()
    staff.fill(".task-form input[name=title]", "车棚加装充电桩")
    staff.fill(".task-form input[name=responsible]", "物业公司")
    staff.fill(".task-form input[name=due]", "2026-04-17")
    staff.click(".task-form button[type=submit]")
    staff.fill(".task input[name=note]", "充电桩已安装并通电")
    staff.check(".task input[name=done]")
    staff.click(".task >> text=更新")
    assert "进展已更新" in staff.content()

    resident.goto(f"/m/council/topics/{topic.pk}/")
    assert resident.locator("#topic-status").inner_text() == "已形成决议"
    assert "公示至" in resident.content()
    task = resident.locator(".task")
    assert "已完成" in task.inner_text()
    task.locator("button").click()
    assert "感谢您的评价" in resident.content()
