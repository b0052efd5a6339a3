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
import time as clock
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from linli.core.bulk import bulk_insert, insert_new

from . import conf, services
from .choices import SEVERITY_RANK, CredentialKind
from .models import AccessLog, Credential, DeadLetter, Device, Event

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


@dataclass
class Incoming:
    device: Device
    event_id: str
    type: str
    data: dict
    ts: datetime


# Rejections that a device registered or re-keyed after it was cached would also produce: the
# consumer looks the device up afresh before dead-lettering for one of these.
STALE_REASONS = {"unknown device", "device not in this community", "bad or missing signature"}
ACCESS_TYPES = {"granted", "denied"}


def _fetch(codes):
    return {
        d.code: d
        for d in Device.objects.select_related("profile", "community").filter(code__in=codes)
    }


class DeviceCache:
    """Devices by code for a long-running consumer, so a batch does not reload the same few
    hundred devices with their profiles. An entry is reloaded after ``ttl_s`` seconds: a change
    of rules or of the watched elder reaches the consumer within that time; a new or re-keyed
    device at once (see ``STALE_REASONS``)."""

    def __init__(self, ttl_s=None):
        self.ttl_s = conf.INGEST_DEVICE_CACHE_S if ttl_s is None else ttl_s
        self.entries = {}

    def get(self, codes):
        """Devices for ``codes`` and the set of codes that were loaded just now."""
        now = clock.monotonic()
        missing = {c for c in codes if c not in self.entries or self.entries[c][1] < now}
        if missing:
            fetched = _fetch(missing)
            for code in missing:
                if code in fetched:
                    self.entries[code] = (fetched[code], now + self.ttl_s)
                else:
                    self.entries.pop(code, None)
        return {c: self.entries[c][0] for c in codes if c in self.entries}, missing

    def reload(self, codes):
        for code in codes:
            self.entries.pop(code, None)
        return self.get(codes)[0]


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
    ts = _timestamp(body.get("ts"))
    if ts is None:
        raise Reject("missing or bad ts", device.community_id)
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


def _timestamp(value):
    if not isinstance(value, str):
        return None
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        ts = parse_datetime(value)
    if ts is not None and timezone.is_naive(ts):
        ts = timezone.make_aware(ts)
    return ts


NIGHT = {"from": "22:00", "to": "06:00"}


def in_schedule(schedule, ts):
    """Whether ``ts`` (local time) falls in a schedule ``{"from": "HH:MM", "to": "HH:MM",
    "days": [1..7]}``; a window may run past midnight, and ``days`` (ISO weekdays, all when
    absent) name the day the window opens. A schedule that cannot be read does not silence the
    rule: an alarm too many beats a fire missed."""
    local = timezone.localtime(ts)
    try:
        start = time.fromisoformat(schedule.get("from", "00:00"))
        end = time.fromisoformat(schedule.get("to", "00:00"))
        days = {int(d) for d in schedule.get("days") or range(1, 8)}
    except (AttributeError, TypeError, ValueError):
        return True
    now = local.time()
    if start < end:
        inside, opened = start <= now < end, local.date()
    elif start == end:
        inside, opened = True, local.date()
    else:
        inside = now >= start or now < end
        opened = local.date() if now >= start else local.date() - timedelta(days=1)
    return inside and opened.isoweekday() in days


def _evaluate(rule, event):
    """Apply the device's rule to a new event; returns an alarm or None."""
    schedule = rule.get("schedule") or (NIGHT if rule.get("night_only") else None)
    if schedule and not in_schedule(schedule, event.ts):
        return None
    if "min_duration_s" in rule:
        duration = event.data.get("duration_s", 0)
        if not isinstance(duration, int | float) or duration < rule["min_duration_s"]:
            return None
    if "count" in rule:
        since = event.ts.timestamp() - rule.get("window_s", 120)
        recent = Event.objects.filter(
            device=event.device,
            type=event.type,
            ts__gte=datetime.fromtimestamp(since, tz=event.ts.tzinfo),
            ts__lte=event.ts,
        ).count()
        if recent < rule["count"]:
            return None
    severity = rule.get("severity")
    alarm, _created = services.alarm_raise(
        device=event.device,
        type=event.type,
        severity=severity if severity in SEVERITY_RANK else "indeterminate",
        at=event.ts,
    )
    return alarm


def _parse_all(messages, devices):
    parsed, rejected = [], []
    for topic, payload in messages:
        try:
            parsed.append(_parse(topic, payload, devices))
        except Reject as exc:
            rejected.append((topic, payload, exc))
    return parsed, rejected


