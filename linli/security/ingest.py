"""Validating and storing device messages in batches, shared by the MQTT consumer and HTTP.

A message is (topic, payload bytes). Topic ``linli/<community_code>/<device_code>/<channel>``,
channel ∈ event | heartbeat | status. Payload JSON: ``event_id``, ``ts`` (ISO 8601), ``type``,
``data`` and ``sig`` = hex HMAC-SHA256 with the device secret over the payload without ``sig``
(keys sorted, compact separators). Anything that fails goes to the dead-letter table with the
reason; nothing raises out of :func:`ingest_batch` for a bad message.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import services
from .choices import SEVERITY_RANK
from .models import DeadLetter, Device, Event

CHANNELS = {"event", "heartbeat", "status"}


class Reject(Exception):
    def __init__(self, reason, community_id=None):
        super().__init__(reason)
        self.reason = reason
        self.community_id = community_id


def canonical(body):
    return json.dumps(
        {k: v for k, v in body.items() if k != "sig"},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def sign(body, secret):
    return hmac.new(secret.encode(), canonical(body), hashlib.sha256).hexdigest()


def signed(body, secret):
    return {**body, "sig": sign(body, secret)}


@dataclass
class Outcome:
    stored: int = 0
    duplicates: int = 0
    dead: int = 0
    heartbeats: int = 0
    alarms: list = field(default_factory=list)


def _parse(topic, payload, devices):
    parts = topic.split("/")
    if len(parts) != 4 or parts[0] != "linli" or parts[3] not in CHANNELS:
        raise Reject("bad topic")
    _root, community_code, device_code, channel = parts
    device = devices.get(device_code)
    if device is None:
        raise Reject("unknown device")
    if device.community.code != community_code:
        raise Reject("device not in this community", device.community_id)
    try:
        body = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise Reject("malformed JSON", device.community_id) from None
    if not isinstance(body, dict):
        raise Reject("payload is not an object", device.community_id)
    sig = body.get("sig")
    if not isinstance(sig, str) or not hmac.compare_digest(sig, sign(body, device.secret)):
        raise Reject("bad or missing signature", device.community_id)
    ts = parse_datetime(str(body.get("ts", "")))
    if ts is None:
        raise Reject("missing or bad ts", device.community_id)
    if timezone.is_naive(ts):
        ts = timezone.make_aware(ts)
    data = body.get("data") or {}
    if not isinstance(data, dict):
        raise Reject("data is not an object", device.community_id)
    if channel == "event":
        event_id = body.get("event_id")
        kind = body.get("type")
        if not isinstance(event_id, str) or not event_id or len(event_id) > 64:
            raise Reject("missing event_id", device.community_id)
        if not isinstance(kind, str) or not kind or len(kind) > 32:
            raise Reject("missing type", device.community_id)
        return device, channel, ts, event_id, kind, data
    return device, channel, ts, None, body.get("type", ""), data


def _is_night(ts):
    local = timezone.localtime(ts).time()
    return local >= time(22) or local < time(6)


def _evaluate(device, event, now):
    """Apply the device's rule for the event type; returns an alarm or None."""
    rule = device.rule_for(event.type)
    if not rule:
        return None
    if "min_duration_s" in rule:
        duration = event.data.get("duration_s", 0)
        if not isinstance(duration, int | float) or duration < rule["min_duration_s"]:
            return None
        if rule.get("night_only") and not _is_night(event.ts):
            return None
    if "count" in rule:
        since = event.ts.timestamp() - rule.get("window_s", 120)
        recent = Event.objects.filter(
            device=device,
            type=event.type,
            ts__gte=datetime.fromtimestamp(since, tz=event.ts.tzinfo),
            ts__lte=event.ts,
        ).count()
        if recent < rule["count"]:
            return None
    severity = rule.get("severity")
    alarm, _created = services.alarm_raise(
        device=device,
        type=event.type,
        severity=severity if severity in SEVERITY_RANK else "indeterminate",
        at=event.ts,
    )
    return alarm


@transaction.atomic
def ingest_batch(messages, *, now=None):
    """Store one batch in one transaction: events (idempotent by device+event_id), device
    state, dead letters; then evaluate rules for the events that were new."""
    now = now or timezone.now()
    out = Outcome()
    codes = {t.split("/")[2] for t, _p in messages if t.count("/") == 3}
    devices = {
        d.code: d
        for d in Device.objects.select_related("profile", "community").filter(code__in=codes)
    }
    events, dead, touched = {}, [], {}
    for topic, payload in messages:
        try:
            device, channel, ts, event_id, kind, data = _parse(topic, payload, devices)
        except Reject as exc:
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
            dead.append(
                DeadLetter(
                    community_id=exc.community_id,
                    topic=topic[:200],
                    payload=text[:4000],
                    reason=exc.reason,
                    received_at=now,
                )
            )
            continue
        state = touched.setdefault(device.pk, {"device": device, "seen": now, "online": None})
        if channel == "status":
            state["online"] = bool(data.get("online", kind == "online"))
        else:
            state["online"] = True
        if "battery" in data and isinstance(data["battery"], int | float):
            state["battery"] = int(max(0, min(100, data["battery"])))
        if channel == "heartbeat":
            out.heartbeats += 1
            continue
        if channel == "event":
            state["data"] = True
            if (device.pk, event_id) in events:
                out.duplicates += 1
                continue
            events[device.pk, event_id] = Event(
                device=device, event_id=event_id, type=kind, data=data, ts=ts, received_at=now
            )
    if dead:
        DeadLetter.objects.bulk_create(dead)
        out.dead = len(dead)
    if events:
        known = set(
            Event.objects.filter(
                device_id__in={d for d, _e in events}, event_id__in={e for _d, e in events}
            ).values_list("device_id", "event_id")
        )
        new = [e for key, e in events.items() if key not in known]
        # ignore_conflicts: a redelivery racing in another ingest process is dropped by the
        # unique constraint instead of failing the batch.
        Event.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        out.stored = len(new)
        out.duplicates += len(events) - len(new)
        for event in sorted(new, key=lambda e: e.ts):
            alarm = _evaluate(event.device, event, now)
            if alarm is not None:
                out.alarms.append(alarm)
    _touch(touched)
    return out


def _touch(touched):
    """Device state in one UPDATE per distinct set of values (usually one or two per batch)."""
    groups = {}
    for state in touched.values():
        fields = {"last_seen": state["seen"], "online": state["online"]}
        if state.get("data"):
            fields["last_data"] = state["seen"]
        if "battery" in state:
            fields["battery"] = state["battery"]
        groups.setdefault(tuple(sorted(fields.items())), []).append(state["device"])
    for key, devices in groups.items():
        fields = dict(key)
        Device.objects.filter(pk__in=[d.pk for d in devices]).update(**fields)
        for device in devices:
            for name, value in fields.items():
                setattr(device, name, value)


def dead_letter(topic, payload, reason):
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
    return DeadLetter.objects.create(
        topic=topic[:200], payload=text[:4000], reason=reason[:200], received_at=timezone.now()
    )
