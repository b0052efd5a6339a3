from datetime import UTC, date, datetime

import pytest

from linli.accounts import services as accounts
from linli.core.scoping import SYSTEM
from linli.council import choices as c
from linli.council import services
from linli.org import services as org
from linli.org.choices import Relation
from tests.factories import id_number

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def council(world):
    """A council for community A with a resident representative and the property company."""
    council = services.council_create(
        actor=SYSTEM,
        unit=world.units["cA"],
        estate=world.estates["A"],
        name="幸福里议事会",
        cosign_threshold=2,
        quorum={"resident": 1},
    )
    household = org.household_create(
        actor=SYSTEM, building=world.buildings["A1"], stairwell="1单元", room="202", area="70"
    )
    for key in ("A1b", "A1c"):
        person = org.person_register(
            actor=SYSTEM,
            household=household,
            name=f"居民{key}",
            relation=Relation.OWNER if key == "A1b" else Relation.FAMILY,
            id_number=id_number(),
            phone="1380000100" + key[-1].replace("b", "1").replace("c", "2"),
        )
        world.users[key] = accounts.resident_account_create(
            actor=SYSTEM, person=person, password="pw-resident", check_password=False
        )
    start = date(2025, 1, 1)
    world.seats = {
        "rep": services.seat_add(
            actor=SYSTEM,
            council=council,
            user=world.users["A1b"],
            category=c.SeatCategory.RESIDENT,
            name="居民A1b",
            term_start=start,
            role=c.SeatRole.CHAIR,
        ),
        "pm": services.seat_add(
            actor=SYSTEM,
            council=council,
            user=world.users["property_a"],
            category=c.SeatCategory.PROPERTY,
            name="物业代表",
            term_start=start,
        ),
    }
    return council
