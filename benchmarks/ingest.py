"""Security ingest throughput and publish-to-alarm latency through Mosquitto, on PostgreSQL.

    .venv/bin/python benchmarks/ingest.py [--events 20000] [--pg postgres://postgres@127.0.0.1:5432/linli_bench_security]

In one run, against the same broker: by default a Mosquitto started for the run with the shipped
deploy/mosquitto.conf (on a free port: the machine's broker keeps Mosquitto's defaults, whose
20 in-flight / 1,000 queued messages per client throttle and then drop QoS 1 traffic to a
subscriber that acknowledges after commit); `--broker-port 1883` uses an existing broker.
1. raw: a plain paho subscriber counts the N messages a publisher process sends (QoS 1);
2. ingest: the `linli ingest` consumer (persistent session, manual acks, batched writes,
   rules evaluated) receives N other messages; the figure counts events *stored* in the
   database, never what was sent;
both twice: "live", the subscriber connected while a publisher process sends (the publisher
shares the two cores), and "backlog", the N messages queued in the broker for the subscriber's
persistent session first and then drained (what the subscriber alone sustains, as after a
restart of the ingest);
3. latency: a background load of about 1,000 events/s with a smoke event every 50 ms on its own
   detector; latency = alarm committed − the event's publish time; p50/p95.
The database is dropped and re-created first. The last line is one JSON object.
"""

import argparse
import json
import multiprocessing
import os
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 1883


def start_broker():
    """Mosquitto with deploy/mosquitto.conf, on a free port, persistence in a temp dir."""
    import socket
    import subprocess
    import tempfile

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = tempfile.mkdtemp()
    conf = (ROOT / "deploy" / "mosquitto.conf").read_text()
    conf = conf.replace("listener 1883 127.0.0.1", f"listener {port} 127.0.0.1").replace(
        "/var/lib/mosquitto/", f"{tmp}/"
    )
    path = Path(tmp) / "mosquitto.conf"
    path.write_text(conf)
    proc = subprocess.Popen(["mosquitto", "-c", str(path)], stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return proc, port


def _publish(messages, rate=None):
    """Publisher process: send (topic, payload) at QoS 1, optionally paced to `rate`/s."""
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{uuid.uuid4()}")
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", PORT)
    client.loop_start()
    start = time.monotonic()
    last = None
    for i, (topic, payload) in enumerate(messages):
        if rate:
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        if callable(payload):
            payload = payload()
        last = client.publish(topic, payload, qos=1)
    last.wait_for_publish(120)
    client.loop_stop()
    client.disconnect()


def _stamped(device, i, kind):
    from linli.security.ingest import signed

    def make():
        from datetime import UTC, datetime

        body = {
            "event_id": f"lat-{i}",
            "type": kind,
            "data": {},
            "ts": datetime.now(UTC).isoformat(),
        }
        return json.dumps(signed(body, device.secret))

    return make


def setup_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_devices(count):
    from linli.core.scoping import SYSTEM
    from linli.org import services as org
    from linli.org.choices import UnitKind
    from linli.security import services
    from linli.security.models import DeviceProfile

    services.profiles_ensure()
    unit = None
    for kind, code in [
        (UnitKind.CITY, "hz"),
        (UnitKind.DISTRICT, "xs"),
        (UnitKind.STREET, "bg"),
        (UnitKind.COMMUNITY, "bench"),
    ]:
        unit = org.unit_create(actor=SYSTEM, parent=unit, kind=kind, code=code, name=code)
    gate, smoke = DeviceProfile.objects.get(code="gate"), DeviceProfile.objects.get(code="smoke")
    gates = [
        services.device_register(
            actor=SYSTEM, community=unit, profile=gate, code=f"gate-{i}", name=f"gate {i}"
        )
        for i in range(count)
    ]
    smokes = [
        services.device_register(
            actor=SYSTEM, community=unit, profile=smoke, code=f"smoke-{i}", name=f"smoke {i}"
        )
        for i in range(200)
    ]
    return unit, gates, smokes


def messages_for(unit, gates, n, prefix):
    from linli.security.ingest import signed

    out = []
    for i in range(n):
        d = gates[i % len(gates)]
        body = {
            "event_id": f"{prefix}-{i}",
            "type": "granted",
            "data": {"battery": 90},
            "ts": "2026-03-02T08:00:00+08:00",
        }
        out.append((f"linli/{unit.code}/{d.code}/event", json.dumps(signed(body, d.secret))))
    return out


def _raw_client(client_id, on_message):
    import paho.mqtt.client as mqtt

    sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)
    sub.max_inflight_messages_set(1000)
    sub.on_message = on_message
    sub.connect("127.0.0.1", PORT)
    return sub


def _forget_session(client_id):
    """Drop a finished client's persistent session, so the broker stops queueing the later
    phases' traffic for it."""
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    client.connect("127.0.0.1", PORT)
    client.loop_start()
    time.sleep(0.2)
    client.loop_stop()
    client.disconnect()


