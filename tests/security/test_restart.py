"""Kill the ingest process mid-stream, restart it, count: nothing lost, nothing duplicated."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from django.db import connection

from linli.security import services
from linli.security.ingest import signed
from linli.security.models import DeadLetter, Device, DeviceProfile, Event

pytestmark = [pytest.mark.postgres, pytest.mark.serial, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
N = 600


def _database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start_ingest(client_id, topic):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "LINLI_MQTT_CLIENT_ID": client_id,
        "LINLI_MQTT_TOPIC": topic,
        "LINLI_INGEST_BATCH": "50",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "linli.cli", "ingest"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


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
    client_id, topic = f"test-ingest-{run}", f"$share/t{run}/linli/+/+/+"
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-pub-{run}")
    publisher.connect("127.0.0.1", 1883)
    publisher.loop_start()
    base = f"linli/{world.units['cA'].code}/{device.code}"
    ingest = _start_ingest(client_id, topic)
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

        assert _wait(beat_seen, 30)
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
                ingest = _start_ingest(client_id, topic)
        assert _wait(lambda: Event.objects.filter(device=device).count() >= N, 60)
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
