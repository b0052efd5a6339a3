from datetime import UTC, datetime, timedelta

import pytest

from linli.security import services
from linli.security.models import Device


def test_water_silence_opens_a_grid_care_alert_for_someone_on_the_register(devices, world):
    pytest.importorskip("linli.grid")
    from linli.core.scoping import SYSTEM
    from linli.grid import services as grid
    from linli.grid.models import CareAlert, CareGroup, Event

    grid.defaults_ensure()
    elder = world.people["A1"]
    grid.care_register(
        actor=SYSTEM,
        person=elder,
        groups=CareGroup.objects.filter(code="alone"),
        tier="high",
        helper=world.users["grid_a1"],
    )
    meter = devices["water_meter"]
    t0 = datetime(2026, 3, 2, tzinfo=UTC)
    Device.objects.filter(pk=meter.pk).update(last_seen=t0, last_data=t0, online=True)
    assert services.devices_check(now=t0 + timedelta(hours=13))["care"] == 1
    alert = CareAlert.objects.get(record__person=elder)
    assert alert.event.household == elder.household
    assert Event.objects.filter(source="system").count() == 1
    # The same silence does not open a second alert.
    assert services.devices_check(now=t0 + timedelta(hours=14))["care"] == 0
    assert CareAlert.objects.count() == 1
