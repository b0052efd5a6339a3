import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from linli.core.scoping import SYSTEM as SYSTEM_ACTOR
from linli.security import services
from linli.security.ingest import ingest_batch, signed
from linli.security.models import Alarm, AlarmNote, DeadLetter, Event, Incident

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def msg(device, channel="event", **body):
    body.setdefault("ts", T0.isoformat())
    return (
        f"linli/{device.community.code}/{device.code}/{channel}",
        json.dumps(signed(body, device.secret)).encode(),
    )


def ev(device, event_id, type="smoke", ts=T0, **data):
    return msg(device, event_id=event_id, type=type, ts=ts.isoformat(), data=data)


def test_event_stored_once_and_smoke_opens_one_critical_alarm(devices):
    smoke = devices["smoke"]
    out = ingest_batch([ev(smoke, "e1"), ev(smoke, "e1"), ev(smoke, "e2")], now=T0)
    assert (out.stored, out.duplicates) == (2, 1)
    out = ingest_batch([ev(smoke, "e2"), ev(smoke, "e3")], now=T0)
    assert (out.stored, out.duplicates) == (1, 1)
    assert Event.objects.filter(device=smoke).count() == 3
    alarm = Alarm.objects.get(device=smoke)
    assert alarm.severity == "critical"
    assert alarm.repeat_count == 3
    smoke.refresh_from_db()
    assert smoke.online and smoke.last_seen == T0


def test_bad_messages_go_to_dead_letters_with_reasons(devices):
    smoke = devices["smoke"]
    topic = f"linli/{smoke.community.code}/{smoke.code}/event"
    unsigned = json.dumps({"event_id": "x", "type": "smoke", "ts": T0.isoformat()}).encode()
    tampered = json.loads(ev(smoke, "y")[1])
    tampered["type"] = "test"
    out = ingest_batch(
        [
            (topic, b"{not json"),
            (topic, unsigned),
            (topic, json.dumps(tampered).encode()),
            ("linli/comm-a/ghost/event", b"{}"),
            ("other/topic", b"{}"),
            ev(smoke, "ok"),
        ],
        now=T0,
    )
    assert out.dead == 5 and out.stored == 1
    reasons = sorted(DeadLetter.objects.values_list("reason", flat=True))
    assert reasons == sorted(
        [
            "malformed JSON",
            "bad or missing signature",
            "bad or missing signature",
            "unknown device",
            "bad topic",
        ]
    )


def test_repeating_rule_needs_five_denials_in_two_minutes(devices):
    gate = devices["gate"]
    batch = [ev(gate, f"d{i}", "denied", T0 + timedelta(seconds=10 * i)) for i in range(4)]
    ingest_batch(batch, now=T0)
    assert not Alarm.objects.filter(device=gate).exists()
    ingest_batch([ev(gate, "d4", "denied", T0 + timedelta(seconds=50))], now=T0)
    assert Alarm.objects.get(device=gate, type="denied").severity == "major"


def test_duration_rule_only_at_night(devices):
    door = devices["door_sensor"]
    day = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai
    night = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai
    ingest_batch([ev(door, "a", "door_open", day, duration_s=900)], now=day)
    ingest_batch([ev(door, "b", "door_open", night, duration_s=300)], now=night)
    assert not Alarm.objects.filter(device=door).exists()
    ingest_batch([ev(door, "c", "door_open", night, duration_s=900)], now=night)
    assert Alarm.objects.filter(device=door, type="door_open").count() == 1


def test_status_last_will_and_inactivity_offline_alarm(devices):
    sos = devices["sos"]
    ingest_batch([msg(sos, "heartbeat", data={"battery": 77})], now=T0)
    sos.refresh_from_db()
    assert sos.online and sos.battery == 77
    ingest_batch([msg(sos, "status", type="offline", data={"online": False})], now=T0)
    sos.refresh_from_db()
    assert not sos.online
    smoke = devices["smoke"]
    ingest_batch([msg(smoke, "heartbeat")], now=T0)
    assert services.devices_check(now=T0 + timedelta(seconds=599))["offline"] == 0
    assert services.devices_check(now=T0 + timedelta(seconds=601))["offline"] == 1
    assert Alarm.objects.get(device=smoke, type="offline").status == "open"


