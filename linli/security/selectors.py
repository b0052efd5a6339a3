from datetime import timedelta

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.core.scoping import SYSTEM

from . import conf
from .choices import AlarmStatus, CredentialKind
from .models import Alarm, Credential, DeadLetter, Device, VisitorPass


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
    return {
        "per_day": per_day,
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
