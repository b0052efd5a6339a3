"""PostgreSQL goes away twice mid-stream: the ingest waits it out, nothing lost or duplicated.

The real server is shared with the other xdist workers, so the outage is confined to this
test's own database: new connections are refused (as while the server restarts) and the
existing ones, bar the test's own, are terminated, which breaks the ingest's connection
whatever it is doing at that moment.
"""

import json
import threading
import time
import uuid
from datetime import UTC, datetime

import paho.mqtt.client as mqtt
import psycopg
import pytest
from django.db import connection

from linli.security import services
from linli.security.ingest import signed
from linli.security.models import DeadLetter, Device, DeviceProfile, Event
from tests.security.ingest_kit import start_ingest, wait

pytestmark = [pytest.mark.postgres, pytest.mark.serial, pytest.mark.django_db(transaction=True)]

N = 600
RATE = 50  # events/s: the stream lasts 12 s, long enough to span both outages
OUTAGE_S = 3
OUTAGES_AT = (N // 6, N // 2)  # by number of events published
RETRY_LOG = "database unavailable; retrying the batch"


def _alter(allow):
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    return f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS {'true' if allow else 'false'}"


def _maintenance():
    # PostgreSQL refuses to close the database one is connected to, so the switch is thrown
    # from the maintenance database; this also works whatever state the test's connection is in.
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _reopen():
    with _maintenance() as admin:
        admin.execute(_alter(True))


def _cut_off(admin, budget_s=1.0):
    """Refuse new connections to the test database and kill every existing one but this
    process's own; returns the (pid, state) of those killed.

    For up to ``budget_s`` only a connection inside a statement or transaction is killed, to
    catch the ingest mid-batch; then whatever it holds. An ingest caught between two
    connections would merely be refused its next one, so then the switch is flipped again."""
    deadline = time.monotonic() + budget_s
    with connection.cursor() as cursor:
        for _ in range(50):
            admin.execute(_alter(False))
            while True:
                mid_batch = time.monotonic() < deadline
                cursor.execute(
                    "SELECT pid, state, pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND (NOT %s OR state <> 'idle')",
                    [mid_batch],
                )
                killed = [(pid, state) for pid, state, ok in cursor.fetchall() if ok]
                if killed or not mid_batch:
                    break
                time.sleep(0.002)
            if killed:
                return killed
            admin.execute(_alter(True))
            time.sleep(0.02)
    return []


# "0" is the default (close_old_connections drops the connection whenever it runs); with
# persistent connections the broken one must be noticed and replaced inside the retry loop.
@pytest.mark.parametrize("conn_max_age", ["0", "600"])
def test_database_outage_loses_and_duplicates_nothing(world, tmp_path, conn_max_age):
    services.profiles_ensure()
    run = uuid.uuid4().hex[:8]
    # Every ingest on the broker sees every topic it subscribes to, including those of a test
    # running in another session at the same time: this one listens to its own device only.
    device = services.device_register(
        actor=world.actor("street"),
        community=world.units["cA"],
        profile=DeviceProfile.objects.get(code="door_sensor"),
        code=f"outage-{run}",
        name="门磁",
    )
    client_id, topic = f"test-ingest-{run}", f"$share/t{run}/linli/+/{device.code}/+"
    base = f"linli/{world.units['cA'].code}/{device.code}"
    ts = datetime(2026, 3, 2, tzinfo=UTC).isoformat()
    log_path = tmp_path / "ingest.log"
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-pub-{run}")
    publisher.connect("127.0.0.1", 1883)
    publisher.loop_start()
    published = 0
    halt = threading.Event()
    errors = []

    def publish_steadily():
        nonlocal published
        try:
            start = time.monotonic()
            for i in range(N):
                if halt.is_set():
                    return
                body = signed(
                    {"event_id": f"e{i}", "type": "door_open", "data": {"duration_s": 1}, "ts": ts},
                    device.secret,
                )
                publisher.publish(f"{base}/event", json.dumps(body), qos=1).wait_for_publish(10)
                published = i + 1
                time.sleep(max(0, start + published / RATE - time.monotonic()))
        except Exception as exc:  # surfaced by the assertion below, not lost in the thread
            errors.append(exc)

    killed = []
    with log_path.open("wb") as log_file:
        ingest = start_ingest(
            client_id, topic, output=log_file, DB_CONN_MAX_AGE=conn_max_age, LOG_LEVEL="INFO"
        )
        sender = threading.Thread(target=publish_steadily, daemon=True)
        try:
            # Up and subscribed once a heartbeat lands.
            def beat_seen():
                body = signed({"ts": ts}, device.secret)
                publisher.publish(f"{base}/heartbeat", json.dumps(body), qos=1)
                return Device.objects.filter(pk=device.pk, last_seen__isnull=False).exists()

            assert wait(beat_seen, 30)
            sender.start()
            for at in OUTAGES_AT:
                assert wait(lambda at=at: published >= at or not sender.is_alive(), 30)
                try:
                    with _maintenance() as admin:
                        killed.append(_cut_off(admin))
                    time.sleep(OUTAGE_S)
                finally:
                    _reopen()
            sender.join(60)
            assert not errors and published == N
            # Counted below, with the ingest's log at hand if short.
            if wait(lambda: Event.objects.filter(device=device).count() >= N, 60):
                time.sleep(1)  # time for a late redelivery to show up as an extra row
            alive = ingest.poll() is None
        finally:
            halt.set()
            # First and unconditionally: a database left closed breaks the flush after this
            # test, every later test on this worker and the drop of the test database.
            _reopen()
            ingest.terminate()
            ingest.wait(10)
            if sender.is_alive():
                sender.join(10)
            publisher.loop_stop()
            publisher.disconnect()
            # Drop the broker's persistent session of this test's consumer.
            cleaner = mqtt.Client(
                mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True
            )
            cleaner.connect("127.0.0.1", 1883)
            cleaner.disconnect()
    log = log_path.read_text(errors="replace")
    assert alive, f"ingest exited during the run:\n{log[-3000:]}"
    # Each outage really cut the ingest off its database.
    assert all(killed), killed
    ids = list(Event.objects.filter(device=device).values_list("event_id", flat=True))
    assert len(ids) == N, f"{len(ids)} stored:\n{log[-3000:]}"
    assert set(ids) == {f"e{i}" for i in range(N)}
    assert not DeadLetter.objects.exists(), list(DeadLetter.objects.values("topic", "reason")[:5])
    # Each outage was taken for one and waited out: not counted towards splitting the batch
    # and dead-lettering its messages as poison.
    assert log.count(RETRY_LOG) >= len(OUTAGES_AT), log[-3000:]
    assert "ingest batch failed" not in log, log[-3000:]
