import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from linli.sharing import ical, services
from linli.sharing.models import Booking
from tests.sharing.conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(world, gym):
    booking = services.booking_create(
        actor=world.actor("resident_b1"), resource=gym, start=at(2, 10), end=at(2, 11), now=NOW
    )
    return services.booking_decide(actor=world.actor("community_a"), booking=booking, approve=True)


def test_api_lists_and_refuses_bad_input_with_a_message(world, gym, client_for):
    client = client_for(world.users["resident_b1"])
    listed = client.get("/api/v1/sharing/resources").json()
    assert [r["code"] for r in listed] == ["gym"]
    response = client.post(
        "/api/v1/sharing/bookings",
        json.dumps(
            {
                "resource": "gym",
                "start": "2030-01-01T05:00:00+08:00",
                "end": "2030-01-01T06:00:00+08:00",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "开放时间" in response.json()["detail"][0]
    assert not Booking.objects.exists()


def test_api_booking_of_a_community_only_resource_is_404(world, client_for):
    from tests.sharing.conftest import make_resource

    make_resource(world, code="kinder", reach="community")
    client = client_for(world.users["resident_b1"])
    response = client.post(
        "/api/v1/sharing/bookings",
        json.dumps(
            {
                "resource": "kinder",
                "start": "2030-01-01T10:00:00+08:00",
                "end": "2030-01-01T11:00:00+08:00",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_console_pages_by_role(world, client_for):
    import datetime

    from tests.sharing.conftest import TZ, make_resource

    # Far ahead, so the console's "not yet over" list shows it whatever the real date.
    hall = make_resource(world, code="hall", max_notice_days=5000, needs_approval=False)
    start = datetime.datetime(2030, 1, 2, 10, tzinfo=TZ)
    confirmed = services.booking_create(
        actor=world.actor("resident_b1"),
        resource=hall,
        start=start,
        end=start + datetime.timedelta(hours=1),
        now=NOW,
    )
    assert client_for(world.users["community_a"]).get("/console/sharing/").status_code == 200
    page = client_for(world.users["community_a"]).get("/console/sharing/").content.decode()
    assert f"booking-{confirmed.pk}" in page
    page_b = client_for(world.users["community_b"]).get("/console/sharing/").content.decode()
    assert f"booking-{confirmed.pk}" not in page_b
    assert client_for(world.users["grid_a1"]).get("/console/sharing/").status_code == 403
    url = reverse("console:sharing:decide", args=[confirmed.pk])
    assert client_for(world.users["community_b"]).post(url, {"action": "cancel"}).status_code == 404


def test_reciprocity_page_has_the_chart(world, confirmed, client_for):
    client = client_for(world.users["street"])
    page = client.get("/console/sharing/reciprocity/?since=2026-11-01&until=2027-01-01")
    html = page.content.decode()
    assert "<svg" in html and "A社区 → B社区" in html


def test_utilisation_export(world, confirmed, client_for):
    client = client_for(world.users["street"])
    response = client.get(
        "/console/sharing/utilisation/?since=2026-11-30&until=2026-12-07&export=xlsx"
    )
    assert response.status_code == 200
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "星期"
    assert ("周三", "10:00", 1.0, 2.0, 50) in rows


def test_ical_feeds(world, confirmed, client):
    feed = client.get(reverse("sharing:resource_ics", args=["gym"])).content.decode()
    assert "BEGIN:VEVENT" in feed and "DTSTART:20261202T020000Z" in feed
    token = ical.feed_token(world.users["resident_b1"])
    mine = client.get(reverse("sharing:my_ics", args=[token])).content.decode()
    assert "gym场地" in mine
    assert client.get(reverse("sharing:my_ics", args=["1:forged"])).status_code == 404


def test_resident_pages(world, gym, client_for):
    client = client_for(world.users["resident_b1"])
    assert "gym场地" in client.get("/m/sharing/").content.decode()
    assert client.get("/m/sharing/r/gym/?day=2026-12-02").status_code == 200
    response = client.post(
        "/m/sharing/r/gym/book/",
        {"start": "2026-12-02 05:00", "slots": "1", "places": "1"},
        follow=True,
    )
    assert "开放时间" in response.content.decode()
    assert not Booking.objects.exists()


def test_owner_sets_a_blackout_and_sees_the_week(world, confirmed, client_for):
    client = client_for(world.users["community_a"])
    client.post("/console/sharing/r/gym/exception/", {"date": "2026-12-05", "note": "检修"})
    assert "检修" in client.get("/console/sharing/r/gym/?day=2026-11-30").content.decode()
    calendar = client.get("/console/sharing/calendar/?day=2026-11-30").content.decode()
    assert "gym场地" in calendar and "B社区" in calendar
    other = client_for(world.users["community_b"])
    response = other.post("/console/sharing/r/gym/exception/", {"date": "2026-12-06"})
    assert response.status_code == 404
    assert "gym场地" not in other.get("/console/sharing/calendar/?day=2026-11-30").content.decode()


def test_owner_publishes_a_resource_and_its_weekly_hours(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    from linli.sharing.models import Resource

    client = client_for(world.users["community_a"])
    response = client.post(
        "/console/sharing/new/",
        {
            "owner_unit": world.units["cA"].pk,
            "code": "library",
            "name": "A社区图书室",
            "kind": "venue",
            "capacity": "8",
            "slot_minutes": "60",
            "reach": "street",
            "min_notice_hours": "0",
            "max_notice_days": "14",
            "max_duration_minutes": "120",
            "max_per_week": "2",
            "photo": SimpleUploadedFile("room.jpg", b"\xff\xd8\xff fake", "image/jpeg"),
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get(code="library")
    assert resource.owner_unit == world.units["cA"] and resource.photo.name
    client.post(
        "/console/sharing/r/library/hours/", {"weekday": "5", "opens": "09:00", "closes": "17:00"}
    )
    assert list(resource.hours.values_list("weekday", flat=True)) == [5]
    # Another community's staff can neither publish in A's name nor touch A's hours.
    other = client_for(world.users["community_b"])
    other.post("/console/sharing/new/", {"owner_unit": world.units["cA"].pk, "code": "x"})
    assert not Resource.objects.filter(code="x").exists()
    response = other.post(
        "/console/sharing/r/library/hours/", {"weekday": "1", "opens": "09:00", "closes": "17:00"}
    )
    assert response.status_code == 404
    assert resource.hours.count() == 1
