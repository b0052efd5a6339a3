import datetime
from zoneinfo import ZoneInfo

import pytest

from linli.core.scoping import SYSTEM
from linli.sharing import services
from linli.sharing.choices import Reach, ResourceKind

TZ = ZoneInfo("Asia/Shanghai")
# A Tuesday morning; the resource opens 08:00-20:00 every day.
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)


def at(day, hour, minute=0):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=TZ)


def make_resource(world, code="gym", unit="cA", **overrides):
    fields = dict(
        reach=Reach.STREET,
        capacity=2,
        slot_minutes=60,
        needs_approval=True,
        min_notice_hours=2,
        max_notice_days=14,
        max_duration_minutes=120,
        max_per_week=2,
        location="A社区活动中心",
    )
    fields.update(overrides)
    return services.resource_create(
        actor=SYSTEM,
        owner_unit=world.units[unit],
        code=code,
        name=f"{code}场地",
        kind=ResourceKind.SPORTS,
        hours=[(d, datetime.time(8), datetime.time(20)) for d in range(7)],
        **fields,
    )


@pytest.fixture
def gym(world):
    return make_resource(world)
