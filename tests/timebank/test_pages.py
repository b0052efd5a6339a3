import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.timebank.choices import ServiceState
from tests.timebank.conftest import confirm_and_review, serve


@pytest.mark.parametrize("name", ["home", "board", "volunteers", "pool"])
def test_console_pages_open(tb, client_for, name):
    confirm_and_review(tb, serve(tb, tb.people["elder58"]))
    page = client_for(tb.users["community_a"]).get(reverse(f"console:timebank:{name}"))
    assert page.status_code == 200


def test_stats_page_reports_the_ledger_total(tb, client_for):
    confirm_and_review(tb, serve(tb, tb.people["elder58"], minutes=90))
    page = client_for(tb.users["street"]).get(reverse("console:timebank:home"))
    assert b'id="stat-held">1.5<' in page.content


def test_resident_pages_and_statement(tb, client_for):
    confirm_and_review(tb, serve(tb, tb.people["elder58"]))
    client = client_for(tb.users["vol"])
    assert client.get(reverse("m:timebank:home")).status_code == 200
    pdf = client.get(reverse("m:timebank:statement") + "?year=2026")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_strangers_cannot_open_a_service(tb, client_for):
    service = serve(tb, tb.people["elder58"])
    url = reverse("m:timebank:service", args=[service.pk])
    assert client_for(tb.users["elder58"]).get(url).status_code == 200
    stranger = client_for(tb.users["resident_b1"]).get(url)
    assert stranger.status_code == 302  # back to the time-bank home with a message
    assert (
        client_for(tb.users["community_b"])
        .post(reverse("console:timebank:review", args=[service.pk]), {"decision": "approve"})
        .status_code
        == 404
    )
    service.refresh_from_db()
    assert service.state == ServiceState.AWAITING_ELDER


def test_api_flow_for_a_volunteer(tb, client_for):
    start = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    grid = client_for(tb.users["grid_a1"])
    made = grid.post(
        "/api/v1/timebank/requests",
        {
            "elder_id": tb.people["elder61"].pk,
            "category": "companion",
            "start": start,
            "minutes": 60,
        },
        "application/json",
    )
    assert made.status_code == 200 and made.json()["channel"] == "grid"
    vol = client_for(tb.users["vol"])
    open_ids = [s["id"] for s in vol.get("/api/v1/timebank/open").json()]
    assert made.json()["id"] in open_ids
    accepted = vol.post(f"/api/v1/timebank/services/{made.json()['id']}/accept")
    assert accepted.json()["state"] == "accepted"
    other = client_for(tb.users["grid_b1"])
    outside = other.post(
        "/api/v1/timebank/requests",
        {
            "elder_id": tb.people["elder61"].pk,
            "category": "companion",
            "start": start,
            "minutes": 60,
        },
        "application/json",
    )
    assert outside.status_code == 404