@transaction.atomic
def ingest_batch(messages, *, now=None, cache=None):
    """Store one batch in one transaction: events (idempotent by device+event_id), access logs,
    device state, dead letters; then evaluate rules for the events that were new."""
    now = now or timezone.now()
    out = Outcome()
    codes = {t.split("/")[2] for t, _p in messages if t.count("/") == 3}
    if cache is None:
        devices, loaded = _fetch(codes), codes
    else:
        devices, loaded = cache.get(codes)
    parsed, rejected = _parse_all(messages, devices)
    stale = {
        topic.split("/")[2]
        for topic, _p, exc in rejected
        if exc.reason in STALE_REASONS and topic.count("/") == 3
    } - loaded
    if stale:
        devices = {**devices, **cache.reload(stale)}
        again, rejected = _parse_all([(t, p) for t, p, _e in rejected], devices)
        parsed += again
    if rejected:
        DeadLetter.objects.bulk_create(
            _dead(topic, payload, exc.reason, now, exc.community_id)
            for topic, payload, exc in rejected
        )
        out.dead = len(rejected)
    events, touched = {}, {}
    for device, channel, ts, event_id, kind, data in parsed:
        state = touched.setdefault(device.pk, {"device": device, "seen": now, "online": None})
        if channel == "status":
            state["online"] = bool(data.get("online", kind == "online"))
        else:
            state["online"] = True
        if "battery" in data and isinstance(data["battery"], int | float):
            state["battery"] = int(max(0, min(100, data["battery"])))
        if channel == "heartbeat":
            out.heartbeats += 1
        elif channel == "event":
            state["data"] = True
            if (device.pk, event_id) in events:
                out.duplicates += 1
            else:
                events[device.pk, event_id] = Incoming(device, event_id, kind, data, ts)
    if events:
        new = insert_new(
            Event,
            (
                {
                    "device_id": e.device.pk,
                    "event_id": e.event_id,
                    "type": e.type,
                    "data": e.data,
                    "ts": e.ts,
                    "received_at": now,
                }
                for e in events.values()
            ),
            unique=("device", "event_id"),
        )
        fresh = sorted((events[key] for key in new), key=lambda e: e.ts)
        out.stored = len(fresh)
        out.duplicates += len(events) - len(fresh)
        _access_logs(fresh)
        for event in fresh:
            rule = event.device.rule_for(event.type)
            alarm = _evaluate(rule, event) if rule else None
            if alarm is not None:
                out.alarms.append(alarm)
    _touch(touched)
    return out


def _access_logs(events):
    """Gate and face-terminal passages (``granted``/``denied``) go to the access log, which has
    its own retention period; ``data.credential`` names the card or QR reference when known."""
    passages = [e for e in events if e.type in ACCESS_TYPES]
    if not passages:
        return
    refs = {e.data.get("credential") for e in passages} - {None}
    holders = {
        (community, ref): (person, kind)
        for ref, person, kind, community in Credential.objects.filter(
            reference__in=[r for r in refs if isinstance(r, str)],
            revoked_at__isnull=True,
            person__household__building__estate__community_id__in={
                e.device.community_id for e in passages
            },
        ).values_list(
            "reference", "person_id", "kind", "person__household__building__estate__community_id"
        )
    }
    kinds = set(CredentialKind.values)
    rows = []
    for e in passages:
        person, kind = holders.get((e.device.community_id, e.data.get("credential")), (None, None))
        claimed = e.data.get("kind")
        rows.append(
            {
                "device_id": e.device.pk,
                "person_id": person,
                "kind": kind or (claimed if claimed in kinds else CredentialKind.CARD),
                "granted": e.type == "granted",
                "at": e.ts,
            }
        )
    bulk_insert(AccessLog, rows)


# A device talking steadily has its times rewritten at most this often (seconds), instead of
# with every batch: inactivity timeouts are minutes, and a change of online state or battery is
# always written at once.
TOUCH_EVERY_S = 10


def _touch(touched):
    """Device state in one UPDATE per distinct set of values (usually one or two per batch)."""
    groups = {}
    for state in touched.values():
        device, seen = state["device"], state["seen"]
        fields = {"last_seen": seen, "online": state["online"]}
        if state.get("data"):
            fields["last_data"] = seen
        if "battery" in state:
            fields["battery"] = state["battery"]
        if not _changed(device, fields):
            continue
        groups.setdefault(tuple(sorted(fields.items())), []).append(device)
    for key, devices in groups.items():
        fields = dict(key)
        Device.objects.filter(pk__in=[d.pk for d in devices]).update(**fields)
        for device in devices:
            for name, value in fields.items():
                setattr(device, name, value)


def _changed(device, fields):
    for name, value in fields.items():
        current = getattr(device, name)
        if name in ("last_seen", "last_data"):
            if current is None or (value - current).total_seconds() >= TOUCH_EVERY_S:
                return True
        elif current != value:
            return True
    return False


def _dead(topic, payload, reason, at, community_id=None):
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
    return DeadLetter(
        community_id=community_id,
        topic=topic[:200],
        payload=text[:4000],
        reason=reason[:200],
        received_at=at,
    )


def dead_letter(topic, payload, reason):
    dead = _dead(topic, payload, reason, timezone.now())
    dead.save()
    return dead
