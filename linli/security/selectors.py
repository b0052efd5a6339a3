from datetime import timedelta

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.core.scoping import SYSTEM

from . import conf
from .choices import AlarmStatus, CredentialKind
from .models import EVENT_LABELS, Alarm, Credential, DeadLetter, Device, VisitorPass


def alarms(actor, *, status="active"):
    qs = Alarm.objects.visible_to(actor).select_related("device", "community", "assignee")
    if status == "active":
        qs = qs.exclude(status=AlarmStatus.CLOSED)
    elif status in AlarmStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by(
        # Unacknowledged first, then by severity, then newest.
        F("acknowledged_at").asc(nulls_first=True),
        "-last_at",
    )


def devices(actor):
    return Device.objects.visible_to(actor).select_related("profile", "community")


def dead_letters(actor):
    return DeadLetter.objects.visible_to(actor)


def visitors_today(actor, *, now=None):
    now = now or timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        VisitorPass.objects.visible_to(actor)
        .filter(valid_from__lt=start + timedelta(days=1), valid_until__gte=start)
        .select_related("host")
    )


def my_passes(actor):
    return VisitorPass.objects.visible_to(actor).filter(host_id=actor.person_id)


def my_credentials(actor):
    return Credential.objects.visible_to(actor).filter(
        person_id=actor.person_id, revoked_at__isnull=True
    )


def statistics(actor, *, days=30, now=None):
    now = now or timezone.now()
    qs = Alarm.objects.visible_to(actor).filter(first_at__gte=now - timedelta(days=days))
    per_day = list(
        qs.annotate(day=TruncDate("first_at"))
        .values("day", "type")
        .annotate(n=Count("id"))
        .order_by("day", "type")
    )
    for row in per_day:
        row["label"] = EVENT_LABELS.get(row["type"], row["type"])
    closed = qs.filter(status=AlarmStatus.CLOSED)
    times = closed.aggregate(
        ack=Avg(F("acknowledged_at") - F("first_at")), close=Avg(F("closed_at") - F("first_at"))
    )
    false_rate = list(
        closed.values("device__code", "device__name")
        .annotate(total=Count("id"), false=Count("id", filter=Q(resolution="false")))
        .filter(false__gt=0)
        .order_by("-false")[:10]
    )
    critical = qs.filter(severity="critical")
    critical_total = critical.count()
    in_time = critical.filter(
        acknowledged_at__isnull=False,
        acknowledged_at__lte=F("first_at") + timedelta(seconds=conf.ACK_SLA_S),
    ).count()
    return {
        "per_day": per_day,
        "sla_s": conf.ACK_SLA_S,
        "critical_total": critical_total,
        "critical_in_time": in_time,
        "critical_in_time_pct": round(100 * in_time / critical_total) if critical_total else None,
        "mtta": times["ack"],
        "mttc": times["close"],
        "false_rate": false_rate,
        "total": qs.count(),
    }


def face_enrolments(*, community=None):
    """Counted across the platform (the filing threshold is about what an operator holds)."""
    qs = Credential.objects.visible_to(SYSTEM).filter(
        kind=CredentialKind.FACE, revoked_at__isnull=True
    )
    if community is not None:
        qs = qs.filter(person__household__building__estate__community=community)
    count = qs.count()
    return {
        "count": count,
        "threshold": conf.FACE_FILING_THRESHOLD,
        "warn": count >= conf.FACE_FILING_THRESHOLD * 0.8,
    }


def plan(actor):
    """Buildings with devices, placed by coordinates on a 100×60 plan, each with its worst
    unclosed alarm: the dashboard's picture of where things are happening."""
    from .choices import SEVERITY_RANK

    worst, counts = {}, {}
    for building_id, severity in (
        alarms(actor)
        .filter(device__building__isnull=False)
        .values_list("device__building_id", "severity")
    ):
        counts[building_id] = counts.get(building_id, 0) + 1
        if SEVERITY_RANK[severity] > SEVERITY_RANK.get(worst.get(building_id), 0):
            worst[building_id] = severity
    buildings = {
        d.building_id: d.building
        for d in devices(actor)
        .filter(building__lat__isnull=False)
        .select_related("building__estate")
    }
    if not buildings:
        return []
    lats = [float(b.lat) for b in buildings.values()]
    lngs = [float(b.lng) for b in buildings.values()]
    span_lat = (max(lats) - min(lats)) or 1
    span_lng = (max(lngs) - min(lngs)) or 1
    return [
        {
            "name": f"{b.estate.name}{b.name}",
            "x": round(5 + 90 * (float(b.lng) - min(lngs)) / span_lng, 1),
            "y": round(5 + 50 * (max(lats) - float(b.lat)) / span_lat, 1),
            "severity": worst.get(pk, ""),
            "count": counts.get(pk, 0),
        }
        for pk, b in sorted(buildings.items())
    ]
