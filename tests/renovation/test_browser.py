"""An owner votes on a phone and sees the live tally; staff enter a paper ballot; the result is
published."""

import pytest

from linli.renovation.models import Vote
from tests.browser_kit import DESKTOP, PHONE, login
from tests.renovation.conftest import GIF, open_vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vote_on_phone_paper_ballot_and_publication(rw, new_page, tmp_path):
    vote = open_vote(rw)
    phone = new_page(PHONE)
    login(phone, "wang", "pw-resident")
    phone.goto(f"/m/renovation/projects/{rw.project.pk}/")
    phone.click("[data-testid=vote-for]")
    assert phone.locator("[data-testid=voted]").is_visible()
    assert phone.locator("[data-testid=for-heads]").inner_text() == "100.0%"

    ballot = tmp_path / "ballot.gif"
    ballot.write_bytes(GIF)
    staff = new_page(DESKTOP)
    login(staff, "community_a", "pw-community_a")
    staff.goto(f"/console/renovation/projects/{rw.project.pk}/")
    staff.select_option("[data-testid=elector]", label="居民A1（88.50㎡）")
    staff.set_input_files("[data-testid=ballot-photo]", str(ballot))
    staff.click("[data-testid=enter-ballot]")
    assert "已录入" in staff.locator(".messages").inner_text()
    staff.select_option("[data-testid=elector]", label="陈女士（120.00㎡）")
    staff.set_input_files("[data-testid=ballot-photo]", str(ballot))
    staff.click("[data-testid=enter-ballot]")
    staff.click("[data-testid=close-vote]")
    staff.click("[data-testid=publish]")
    assert "表决通过" in staff.locator("[data-testid=result]").inner_text()
    assert Vote.objects.get(pk=vote.pk).result["approved"]

    phone.reload()
    assert phone.locator("[data-testid=verdict]").first.inner_text() == "目前达到通过条件"
