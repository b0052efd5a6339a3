"""The MQTT consumer behind ``linli ingest`` (and the thread ``linli serve`` starts).

Persistent session (clean_session off, fixed client id) and manual acknowledgement: a message
is acknowledged only after the batch holding it is committed, so a process killed mid-batch
gets the unacknowledged messages again from the broker on restart, and the unique
(device, event_id) constraint stores each event once.
"""

import logging
import queue
import threading
import time
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
from django.db import OperationalError, close_old_connections

from . import conf
from .ingest import DeviceCache, dead_letter, ingest_batch

log = logging.getLogger(__name__)


class Consumer:
    def __init__(self, *, url=None, topic=None, client_id=None, batch=None, flush_ms=None):
        self.url = urlparse(url or conf.MQTT_URL)
        self.topic = topic or conf.MQTT_TOPIC
        self.batch = batch or conf.INGEST_BATCH
        self.flush_s = (flush_ms or conf.INGEST_FLUSH_MS) / 1000
        self.inbox = queue.Queue()
        self.stopping = threading.Event()
        self.stored = 0
        self.devices = DeviceCache()
        self.client_id = client_id or conf.MQTT_CLIENT_ID
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            clean_session=False,
            manual_ack=True,
        )
        self.client.max_inflight_messages_set(1000)
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda client, userdata, msg: self.inbox.put(msg)
        if self.url.username:
            self.client.username_pw_set(self.url.username, self.url.password)

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        client.subscribe(self.topic, qos=1)
        log.info("ingest connected to %s, subscribed to %s", self.url.geturl(), self.topic)

    def run(self):
        self.client.connect(self.url.hostname or "127.0.0.1", self.url.port or 1883, keepalive=30)
        self.client.loop_start()
        try:
            while not self.stopping.is_set():
                self.step()
        finally:
            self.client.loop_stop()
            self.client.disconnect()

    def step(self):
        msgs = []
        deadline = None
        while len(msgs) < self.batch:
            timeout = 0.5 if deadline is None else max(0, deadline - time.monotonic())
            try:
                msgs.append(self.inbox.get(timeout=timeout))
            except queue.Empty:
                break
            if deadline is None:
                deadline = time.monotonic() + self.flush_s
        if not msgs:
            return
        # The connection is kept from batch to batch (a new one per batch costs more than the
        # batch's inserts); a broken one fails the batch, and the retry below replaces it.
        out = self._store(msgs)
        if out is None:
            return
        self.stored += out
        for m in msgs:
            self.client.ack(m.mid, m.qos)

    def _store(self, msgs):
        """Store the batch; returns the number of new events, or None when stopping.

        A database outage is waited out with the batch unacknowledged. A batch that keeps
        failing for another reason is split: each message alone, and one that still fails goes
        to the dead letters, so a poison message never stops the consumer."""
        pairs = [(m.topic, m.payload) for m in msgs]
        failures = 0
        while not self.stopping.is_set():
            try:
                if failures >= 3:
                    return self._store_one_by_one(pairs)
                return ingest_batch(pairs, cache=self.devices).stored
            except OperationalError:
                log.exception("database unavailable; retrying the batch")
            except Exception:
                failures += 1
                log.exception("ingest batch failed (%s)", failures)
            close_old_connections()
            time.sleep(1)
        return None

    def _store_one_by_one(self, pairs):
        stored = 0
        for topic, payload in pairs:
            try:
                stored += ingest_batch([(topic, payload)], cache=self.devices).stored
            except OperationalError:
                raise
            except Exception as exc:  # anything but the database being away: a poison message
                dead_letter(topic, payload, f"processing error: {type(exc).__name__}")
        return stored

    def stop(self):
        self.stopping.set()


def start_in_thread():
    """The embedded default: ``linli serve`` runs the consumer beside the web server, so the
    in-memory channel layer reaches the consoles of the same process."""
    consumer = Consumer()

    def run():
        while not consumer.stopping.is_set():
            try:
                consumer.run()
            except OSError:
                log.warning("MQTT broker at %s unreachable; retrying", consumer.url.geturl())
                time.sleep(5)

    threading.Thread(target=run, name="linli-ingest", daemon=True).start()
    return consumer
