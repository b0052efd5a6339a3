import datetime

import pytest
from django.urls import reverse

from linli.sharing import ical
from tests.sharing.conftest import book, tomorrow_at


def test_phone_pages(sw, client_for):
    client = client_for(sw.users["resident_b1"])
    browse = client.get(reverse("m:sharing:browse")).content.decode()
    assert "A社区多功能厅" in browse
    page = client.get(reverse("m:sharing:resource", args=[sw.hall.pk]))
    assert page.status_code == 200
    made = client.post(
        reverse("m:sharing:book", args=[sw.hall.pk]),
        {"start": tomorrow_at(9).isoformat(), "minutes": "60"},
    )
    assert made.status_code == 302
    mine = client.get(reverse("m:sharing:mine")).content.decode()
    assert "待审批" in mine
    bad = client.post(
        reverse("m:sharing:book", args=[sw.hall.pk]),
        {"start": tomorrow_at(22).isoformat(), "minutes": "60"},
        follow=True,
    )
    assert "不在开放时间内" in bad.content.decode()


def test_console_pages_and_scope(sw, client_for):
    booking = book(sw, "resident_b1", sw.hall, 11)
    staff_a = client_for(sw.users["community_a"])
    assert "A社区多功能厅" in staff_a.get(reverse("console:sharing:home")).content.decode()
    assert staff_a.get(reverse("console:sharing:reports")).status_code == 200
    assert staff_a.get(reverse("console:sharing:utilisation", args=[sw.hall.pk])).status_code == 200
    staff_b = client_for(sw.users["community_b"])
    url = reverse("console:sharing:booking-action", args=[booking.pk, "approve"])
    assert staff_b.post(url).status_code == 404
    booking.refresh_from_db()
    assert booking.state == "pending"


def test_ical_feeds(sw, client):
    booking = book(sw, "resident_b1", sw.clinic, 9)
    feed = client.get(
        reverse("sharing:my-feed", args=[ical.feed_token(sw.users["resident_b1"].pk)])
    )
    assert feed["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in feed.content and f"booking-{booking.pk}".encode() in feed.content
    public = client.get(reverse("sharing:resource-feed", args=[sw.clinic.pk]))
    assert "居民B1".encode() not in public.content and b"BEGIN:VEVENT" in public.content
    assert client.get(reverse("sharing:my-feed", args=["forged"])).status_code == 404


def test_api(sw, client_for):
    client = client_for(sw.users["resident_b1"])
    ids = [r["id"] for r in client.get("/api/v1/sharing/resources").json()]
    assert sw.hall.pk in ids
    day = tomorrow_at(9).date().isoformat()
    slots = client.get(f"/api/v1/sharing/resources/{sw.clinic.pk}/availability?day={day}").json()
    assert slots[0]["free"] == 3
    made = client.post(
        "/api/v1/sharing/bookings",
        {"resource_id": sw.clinic.pk, "start": tomorrow_at(9).isoformat(), "minutes": 60},
        "application/json",
    )
    assert made.status_code == 200 and made.json()["state"] == "approved"
    again = client.post(
        "/api/v1/sharing/bookings",
        {"resource_id": sw.clinic.pk, "start": tomorrow_at(9).isoformat(), "minutes": 60},
        "application/json",
    )
    assert again.status_code == 400
    assert (
        client.post(f"/api/v1/sharing/bookings/{made.json()['id']}/cancel").json()["state"]
        == "cancelled"
    )


@pytest.mark.parametrize("days", [7])
def test_utilisation_counts_used_seats(sw, days):
    from django.utils import timezone

    from linli.sharing import selectors

    booking = book(sw, "resident_b1", sw.clinic, 9)
    table = selectors.utilisation(
        sw.clinic,
        since=booking.start - datetime.timedelta(days=1),
        until=booking.start + datetime.timedelta(days=days),
    )
    local = timezone.localtime(booking.start)
    assert table[(local.weekday(), 9)] > 0
