import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.accounts import services as accounts
from linli.core.scoping import SYSTEM
from linli.org import services as org
from linli.org.choices import Relation
from linli.renovation import services
from linli.renovation.choices import Matter

GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def photo(name="ballot.gif"):
    return SimpleUploadedFile(name, GIF, "image/gif")


@pytest.fixture
def rw(world):
    """Estate A: the world's two units (88.5 m² each, owners A1 and A2) plus
    - 王: owns two units (60 + 40 m²) — one head, 100 m²;
    - 陈 and 林: co-own one unit of 120 m² — one vote between them."""
    w = world
    b = w.buildings["A1"]
    h1 = org.household_create(actor=SYSTEM, building=b, stairwell="2单元", room="201", area="60")
    h2 = org.household_create(actor=SYSTEM, building=b, stairwell="2单元", room="202", area="40")
    h3 = org.household_create(actor=SYSTEM, building=b, stairwell="2单元", room="301", area="120")
    wang = org.person_register(actor=SYSTEM, household=h1, name="王先生", relation=Relation.OWNER)
    org.ownership_add(actor=SYSTEM, household=h2, person=wang, relation=Relation.OWNER)
    chen = org.person_register(
        actor=SYSTEM, household=h3, name="陈女士", relation=Relation.CO_OWNER
    )
    lin = org.person_register(actor=SYSTEM, household=h3, name="林先生", relation=Relation.CO_OWNER)
    for key, person in (("wang", wang), ("chen", chen), ("lin", lin)):
        w.people[key] = person
        w.users[key] = accounts.resident_account_create(
            actor=SYSTEM,
            person=person,
            password="pw-resident",
            username=key,
            check_password=False,
        )
    w.households.update({"wang1": h1, "wang2": h2, "coowned": h3})
    w.project = services.project_create(actor=SYSTEM, estate=w.estates["A"], title="幸福里加装电梯")
    return w


def open_vote(w, matter=Matter.REBUILD, nominate=None):
    vote = services.vote_create(actor=SYSTEM, project=w.project, title="加装电梯", matter=matter)
    if nominate:
        services.nominate(
            actor=SYSTEM, vote=vote, household=w.households["coowned"], person=w.people[nominate]
        )
    return services.vote_open(
        actor=SYSTEM, vote=vote, closes_at=timezone.now() + datetime.timedelta(days=14)
    )


TOTAL_AREA = Decimal("88.5") * 2 + 100 + 120
