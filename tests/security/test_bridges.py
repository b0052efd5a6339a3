from datetime import UTC, datetime, timedelta

import pytest

from linli.security import services
from linli.security.models import Device


def test_water_silence_opens_grid_care_alert(devices, world, monkeypatch):
    pytest.importorskip("linli.grid")
    from linli.grid import services as grid

    calls = []
    for name in ("care_alert_open", "care_device_check"):
        real = getattr(grid, name)

        def spy(*, _real=real, _name=name, **kwargs):
            calls.append((_name, kwargs["person"]))
            return _real(**kwargs)

        monkeypatch.setattr(grid, name, spy)
    meter = devices["water_meter"]
    t0 = datetime(2026, 3, 2, tzinfo=UTC)
    Device.objects.filter(pk=meter.pk).update(last_seen=t0, last_data=t0, online=True)
    assert services.devices_check(now=t0 + timedelta(hours=13))["care"] == 1
    elder = world.people["A1"]
    assert calls == [("care_alert_open", elder), ("care_device_check", elder)]
