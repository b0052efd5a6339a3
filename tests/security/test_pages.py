import json
from datetime import UTC, datetime

from linli.security.ingest import ingest_batch, signed
from linli.security.models import Alarm, VisitorPass

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _smoke(device, event_id="p1"):
    body = {"event_id": event_id, "type": "smoke", "ts": T0.isoformat(), "data": {}}
    topic = f"linli/{device.community.code}/{device.code}/event"
    return topic, json.dumps(signed(body, device.secret)).encode()


def test_console_pages_by_role(devices, world, client_for):
    ingest_batch([_smoke(devices["smoke"])], now=T0)
    for name in ("security_a", "community_a", "street"):
        client = client_for(world.users[name])
        for url in (
            "/console/security/",
            "/console/security/devices/",
            "/console/security/visitors/",
        ):
            assert client.get(url).status_code == 200, (name, url)
    assert client_for(world.users["grid_a1"]).get("/console/security/").status_code == 403
    page = client_for(world.users["security_a"]).get("/console/security/devices/")
    assert "A smoke" in page.content.decode() and "B smoke" not in page.content.decode()


def test_api_alarms_scoped_and_close(devices, world, client_for):
    ingest_batch([_smoke(devices["smoke"]), _smoke(devices["b-smoke"], "p2")], now=T0)
    client = client_for(world.users["security_a"])
    rows = client.get("/api/v1/security/alarms").json()
    assert [r["device"] for r in rows] == ["a-smoke"]
    other = Alarm.objects.get(device=devices["b-smoke"])
    assert client.post(f"/api/v1/security/alarms/{other.pk}/acknowledge").status_code == 404
    mine = rows[0]["id"]
    r = client.post(
        f"/api/v1/security/alarms/{mine}/close",
        {"resolution": "false", "note": ""},
        content_type="application/json",
    )
    assert r.status_code == 400
    r = client.post(
        f"/api/v1/security/alarms/{mine}/close",
        {"resolution": "false", "note": "油烟"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_resident_invites_visitor(devices, world, client_for):
    client = client_for(world.users["resident_a1"])
    assert client.get("/m/security/").status_code == 200
    r = client.post(
        "/m/security/passes/new/",
        {"visitor_name": "李叔", "valid_from": "2026-03-02T10:00", "hours": "3"},
    )
    assert r.status_code == 302
    visit = VisitorPass.objects.get()
    assert visit.host == world.people["A1"]
    assert (visit.valid_until - visit.valid_from).total_seconds() == 3 * 3600


def test_plan_marks_the_building_with_an_open_alarm(devices, world, client_for):
    from decimal import Decimal

    from linli.org.models import Building

    Building.objects.filter(pk=world.buildings["A1"].pk).update(
        lat=Decimal("30.2"), lng=Decimal("120.2")
    )
    ingest_batch([_smoke(devices["smoke"])], now=T0)
    page = client_for(world.users["security_a"]).get("/console/security/alarms/plan/")
    assert 'class="spot sev-critical"' in page.content.decode()


def test_statistics_count_critical_alarms_acknowledged_within_the_service_level(devices, world):
    from datetime import timedelta

    from linli.security import selectors, services

    ingest_batch([_smoke(devices["smoke"], "q1"), _smoke(devices["b-smoke"], "q2")], now=T0)
    actor = world.actor("street")
    quick, slow = (
        Alarm.objects.get(device=devices["smoke"]),
        Alarm.objects.get(device=devices["b-smoke"]),
    )
    services.alarm_acknowledge(actor=actor, alarm=quick, now=T0 + timedelta(seconds=30))
    services.alarm_acknowledge(actor=actor, alarm=slow, now=T0 + timedelta(seconds=90))
    stats = selectors.statistics(actor, now=T0 + timedelta(minutes=5))
    assert (stats["critical_in_time"], stats["critical_total"]) == (1, 2)
    assert stats["critical_in_time_pct"] == 50
    only_a = selectors.statistics(world.actor("community_a"), now=T0 + timedelta(minutes=5))
    assert (only_a["critical_in_time"], only_a["critical_total"]) == (1, 1)
