import pytest

from linli.security import services
from linli.security.models import DeviceProfile


@pytest.fixture
def devices(world, settings):
    """One device of each kind in community A, one smoke detector in community B."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    services.profiles_ensure()
    profile = {p.code: p for p in DeviceProfile.objects.all()}
    admin = world.actor("street")
    out = {}
    for code in ("smoke", "gate", "door_sensor", "water_meter", "sos"):
        out[code] = services.device_register(
            actor=admin,
            community=world.units["cA"],
            profile=profile[code],
            code=f"a-{code}",
            name=f"A {code}",
            building=world.buildings["A1"],
            watched_person=world.people["A1"] if code == "water_meter" else None,
        )
    out["b-smoke"] = services.device_register(
        actor=admin,
        community=world.units["cB"],
        profile=profile["smoke"],
        code="b-smoke",
        name="B smoke",
    )
    return out
