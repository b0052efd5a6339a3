import datetime

import pytest
from django.utils import timezone

from linli.core.scoping import SYSTEM
from linli.sharing import services
from linli.sharing.choices import Audience
from linli.sharing.models import Kind

ALL_DAY = [(d, datetime.time(8), datetime.time(20)) for d in range(7)]


def tomorrow_at(hour):
    day = timezone.localdate() + datetime.timedelta(days=2)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def sw(world):
    services.kinds_ensure()
    w = world
    w.hall = services.resource_save(
        actor=SYSTEM,
        unit=w.units["cA"],
        kind=Kind.objects.get(code="venue"),
        name="A社区多功能厅",
        location="A社区服务中心2楼",
        capacity=1,
        needs_approval=True,
        audience=Audience.STREET,
        hours=ALL_DAY,
    )
    w.clinic = services.resource_save(
        actor=SYSTEM,
        unit=w.units["cA"],
        kind=Kind.objects.get(code="team"),
        name="A社区义诊",
        capacity=3,
        max_per_week=5,
        audience=Audience.STREET,
        hours=ALL_DAY,
    )
    return w


def book(w, who, resource, hour, minutes=60, **kw):
    start = tomorrow_at(hour)
    return services.booking_create(
        actor=w.actor(who),
        resource=resource,
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        **kw,
    )