def raw_rate(messages, backlog=False):
    """A plain paho subscriber (QoS 1, PUBACK on receipt) counting the messages.

    Live: it is connected while the publisher sends. Backlog: it subscribes, goes away, the
    publisher sends everything into the broker's queue for it, and it comes back and drains."""
    got = {"n": 0, "last": None}
    done = threading.Event()
    client_id = f"bench-raw-{uuid.uuid4()}"

    def on_message(client, userdata, msg):
        got["n"] += 1
        got["last"] = time.monotonic()
        if got["n"] >= len(messages):
            done.set()

    sub = _raw_client(client_id, on_message)
    sub.subscribe("linli/+/+/+", qos=1)
    sub.loop_start()
    time.sleep(0.5)
    proc = multiprocessing.Process(target=_publish, args=(messages,))
    if backlog:
        sub.loop_stop()
        sub.disconnect()
        proc.start()
        proc.join()
        sub = _raw_client(client_id, on_message)
        start = time.monotonic()
        sub.loop_start()
    else:
        start = time.monotonic()
        proc.start()
    done.wait(120)
    proc.join()
    sub.loop_stop()
    sub.disconnect()
    _forget_session(client_id)
    return got["n"], got["n"] / ((got["last"] or time.monotonic()) - start)


def _consumer(client_id, topic):
    from linli.security.mqtt import Consumer

    consumer = Consumer(url=f"mqtt://127.0.0.1:{PORT}", client_id=client_id, topic=topic)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    return consumer, thread


def ingest_rate(messages, backlog=False):
    """Events *stored* per second by the `linli ingest` consumer (never what was sent), live
    while the publisher sends, or draining a backlog queued in the broker for its session."""
    from linli.security.models import Event

    before = Event.objects.count()
    client_id = f"bench-ingest-{uuid.uuid4()}"
    topic = f"$share/bench{uuid.uuid4().hex[:6]}/linli/+/+/+"
    consumer, thread = _consumer(client_id, topic)
    time.sleep(1)
    proc = multiprocessing.Process(target=_publish, args=(messages,))
    if backlog:
        consumer.stop()
        thread.join(10)
        proc.start()
        proc.join()
        consumer, thread = _consumer(client_id, topic)
    else:
        proc.start()
    start = time.monotonic()
    stored, last_change, last_count = 0, time.monotonic(), -1
    while True:
        stored = Event.objects.count() - before
        now = time.monotonic()
        if stored != last_count:
            last_change, last_count = now, stored
        if stored >= len(messages) or now - last_change > 10:
            break
        time.sleep(0.05)
    elapsed = last_change - start
    proc.join()
    return consumer, thread, stored, stored / elapsed


def latency(unit, gates, smokes, seconds):
    from django.db import transaction

    from linli.security import live

    committed = []

    def record(alarm):
        last_at = alarm.last_at
        transaction.on_commit(lambda: committed.append(time.time() - last_at.timestamp()))

    live.alarm_changed = record
    load = messages_for(unit, gates, 1000 * seconds, "load")
    probes = [
        (f"linli/{unit.code}/{s.code}/event", _stamped(s, i, "smoke"))
        for i, s in enumerate(smokes[: 20 * seconds])
    ]
    background = multiprocessing.Process(target=_publish, args=(load, 1000))
    prober = threading.Thread(target=_publish, args=(probes, 20))
    background.start()
    prober.start()
    prober.join()
    background.join()
    time.sleep(2)
    return committed, len(probes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/linli_bench_security")
    parser.add_argument("--broker-port", type=int, default=0)
    args = parser.parse_args()
    global PORT
    broker = None
    if args.broker_port:
        PORT = args.broker_port
    else:
        broker, PORT = start_broker()
    setup_database(args.pg)
    unit, gates, smokes = make_devices(500)
    figures = {}
    for mode, backlog in (("live", False), ("backlog", True)):
        raw_n, raw = raw_rate(messages_for(unit, gates, args.events, f"raw-{mode}"), backlog)
        print(f"raw subscriber, {mode}: {raw_n} received, {raw:.0f} msg/s", flush=True)
        consumer, thread, stored, rate = ingest_rate(
            messages_for(unit, gates, args.events, f"ing-{mode}"), backlog
        )
        print(f"ingest, {mode}: {stored} stored, {rate:.0f} events/s", flush=True)
        if not backlog:
            consumer.stop()
            thread.join(10)
            _forget_session(consumer.client_id)
        figures[mode] = (raw_n, raw, stored, rate)
    lat, probes = latency(unit, gates, smokes, args.seconds)
    consumer.stop()
    thread.join(5)
    if broker:
        broker.terminate()
    lat_ms = sorted(x * 1000 for x in lat)
    p = (
        (lambda q: round(lat_ms[min(len(lat_ms) - 1, int(q * len(lat_ms)))], 1))
        if lat_ms
        else (lambda q: None)
    )
    print(f"latency: {len(lat_ms)}/{probes} alarms, p50 {p(0.5)} ms, p95 {p(0.95)} ms")
    print(
        json.dumps(
            {
                "database": "postgresql",
                "events": args.events,
                "broker_port": PORT,
                **{
                    f"{name}_{mode}": value
                    for mode, (raw_n, raw, stored, rate) in figures.items()
                    for name, value in (
                        ("raw_received", raw_n),
                        ("raw_msgs_per_s", round(raw)),
                        ("ingest_stored", stored),
                        ("ingest_events_per_s", round(rate)),
                        ("ratio", round(rate / raw, 3) if raw else None),
                    )
                },
                "latency_load_events_per_s": 1000,
                "alarms_measured": len(lat_ms),
                "probes": probes,
                "alarm_latency_p50_ms": p(0.5),
                "alarm_latency_p95_ms": p(0.95),
            }
        )
    )


if __name__ == "__main__":
    main()
