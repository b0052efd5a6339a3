"""Security settings, from the environment with defaults."""

import os

from django.conf import settings

MQTT_URL = getattr(settings, "MQTT_URL", "mqtt://127.0.0.1:1883")
# Shared subscription: several `linli ingest` processes split the load of one group.
MQTT_TOPIC = os.environ.get("LINLI_MQTT_TOPIC", "$share/linli/linli/+/+/+")
MQTT_CLIENT_ID = os.environ.get("LINLI_MQTT_CLIENT_ID", "linli-ingest-1")
INGEST_BATCH = int(os.environ.get("LINLI_INGEST_BATCH", "500"))
INGEST_FLUSH_MS = int(os.environ.get("LINLI_INGEST_FLUSH_MS", "50"))
# How long the consumer trusts its cached copy of a device (rules, watched elder).
INGEST_DEVICE_CACHE_S = int(os.environ.get("LINLI_INGEST_DEVICE_CACHE_S", "30"))
# Service level: a critical alarm is to be acknowledged within ACK_SLA_S; one still not
# acknowledged goes one level up the hierarchy at each step of the chain (seconds after it
# opened): "300,900" = the street at 5 min, the district at 15 min.
ACK_SLA_S = int(os.environ.get("LINLI_ALARM_ACK_SLA_S", "60"))
ESCALATION_S = tuple(
    int(step) for step in os.environ.get("LINLI_ALARM_ESCALATION_S", "300,900").split(",") if step
)
ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("LINLI_ACCESS_LOG_DAYS", "180"))
# Filing with the authorities is required above this many face enrolments (DOMAIN §6).
FACE_FILING_THRESHOLD = int(os.environ.get("LINLI_FACE_FILING_THRESHOLD", "100000"))
