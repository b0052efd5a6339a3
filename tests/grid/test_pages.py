import pytest
from django.urls import reverse

from linli.grid import services
from linli.grid.choices import Tier
from linli.grid.models import CareGroup
from tests.grid.conftest import report


@pytest.mark.parametrize(
    "name", ["events", "event_new", "kpi", "care", "care_register", "branches"]
)
def test_console_pages_open(gw, client_for, name):
    report(gw)
    assert (
        client_for(gw.users["community_a"]).get(reverse(f"console:grid:{name}")).status_code == 200
    )


def test_holiday_table_is_for_street_admins(gw, client_for):
    assert client_for(gw.users["street"]).get(reverse("console:grid:holidays")).status_code == 200
    assert client_for(gw.users["grid_a1"]).get(reverse("console:grid:holidays")).status_code == 403


@pytest.mark.parametrize("name", ["report", "mine"])
def test_phone_pages_open(gw, client_for, name):
    page = client_for(gw.users["resident_a1"]).get(reverse(f"m:grid:{name}"))
    assert page.status_code == 200
    if name == "mine":
        assert "王网格" in page.content.decode() and "24小时内上门" in page.content.decode()


def test_another_grids_worker_gets_404_on_events_and_care(gw, client_for):
    event = report(gw)
    record = services.care_register(
        actor=gw.actor("community_a"),
        person=gw.people["A1"],
        groups=CareGroup.objects.filter(code="alone"),
        tier=Tier.KEY,
    )
    other = client_for(gw.users["grid_a2"])
    assert other.get(reverse("console:grid:event_detail", args=[event.pk])).status_code == 404
    assert other.get(reverse("m:grid:event", args=[event.pk])).status_code == 404
    assert other.get(reverse("console:grid:care_detail", args=[record.pk])).status_code == 404
    assert other.get(f"/api/v1/grid/events/{event.pk}").status_code == 404
    assert other.get("/api/v1/grid/events").json()["count"] == 0
    assert other.get("/api/v1/grid/care").json()["count"] == 0
    mine = client_for(gw.users["grid_a1"])
    assert mine.get(reverse("console:grid:event_detail", args=[event.pk])).status_code == 200
    assert mine.get("/api/v1/grid/care").json()["count"] == 1


def test_events_export_to_excel(gw, client_for):
    report(gw)
    response = client_for(gw.users["community_a"]).get(
        reverse("console:grid:events") + "?state=all&export=xlsx"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_event_page_offers_the_council_where_it_exists(gw, client_for):
    pytest.importorskip("linli.council")
    event = report(gw)
    staff = client_for(gw.users["community_a"]).get(
        reverse("console:grid:event_detail", args=[event.pk])
    )
    assert f"/console/council/from-event/{event.pk}/" in staff.content.decode()
    worker = client_for(gw.users["grid_a1"]).get(
        reverse("console:grid:event_detail", args=[event.pk])
    )
    assert "from-event" not in worker.content.decode()
