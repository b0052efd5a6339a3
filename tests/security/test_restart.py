"""Kill the ingest process mid-stream, restart it, count: nothing lost, nothing duplicated."""

import json
import signal
import time
import uuid
from datetime import UTC, datetime

import paho.mqtt.client as mqtt
import pytest

from linli.security import services
from linli.security.ingest import signed
from linli.security.models import DeadLetter, Device, DeviceProfile, Event
from tests.security.ingest_kit import start_ingest, wait

pytestmark = [pytest.mark.postgres, pytest.mark.serial, pytest.mark.django_db(transaction=True)]

N = 600


def test_kill_and_restart_loses_and_duplicates_nothing(world):
    services.profiles_ensure()
    device = services.device_register(
        actor=world.actor("street"),
        community=world.units["cA"],
        profile=DeviceProfile.objects.get(code="door_sensor"),
        code="restart-door",
        name="门磁",
    )
    run = uuid.uuid4().hex[:8]
    # Only this device's topic: other tests publishing to the same broker meanwhile would
    # otherwise land in this database's dead letters.
    client_id, topic = f"test-ingest-{run}", f"$share/t{run}/linli/+/{device.code}/+"
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-pub-{run}")
    publisher.connect("127.0.0.1", 1883)
    publisher.loop_start()
    base = f"linli/{world.units['cA'].code}/{device.code}"
    ingest = start_ingest(client_id, topic)
    try:
        # Up and subscribed once a heartbeat lands.
        def beat_seen():
            publisher.publish(
                f"{base}/heartbeat",
                json.dumps(
                    signed({"ts": datetime(2026, 3, 2, tzinfo=UTC).isoformat()}, device.secret)
                ),
                qos=1,
            )
            return Device.objects.filter(pk=device.pk, last_seen__isnull=False).exists()

        assert wait(beat_seen, 30)
        for i in range(N):
            body = signed(
                {
                    "event_id": f"e{i}",
                    "type": "door_open",
                    "data": {"duration_s": 1},
                    "ts": datetime(2026, 3, 2, tzinfo=UTC).isoformat(),
                },
                device.secret,
            )
            publisher.publish(f"{base}/event", json.dumps(body), qos=1).wait_for_publish(10)
            if i == N // 3:
                ingest.send_signal(signal.SIGKILL)
                ingest.wait()
            if i == 2 * N // 3:
                ingest = start_ingest(client_id, topic)
        assert wait(lambda: Event.objects.filter(device=device).count() >= N, 60)
        time.sleep(1)
    finally:
        ingest.send_signal(signal.SIGTERM)
        ingest.wait(10)
        publisher.loop_stop()
        # Drop the broker's persistent session of this test's consumer.
        cleaner = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True
        )
        cleaner.connect("127.0.0.1", 1883)
        cleaner.disconnect()
    ids = list(Event.objects.filter(device=device).values_list("event_id", flat=True))
    assert len(ids) == N and set(ids) == {f"e{i}" for i in range(N)}
    assert not DeadLetter.objects.exists()
