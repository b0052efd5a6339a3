import json
import random
import time
import uuid
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linli.security import conf
from linli.security.ingest import signed
from linli.security.models import Device

EVENTS = {
    "camera": ["motion"] * 20 + ["intrusion"],
    "gate": ["granted"] * 20 + ["denied"],
    "face_terminal": ["granted"] * 20 + ["denied"],
    "smoke": ["selftest"] * 50 + ["smoke"],
    "gas": ["selftest"] * 50 + ["gas"],
    "door_sensor": ["door_closed"] * 5 + ["door_open"],
    "water_meter": ["reading"],
    "sos": ["heartbeat_only"],
}


class Command(BaseCommand):
    help = "Publish realistic device traffic for a community to the MQTT broker (signed)."

    def add_arguments(self, parser):
        parser.add_argument("community", help="community code, e.g. beigan-c1")
        parser.add_argument("--rate", type=float, default=20, help="messages per second")
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--url", default=conf.MQTT_URL)

    def handle(self, *args, community, rate, seconds, url, **options):
        devices = list(Device.objects.select_related("profile").filter(community__code=community))
        if not devices:
            raise CommandError(f"no devices in community {community}")
        parsed = urlparse(url)
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"sim-{uuid.uuid4()}")
        client.connect(parsed.hostname or "127.0.0.1", parsed.port or 1883)
        client.loop_start()
        rng = random.Random()
        sent, start = 0, time.monotonic()
        while time.monotonic() - start < seconds:
            device = rng.choice(devices)
            base = f"linli/{community}/{device.code}"
            kind = rng.choice(EVENTS.get(device.profile.code, ["heartbeat_only"]))
            now = timezone.now().isoformat()
            if kind == "heartbeat_only":
                topic, body = (
                    f"{base}/heartbeat",
                    {"ts": now, "data": {"battery": rng.randint(30, 100)}},
                )
            else:
                data = {"duration_s": rng.choice([30, 900])} if kind == "door_open" else {}
                if kind == "reading":
                    data["m3"] = round(rng.uniform(0, 0.05), 3)
                topic, body = (
                    f"{base}/event",
                    {"event_id": uuid.uuid4().hex, "type": kind, "ts": now, "data": data},
                )
            client.publish(topic, json.dumps(signed(body, device.secret)), qos=1)
            sent += 1
            time.sleep(max(0.0, start + sent / rate - time.monotonic()))
        client.loop_stop()
        client.disconnect()
        self.stdout.write(f"Published {sent} messages for {len(devices)} devices")
