from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from linli.core.scoping import get_visible_or_404

from . import selectors, services
from .ingest import ingest_batch
from .models import Alarm, Device

router = Router(tags=["security"])


class AlarmOut(Schema):
    id: int
    device: str
    type: str
    severity: str
    status: str
    repeat_count: int
    first_at: str
    last_at: str


def _alarm_out(a):
    return AlarmOut(
        id=a.pk,
        device=a.device.code,
        type=a.type,
        severity=a.severity,
        status=a.status,
        repeat_count=a.repeat_count,
        first_at=a.first_at.isoformat(),
        last_at=a.last_at.isoformat(),
    )


class IngestOut(Schema):
    stored: int
    duplicates: int
    dead: int


@router.post("/ingest/{device_code}/{channel}", auth=None, response=IngestOut)
def ingest(request, device_code: str, channel: str):
    """For devices that cannot speak MQTT: same payload, same signature, plus the device token
    (its secret) in ``X-Device-Token``."""
    device = Device.objects.select_related("community").filter(code=device_code).first()
    token = request.headers.get("X-Device-Token", "")
    if device is None or not token or token != device.secret:
        raise Http404
    topic = f"linli/{device.community.code}/{device.code}/{channel}"
    out = ingest_batch([(topic, request.body)])
    return IngestOut(stored=out.stored, duplicates=out.duplicates, dead=out.dead)


@router.get("/alarms", response=list[AlarmOut])
def alarms(request, status: str = "active"):
    return [_alarm_out(a) for a in selectors.alarms(request.actor, status=status)[:200]]


class CloseIn(Schema):
    resolution: str
    note: str = ""


@router.post("/alarms/{pk}/acknowledge", response=AlarmOut)
def acknowledge(request, pk: int):
    alarm = get_visible_or_404(Alarm, request.actor, pk=pk)
    return _alarm_out(services.alarm_acknowledge(actor=request.actor, alarm=alarm))


@router.post("/alarms/{pk}/close", response=AlarmOut)
def close(request, pk: int, payload: CloseIn):
    alarm = get_visible_or_404(Alarm, request.actor, pk=pk)
    return _alarm_out(
        services.alarm_close(
            actor=request.actor, alarm=alarm, resolution=payload.resolution, note=payload.note
        )
    )


class GateIn(Schema):
    code: str


@router.post("/gate/{device_code}/pass", auth=None)
def gate_pass(request, device_code: str, payload: GateIn):
    device = get_object_or_404(Device, code=device_code)
    if request.headers.get("X-Device-Token", "") != device.secret:
        raise Http404
    return {"open": services.gate_check_pass(device=device, code=payload.code)}
