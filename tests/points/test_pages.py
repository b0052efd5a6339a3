import re

import pytest
from django.urls import reverse

from linli.points import services
from linli.points.choices import RedemptionState
from tests.points.conftest import give


@pytest.mark.parametrize(
    "name",
    ["home", "catalogue", "vouchers", "ranking", "claim"],
)
def test_resident_pages_open(points_world, client_for, name):
    give(points_world.people["A1"], 12, "seed")
    client = client_for(points_world.users["resident_a1"])
    response = client.get(reverse(f"m:points:{name}"))
    assert response.status_code == 200
    if name == "home":
        assert re.search(rb'id="points-available"[^>]*>12<', response.content)


@pytest.mark.parametrize(
    "name", ["home", "rules", "activities", "approvals", "award", "items", "fulfil"]
)
def test_staff_pages_open(points_world, client_for, name):
    client = client_for(points_world.users["community_a"])
    assert client.get(reverse(f"console:points:{name}")).status_code == 200


def test_activity_qr_is_only_for_its_community(points_world, client_for):
    w = points_world
    url = reverse("console:points:activity", args=[w.activity.pk])
    page = client_for(w.users["community_a"]).get(url)
    assert page.status_code == 200 and b"<svg" in page.content
    assert client_for(w.users["community_b"]).get(url).status_code == 404


def test_checkin_by_scanning_the_qr_url(points_world, client_for):
    w = points_world
    client = client_for(w.users["resident_a1"])
    url = reverse("m:points:checkin", args=[w.activity.code])
    assert client.get(url).status_code == 200
    client.post(url)
    assert services.person_account(w.people["A1"]).balance == 1


def test_property_fulfils_only_its_estates_vouchers(points_world, client_for):
    w = points_world
    give(w.people["A1"], 30, "seed")
    redemption = services.redeem(actor=w.actor("resident_a1"), item=w.voucher)
    client = client_for(w.users["social_a"])
    assert client.get(reverse("console:points:fulfil")).status_code == 403
    client = client_for(w.users["property_a"])
    client.post(reverse("console:points:fulfil"), {"code": redemption.code})
    redemption.refresh_from_db()
    assert redemption.state == RedemptionState.FULFILLED


def test_api_redeem_and_fulfil(points_world, client_for):
    w = points_world
    give(w.people["A1"], 30, "seed")
    client = client_for(w.users["resident_a1"])
    assert client.get("/api/v1/points/me").json()["available"] == 30
    items = client.get("/api/v1/points/items").json()
    assert [i["name"] for i in items] == ["物业费抵用券10元"]
    made = client.post(f"/api/v1/points/items/{items[0]['id']}/redeem").json()
    assert made["state"] == "pending"
    again = client.post(f"/api/v1/points/items/{items[0]['id']}/redeem")
    assert again.status_code == 400
    other = client_for(w.users["resident_b1"])
    assert other.post(f"/api/v1/points/redemptions/{made['id']}/cancel").status_code == 404
    prop = client_for(w.users["property_a"])
    assert (
        prop.post("/api/v1/points/fulfil", {"code": made["code"]}, "application/json").json()[
            "state"
        ]
        == "fulfilled"
    )


def test_api_award_is_scoped(points_world, client_for):
    w = points_world
    rule_id = next(
        r["id"]
        for r in client_for(w.users["resident_a1"]).get("/api/v1/points/me/rules").json()
        if r["code"] == "volunteer"
    )
    body = {"person_id": w.people["A1"].pk, "rule_id": rule_id, "quantity": "1", "note": "扫雪"}
    grid_b = client_for(w.users["grid_b1"])
    assert grid_b.post("/api/v1/points/awards", body, "application/json").status_code == 404
    grid_a = client_for(w.users["grid_a1"])
    made = grid_a.post("/api/v1/points/awards", body, "application/json")
    assert made.status_code == 200 and made.json()["points"] == 10


def test_staff_home_has_the_monthly_chart_and_excel(points_world, client_for):
    give(points_world.people["A1"], 10, "seed")
    client = client_for(points_world.users["community_a"])
    page = client.get(reverse("console:points:home")).content.decode()
    assert 'data-testid="monthly"' in page and "<rect" in page
    export = client.get(reverse("console:points:home") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_pages_are_in_english_when_asked(points_world, client_for):
    client = client_for(points_world.users["resident_a1"])
    english = client.get(reverse("m:points:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Points available" in english and "可用积分" not in english
    chinese = client.get(reverse("m:points:home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "可用积分" in chinese
