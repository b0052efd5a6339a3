"""Community staff import a roster in the browser, find a resident and unmask the ID number."""

import pytest

from tests.browser_kit import login
from tests.factories import id_number
from tests.org.test_roster import xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_roster_import_search_and_audited_reveal(world, new_page, tmp_path):
    number = id_number(birth="19470302")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx([["幸福里", "1栋", "", "901", "八十", "", "钱奶奶", number, "", "业主", "独居老人"]])
    )
    good = tmp_path / "good.xlsx"
    good.write_bytes(
        xlsx([["幸福里", "1栋", "", "901", "80", "", "钱奶奶", number, "", "业主", "独居老人"]])
    )
    page = new_page()
    login(page, "community_a", "pw-community_a")

    page.goto("/console/org/roster/")
    page.set_input_files("[data-testid=roster-file]", str(bad))
    page.click("text=上传并检查")
    status = page.locator("[data-testid=roster-status]")
    assert status.get_attribute("data-status") == "invalid"
    assert "面积不是有效数字" in page.locator("[data-testid=roster-problems]").inner_text()

    page.goto("/console/org/roster/")
    page.set_input_files("[data-testid=roster-file]", str(good))
    page.click("text=上传并检查")
    page.click("[data-testid=roster-commit]")
    assert page.locator("[data-testid=roster-status]").get_attribute("data-status") == "done"

    page.goto("/console/org/people/?q=钱奶奶")
    page.click("[data-testid=people] >> text=钱奶奶")
    masked = page.locator("#id-number").inner_text()
    assert "*" in masked and number not in page.content()
    page.click("[data-testid=reveal-id]")
    page.wait_for_selector("[data-testid=revealed]")
    assert page.locator("[data-testid=revealed]").inner_text() == number

    page.goto("/console/core/audit/?action=org.pii_reveal")
    assert "钱奶奶" in page.locator("table").inner_text()


def test_resident_large_text_mode_on_phone(world, new_page):
    from tests.browser_kit import PHONE

    page = new_page(PHONE)
    login(page, world.users["resident_a1"].username, "pw-resident")
    before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.goto("/m/core/settings/")
    page.check("input[name=large_text]")
    page.click("[data-testid=save-settings]")
    page.goto("/m/")
    after = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after > before
    page.goto("/m/org/household/")
    assert "幸福里" in page.locator("main").inner_text()