def test_water_silence_for_elder_living_alone_notifies_fallback(devices, world):
    meter = devices["water_meter"]
    ingest_batch([ev(meter, "w1", "reading", m3=0.004)], now=T0)
    assert services.devices_check(now=T0 + timedelta(hours=11))["care"] == 0
    assert services.devices_check(now=T0 + timedelta(hours=13))["care"] == 1
    assert services.devices_check(now=T0 + timedelta(hours=14))["care"] == 0
    alarm = Alarm.objects.get(device=meter, type="water_silence")
    assert alarm.severity == "major"
    from linli.core.models import Notification

    assert Notification.objects.filter(user=world.users["community_a"]).exists()


def test_lifecycle_ack_comment_close_and_fire_incident(devices, world):
    ingest_batch([ev(devices["smoke"], "f1")], now=T0)
    alarm = Alarm.objects.get()
    op = world.actor("security_a")
    services.alarm_acknowledge(actor=op, alarm=alarm, now=T0 + timedelta(seconds=20))
    services.alarm_comment(actor=op, alarm=alarm, text="已派人到场", now=T0 + timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.alarm_close(actor=op, alarm=alarm, resolution="false")
    services.alarm_close(actor=op, alarm=alarm, resolution="real", now=T0 + timedelta(minutes=9))
    alarm.refresh_from_db()
    assert alarm.status == "closed" and alarm.resolution == "real"
    assert Incident.objects.filter(alarm=alarm).exists()
    kinds = list(AlarmNote.objects.filter(alarm=alarm).values_list("kind", flat=True))
    assert kinds == ["ack", "comment", "close"]
    # After close a new event opens a fresh alarm.
    ingest_batch([ev(devices["smoke"], "f2")], now=T0)
    assert Alarm.objects.filter(device=devices["smoke"], type="smoke").count() == 2


def test_escalation_climbs_the_chain_until_acknowledged(devices, world):
    from linli.core.models import Notification
    from linli.security import conf

    assert conf.ESCALATION_S == (300, 900)
    ingest_batch([ev(devices["smoke"], "s1"), ev(devices["sos"], "g1", "sos")], now=T0)

    def told(name):
        user = world.users[name]
        return Notification.objects.filter(user=user, kind="security.escalate").count()

    assert services.alarms_escalate(now=T0 + timedelta(minutes=4)) == 0
    assert services.alarms_escalate(now=T0 + timedelta(minutes=6)) == 2
    assert (told("street"), told("district")) == (2, 0)
    assert services.alarms_escalate(now=T0 + timedelta(minutes=7)) == 0
    sos = Alarm.objects.get(type="sos")
    services.alarm_acknowledge(actor=world.actor("community_a"), alarm=sos)
    assert services.alarms_escalate(now=T0 + timedelta(minutes=16)) == 1
    assert (told("street"), told("district")) == (2, 1)
    smoke = Alarm.objects.get(type="smoke")
    assert (smoke.escalation_level, sos.escalation_level) == (2, 1)


def test_an_overdue_alarm_climbs_every_step_in_one_run(devices):
    ingest_batch([ev(devices["smoke"], "s1")], now=T0)
    assert services.alarms_escalate(now=T0 + timedelta(hours=1)) == 2
    assert Alarm.objects.get().escalation_level == 2


def test_alarm_permissions(devices, world, client_for):
    ingest_batch([ev(devices["b-smoke"], "b1")], now=T0)
    alarm = Alarm.objects.get()
    with pytest.raises(Http404):
        services.alarm_acknowledge(actor=world.actor("security_a"), alarm=alarm)
    with pytest.raises(PermissionDenied):
        services.alarm_acknowledge(actor=world.actor("district"), alarm=alarm)
    assert (
        client_for(world.users["security_a"])
        .get(f"/console/security/alarms/{alarm.pk}/")
        .status_code
        == 404
    )
    assert (
        client_for(world.users["community_b"])
        .get(f"/console/security/alarms/{alarm.pk}/")
        .status_code
        == 200
    )
    page = client_for(world.users["community_b"]).get("/console/security/")
    assert "B smoke" in page.content.decode()


def test_http_ingest_needs_device_token(devices, client):
    smoke = devices["smoke"]
    _topic, body = ev(smoke, "h1")
    url = f"/api/v1/security/ingest/{smoke.code}/event"
    assert client.post(url, body, content_type="application/json").status_code == 404
    r = client.post(
        url, body, content_type="application/json", headers={"X-Device-Token": smoke.secret}
    )
    assert r.status_code == 200 and r.json()["stored"] == 1
    assert Alarm.objects.filter(device=smoke).exists()


def test_gate_passages_reach_the_access_log_with_the_card_holder(devices, world):
    from linli.security.models import AccessLog

    gate, person = devices["gate"], world.people["A1"]
    services.credential_add(
        actor=world.actor("community_a"), person=person, kind="card", reference="IC-7"
    )
    out = ingest_batch(
        [
            ev(gate, "p1", "granted", credential="IC-7"),
            ev(gate, "p1", "granted", credential="IC-7"),
            ev(gate, "p2", "denied", credential="IC-unknown", kind="qr"),
        ],
        now=T0,
    )
    assert out.stored == 2
    logs = {log.granted: log for log in AccessLog.objects.all()}
    assert len(logs) == 2
    assert (logs[True].person_id, logs[True].kind) == (person.pk, "card")
    assert (logs[False].person_id, logs[False].kind) == (None, "qr")


def test_consumer_cache_sees_a_rekeyed_device_at_once(devices):
    from linli.security.ingest import DeviceCache

    cache, smoke = DeviceCache(ttl_s=3600), devices["smoke"]
    assert ingest_batch([ev(smoke, "k1")], now=T0, cache=cache).stored == 1
    services.device_rotate_secret(actor=SYSTEM_ACTOR, device=smoke)
    smoke.refresh_from_db()
    out = ingest_batch([ev(smoke, "k2")], now=T0, cache=cache)
    assert (out.stored, out.dead) == (1, 0)
    assert not DeadLetter.objects.exists()


def test_device_times_written_again_only_after_a_while(devices):
    from linli.security.ingest import TOUCH_EVERY_S
    from linli.security.models import Device

    sos = devices["sos"]
    ingest_batch([msg(sos, "heartbeat")], now=T0)
    ingest_batch([msg(sos, "heartbeat")], now=T0 + timedelta(seconds=1))
    assert Device.objects.get(pk=sos.pk).last_seen == T0
    later = T0 + timedelta(seconds=TOUCH_EVERY_S)
    ingest_batch([msg(sos, "heartbeat", data={"battery": 50})], now=later)
    sos.refresh_from_db()
    assert (sos.last_seen, sos.battery) == (later, 50)


@pytest.mark.parametrize(
    ("local", "schedule", "inside"),
    [
        ("2026-03-02 23:30", {"from": "23:00", "to": "05:00"}, True),
        ("2026-03-03 04:59", {"from": "23:00", "to": "05:00"}, True),
        ("2026-03-03 05:00", {"from": "23:00", "to": "05:00"}, False),
        ("2026-03-02 12:00", {"from": "23:00", "to": "05:00"}, False),
        # Monday 2 March 2026: a window opened on Sunday night still counts as Sunday's.
        ("2026-03-02 01:00", {"from": "23:00", "to": "05:00", "days": [7]}, True),
        ("2026-03-02 23:30", {"from": "23:00", "to": "05:00", "days": [7]}, False),
        ("2026-03-02 09:00", {"from": "08:00", "to": "18:00", "days": [1, 2, 3, 4, 5]}, True),
        ("2026-03-07 09:00", {"from": "08:00", "to": "18:00", "days": [1, 2, 3, 4, 5]}, False),
        ("2026-03-02 09:00", {"from": "nonsense"}, True),
    ],
)
def test_schedule_windows(local, schedule, inside):
    from zoneinfo import ZoneInfo

    from linli.security.ingest import in_schedule

    ts = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    assert in_schedule(schedule, ts) is inside


def test_scheduled_rule_fires_only_in_its_hours(devices):
    door = devices["door_sensor"]
    door.rules = {"held": {"severity": "major", "schedule": {"from": "09:00", "to": "17:00"}}}
    door.save(update_fields=["rules"])
    day = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    night = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 20:00
    assert not ingest_batch([ev(door, "h1", "held", night)], now=night).alarms
    assert ingest_batch([ev(door, "h2", "held", day)], now=day).alarms
